import { newAuthenticator, sealManifest } from '../manifestAuthenticator';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DrydockError } from '../../errors';
import { isSafeEntryPath, MANIFEST_PATH, VELERO_FORMAT_VERSION, VERSION_PATH } from '../layout';
import type { EntryDigest, SnapshotManifest } from '../manifest';
import { DigestingFile } from './digestingFile';
import { TarGzStream } from './tarGzStream';

export type SnapshotFormat = 'directory' | 'tar.gz';

/** `.tar.gz`/`.tgz` targets are single files; anything else is a directory. */
export function snapshotFormatOf(target: string): SnapshotFormat {
  return /\.(tar\.gz|tgz)$/i.test(target) ? 'tar.gz' : 'directory';
}

/** Streams of lines (JSON Lines) into one entry. */
export interface LineSink {
  write(line: string): Promise<void>;
}

/**
 * Writes a snapshot and records every entry's sha256; the manifest goes last, so a snapshot that failed
 * half-way never looks complete. A directory is filled in a staging directory beside the target and
 * renamed into place; a `.tar.gz` is streamed front to back into a temporary file beside the target
 * (entries as they come — no per-object files) and renamed into place. Streamed entries (S3 bodies,
 * JSON Lines) of a `.tar.gz` are spooled to the staging directory until their size is known.
 */
export class SnapshotWriter {
  private readonly entries = new Map<string, EntryDigest>();
  private done = false;
  private readonly madeDirs = new Set<string>();
  private spools = 0;

  private constructor(
    readonly target: string,
    readonly format: SnapshotFormat,
    private readonly staging: string,
    private readonly tar: TarGzStream | undefined,
  ) {}

  static async create(target: string): Promise<SnapshotWriter> {
    if (existsSync(target))
      throw new DrydockError('conflict', `${target} already exists; choose another snapshot name.`);
    await mkdir(dirname(target), { recursive: true });
    const staging = join(dirname(target), `.${basename(target)}.partial-${randomBytes(4).toString('hex')}`);
    await mkdir(staging, { recursive: true, mode: 0o700 });
    const format = snapshotFormatOf(target);
    return new SnapshotWriter(
      target,
      format,
      staging,
      format === 'tar.gz' ? new TarGzStream(`${staging}.tar.gz`, new Date()) : undefined,
    );
  }

  private claim(path: string): void {
    if (!isSafeEntryPath(path)) throw new Error(`Refusing to write unsafe snapshot path ${JSON.stringify(path)}`);
    if (this.entries.has(path) || path === MANIFEST_PATH) throw new Error(`Snapshot entry ${path} written twice`);
  }

  /** Where a streamed entry is written: in place (directory) or a spool file (tar.gz). */
  private fileFor(path: string): string {
    this.claim(path);
    return this.tar ? join(this.staging, `spool-${++this.spools}`) : join(this.staging, ...path.split('/'));
  }

  /**
   * Writes a whole in-memory entry (an object's JSON) in one go — under several paths when the layout
   * stores the same bytes twice (Velero's preferred-version copy), digested once.
   */
  async writeEntry(paths: string | readonly string[], data: string | Uint8Array): Promise<void> {
    const all = typeof paths === 'string' ? [paths] : paths;
    for (const path of all) this.claim(path);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const digest = { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
    for (const path of all) this.entries.set(path, digest);
    await Promise.all(all.map((path) => this.put(path, bytes)));
  }

  private async put(path: string, bytes: Uint8Array): Promise<void> {
    if (this.tar) return this.tar.addBuffer(path, bytes);
    const file = join(this.staging, ...path.split('/'));
    const dir = dirname(file);
    if (!this.madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    await writeFile(file, bytes, { flag: 'wx', mode: 0o600 });
  }

  /** Streams bytes into an entry (S3 object bodies); returns its digest. */
  async writeStream(path: string, source: AsyncIterable<Uint8Array>): Promise<EntryDigest> {
    const spool = this.fileFor(path);
    const file = await DigestingFile.open(spool);
    try {
      for await (const chunk of source) await file.write(chunk);
    } catch (error) {
      file.destroy();
      throw error;
    }
    return this.closeStreamed(path, spool, await file.close());
  }

  /** Runs `fill` with a sink for JSON lines, then closes the entry. */
  async writeLines<T>(path: string, fill: (sink: LineSink) => Promise<T>): Promise<T> {
    const spool = this.fileFor(path);
    const file = await DigestingFile.open(spool);
    let result: T;
    try {
      result = await fill({ write: (line) => file.write(line + '\n') });
    } catch (error) {
      file.destroy();
      throw error;
    }
    await this.closeStreamed(path, spool, await file.close());
    return result;
  }

  private async closeStreamed(path: string, file: string, digest: EntryDigest): Promise<EntryDigest> {
    this.entries.set(path, digest);
    if (this.tar) {
      await this.tar.addFile(path, file, digest.size);
      await rm(file, { force: true });
    }
    return digest;
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  /** Writes Velero's version file and the manifest (with every entry's digest), then puts the snapshot in place. */
  async commit(manifest: SnapshotManifest, options: { authenticateWith?: string } = {}): Promise<void> {
    if (!this.has(VERSION_PATH)) await this.writeEntry(VERSION_PATH, `${VELERO_FORMAT_VERSION}\n`);
    manifest.entries = Object.fromEntries([...this.entries].sort(([a], [b]) => (a < b ? -1 : 1)));
    // Made with a key: the manifest carries an HMAC under a key derived from that key's identity.
    if (options.authenticateWith) manifest.authenticator = newAuthenticator();
    let manifestBytes: Buffer = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
    if (options.authenticateWith && manifest.authenticator)
      manifestBytes = sealManifest(manifestBytes, manifest.authenticator, options.authenticateWith);
    if (this.tar) {
      await this.tar.addBuffer(MANIFEST_PATH, manifestBytes);
      await this.tar.finish();
      await rename(this.tar.file, this.target);
      await rm(this.staging, { recursive: true, force: true });
    } else {
      await mkdir(join(this.staging, 'drydock'), { recursive: true });
      await writeFile(join(this.staging, ...MANIFEST_PATH.split('/')), manifestBytes, { mode: 0o600 });
      await rename(this.staging, this.target);
    }
    this.done = true;
  }

  /** Removes everything written so far (after a failure or cancel). */
  async abort(): Promise<void> {
    if (this.done) return;
    await this.tar?.destroy();
    await rm(this.staging, { recursive: true, force: true });
    await rm(`${this.staging}.tar.gz`, { force: true });
  }
}
