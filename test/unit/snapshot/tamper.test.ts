import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile, truncate, stat, symlink, mkdir, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { SnapshotWriter } from '../../../src/core/snapshot/archive/snapshotWriter';
import { SnapshotReader } from '../../../src/core/snapshot/archive/snapshotReader';
import { newManifest } from '../../../src/core/snapshot/manifest';
import { itemPath, KEY_PATH, MANIFEST_PATH } from '../../../src/core/snapshot/layout';
import { createSnapshotKey, encryptWithRecipient } from '../../../src/core/snapshot/secretCrypto';
import { SnapshotInvalidError, type SnapshotProblem } from '../../../src/core/snapshot/snapshotErrors';

// scrypt at 2^10, not age's 2^18: the passphrase's cost is not what these tests are about (lazyKey.test.ts keeps
// the default and checks it).
const FAST_SCRYPT = 10;

const passphrase = 'fixture passphrase';
let dir: string;
after(() => rm(dir, { recursive: true, force: true }));

/** A small snapshot written by the real writer: one ConfigMap and one encrypted Secret. */
async function fixtureSnapshot(target: string): Promise<void> {
  const writer = await SnapshotWriter.create(target);
  const manifest = newManifest('test');
  const key = await createSnapshotKey({ passphrase, workFactor: FAST_SCRYPT });
  await writer.writeEntry(KEY_PATH, await key.keyFile!);
  manifest.encryption = { secrets: 'age', keyEntry: KEY_PATH };
  await writer.writeEntry(
    itemPath({ resource: 'configmaps', group: '', namespace: 'shop', name: 'cfg' }),
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'shop' },
      data: { a: '1' },
    }),
  );
  const secret = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'shop' },
    data: { password: Buffer.from('hunter2').toString('base64') },
  });
  await writer.writeEntry(
    itemPath({ resource: 'secrets', group: '', namespace: 'shop', name: 'db' }, true),
    encryptWithRecipient(key.recipient, secret),
  );
  manifest.resources = [
    { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, count: 1 },
    { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true, count: 1 },
  ];
  manifest.counts.items = 2;
  manifest.counts.secrets = 1;
  await writer.commit(manifest, { authenticateWith: key.identity });
}

async function refused(
  source: string,
  options: Parameters<typeof SnapshotReader.open>[1] = {},
): Promise<{ problem: SnapshotProblem; entry?: string; message: string }> {
  try {
    const r = await SnapshotReader.open(source, options);
    await r.close();
  } catch (error) {
    assert.ok(SnapshotInvalidError.isInvalid(error), `expected SnapshotInvalidError, got ${String(error)}`);
    assert.equal(error.code, 'corrupt-snapshot');
    return { problem: error.problem, entry: error.entry, message: error.message };
  }
  assert.fail('the snapshot was accepted');
}

test('a good snapshot opens as a directory and as a .tar.gz; secrets decrypt with the passphrase only', async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-tamper-'));
  for (const target of [join(dir, 'good'), join(dir, 'good.tar.gz')]) {
    await fixtureSnapshot(target);
    const r = await SnapshotReader.open(target, { keySource: { passphrase } });
    try {
      const s = await r.readItem(itemPath({ resource: 'secrets', group: '', namespace: 'shop', name: 'db' }, true));
      assert.equal(Buffer.from((s.data as Record<string, string>).password!, 'base64').toString(), 'hunter2');
      assert.equal(r.manifest.counts.items, 2);
    } finally {
      await r.close();
    }
  }
  // The secret is not in plain text anywhere on disk.
  const raw = await readFile(
    join(dir, 'good', ...itemPath({ resource: 'secrets', group: '', namespace: 'shop', name: 'db' }, true).split('/')),
  );
  assert.ok(!raw.toString('latin1').includes(Buffer.from('hunter2').toString('base64')));
  assert.equal(await readFile(join(dir, 'good', 'metadata', 'version'), 'utf8'), '1.1.0\n');
});

