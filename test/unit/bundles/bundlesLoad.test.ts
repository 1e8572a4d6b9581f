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
  const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  assert.equal(r.stdout.trim(), version);
});

test('the extension bundle is CommonJS with vscode left external', () => {
  const text = readFileSync(path.join(repoRoot, 'dist', 'extension.js'), 'utf8');
  assert.match(text, /require\("vscode"\)/);
  assert.doesNotMatch(text, /^import\s/m);
  assert.match(text, /exports|module\.exports/);
});

// Activation cost: client-node, the AWS SDK clients, tar, yaml, age and jsonpath-plus are bundles of their own
// (dist/vendor/, tools/build/lazyVendor.mjs), required the first time a view or command reads one of their exports.
test('requiring dist/extension.js loads none of the vendor bundles; each vendor bundle exports what the extension reads', () => {
  const probe = `
    const Module = require('node:module');
    const load = Module._load;
    // A stand-in for the vscode module: any member is a class (extension code may subclass TreeItem at load).
    const vscode = new Proxy({}, { get: (_, key) => (key === '__esModule' ? false : class {}) });
    Module._load = function (request, ...rest) {
      return request === 'vscode' ? vscode : load.call(this, request, ...rest);
    };
    const ext = require(${JSON.stringify(path.join(repoRoot, 'dist', 'extension.js'))});
    process.stdout.write(JSON.stringify({ exports: Object.keys(ext), loaded: Object.keys(require.cache) }));
  `;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { exports, loaded } = JSON.parse(r.stdout) as { exports: string[]; loaded: string[] };
  assert.deepEqual(exports.sort(), ['activate', 'deactivate']);
  assert.ok(
    loaded.some((f) => f.endsWith(path.join('dist', 'extension.js'))),
    'the extension bundle itself was loaded',
  );
  assert.deepEqual(
    loaded.filter((f) => f.includes(`${path.sep}vendor${path.sep}`) || f.includes('node_modules')),
    [],
  );

  const text = readFileSync(path.join(repoRoot, 'dist', 'extension.js'), 'utf8');
  for (const [file, name] of [
    ['client-node.js', 'KubeConfig'],
    ['client-sqs.js', 'SQSClient'],
    ['client-dynamodb.js', 'DynamoDBClient'],
    ['client-s3.js', 'S3Client'],
  ] as const) {
    assert.ok(text.includes(`./vendor/${file}`), `dist/extension.js requires ./vendor/${file} on demand`);
    const r2 = spawnSync(
      process.execPath,
      [
        '-e',
        `process.stdout.write(typeof require(${JSON.stringify(path.join(repoRoot, 'dist', 'vendor', file))}).${name})`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r2.stdout, 'function', `${file} exports ${name}: ${r2.stderr}`);
  }
});

// Node 20 reached its end of life in April 2026; the AWS SDK warns on every run there. The CLI says so once, in its
// own words, before any of the engine loads (here on this Node, made to report v20 by a preload).
test('on a Node older than 22 the CLI prints one line naming the way out and exits 2, without the SDK warning', () => {
  const pretend20 = "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '20.20.2' } });";
  const r = spawnSync(
    process.execPath,
    ['-e', `${pretend20} require(${JSON.stringify(path.join(repoRoot, 'dist', 'cli.js'))})`],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /Node\.js 22 or newer is needed/);
  assert.match(r.stderr, /npm run --silent drydock -- <args>/);
  assert.doesNotMatch(r.stderr, /NodeVersionSupportWarning/);
});

test('the tests run on a supported Node, with nothing hiding the SDK warning', () => {
  assert.ok(Number(process.versions.node.split('.')[0]) >= 22, `tests run on Node ${process.version}`);
  assert.equal(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, undefined);
});
