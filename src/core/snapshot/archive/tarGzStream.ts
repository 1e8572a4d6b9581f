import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import { Header, Pax } from 'tar';

const BLOCK = 512;
const ZEROS = Buffer.alloc(2 * BLOCK);
/** Bytes gathered before a write to gzip: each write is a round trip to the thread pool. */
const FLUSH_BYTES = 256 * 1024;

/**
 * A `.tar.gz` written front to back as entries arrive (no file per entry). Headers (ustar, with a pax
 * header for long names) come from node-tar — the library that also reads snapshots back. Entries
 * never interleave: an in-memory entry is appended whole at once, a file entry holds the archive until
 * its last byte. Gzip's back-pressure reaches every writer, so memory stays bounded.
 */
export class TarGzStream {
  private readonly gzip: Gzip = createGzip();
  private readonly done: Promise<void>;
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Set while a file entry is being copied in; other entries wait for it. */
  private streaming: Promise<void> | undefined;
  private draining: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    readonly file: string,
    private readonly mtime: Date,
  ) {
    this.done = pipeline(this.gzip, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    this.done.catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  /** Appends a whole in-memory entry. */
  async addBuffer(path: string, bytes: Uint8Array): Promise<void> {
    while (this.streaming) await this.streaming;
    this.throwIfFailed();
    this.hold(this.header(path, bytes.length));
    this.hold(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    this.hold(padding(bytes.length));
    await this.flushIfFull();
  }

  /** Appends the bytes of a file on disk; `size` is what was measured when it was written. */
  async addFile(path: string, file: string, size: number): Promise<void> {
    while (this.streaming) await this.streaming;
    this.throwIfFailed();
    const copy = (async () => {
      this.hold(this.header(path, size));
      let copied = 0;
      for await (const chunk of createReadStream(file)) {
        copied += (chunk as Buffer).length;
        this.hold(chunk as Buffer);
        await this.flushIfFull();
      }
      if (copied !== size) throw new Error(`${path} changed while it was being archived (${copied} bytes, expected ${size})`);
      this.hold(padding(size));
      await this.flushIfFull();
    })();
    this.streaming = copy.catch(() => undefined);
    try {
      await copy;
    } catch (error) {
      this.failure ??= error;
      throw error;
    } finally {
      this.streaming = undefined;
    }
  }

  /** Ends the archive and waits until every byte is on disk. */
  async finish(): Promise<void> {
    while (this.streaming) await this.streaming;
    this.throwIfFailed();
    this.hold(ZEROS);
    await this.flush();
    this.gzip.end();
    await this.done;
  }

  /** Stops writing (the caller removes the file). */
  async destroy(): Promise<void> {
    this.gzip.destroy();
    await this.done.catch(() => undefined);
  }

  /** The ustar header block, preceded by a pax header when the path does not fit ustar's fields. */
  private header(path: string, size: number): Buffer {
    const header = new Header({ path, mode: 0o600, size, mtime: this.mtime, type: 'File', uid: 0, gid: 0 });
    const needsPax = header.encode();
    const block = header.block!;
    return needsPax ? Buffer.concat([new Pax({ path, size, mtime: this.mtime }).encode(), block]) : block;
  }

  private hold(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.held.push(bytes);
    this.heldBytes += bytes.length;
  }

  private async flushIfFull(): Promise<void> {
    if (this.heldBytes >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    // One writer at a time past a full gzip buffer; the others keep adding to `held` meanwhile.
    while (this.draining) await this.draining;
    if (this.heldBytes === 0) return;
    const block = this.held.length === 1 ? this.held[0]! : Buffer.concat(this.held, this.heldBytes);
    this.held = [];
    this.heldBytes = 0;
    if (!this.gzip.write(block)) {
      this.draining = Promise.race([once(this.gzip, 'drain'), this.done]).then(
        () => undefined,
        () => undefined,
      );
      await this.draining;
      this.draining = undefined;
    }
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure instanceof Error ? this.failure : new Error(String(this.failure));
  }
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? Buffer.alloc(0) : ZEROS.subarray(0, BLOCK - rest);
}
