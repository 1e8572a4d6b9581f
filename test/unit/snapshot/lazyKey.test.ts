import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSnapshot, SnapshotReader } from '../../../src/core/snapshot';

let dir: string | undefined;
after(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

test('a snapshot with nothing to encrypt makes no key: no key entry, and it opens without the passphrase', async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-lazykey-'));
  const target = join(dir, 'empty.tar.gz');
  const { manifest } = await createSnapshot({ target, secrets: { passphrase: 'unused' }, toolVersion: 'test' });
  assert.equal(manifest.encryption.secrets, 'age');
  assert.equal(manifest.encryption.keyEntry, undefined);
  assert.deepEqual(Object.keys(manifest.entries), ['metadata/version']);
  const reader = await SnapshotReader.open(target, { requireSecrets: true });
  try {
    assert.equal(reader.canReadSecrets, true);
  } finally {
    await reader.close();
  }
});
