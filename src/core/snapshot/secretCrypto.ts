// age-encryption (the reference TypeScript age) is ESM-only: esbuild bundles it, and Node ≥ 20.19 loads it with
// require() where the sources run unbundled (tsx).
import * as age from 'age-encryption';
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { AgeX25519Encrypter } from './ageX25519Encrypt';
import { SnapshotInvalidError } from './snapshotErrors';
import { KEY_PATH } from './layout';

/**
 * How secrets in a snapshot are protected. Each snapshot has its own age X25519 identity; secrets are
 * encrypted to it (fast), and the identity itself is stored encrypted with the user's passphrase (one
 * scrypt) — or, for the extension, kept in SecretStorage and passed as `identity`.
 */
export type SecretKeySource = PassphraseKey | { identity: string } | KeyRing;

export interface PassphraseKey {
  passphrase: string;
  /** scrypt work factor (log2 N) for a new key; age's 18 unless set (a reader honours whatever the key file says). */
  workFactor?: number;
}

/**
 * Both kinds of key, for a reader that holds both (the extension: its age identity, and a passphrase for
 * snapshots protected by one): a snapshot with a passphrase-wrapped key entry is opened with the
 * passphrase, any other with the identity. A new snapshot made with a key ring uses the identity.
 */
export interface KeyRing {
  identity: string;
  passphrase: string;
}

export interface SnapshotKey {
  identity: string;
  recipient: string;
  /**
   * The age file (binary) holding the identity encrypted with the passphrase; undefined when an identity was given.
   * Pending while its scrypt runs on the thread pool: Secrets can be encrypted to `recipient` meanwhile.
   */
  keyFile?: Promise<Uint8Array>;
}

export async function generateSnapshotIdentity(): Promise<string> {
  return age.generateX25519Identity();
}

/** The public age recipient (`age1…`) of an identity. */
export async function recipientOf(identity: string): Promise<string> {
  return age.identityToRecipient(identity);
}

/** A new key for a snapshot being written. */
export async function createSnapshotKey(source: SecretKeySource): Promise<SnapshotKey> {
  if ('identity' in source) {
    return { identity: source.identity, recipient: await age.identityToRecipient(source.identity) };
  }
  if (!source.passphrase) throw new Error('An empty passphrase cannot protect secrets.');
  const identity = await age.generateX25519Identity();
  const e = new age.Encrypter();
  const workFactor = source.workFactor ?? SCRYPT_LOG_N;
  if (!Number.isInteger(workFactor) || workFactor < 1 || workFactor > MAX_SCRYPT_LOG_N)
    throw new Error(`The scrypt work factor must be an integer from 1 to ${MAX_SCRYPT_LOG_N}; got ${workFactor}.`);
  e.addRecipient(new NativeScryptRecipient(source.passphrase, workFactor));
  const keyFile = e.encrypt(identity);
  keyFile.catch(() => undefined); // awaited by the caller; never an unhandled rejection meanwhile
  return { identity, recipient: await age.identityToRecipient(identity), keyFile };
}

/**
 * The identity of an existing snapshot; a wrong passphrase or identity is a SnapshotInvalidError('passphrase')
 * saying which kind of key the snapshot wants. `recipient` is the public key the manifest records.
 */
export async function unlockSnapshotKey(
  keyFile: Uint8Array | undefined,
  source: SecretKeySource,
  recipient?: string,
): Promise<string> {
  if ('identity' in source && 'passphrase' in source) {
    return keyFile
      ? unlockSnapshotKey(keyFile, { passphrase: source.passphrase }, recipient)
      : unlockSnapshotKey(keyFile, { identity: source.identity }, recipient);
  }
  if ('identity' in source) {
    const mine = await recipientOf(source.identity);
    if (recipient && mine !== recipient) {
      throw new SnapshotInvalidError(
        'passphrase',
        keyFile
          ? "This snapshot's Secrets are protected by a passphrase (DRYDOCK_SNAPSHOT_PASSPHRASE), not by this age identity."
          : `This snapshot's Secrets are encrypted to ${recipient}; the age identity given is ${mine}.`,
        KEY_PATH,
      );
    }
    return source.identity;
  }
  if (!keyFile) {
    if (recipient)
      throw new SnapshotInvalidError(
        'passphrase',
        `This snapshot's Secrets are encrypted to the age identity ${recipient}, not to a passphrase: give its identity file (DRYDOCK_SNAPSHOT_IDENTITY_FILE).`,
        KEY_PATH,
      );
    throw new SnapshotInvalidError('missing-entry', 'The snapshot has encrypted secrets but no key entry.', KEY_PATH);
  }
  if (!source.passphrase)
    throw new SnapshotInvalidError(
      'passphrase',
      "An empty passphrase cannot open this snapshot's secrets (DRYDOCK_SNAPSHOT_PASSPHRASE).",
      KEY_PATH,
    );
  const d = new age.Decrypter();
  d.addIdentity(new NativeScryptIdentity(source.passphrase));
  try {
    return (await d.decrypt(keyFile, 'text')).trim();
  } catch (error) {
    throw new SnapshotInvalidError(
      'passphrase',
      "Wrong passphrase: it does not open this snapshot's secrets (DRYDOCK_SNAPSHOT_PASSPHRASE).",
      KEY_PATH,
      { cause: error },
    );
  }
}

