import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as age from 'age-encryption';
import { AgeX25519Encrypter } from '../../../src/core/snapshot/ageX25519Encrypt';

// The reference TypeScript age reads what the native writer wrote: that is the interoperability check.

async function keyPair(): Promise<{ identity: string; recipient: string }> {
  const identity = await age.generateX25519Identity();
  return { identity, recipient: await age.identityToRecipient(identity) };
}

async function decrypt(identity: string, file: Uint8Array): Promise<Uint8Array> {
  const d = new age.Decrypter();
  d.addIdentity(identity);
  return d.decrypt(file);
}

const CHUNK = 64 * 1024;

test('age-encryption decrypts what the native X25519 writer wrote, at every payload chunk boundary', async () => {
  const { identity, recipient } = await keyPair();
  const e = new AgeX25519Encrypter(recipient);
  for (const size of [0, 1, 1000, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 17]) {
    const plain = randomBytes(size);
    const file = e.encrypt(plain);
    assert.deepEqual(Buffer.from(await decrypt(identity, file)), plain, `payload of ${size} bytes`);
  }
  assert.equal(
    new TextDecoder().decode(await decrypt(identity, e.encrypt('{"kind":"Secret"} ✓'))),
    '{"kind":"Secret"} ✓',
  );
});

test('each file has its own file key, share and nonce: the same plaintext never encrypts the same way twice', () => {
  const e = new AgeX25519Encrypter('age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p');
  const a = e.encrypt('same');
  const b = e.encrypt('same');
  assert.notDeepEqual(a, b);
  assert.match(a.subarray(0, 40).toString('latin1'), /^age-encryption\.org\/v1\n-> X25519 /);
});

test('a flipped bit in the header MAC, the stanza or the payload makes the file unreadable', async () => {
  const { identity, recipient } = await keyPair();
  const file = new AgeX25519Encrypter(recipient).encrypt('secret value');
  const headerEnd = file.indexOf('\n---') + 1;
  // A byte of the stanza body, of the MAC and of the payload's last chunk.
  for (const at of [file.indexOf('\n', 30) + 3, headerEnd + 6, file.length - 3]) {
    const bad = Buffer.from(file);
    bad[at] = bad[at]! ^ 0x01;
    await assert.rejects(decrypt(identity, bad), Error, `byte ${at}`);
  }
  // The wrong identity has no stanza it can open.
  await assert.rejects(decrypt((await keyPair()).identity, file));
});

test('a recipient that is not an age X25519 public key is refused by name', () => {
  assert.throws(() => new AgeX25519Encrypter('age1notakey'), /age1notakey is not an age X25519 recipient/);
  assert.throws(() => new AgeX25519Encrypter('AGE-SECRET-KEY-1QQQ'), /is not an age X25519 recipient/);
});
