import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name))
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

const root = path.resolve(__dirname, '..', '..', '..');

test('src/core, src/cli and src/protocol never import vscode', () => {
  const offenders: string[] = [];
  for (const dir of ['src/core', 'src/cli', 'src/protocol']) {
    for (const file of filesUnder(path.join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      if (/(from\s+['"]vscode['"])|(require\(\s*['"]vscode['"]\s*\))|(import\(\s*['"]vscode['"]\s*\))/.test(text)) {
        offenders.push(path.relative(root, file));
      }
    }
  }
  assert.deepEqual(offenders, [], `these files import vscode: ${offenders.join(', ')}`);
});

test('the webview bundles never import vscode or node modules', () => {
  const offenders: string[] = [];
  for (const file of filesUnder(path.join(root, 'src/webview'))) {
    const text = readFileSync(file, 'utf8');
    if (/from\s+['"](vscode|node:[^'"]+|fs|path|child_process)['"]/.test(text)) offenders.push(path.relative(root, file));
  }
  assert.deepEqual(offenders, []);
});
