import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Header, Pax } from 'tar';

const BLOCK = 512;

/**
 * Writes a tarball the way Velero's non-root server can extract it: every parent directory as its own 0755
 * entry before the first file in it, files 0755 (as Velero writes them), owner 0/0, one fixed time.
 * (Velero creates missing parents with the file's mode, so 0600 files without directory entries fail as
 * non-root with `mkdir …: permission denied`.)
 */
export class VeleroTarWriter {
  private readonly gzip = createGzip();
  private readonly done: Promise<void>;
  private readonly dirs = new Set<string>();
  readonly paths: string[] = [];

  constructor(
    readonly file: string,
    private readonly mtime: Date,
  ) {
    this.done = pipeline(this.gzip, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    this.done.catch(() => undefined);
  }

  private async put(chunk: Buffer): Promise<void> {
    if (!this.gzip.write(chunk)) await once(this.gzip, 'drain');
  }

  private header(path: string, type: 'File' | 'Directory', size: number): Buffer {
    const data = { path, type, size, mode: 0o755, uid: 0, gid: 0, uname: '', gname: '', mtime: this.mtime };
    const block = Buffer.alloc(BLOCK);
    // A path too long for the ustar fields goes in a PAX extended header before the entry.
    return new Header(data).encode(block, 0) ? Buffer.concat([new Pax(data).encode(), block]) : block;
  }

  async add(path: string, bytes: Uint8Array): Promise<void> {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/') + '/';
      if (this.dirs.has(dir)) continue;
      this.dirs.add(dir);
      await this.put(this.header(dir, 'Directory', 0));
    }
    await this.put(this.header(path, 'File', bytes.length));
    await this.put(Buffer.from(bytes));
    const pad = (BLOCK - (bytes.length % BLOCK)) % BLOCK;
    if (pad) await this.put(Buffer.alloc(pad));
    this.paths.push(path);
  }

  async finish(): Promise<void> {
    await this.put(Buffer.alloc(2 * BLOCK));
    this.gzip.end();
    await this.done;
  }

  destroy(): void {
    this.gzip.destroy();
  }
}
