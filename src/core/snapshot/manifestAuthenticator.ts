import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { MANIFEST_PATH } from './layout';
import type { SnapshotManifest } from './manifest';
import { SnapshotInvalidError } from './snapshotErrors';

/**
 * The authenticator of a snapshot made with a key: an HMAC-SHA256 over the manifest's exact bytes (which list
 * every entry's sha256), so changing anything — an object, a message, the manifest itself, even with every
 * digest recomputed — is detected by whoever holds the key. The digests alone only catch damage.
 *
 * Its key is derived (HKDF-SHA256, a per-snapshot random salt) from the snapshot key's age identity — the
 * secret half. Why the secret: a MAC key merely encrypted to the recipient would prove nothing, because anyone
 * can encrypt to a public key. Every Drydock writer holds the identity (a passphrase-protected key it made,
 * an identity file, or the one in VS Code's secret storage), and so does every reader that can open the
 * Secrets; a writer holding only a recipient could not authenticate (Drydock has none).
 *
 * The MAC is written into the manifest itself: computed over the bytes with `"mac": ""`, then put in its place.
 */
export interface ManifestAuthenticator {
  alg: 'HMAC-SHA256';
  /** hex, 16 random bytes. */
  salt: string;
  /** hex. */
  mac: string;
}

const INFO = 'drydock manifest authenticator v1';
const EMPTY_MAC = '"mac": ""';

function macKey(identity: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(identity, 'utf8'), salt, INFO, 32));
}

/** A fresh authenticator section (its mac still empty) for a manifest about to be written. */
export function newAuthenticator(): ManifestAuthenticator {
  return { alg: 'HMAC-SHA256', salt: randomBytes(16).toString('hex'), mac: '' };
}

/** The manifest bytes with the MAC in place; `bytes` are the manifest serialised with its authenticator's empty mac. */
export function sealManifest(bytes: Buffer, authenticator: ManifestAuthenticator, identity: string): Buffer {
  const text = bytes.toString('utf8');
  if (text.indexOf(EMPTY_MAC) === -1 || text.indexOf(EMPTY_MAC) !== text.lastIndexOf(EMPTY_MAC))
    throw new Error('Internal: the manifest has no single empty mac to fill.');
  const mac = createHmac('sha256', macKey(identity, Buffer.from(authenticator.salt, 'hex')))
    .update(bytes)
    .digest('hex');
  return Buffer.from(text.replace(EMPTY_MAC, `"mac": "${mac}"`), 'utf8');
}

/** Checks the manifest's MAC with the snapshot key's identity; throws SnapshotInvalidError when it does not match. */
export function verifyManifest(raw: Buffer, manifest: SnapshotManifest, identity: string): void {
  const a = manifest.authenticator;
  if (!a) return;
  const text = raw.toString('utf8');
  const filled = `"mac": "${a.mac}"`;
  if (text.indexOf(filled) === -1 || text.indexOf(filled) !== text.lastIndexOf(filled)) {
    throw new SnapshotInvalidError(
      'checksum',
      "The manifest's authenticator is malformed: the snapshot was changed after it was taken.",
      MANIFEST_PATH,
    );
  }
  const unsealed = Buffer.from(text.replace(filled, EMPTY_MAC), 'utf8');
  const expected = createHmac('sha256', macKey(identity, Buffer.from(a.salt, 'hex')))
    .update(unsealed)
    .digest();
  const got = Buffer.from(a.mac, 'hex');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
    throw new SnapshotInvalidError(
      'checksum',
      "The snapshot's authenticator does not match its manifest: it was changed after it was taken (its digests were recomputed), or it was made with another key. Nothing was read from it.",
      MANIFEST_PATH,
    );
  }
}

/** How far a reader could trust a snapshot: checked with its key, made with a key but not checked, or made without one. */
export type Authenticity = 'verified' | 'not-verified' | 'none';

export function describeAuthenticity(a: Authenticity): string {
  switch (a) {
    case 'verified':
      return 'authenticated with its key (unchanged since it was taken)';
    case 'not-verified':
      return 'carries an authenticator; give its key to check it';
    case 'none':
      return 'NOT authenticated: made without a key, so anyone could have written or changed it (its digests only catch damage)';
  }
}
