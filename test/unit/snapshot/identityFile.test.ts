import { test, after, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readIdentityFile, writeIdentityFile } from '../../../src/core/snapshot/identityFile';
import { SnapshotWriter } from '../../../src/core/snapshot/archive/snapshotWriter';
import { SnapshotReader } from '../../../src/core/snapshot/archive/snapshotReader';
import { newManifest } from '../../../src/core/snapshot/manifest';
import { itemPath, KEY_PATH } from '../../../src/core/snapshot/layout';
import { createSnapshotKey, encryptWithRecipient, recipientOf } from '../../../src/core/snapshot/secretCrypto';
import { SnapshotInvalidError } from '../../../src/core/snapshot/snapshotErrors';

// scrypt at 2^10, not age's 2^18: the passphrase's cost is not what these tests are about (lazyKey.test.ts keeps
// the default and checks it).
const FAST_SCRYPT = 10;

const repoRoot = resolve(__dirname, '..', '..', '..');
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-identity-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const secretPath = itemPath({ resource: 'secrets', group: '', namespace: 'shop', name: 'db' }, true);

/** A snapshot with one Secret encrypted to `identity`, written as createSnapshot does for an identity key. */
async function identitySnapshot(target: string, identity: string): Promise<void> {
  const writer = await SnapshotWriter.create(target);
  const key = await createSnapshotKey({ identity });
  const manifest = newManifest('test');
  manifest.encryption = { secrets: 'age', recipient: key.recipient };
  const secret = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'shop' },
    data: { password: Buffer.from('hunter2').toString('base64') },
  });
  await writer.writeEntry(secretPath, encryptWithRecipient(key.recipient, secret));
  manifest.counts.items = 1;
  manifest.counts.secrets = 1;
  await writer.commit(manifest, { authenticateWith: key.identity });
}

async function refusal(target: string, keySource: Parameters<typeof SnapshotReader.open>[1]): Promise<string> {
  try {
    await (await SnapshotReader.open(target, keySource)).close();
  } catch (error) {
    assert.ok(SnapshotInvalidError.isInvalid(error), String(error));
    return error.message;
  }
  assert.fail('opened with the wrong key');
}

test('snapshot keygen writes an owner-only age identity file with its public key, and never overwrites one', async () => {
  const file = join(dir, 'drydock.key');
  const cli = (...args: string[]) =>
    // The built CLI (the unit suite builds first): compiling the sources with tsx took seconds per run.
    spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), ...args], {
      encoding: 'utf8',
      cwd: repoRoot,
    });
  const made = cli('snapshot', 'keygen', file, '--json');
  assert.equal(made.status, 0, made.stderr);
  const { recipient } = JSON.parse(made.stdout) as { recipient: string };
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const text = await readFile(file, 'utf8');
  assert.match(text, new RegExp(`^# public key: ${recipient}$`, 'm'));
  assert.equal(await recipientOf(await readIdentityFile(file)), recipient);
  const again = cli('snapshot', 'keygen', file);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already exists; not overwriting a key/);
  assert.equal(await readFile(file, 'utf8'), text, 'the first key is untouched');
});

test('a malformed identity file is refused with its name and what is wrong', async () => {
  const two = join(dir, 'two.key');
  const a = join(dir, 'a.key');
  const b = join(dir, 'b.key');
  await writeIdentityFile(a);
  await writeIdentityFile(b);
  await writeFile(two, (await readFile(a, 'utf8')) + (await readFile(b, 'utf8')));
  await assert.rejects(
    readIdentityFile(two),
    (e: Error) => e.message.includes(two) && /exactly one AGE-SECRET-KEY-1/.test(e.message),
  );
  const junk = join(dir, 'junk.key');
  await writeFile(junk, '# a comment\nnot a key\n');
  await assert.rejects(readIdentityFile(junk), /junk\.key is not an age identity file/);
  const bad = join(dir, 'bad.key');
  await writeFile(bad, 'AGE-SECRET-KEY-1QQQQ\n');
  await assert.rejects(readIdentityFile(bad), /bad\.key: the AGE-SECRET-KEY line is not a valid age X25519 identity/);
  await assert.rejects(
    readIdentityFile(join(dir, 'missing.key')),
    /Cannot read the age identity file .*missing\.key: ENOENT/,
  );
});