const encrypters = new Map<string, AgeX25519Encrypter>();

/** One age file (binary) to an X25519 recipient (synchronous: Node's native crypto). */
export function encryptWithRecipient(recipient: string, plain: Uint8Array | string): Uint8Array {
  let e = encrypters.get(recipient);
  if (!e) encrypters.set(recipient, (e = new AgeX25519Encrypter(recipient)));
  return e.encrypt(plain);
}

/** Decrypts one entry; failure means the entry is damaged or belongs to another key. */
export async function decryptWithIdentity(identity: string, cipher: Uint8Array, entry: string): Promise<string> {
  const d = new age.Decrypter();
  d.addIdentity(identity);
  try {
    return await d.decrypt(cipher, 'text');
  } catch (error) {
    throw new SnapshotInvalidError(
      'passphrase',
      `Cannot decrypt ${entry} with this snapshot's key: ${(error as Error).message}.`,
      entry,
      { cause: error },
    );
  }
}

// age's passphrase (scrypt) recipient, with Node's native scrypt instead of age-encryption's pure-JS one:
// the same stanza (age-encryption.org/v1/scrypt, work factor 2^18, ChaCha20-Poly1305 with a zero nonce),
// readable by any age, but computed off the main thread in well under a second instead of tens of
// seconds of blocked event loop (measured in bench/).
const SCRYPT_LABEL = 'age-encryption.org/v1/scrypt';
const SCRYPT_LOG_N = 18;
const MAX_SCRYPT_LOG_N = 20;

function scryptKey(passphrase: string, salt: Uint8Array, logN: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) =>
    scrypt(
      passphrase,
      Buffer.concat([Buffer.from(SCRYPT_LABEL), salt]),
      32,
      { N, r: 8, p: 1, maxmem: 128 * 8 * N + 32 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

const base64NoPad = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');

class NativeScryptRecipient implements age.Recipient {
  constructor(
    private readonly passphrase: string,
    private readonly logN: number,
  ) {}

  async wrapFileKey(fileKey: Uint8Array): Promise<age.Stanza[]> {
    const salt = randomBytes(16);
    const key = await scryptKey(this.passphrase, salt, this.logN);
    const cipher = createCipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
    const body = Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
    return [new age.Stanza(['scrypt', base64NoPad(salt), String(this.logN)], new Uint8Array(body))];
  }
}

/** Mirrors age-encryption's ScryptIdentity checks; null when the passphrase does not open the file key. */
class NativeScryptIdentity implements age.Identity {
  constructor(private readonly passphrase: string) {}

  async unwrapFileKey(stanzas: age.Stanza[]): Promise<Uint8Array | null> {
    for (const s of stanzas) {
      if (s.args[0] !== 'scrypt') continue;
      if (stanzas.length !== 1) throw new Error('scrypt recipient is not the only one in the header');
      if (s.args.length !== 3 || !/^[1-9][0-9]*$/.test(s.args[2]!)) throw new Error('invalid scrypt stanza');
      const salt = Buffer.from(s.args[1]!, 'base64');
      if (salt.length !== 16 || base64NoPad(salt) !== s.args[1]) throw new Error('invalid scrypt stanza');
      const logN = Number(s.args[2]);
      if (logN > MAX_SCRYPT_LOG_N) throw new Error('scrypt work factor is too high');
      if (s.body.length !== 32) throw new Error('invalid stanza');
      const key = await scryptKey(this.passphrase, salt, logN);
      const decipher = createDecipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
      decipher.setAuthTag(s.body.subarray(16));
      try {
        return new Uint8Array(Buffer.concat([decipher.update(s.body.subarray(0, 16)), decipher.final()]));
      } catch {
        return null;
      }
    }
    return null;
  }
}
