import { verifyManifest, type Authenticity } from '../manifestAuthenticator';
import { createReadStream, existsSync } from 'node:fs';
import { open, readdir, readFile, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { DrydockError } from '../../errors';
import { KEY_PATH, MANIFEST_PATH, parseItemPath, VELERO_FORMAT_VERSION, VERSION_PATH } from '../layout';
import { parseManifest, type EntryDigest, type SnapshotManifest } from '../manifest';
import { SnapshotInvalidError } from '../snapshotErrors';
import { decryptWithIdentity, unlockSnapshotKey, type SecretKeySource } from '../secretCrypto';
import type { KubeObject } from '../kubeObject';
import { forEachLimited } from '../concurrency';
import { digestFile } from './digestingFile';
import { KEEP_ENTRY_BYTES, KEEP_TOTAL_BYTES, scanTarGz, TarGzEntryReader } from './tarGzEntries';
import { snapshotFormatOf, type SnapshotFormat } from './snapshotWriter';

export interface OpenSnapshotOptions {
  /** Needed to read encrypted secrets (restore, diff); inspect and list work without it. */
  keySource?: SecretKeySource;
  /** Set when the caller will read secrets: a missing key source is then an error up front. */
  requireSecrets?: boolean;
  signal?: AbortSignal;
}

/** Where a snapshot's entries are read from: a directory's files, or a verified `.tar.gz` read on demand. */
interface EntrySource {
  read(path: string): Promise<Buffer>;
  stream(path: string): Readable;
  close(): Promise<void>;
}

/** A directory's files; those the verifying pass kept are served from memory (the bytes it hashed). */
function directorySource(root: string, kept: ReadonlyMap<string, Buffer>): EntrySource {
  const file = (path: string) => join(root, ...path.split('/'));
  return {
    read: async (path) => kept.get(path) ?? readFile(file(path)),
    stream: (path) => {
      const data = kept.get(path);
      return data ? Readable.from([data]) : createReadStream(file(path));
    },
    close: async () => {},
  };
}

function archiveSource(handle: FileHandle, entries: TarGzEntryReader): EntrySource {
  return {
    read: (path) => entries.read(path),
    stream: (path) => entries.stream(path),
    close: async () => {
      entries.close();
      await handle.close();
    },
  };
}

/**
 * A snapshot that passed validation: every entry's sha256 matches the manifest, no entry is missing
 * or unexpected, no path escapes, the schema is known and (when asked) the passphrase opens the key.
 * A `.tar.gz` is verified by streaming it once (nothing written to disk) and then read on demand from the
 * same open file (src/core/snapshot/archive/tarGzEntries.ts); `close()` releases it.
 */
export class SnapshotReader {
  private constructor(
    readonly source: string,
    readonly format: SnapshotFormat,
    readonly manifest: SnapshotManifest,
    private readonly entries: EntrySource,
    private readonly identity: string | undefined,
    /** Whether its authenticator was checked with its key, could not be (no key given), or it has none. */
    readonly authenticity: Authenticity,
  ) {}

  static async open(source: string, options: OpenSnapshotOptions = {}): Promise<SnapshotReader> {
    if (!existsSync(source)) throw new DrydockError('not-found', `No snapshot at ${source}.`);
    const isDir = (await stat(source)).isDirectory();
    const format: SnapshotFormat = isDir ? 'directory' : snapshotFormatOf(source) === 'tar.gz' ? 'tar.gz' : 'tar.gz';
    let entries: EntrySource;
    let actual: Map<string, EntryDigest>;
    if (isDir) {
      const tree = await digestTree(source);
      actual = tree.digests;
      entries = directorySource(source, tree.kept);
    } else {
      const handle = await open(source, 'r');
      try {
        const scanned = await scanTarGz(handle, source, options.signal);
        actual = scanned;
        entries = archiveSource(handle, new TarGzEntryReader(handle, source, scanned));
      } catch (error) {
        await handle.close();
        throw error;
      }
    }
    try {
      const manifest = await verify(entries, actual);
      let identity: string | undefined;
      // A key is only needed (and only unlocked, with its scrypt) when there is something encrypted.
      const encrypted =
        manifest.encryption.secrets === 'age' &&
        Object.keys(manifest.entries).some((p) => parseItemPath(p)?.encrypted === true);
      // Drydock seals every manifest it writes with a key; one whose Secrets are sealed to a key but which carries
      // no authenticator had it removed (a forger's first step), so it is not trusted as one "made without a key".
      if (manifest.encryption.secrets === 'age' && !manifest.authenticator && options.keySource)
        throw new SnapshotInvalidError(
          'checksum',
          'This snapshot was made with a key (its Secrets are encrypted) but carries no authenticator: it was removed after the snapshot was taken, so nothing in it can be trusted. Nothing was read from it.',
          MANIFEST_PATH,
        );
      if ((encrypted || manifest.authenticator) && options.keySource) {
        const keyFile = manifest.encryption.keyEntry ? await entries.read(manifest.encryption.keyEntry) : undefined;
        identity = await unlockSnapshotKey(keyFile, options.keySource, manifest.encryption.recipient);
        // Before anything else is read: the manifest (and through its digests every entry) is what was written.
        verifyManifest(await entries.read(MANIFEST_PATH), manifest, identity);
      } else if (encrypted && options.requireSecrets) {
        throw new SnapshotInvalidError(
          'passphrase',
          `This snapshot's secrets are encrypted: give its ${manifest.encryption.keyEntry || !manifest.encryption.recipient ? 'passphrase (DRYDOCK_SNAPSHOT_PASSPHRASE)' : `age identity file (DRYDOCK_SNAPSHOT_IDENTITY_FILE; public key ${manifest.encryption.recipient})`}.`,
          KEY_PATH,
        );
      }
      const authenticity: Authenticity = manifest.authenticator ? (identity ? 'verified' : 'not-verified') : 'none';
      return new SnapshotReader(source, format, manifest, entries, identity, authenticity);
    } catch (error) {
      await entries.close();
      throw error;
    }
  }

  private listed(path: string): string {
    if (!(path in this.manifest.entries)) throw new DrydockError('not-found', `The snapshot has no entry ${path}.`);
    return path;
  }

  entryPaths(): string[] {
    return Object.keys(this.manifest.entries);
  }

  has(path: string): boolean {
    return path in this.manifest.entries;
  }

  async readText(path: string): Promise<string> {
    return (await this.entries.read(this.listed(path))).toString('utf8');
  }

  async readJson<T = unknown>(path: string): Promise<T> {
    const text = await this.readText(path);
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new SnapshotInvalidError(
        'content',
        `Entry ${path} is not valid JSON (${(error as Error).message}).`,
        path,
        { cause: error },
      );
    }
  }

  /** A Kubernetes item, decrypted when it is an encrypted secret. */
  async readItem(path: string): Promise<KubeObject> {
    const parsed = parseItemPath(path);
    let text: string;
    if (parsed?.encrypted) {
      if (!this.identity)
        throw new SnapshotInvalidError(
          'passphrase',
          `Entry ${path} is encrypted: give the snapshot's passphrase.`,
          path,
        );
      text = await decryptWithIdentity(this.identity, await this.entries.read(this.listed(path)), path);
    } else {
      text = await this.readText(path);
    }
    try {
      return JSON.parse(text) as KubeObject;
    } catch (error) {
      throw new SnapshotInvalidError(
        'content',
        `Entry ${path} is not valid JSON (${(error as Error).message}).`,
        path,
        { cause: error },
      );
    }
  }

  /** The lines of a JSON Lines entry, streamed. */
  async *lines(path: string): AsyncGenerator<string> {
    const rl = createInterface({ input: this.entries.stream(this.listed(path)), crlfDelay: Infinity });
    for await (const line of rl) if (line) yield line;
  }

  stream(path: string): Readable {
    return this.entries.stream(this.listed(path));
  }

  size(path: string): number {
    return this.manifest.entries[path]?.size ?? 0;
  }

  get canReadSecrets(): boolean {
    return (
      this.identity !== undefined ||
      !Object.keys(this.manifest.entries).some((p) => parseItemPath(p)?.encrypted === true)
    );
  }

  async close(): Promise<void> {
    await this.entries.close();
  }
}

