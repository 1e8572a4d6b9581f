import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSnapshot, SnapshotReader } from '../../../src/core/snapshot';
import * as tar from 'tar';
import { KEY_PATH } from '../../../src/core/snapshot/layout';
import { createSnapshotKey, unlockSnapshotKey } from '../../../src/core/snapshot/secretCrypto';

let dir: string | undefined;
/** The work factor in an age file's scrypt stanza (`-> scrypt <salt> <log2 N>`). */
const stanzaWorkFactor = (ageFile: Uint8Array) =>
  /^-> scrypt \S{22} (\d+)$/m.exec(Buffer.from(ageFile).toString('latin1'))?.[1];
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
  const chunks: Buffer[] = [];
  await tar.t({ file: target, onReadEntry: (e) => e.on('data', (c: Buffer) => e.path === KEY_PATH && chunks.push(c)) });
  assert.equal(stanzaWorkFactor(Buffer.concat(chunks)), '18', "the key is wrapped with age's default work factor");
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

test("a passphrase wraps the key with age's scrypt at 2^18 (above) unless another work factor is asked for, within age's bounds", async () => {
  const fast = await createSnapshotKey({ passphrase: 'pw', workFactor: 10 });
  assert.equal(stanzaWorkFactor(await fast.keyFile!), '10');
  assert.equal(await unlockSnapshotKey(await fast.keyFile, { passphrase: 'pw' }), fast.identity);
  await assert.rejects(unlockSnapshotKey(await fast.keyFile, { passphrase: 'wrong' }), /Wrong passphrase/);
  for (const workFactor of [0, 21, 12.5])
    await assert.rejects(
      createSnapshotKey({ passphrase: 'pw', workFactor }),
      /work factor must be an integer from 1 to 20/,
    );
});
