import {
  createCipheriv,
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { bech32 } from '@scure/base';

/**
 * Writes an age v1 file (age-encryption.org/v1) to one X25519 recipient with Node's native crypto:
 * the X25519 stanza, the header MAC and the STREAM payload. A snapshot encrypts each Secret to its own
 * age file (so each stays at its Velero path), and doing that through age-encryption's JS ciphers was
 * most of a namespace capture (bench/kube.ts). Reading is left to age-encryption (the reference
 * TypeScript age), which is also what the tests decrypt these files with.
 */
export class AgeX25519Encrypter {
  private readonly peer: KeyObject;
  private readonly recipientBytes: Buffer;

  constructor(recipient: string) {
    let decoded: { prefix: string; bytes: Uint8Array } | undefined;
    try {
      decoded = bech32.decodeToBytes(recipient);
    } catch {
      decoded = undefined;
    }
    if (!recipient.startsWith('age1') || decoded?.prefix !== 'age' || decoded.bytes.length !== 32)
      throw new Error(`${recipient} is not an age X25519 recipient`);
    this.recipientBytes = Buffer.from(decoded.bytes);
    this.peer = createPublicKey({
      key: Buffer.concat([X25519_SPKI_PREFIX, this.recipientBytes]),
      format: 'der',
      type: 'spki',
    });
  }

  encrypt(plain: Uint8Array | string): Buffer {
    const random = randomBytes(32);
    const fileKey = random.subarray(0, 16);
    const header = Buffer.from(`age-encryption.org/v1\n${this.stanza(fileKey)}---`, 'latin1');
    const mac = createHmac('sha256', hkdf(fileKey, EMPTY, 'header'))
      .update(header)
      .digest();
    return Buffer.concat([
      header,
      Buffer.from(` ${base64NoPad(mac)}\n`, 'latin1'),
      ...payload(fileKey, random.subarray(16), typeof plain === 'string' ? Buffer.from(plain) : plain),
    ]);
  }

  /** `-> X25519 <share>\n<body>\n`: the file key wrapped for the recipient (ephemeral share, HKDF over share ‖ recipient). */
  private stanza(fileKey: Buffer): string {
    const { publicKey, privateKey } = generateKeyPairSync('x25519');
    // The JWK export is the raw key (base64url) and far cheaper than a DER export.
    const share = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const secret = diffieHellman({ privateKey, publicKey: this.peer });
    const key = hkdf(secret, Buffer.concat([share, this.recipientBytes]), X25519_LABEL);
    const body = seal(key, Buffer.alloc(12), fileKey);
    // A 32-byte body is 43 base64 characters: one line, shorter than the 64 that would need a wrap.
    return `-> X25519 ${base64NoPad(share)}\n${base64NoPad(body)}\n`;
  }
}

const X25519_LABEL = 'age-encryption.org/v1/X25519';
// The DER prefix of a raw 32-byte X25519 public key (SubjectPublicKeyInfo, OID 1.3.101.110).
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const EMPTY = Buffer.alloc(0);
const ONE = Buffer.from([1]);
const CHUNK = 64 * 1024;

/** age's STREAM: a 16-byte nonce, then 64 KiB chunks sealed with counter ‖ last-chunk flag; an empty payload is one empty final chunk. */
function* payload(fileKey: Buffer, nonce: Buffer, plain: Uint8Array): Generator<Buffer> {
  yield nonce;
  const key = hkdf(fileKey, nonce, 'payload');
  const chunks = Math.max(1, Math.ceil(plain.length / CHUNK));
  for (let i = 0; i < chunks; i++) {
    const iv = Buffer.alloc(12);
    iv.writeUIntBE(i, 5, 6);
    if (i === chunks - 1) iv[11] = 1;
    yield seal(key, iv, plain.subarray(i * CHUNK, (i + 1) * CHUNK));
  }
}

function seal(key: Buffer, iv: Buffer, plain: Uint8Array): Buffer {
  const cipher = createCipheriv('chacha20-poly1305', key, iv, { authTagLength: 16 });
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** HKDF-SHA256 (RFC 5869) for one 32-byte block: extract, then expand once. Two HMACs cost half of hkdfSync's call. */
function hkdf(ikm: Buffer, salt: Buffer, info: string): Buffer {
  const prk = createHmac('sha256', salt).update(ikm).digest();
  return createHmac('sha256', prk).update(info).update(ONE).digest();
}

const base64NoPad = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');
