import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSnapshot, SnapshotReader } from '../../../src/core/snapshot';

let dir: string | undefined;
after(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

test('a snapshot with nothing to encrypt still gets its key, to authenticate its manifest; it opens without the passphrase', async () => {
  // The key costs one scrypt here (no Secret to encrypt), the price of an authenticator: a snapshot made with a
  // passphrase is always checkable with it (manifestAuthenticator.ts).
  dir = await mkdtemp(join(tmpdir(), 'drydock-lazykey-'));
  const target = join(dir, 'empty.tar.gz');
  const { manifest } = await createSnapshot({ target, secrets: { passphrase: 'unused' }, toolVersion: 'test' });
  assert.equal(manifest.encryption.secrets, 'age');
  assert.ok(manifest.encryption.keyEntry, 'the key entry is written');
  assert.ok(manifest.authenticator, 'the manifest is authenticated');
  const reader = await SnapshotReader.open(target, { requireSecrets: true });
  try {
    assert.equal(reader.canReadSecrets, true, 'nothing encrypted: no passphrase needed to read it');
    assert.equal(reader.authenticity, 'not-verified');
  } finally {
    await reader.close();
  }
  const checked = await SnapshotReader.open(target, { keySource: { passphrase: 'unused' } });
  assert.equal(checked.authenticity, 'verified');
  await checked.close();
});