/** Files digested at once: each costs a few thread-pool round trips, which overlap (a namespace is ~4,000 files). */
const DIGEST_CONCURRENCY = 16;
/** Files digested between two turns of the event loop (a small file is one synchronous read). */
const YIELD_EVERY = 64;

/**
 * Digests of every regular file under a snapshot directory; links and other file types are refused. Small files'
 * bytes are kept, as a `.tar.gz`'s verifying pass keeps them (the same limits): validating and restoring the
 * items then reads nothing from disk again.
 */
async function digestTree(root: string): Promise<{ digests: Map<string, EntryDigest>; kept: Map<string, Buffer> }> {
  const files: string[] = [];
  const walk = async (dir: string, prefix: string) => {
    for (const d of await readdir(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${d.name}` : d.name;
      // The directory entry's own type (readdir falls back to lstat where the file system does not say): a link
      // is a link, never what it points to.
      if (d.isDirectory()) await walk(join(dir, d.name), rel);
      else if (d.isFile()) files.push(rel);
      else
        throw new SnapshotInvalidError(
          'unexpected-entry',
          `Snapshot entry ${rel} is not a regular file (links are not followed); refusing the snapshot.`,
          rel,
        );
    }
  };
  await walk(root, '');
  const digests = new Array<EntryDigest>(files.length);
  const kept = new Map<string, Buffer>();
  let keptBytes = 0;
  await forEachLimited(files, DIGEST_CONCURRENCY, async (rel, i) => {
    // The manifest is read right after this pass, whatever its size (bounded by KEEP_TOTAL_BYTES).
    const keepUpTo = Math.min(
      rel === MANIFEST_PATH ? KEEP_TOTAL_BYTES : KEEP_ENTRY_BYTES,
      KEEP_TOTAL_BYTES - keptBytes,
    );
    // Small files are read synchronously: the event loop gets a turn every few dozen of them.
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
    const { data, ...digest } = await digestFile(join(root, ...rel.split('/')), keepUpTo);
    digests[i] = digest;
    if (data && keptBytes + data.length <= KEEP_TOTAL_BYTES) {
      keptBytes += data.length;
      kept.set(rel, data);
    }
  });
  return { digests: new Map(files.map((rel, i) => [rel, digests[i]!])), kept };
}

/** Checks the manifest against what is actually there. */
async function verify(entries: EntrySource, actual: Map<string, EntryDigest>): Promise<SnapshotManifest> {
  if (!actual.has(MANIFEST_PATH)) {
    throw new SnapshotInvalidError(
      'missing-entry',
      `This is not a Drydock snapshot, or it is truncated: ${MANIFEST_PATH} is missing.`,
      MANIFEST_PATH,
    );
  }
  const manifest = parseManifest((await entries.read(MANIFEST_PATH)).toString('utf8'));
  for (const [path, expected] of Object.entries(manifest.entries)) {
    const got = actual.get(path);
    if (!got)
      throw new SnapshotInvalidError(
        'missing-entry',
        `Snapshot entry ${path} is listed in the manifest but missing (truncated snapshot?).`,
        path,
      );
    if (got.sha256 !== expected.sha256 || got.size !== expected.size) {
      throw new SnapshotInvalidError(
        'checksum',
        `Snapshot entry ${path} does not match its checksum: it was changed or damaged after the snapshot was taken.`,
        path,
      );
    }
  }
  for (const path of actual.keys()) {
    if (path !== MANIFEST_PATH && !(path in manifest.entries)) {
      throw new SnapshotInvalidError(
        'unexpected-entry',
        `Snapshot entry ${path} is not in the manifest: it was added after the snapshot was taken.`,
        path,
      );
    }
  }
  if (!(VERSION_PATH in manifest.entries))
    throw new SnapshotInvalidError('missing-entry', `${VERSION_PATH} is missing.`, VERSION_PATH);
  const version = (await entries.read(VERSION_PATH)).toString('utf8').trim();
  if (version !== VELERO_FORMAT_VERSION) {
    throw new SnapshotInvalidError(
      'schema',
      `Backup format version ${version} is not supported (expected ${VELERO_FORMAT_VERSION}).`,
      VERSION_PATH,
    );
  }
  return manifest;
}
