import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import { Header, Pax } from 'tar';
import { describeError } from '../../errors';

const BLOCK = 512;
const ZEROS = Buffer.alloc(2 * BLOCK);
/**
 * Entries are packed into chunks of this size before they go to gzip: each gzip write is a round trip
 * to the thread pool (waking a pool thread costs the main thread more than the copy), and packing
 * (headers encoded in place, small bodies copied in) spares an allocation per header and per padding —
 * thousands of them for a namespace's objects. 1 MB measured ~20 ms less main-thread time than 256 KB
 * for a 2,000-object namespace (bench/kube.ts).
 */
const CHUNK_BYTES = 1024 * 1024;
/** Bodies at least this big go to gzip as they are, not copied into a chunk. */
const DIRECT_BYTES = 64 * 1024;

export class TarGzStream {
  private readonly gzip: Gzip = createGzip();
  private readonly done: Promise<void>;
  /** Full chunks and large bodies waiting for gzip, in order. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** The chunk being packed, and how much of it is used. */
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  /** Set while a file entry is being copied in; other entries wait for it. */
  private streaming: Promise<void> | undefined;
  private draining: Promise<void> | undefined;
  private failure: unknown;
  private readonly template: HeaderTemplate;

  constructor(
    readonly file: string,
    private readonly mtime: Date,
  ) {
    this.template = new HeaderTemplate(mtime);
    this.done = pipeline(this.gzip, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    this.done.catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  /** Appends a whole in-memory entry. */
  async addBuffer(path: string, bytes: Uint8Array): Promise<void> {
    while (this.streaming) await this.streaming;
    this.throwIfFailed();
    this.header(path, bytes.length);
    this.body(bytes);
    this.pad(bytes.length);
    await this.flushIfFull();
  }

  /** Appends the bytes of a file on disk; `size` is what was measured when it was written. */
  async addFile(path: string, file: string, size: number): Promise<void> {
    while (this.streaming) await this.streaming;
    this.throwIfFailed();
    const copy = (async () => {
      this.header(path, size);
      let copied = 0;
      for await (const chunk of createReadStream(file)) {
        copied += (chunk as Buffer).length;
        this.body(chunk as Buffer);
        await this.flushIfFull();
      }
      if (copied !== size)
        throw new Error(`${path} changed while it was being archived (${copied} bytes, expected ${size})`);
      this.pad(size);
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
    this.body(ZEROS);
    this.seal();
    await this.flush();
    this.gzip.end();
    await this.done;
  }

  /** Stops writing (the caller removes the file). */
  async destroy(): Promise<void> {
    this.gzip.destroy();
    await this.done.catch(() => undefined);
  }

  /** The ustar header block, encoded in place, preceded by a pax header when the path does not fit ustar's fields. */
  private header(path: string, size: number): void {
    if (this.chunk.length - this.used < BLOCK) this.seal();
    if (this.template.encode(this.chunk, this.used, path, size)) {
      this.used += BLOCK;
      return;
    }
    const header = new Header({ path, mode: 0o600, size, mtime: this.mtime, type: 'File', uid: 0, gid: 0 });
    // node-tar encodes only the fields it has into a given buffer: the rest of the block must be zeros.
    this.chunk.fill(0, this.used, this.used + BLOCK);
    if (!header.encode(this.chunk, this.used)) {
      this.used += BLOCK;
      return;
    }
    const block = Buffer.from(this.chunk.subarray(this.used, this.used + BLOCK));
    this.body(new Pax({ path, size, mtime: this.mtime }).encode());
    this.body(block);
  }

  /** Copies bytes into the chunk being packed (large bodies are held as they are). */
  private body(bytes: Uint8Array): void {
    if (bytes.length >= DIRECT_BYTES) {
      this.seal();
      this.held.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      this.heldBytes += bytes.length;
      return;
    }
    let from = 0;
    while (from < bytes.length) {
      const n = Math.min(bytes.length - from, this.chunk.length - this.used);
      this.chunk.set(bytes.subarray(from, from + n), this.used);
      this.used += n;
      from += n;
      if (this.used === this.chunk.length) this.seal();
    }
  }

  /** Zeros up to the next 512-byte block after a body of `size` bytes. */
  private pad(size: number): void {
    const rest = size % BLOCK;
    if (rest !== 0) this.body(ZEROS.subarray(0, BLOCK - rest));
  }

  /** Moves the packed part of the chunk to the held list and starts a new chunk. */
  private seal(): void {
    if (this.used === 0) return;
    this.held.push(this.chunk.subarray(0, this.used));
    this.heldBytes += this.used;
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
  }

  private async flushIfFull(): Promise<void> {
    if (this.heldBytes > 0) await this.flush();
  }

  private async flush(): Promise<void> {
    // One writer at a time past a full gzip buffer; the others keep adding to `held` meanwhile.
    while (this.draining) await this.draining;
    if (this.heldBytes === 0) return;
    const blocks = this.held;
    this.held = [];
    this.heldBytes = 0;
    let full = false;
    for (const block of blocks) full = !this.gzip.write(block) || full;
    if (full) {
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
    if (this.failure !== undefined)
      throw this.failure instanceof Error ? this.failure : new Error(describeError(this.failure));
  }
}

/**
 * node-tar's header for this archive's entries (mode, owner, time, type, magic — the same for every entry),
 * encoded once. An entry whose path is short ASCII gets a copy with its own name, size and checksum: the
 * block node-tar writes for it (test/unit/snapshot/tarHeaderTemplate.test.ts compares the two), for a
 * tenth of the cost of a Header per entry — a namespace's snapshot has thousands. Other paths (long,
 * non-ASCII) and sizes past ustar's octal field go through node-tar's Header and Pax.
 */
export class HeaderTemplate {
  private readonly block = Buffer.alloc(BLOCK);
  /** The checksum's share of the fields every entry has in common (all but name, size and checksum). */
  private readonly fixedSum: number;

  constructor(mtime: Date) {
    new Header({ path: '', mode: 0o600, size: 0, mtime, type: 'File', uid: 0, gid: 0 }).encode(this.block, 0);
    this.block.fill(0, SIZE_AT, SIZE_AT + 12); // the name is empty already; the size is written per entry
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) if (i < CHECKSUM_AT || i >= CHECKSUM_END) sum += this.block[i]!;
    this.fixedSum = sum;
  }

  /** Writes the header of `path` (`size` bytes) at `off`; false (nothing written) when node-tar must encode it. */
  encode(buf: Buffer, off: number, path: string, size: number): boolean {
    if (path.length >= NAME_END || size > MAX_OCTAL_11) return false;
    let sum = this.fixedSum + 8 * 0x20; // the checksum field counts as spaces
    for (let i = 0; i < path.length; i++) {
      const c = path.charCodeAt(i);
      if (c === 0 || c >= 0x80) return false;
      sum += c;
    }
    this.block.copy(buf, off);
    buf.write(path, off, 'latin1');
    sum += writeOctal(buf, off + SIZE_AT, 12, size);
    writeOctal(buf, off + CHECKSUM_AT, 8, sum);
    return true;
  }
}

const NAME_END = 100;
const SIZE_AT = 124;
const CHECKSUM_AT = 148;
const CHECKSUM_END = 156;
const MAX_OCTAL_11 = 8 ** 11 - 1;

/** node-tar's octal number field: zero-padded digits, then ' \0' (or just '\0' when the digits fill it); returns the bytes' sum. */
function writeOctal(buf: Buffer, off: number, width: number, n: number): number {
  const digits = n.toString(8);
  const text = digits.length === width - 1 ? `${digits}\0` : `${'0'.repeat(width - 2 - digits.length)}${digits} \0`;
  buf.write(text, off, 'latin1');
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return sum;
}
