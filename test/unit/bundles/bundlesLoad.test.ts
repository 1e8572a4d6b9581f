import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/env';

// `npm test` builds before running; these prove the CommonJS bundles (with the ESM-only
// @kubernetes/client-node inlined) load under the system Node.
test('the CLI bundle loads and runs', () => {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  assert.ok(existsSync(cli), 'dist/cli.js exists (run npm run build)');
  const r = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  assert.equal(r.stdout.trim(), version);
});

test('the extension bundle is CommonJS with vscode left external', () => {
  const text = readFileSync(path.join(repoRoot, 'dist', 'extension.js'), 'utf8');
  assert.match(text, /require\("vscode"\)/);
  assert.doesNotMatch(text, /^import\s/m);
  assert.match(text, /exports|module\.exports/);
});
