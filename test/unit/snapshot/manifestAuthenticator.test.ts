import { test, after, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnapshotWriter } from '../../../src/core/snapshot/archive/snapshotWriter';
import { SnapshotReader } from '../../../src/core/snapshot/archive/snapshotReader';
import { newManifest, type SnapshotManifest } from '../../../src/core/snapshot/manifest';
import { itemPath, KEY_PATH, MANIFEST_PATH } from '../../../src/core/snapshot/layout';
import { createSnapshotKey } from '../../../src/core/snapshot/secretCrypto';
import { SnapshotInvalidError } from '../../../src/core/snapshot/snapshotErrors';

// scrypt at 2^10, not age's 2^18: the passphrase's cost is not what these tests are about (lazyKey.test.ts keeps
// the default and checks it).
const FAST_SCRYPT = 10;

const passphrase = 'authenticator passphrase';
const cfgPath = itemPath({ resource: 'configmaps', group: '', namespace: 'shop', name: 'cfg' });
let dir: string;
let keyed: string;
let keyless: string;

/** A directory snapshot as createSnapshot writes one: with a key (authenticated) or without (plain). */
async function write(target: string, withKey: boolean): Promise<void> {
  const writer = await SnapshotWriter.create(target);
  const manifest = newManifest('test');
  let identity: string | undefined;
  if (withKey) {
    const key = await createSnapshotKey({ passphrase, workFactor: FAST_SCRYPT });
    await writer.writeEntry(KEY_PATH, await key.keyFile!);
    manifest.encryption = { secrets: 'age', keyEntry: KEY_PATH, recipient: key.recipient };
    identity = key.identity;
  }
  await writer.writeEntry(
    cfgPath,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'shop' },
      data: { URL: 'https://orders.internal' },
    }),
  );
  manifest.resources = [
    { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, count: 1 },
  ];
  manifest.counts.items = 1;
  await writer.commit(manifest, { authenticateWith: identity });
}

/** Changes the ConfigMap and recomputes its digest in the manifest, as a forger would. */
async function forge(source: string, target: string): Promise<void> {
  await cp(source, target, { recursive: true });
  const body = JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', namespace: 'shop' },
    data: { URL: 'https://evil.example' },
  });
  await writeFile(join(target, ...cfgPath.split('/')), body);
  const manifestFile = join(target, ...MANIFEST_PATH.split('/'));
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as SnapshotManifest;
  manifest.entries[cfgPath] = {
    sha256: createHash('sha256').update(body).digest('hex'),
    size: Buffer.byteLength(body),
  };
  await writeFile(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-auth-'));
  keyed = join(dir, 'keyed');
  keyless = join(dir, 'keyless');
  await write(keyed, true);
  await write(keyless, false);
});

after(() => rm(dir, { recursive: true, force: true }));

test('a snapshot made with a key is authenticated under it; without the key it says it was not checked', async () => {
  const withKey = await SnapshotReader.open(keyed, { keySource: { passphrase } });
  assert.equal(withKey.authenticity, 'verified');
  assert.match(withKey.manifest.authenticator?.mac ?? '', /^[0-9a-f]{64}$/);
  await withKey.close();
  const withoutKey = await SnapshotReader.open(keyed);
  assert.equal(withoutKey.authenticity, 'not-verified');
  await withoutKey.close();
});

test('a snapshot made without a key says so: not authenticated', async () => {
  const r = await SnapshotReader.open(keyless, { keySource: { passphrase } });
  assert.equal(r.authenticity, 'none');
  assert.equal(r.manifest.authenticator, undefined);
  await r.close();
});

test('tampering with recomputed digests passes the digests but not the authenticator: refused before anything is read', async () => {
  const forged = join(dir, 'forged');
  await forge(keyed, forged);
  // The digests alone are satisfied (that is what a forger recomputes) ...
  const unchecked = await SnapshotReader.open(forged);
  assert.equal(unchecked.authenticity, 'not-verified');
  await unchecked.close();
  // ... the authenticator is not.
  await assert.rejects(SnapshotReader.open(forged, { keySource: { passphrase } }), (e: unknown) => {
    assert.ok(SnapshotInvalidError.isInvalid(e), String(e));
    assert.match(e.message, /authenticator does not match its manifest/);
    return true;
  });
});

test('a forged MAC or a swapped salt is refused too', async () => {
  for (const [name, mutate] of [
    [
      'mac',
      (m: SnapshotManifest) =>
        (m.authenticator!.mac = m.authenticator!.mac.replace(/^./, (c) => (c === '0' ? '1' : '0'))),
    ],
    ['salt', (m: SnapshotManifest) => (m.authenticator!.salt = '00'.repeat(16))],
  ] as const) {
    const target = join(dir, `bad-${name}`);
    await cp(keyed, target, { recursive: true });
    const file = join(target, ...MANIFEST_PATH.split('/'));
    const m = JSON.parse(await readFile(file, 'utf8')) as SnapshotManifest;
    mutate(m);
    await writeFile(file, JSON.stringify(m, null, 2) + '\n');
    await assert.rejects(
      SnapshotReader.open(target, { keySource: { passphrase } }),
      (e: unknown) => SnapshotInvalidError.isInvalid(e),
      name,
    );
  }
});

test('an authenticator stripped from a snapshot made with a key (digests recomputed) is refused, not taken as keyless', async () => {
  const stripped = join(dir, 'stripped');
  await forge(keyed, stripped);
  const file = join(stripped, ...MANIFEST_PATH.split('/'));
  const m = JSON.parse(await readFile(file, 'utf8')) as SnapshotManifest;
  delete m.authenticator;
  await writeFile(file, JSON.stringify(m, null, 2) + '\n');
  await assert.rejects(SnapshotReader.open(stripped, { keySource: { passphrase } }), (e: unknown) => {
    assert.ok(SnapshotInvalidError.isInvalid(e), String(e));
    assert.match(e.message, /made with a key .* but carries no authenticator/);
    return true;
  });
});