test('Secrets encrypted to an identity open with that identity only; a passphrase or another identity is told what the snapshot wants', async () => {
  const mineFile = join(dir, 'mine.key');
  const otherFile = join(dir, 'other.key');
  const mineRecipient = await writeIdentityFile(mineFile);
  await writeIdentityFile(otherFile);
  const mine = await readIdentityFile(mineFile);
  const target = join(dir, 'identity.tar.gz');
  await identitySnapshot(target, mine);

  const reader = await SnapshotReader.open(target, { keySource: { identity: mine } });
  try {
    const s = await reader.readItem(secretPath);
    assert.equal(Buffer.from((s.data as Record<string, string>).password!, 'base64').toString(), 'hunter2');
  } finally {
    await reader.close();
  }
  assert.match(
    await refusal(target, { keySource: { identity: await readIdentityFile(otherFile) } }),
    new RegExp(`encrypted to ${mineRecipient}; the age identity given is age1`),
  );
  assert.match(
    await refusal(target, { keySource: { passphrase: 'anything' } }),
    /encrypted to the age identity age1\w+, not to a passphrase: give its identity file \(DRYDOCK_SNAPSHOT_IDENTITY_FILE\)/,
  );
  assert.match(
    await refusal(target, { requireSecrets: true }),
    /give its age identity file \(DRYDOCK_SNAPSHOT_IDENTITY_FILE; public key age1/,
  );
});

/** A snapshot with one Secret, its key wrapped with `passphrase`, written as createSnapshot does for a passphrase. */
async function passphraseSnapshot(target: string, passphrase: string, secret: string): Promise<void> {
  const writer = await SnapshotWriter.create(target);
  const key = await createSnapshotKey({ passphrase, workFactor: FAST_SCRYPT });
  await writer.writeEntry(KEY_PATH, await key.keyFile!);
  await writer.writeEntry(secretPath, encryptWithRecipient(key.recipient, secret));
  const manifest = newManifest('test');
  manifest.encryption = { secrets: 'age', keyEntry: KEY_PATH, recipient: key.recipient };
  await writer.commit(manifest, { authenticateWith: key.identity });
}

test('a passphrase snapshot given an identity says it wants its passphrase', async () => {
  const target = join(dir, 'pass');
  await passphraseSnapshot(target, 'pw', '{}');
  const idFile = join(dir, 'x.key');
  await writeIdentityFile(idFile);
  assert.match(
    await refusal(target, { keySource: { identity: await readIdentityFile(idFile) } }),
    /protected by a passphrase \(DRYDOCK_SNAPSHOT_PASSPHRASE\), not by this age identity/,
  );
});

test('a key ring (identity and passphrase, as the extension keeps them) opens both kinds of snapshot, each with its own key', async () => {
  const idFile = join(dir, 'ring.key');
  await writeIdentityFile(idFile);
  const identity = await readIdentityFile(idFile);
  const byIdentity = join(dir, 'ring-identity');
  await identitySnapshot(byIdentity, identity);
  const byPassphrase = join(dir, 'ring-passphrase');
  await passphraseSnapshot(byPassphrase, 'ring-pw', '{"kind":"Secret"}');

  for (const [target, expected] of [
    [byIdentity, 'Secret'],
    [byPassphrase, 'Secret'],
  ] as const) {
    const reader = await SnapshotReader.open(target, {
      keySource: { identity, passphrase: 'ring-pw' },
      requireSecrets: true,
    });
    try {
      const secret = await reader.readItem(secretPath);
      assert.equal(secret.kind, expected, target);
      if (target === byIdentity) assert.deepEqual(secret.data, { password: Buffer.from('hunter2').toString('base64') });
    } finally {
      await reader.close();
    }
  }
  // A wrong passphrase in the ring still fails on the passphrase snapshot, saying so.
  assert.match(await refusal(byPassphrase, { keySource: { identity, passphrase: 'wrong' } }), /Wrong passphrase/);
  // A new snapshot made with a ring uses the identity: no key entry, no scrypt.
  const made = await createSnapshotKey({ identity, passphrase: 'ring-pw' });
  assert.equal(made.keyFile, undefined);
  assert.equal(made.recipient, await recipientOf(identity));
});