test('a tampered entry is a checksum error naming the entry', async () => {
  const t = join(dir, 'tampered');
  await cp(join(dir, 'good'), t, { recursive: true });
  const entry = itemPath({ resource: 'configmaps', group: '', namespace: 'shop', name: 'cfg' });
  await writeFile(
    join(t, ...entry.split('/')),
    (await readFile(join(t, ...entry.split('/')), 'utf8')).replace('"1"', '"2"'),
  );
  const r = await refused(t);
  assert.equal(r.problem, 'checksum');
  assert.equal(r.entry, entry);
  assert.match(r.message, /cfg\.json/);
});

test('an added or a missing entry is refused', async () => {
  const added = join(dir, 'added');
  await cp(join(dir, 'good'), added, { recursive: true });
  await mkdir(join(added, 'resources', 'pods', 'namespaces', 'shop'), { recursive: true });
  await writeFile(join(added, 'resources', 'pods', 'namespaces', 'shop', 'evil.json'), '{}');
  assert.equal((await refused(added)).problem, 'unexpected-entry');

  const missing = join(dir, 'missing');
  await cp(join(dir, 'good'), missing, { recursive: true });
  await rm(join(missing, 'metadata', 'version'));
  assert.deepEqual(await refused(missing).then((r) => [r.problem, r.entry]), ['missing-entry', 'metadata/version']);
});

test('a symlink inside a snapshot directory is refused', async () => {
  const linked = join(dir, 'linked');
  await cp(join(dir, 'good'), linked, { recursive: true });
  await symlink('/etc/passwd', join(linked, 'resources', 'passwd.json'));
  assert.equal((await refused(linked)).problem, 'unexpected-entry');
});

test('an unknown schema version is refused', async () => {
  const future = join(dir, 'future');
  await cp(join(dir, 'good'), future, { recursive: true });
  const m = JSON.parse(await readFile(join(future, ...MANIFEST_PATH.split('/')), 'utf8'));
  m.schemaVersion = 99;
  await writeFile(join(future, ...MANIFEST_PATH.split('/')), JSON.stringify(m));
  const r = await refused(future);
  assert.equal(r.problem, 'schema');
  assert.match(r.message, /99/);
});

test('a truncated .tar.gz is refused', async () => {
  const cut = join(dir, 'cut.tar.gz');
  await cp(join(dir, 'good.tar.gz'), cut);
  await truncate(cut, Math.floor((await stat(cut)).size / 2));
  const r = await refused(cut);
  assert.ok(['truncated', 'missing-entry'].includes(r.problem), r.problem);
});

test('a file that is not an archive is refused', async () => {
  const junk = join(dir, 'junk.tar.gz');
  await writeFile(junk, 'this is not a tarball at all, just text '.repeat(40));
  assert.ok(['not-an-archive', 'truncated', 'missing-entry'].includes((await refused(junk)).problem));
});

test('an archive entry whose path escapes the archive is refused', async () => {
  const src = join(dir, 'escape-src');
  await cp(join(dir, 'good'), join(src, 'snap'), { recursive: true });
  await writeFile(join(src, 'evil.json'), '{}');
  const evil = join(dir, 'escape.tar.gz');
  // preservePaths keeps "../" in the entry name, as a hostile archive would.
  await tar.create({ gzip: true, file: evil, cwd: join(src, 'snap'), preservePaths: true }, [
    '../evil.json',
    'metadata',
    'drydock',
    'resources',
  ]);
  const r = await refused(evil);
  assert.equal(r.problem, 'path');
  assert.match(r.message, /\.\.\/evil\.json/);
});

test('a wrong passphrase is refused before anything is read', async () => {
  for (const target of [join(dir, 'good'), join(dir, 'good.tar.gz')]) {
    const r = await refused(target, { keySource: { passphrase: 'wrong' } });
    assert.equal(r.problem, 'passphrase');
    assert.match(r.message, /[Ww]rong passphrase/);
  }
  assert.equal((await refused(join(dir, 'good'), { requireSecrets: true })).problem, 'passphrase');
});
