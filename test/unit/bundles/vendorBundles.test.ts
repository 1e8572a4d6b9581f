import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/env';
import { usedExports } from '../../../tools/build/lazyVendor.mjs';

// What tools/build/lazyVendor.mjs does for activation, shown on the built files (`npm test` builds first).
const dist = path.join(repoRoot, 'dist');

function runNode(script: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
}

test('a type-only re-export takes nothing at run time: only the named imports go into the vendor bundle', () => {
  const src = mkdtempSync(path.join(os.tmpdir(), 'drydock-used-exports-'));
  try {
    mkdirSync(path.join(src, 'aws'));
    writeFileSync(
      path.join(src, 'aws', 's3.ts'),
      [
        `import { S3Client, GetObjectCommand as Get, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';`,
        `import type { Bucket } from '@aws-sdk/client-s3';`,
        `export type { PutObjectCommandInput as PutObjectInput } from '@aws-sdk/client-s3';`,
        `export type Out = ListObjectsV2CommandOutput | Bucket;`,
        `export const make = () => [new S3Client({}), Get];`,
      ].join('\n'),
    );
    writeFileSync(path.join(src, 'tarUse.ts'), `import * as tar from 'tar';\nexport const t = tar;\n`);
    const used = usedExports(src);
    assert.deepEqual([...(used['@aws-sdk/client-s3'] as Set<string>)].sort(), ['GetObjectCommand', 'S3Client']);
    assert.equal(used.tar, '*', 'a namespace import takes the whole package');
    assert.equal(used.yaml, undefined);
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
});

test('client-node is loaded without undici: KubeConfig reads a kubeconfig and authenticates, undici loads when a dispatcher is made', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'drydock-vendor-kc-'));
  try {
    const file = path.join(dir, 'kubeconfig');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: c1',
        '  cluster: { server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true }',
        'users:',
        '- name: u1',
        '  user: { token: t0ken }',
        'contexts:',
        '- name: ctx1',
        '  context: { cluster: c1, user: u1 }',
        'current-context: ctx1',
        '',
      ].join('\n'),
    );
    const r = runNode(`
      const vendor = ${JSON.stringify(path.join(dist, 'vendor'))};
      const loaded = () => Object.keys(require.cache).map((f) => require('node:path').basename(f));
      const { KubeConfig } = require(vendor + '/client-node.js');
      const afterLoad = loaded();
      const kc = new KubeConfig();
      kc.loadFromFile(${JSON.stringify(file)});
      const opts = {};
      kc.applyToHTTPSOptions(opts).then(() => {
        const afterAuth = loaded();
        const dispatcher = kc.createDispatcher(kc.getCurrentCluster(), { rejectUnauthorized: false });
        process.stdout.write(JSON.stringify({
          afterLoad, afterAuth, afterDispatcher: loaded(),
          contexts: kc.getContexts().map((c) => c.name),
          auth: opts.headers && opts.headers.Authorization,
          dispatcherIsAgent: dispatcher instanceof require(vendor + '/undici.js').Agent,
        }));
      });
    `);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(out.afterLoad, ['client-node.js']);
    assert.deepEqual(out.afterAuth, ['client-node.js'], 'authenticating a request needs no undici');
    assert.deepEqual(out.contexts, ['ctx1']);
    assert.equal(out.auth, 'Bearer t0ken');
    assert.deepEqual(out.afterDispatcher, ['client-node.js', 'undici.js'], 'undici is required on first use');
    assert.equal(out.dispatcherIsAgent, true, 'the dispatcher is an Agent of the undici bundle');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Built-ins are shared through one namespace object each (sharedExternalsPlugin). Copying a built-in's exports
// with `export *` reads each property's descriptor, which on Node 24 loads what util's and net's lazy members
// need (worker_threads, the assert diff, parse_args…) at require time.
test('requiring dist/extension.js loads no built-in module beyond the ones an extension host has loaded', () => {
  const r = runNode(`
    for (const m of ['http', 'https', 'net', 'tls', 'dns/promises', 'child_process', 'readline', 'zlib', 'util',
      'stream', 'stream/promises', 'crypto', 'os', 'events', 'fs', 'fs/promises', 'path', 'url', 'async_hooks'])
      require('node:' + m);
    const Module = require('node:module');
    const load = Module._load;
    const vscode = new Proxy({}, { get: (_, key) => (key === '__esModule' ? false : class {}) });
    Module._load = function (request, ...rest) { return request === 'vscode' ? vscode : load.call(this, request, ...rest); };
    const before = new Set(process.moduleLoadList);
    require(${JSON.stringify(path.join(dist, 'extension.js'))});
    process.stdout.write(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))));
  `);
  assert.equal(r.status, 0, r.stderr);
  const added = JSON.parse(r.stdout) as string[];
  for (const m of ['NativeModule worker_threads', 'NativeModule internal/util/diff']) assert.ok(!added.includes(m), m);
  assert.deepEqual(added, []);
});
