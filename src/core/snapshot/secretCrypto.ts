// age-encryption (the reference TypeScript age) is ESM-only while this package compiles as CommonJS.
// Node ≥ 20.19 and esbuild both load it through require(); TypeScript needs the resolution mode spelt out.
import type * as Age from 'age-encryption' with { 'resolution-mode': 'import' };
import { SnapshotInvalidError } from './snapshotErrors';
import { KEY_PATH } from './layout';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const age: typeof Age = require('age-encryption');

/**
 * How secrets in a snapshot are protected. Each snapshot has its own age X25519 identity; secrets are
 * encrypted to it (fast), and the identity itself is stored encrypted with the user's passphrase (one
 * scrypt) — or, for the extension, kept in SecretStorage and passed as `identity`.
 */
export type SecretKeySource = { passphrase: string } | { identity: string };

export interface SnapshotKey {
  identity: string;
  recipient: string;
  /** The age file (binary) holding the identity encrypted with the passphrase; undefined when an identity was given. */
  keyFile?: Uint8Array;
}

/** A new key for a snapshot being written. */
export async function createSnapshotKey(source: SecretKeySource): Promise<SnapshotKey> {
  if ('identity' in source) {
    return { identity: source.identity, recipient: await age.identityToRecipient(source.identity) };
  }
  if (!source.passphrase) throw new Error('An empty passphrase cannot protect secrets.');
  const identity = await age.generateX25519Identity();
  const e = new age.Encrypter();
  e.setPassphrase(source.passphrase);
  return { identity, recipient: await age.identityToRecipient(identity), keyFile: await e.encrypt(identity) };
}

/** The identity of an existing snapshot; a wrong passphrase is a SnapshotInvalidError('passphrase'). */
export async function unlockSnapshotKey(keyFile: Uint8Array | undefined, source: SecretKeySource): Promise<string> {
  if ('identity' in source) return source.identity;
  if (!keyFile) throw new SnapshotInvalidError('missing-entry', 'The snapshot has encrypted secrets but no key entry.', KEY_PATH);
  const d = new age.Decrypter();
  d.addPassphrase(source.passphrase);
  try {
    return (await d.decrypt(keyFile, 'text')).trim();
  } catch (error) {
    throw new SnapshotInvalidError('passphrase', 'Wrong passphrase: it does not open this snapshot\'s secrets (DRYDOCK_SNAPSHOT_PASSPHRASE).', KEY_PATH, { cause: error });
  }
}

export async function encryptWithRecipient(recipient: string, plain: Uint8Array | string): Promise<Uint8Array> {
  const e = new age.Encrypter();
  e.addRecipient(recipient);
  return e.encrypt(plain);
}

/** Decrypts one entry; failure means the entry is damaged or belongs to another key. */
export async function decryptWithIdentity(identity: string, cipher: Uint8Array, entry: string): Promise<string> {
  const d = new age.Decrypter();
  d.addIdentity(identity);
  try {
    return await d.decrypt(cipher, 'text');
  } catch (error) {
    throw new SnapshotInvalidError('passphrase', `Cannot decrypt ${entry} with this snapshot's key: ${(error as Error).message}.`, entry, { cause: error });
  }
}
