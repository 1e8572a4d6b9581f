import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as tar from 'tar';
import { DrydockError } from '../../errors';
import { isSafeEntryPath, MANIFEST_PATH, VELERO_FORMAT_VERSION, VERSION_PATH } from '../layout';
import type { EntryDigest, SnapshotManifest } from '../manifest';
import { DigestingFile } from './digestingFile';

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
 * Writes a snapshot into a staging directory beside the target, records every entry's sha256, and
 * on commit writes the manifest last and moves (directory) or packs (tar.gz) it into place — so a
 * snapshot that failed half-way never looks complete.
 */
export class SnapshotWriter {
  private readonly entries: Record<string, EntryDigest> = {};
  private done = false;
  private readonly madeDirs = new Set<string>();

  private constructor(
    readonly target: string,
    readonly format: SnapshotFormat,
    private readonly staging: string,
  ) {}

  static async create(target: string): Promise<SnapshotWriter> {
    if (existsSync(target)) throw new DrydockError('conflict', `${target} already exists; choose another snapshot name.`);
    await mkdir(dirname(target), { recursive: true });
    const staging = join(dirname(target), `.${basename(target)}.partial-${randomBytes(4).toString('hex')}`);
    await mkdir(staging, { recursive: true, mode: 0o700 });
    return new SnapshotWriter(target, snapshotFormatOf(target), staging);
  }

  private fileFor(path: string): string {
    if (!isSafeEntryPath(path)) throw new Error(`Refusing to write unsafe snapshot path ${JSON.stringify(path)}`);
    if (path in this.entries || path === MANIFEST_PATH) throw new Error(`Snapshot entry ${path} written twice`);
    return join(this.staging, ...path.split('/'));
  }

  /** Writes a whole in-memory entry (an object's JSON) in one go; its directory is made once per snapshot. */
  async writeEntry(path: string, data: string | Uint8Array): Promise<void> {
    const file = this.fileFor(path);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const dir = dirname(file);
    if (!this.madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    await writeFile(file, bytes, { flag: 'wx', mode: 0o600 });
    this.entries[path] = { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
  }

  /** Streams bytes into an entry (S3 object bodies); returns its digest. */
  async writeStream(path: string, source: AsyncIterable<Uint8Array>): Promise<EntryDigest> {
    const file = await DigestingFile.open(this.fileFor(path));
    try {
      for await (const chunk of source) await file.write(chunk);
    } catch (error) {
      file.destroy();
      throw error;
    }
    const digest = await file.close();
    this.entries[path] = digest;
    return digest;
  }

  /** Runs `fill` with a sink for JSON lines, then closes the entry. */
  async writeLines<T>(path: string, fill: (sink: LineSink) => Promise<T>): Promise<T> {
    const file = await DigestingFile.open(this.fileFor(path));
    let result: T;
    try {
      result = await fill({ write: (line) => file.write(line + '\n') });
    } catch (error) {
      file.destroy();
      throw error;
    }
    this.entries[path] = await file.close();
    return result;
  }

  has(path: string): boolean {
    return path in this.entries;
  }

  /** Writes Velero's version file and the manifest (with every entry's digest), then puts the snapshot in place. */
  async commit(manifest: SnapshotManifest): Promise<void> {
    if (!this.has(VERSION_PATH)) await this.writeEntry(VERSION_PATH, `${VELERO_FORMAT_VERSION}\n`);
    manifest.entries = Object.fromEntries(Object.entries(this.entries).sort(([a], [b]) => (a < b ? -1 : 1)));
    await mkdir(join(this.staging, 'drydock'), { recursive: true });
    await writeFile(join(this.staging, ...MANIFEST_PATH.split('/')), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
    if (this.format === 'directory') {
      await rename(this.staging, this.target);
    } else {
      const tmp = `${this.staging}.tar.gz`;
      const files = [...Object.keys(manifest.entries), MANIFEST_PATH];
      await tar.create({ gzip: true, file: tmp, cwd: this.staging, portable: true, noDirRecurse: true, mode: 0o600 } as tar.TarOptionsWithAliasesAsyncFile, files);
      await rename(tmp, this.target);
      await rm(this.staging, { recursive: true, force: true });
    }
    this.done = true;
  }

  /** Removes everything written so far (after a failure or cancel). */
  async abort(): Promise<void> {
    if (this.done) return;
    await rm(this.staging, { recursive: true, force: true });
    await rm(`${this.staging}.tar.gz`, { force: true });
  }
}
