import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { addAbortSignal, Readable } from 'node:stream';
import * as tar from 'tar';
import { isSafeEntryPath, MANIFEST_PATH } from '../layout';
import type { EntryDigest } from '../manifest';
import { SnapshotInvalidError } from '../snapshotErrors';

/**
 * A `.tar.gz` recovery point read without a temporary copy: one verifying pass hashes every entry (nothing is
 * written to disk; small entries are kept in memory), then entries are read on demand by applying passes that
 * decompress the archive again from the same open file and stop at the entry asked for. Each byte served by an
 * applying pass is hashed again and checked against what the verifying pass saw, so a file changed between the
 * passes fails the read instead of feeding different data to a restore.
 */

/** Entries up to this size are kept in memory by the verifying pass… */
export const KEEP_ENTRY_BYTES = 1024 * 1024;
/** …as long as all kept entries together stay under this. */
export const KEEP_TOTAL_BYTES = 64 * 1024 * 1024;

export interface ScannedEntry extends EntryDigest {
  /** Position among the archive's entries (directories included), for the applying passes. */
  index: number;
  data?: Buffer;
}

type ReadEntry = tar.ReadEntry;

/** Entries in archive order from a stream of the archive, one at a time (each must be consumed before the next comes). */
class EntryQueue {
  private readonly queue: ReadEntry[] = [];
  private waiter: (() => void) | undefined;
  private ended = false;
  private failure: Error | undefined;
  /** The entry last handed out: a failure while it is being read ends its reading with the error. */
  private current: ReadEntry | undefined;
  readonly source: Readable;
  private readonly parser: tar.Parser;

  constructor(handle: FileHandle, label: string, signal?: AbortSignal) {
    this.parser = new tar.Parser({
      strict: true,
      onReadEntry: (entry) => {
        entry.pause();
        // A failure is passed to the entry last handed out (see `fail`), which may have ended already or sit
        // between two reads with nobody listening: without a listener of its own the emit would throw out of the
        // parser. Whoever reads it next still gets the error (a late 'error' listener is called at once).
        entry.on('error', () => undefined);
        this.queue.push(entry);
        this.wake();
      },
    });
    this.source = readFromStart(handle, signal);
    const fail = (error: unknown) => {
      this.failure ??= classifyTarError(error, label);
      this.source.destroy();
      this.current?.destroy(this.failure);
      this.wake();
    };
    this.source.on('error', fail);
    this.parser.on('error', fail);
    this.parser.on('warn', (code: string, message: string) => fail(Object.assign(new Error(message), { code })));
    this.parser.on('end', () => {
      this.ended = true;
      this.wake();
    });
    this.source.pipe(this.parser);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** The next entry, or undefined at the end of the archive. */
  async next(): Promise<ReadEntry | undefined> {
    for (;;) {
      if (this.failure) throw this.failure;
      const e = this.queue.shift();
      if (e) return (this.current = e);
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  destroy(): void {
    this.ended = true;
    this.source.destroy();
    for (const e of this.queue.splice(0)) e.resume();
  }
}

/**
 * The file's bytes from the start, by positioned reads on the shared handle (FileHandle.createReadStream closes
 * the handle when the stream is destroyed, whatever autoClose says; several passes share one handle).
 */
function readFromStart(handle: FileHandle, signal?: AbortSignal): Readable {
  let position = 0;
  const stream = new Readable({
    highWaterMark: 64 * 1024,
    read() {
      const buffer = Buffer.allocUnsafe(64 * 1024);
      handle.read(buffer, 0, buffer.length, position).then(
        ({ bytesRead }) => {
          position += bytesRead;
          stream.push(bytesRead ? buffer.subarray(0, bytesRead) : null);
        },
        (error: Error) => stream.destroy(error),
      );
    },
  });
  return signal ? addAbortSignal(signal, stream) : stream;
}

function classifyTarError(error: unknown, label: string): Error {
  if (SnapshotInvalidError.isInvalid(error)) return error;
  const e = error as NodeJS.ErrnoException;
  if (e.name === 'AbortError') return e;
  const truncated = /unexpected end|truncated|TAR_BAD_ARCHIVE|end of file/i.test(`${e.code ?? ''} ${e.message}`);
  return new SnapshotInvalidError(
    truncated ? 'truncated' : 'not-an-archive',
    truncated
      ? `${label} is truncated or damaged (${e.message}); refusing it.`
      : `${label} is not a readable snapshot archive (${e.message}).`,
    undefined,
    { cause: error },
  );
}

/**
 * The verifying pass: the digest (and, when small, the bytes) of every regular file, and its position.
 * Anything that is not a plain relative file or directory (links, devices, absolute or `..` paths, duplicates)
 * and any truncation or corruption is refused with a SnapshotInvalidError. Writes nothing to disk.
 */
export async function scanTarGz(
  handle: FileHandle,
  label: string,
  signal?: AbortSignal,
): Promise<Map<string, ScannedEntry>> {
  const entries = new Map<string, ScannedEntry>();
  const queue = new EntryQueue(handle, label, signal);
  let kept = 0;
  let failure: SnapshotInvalidError | undefined;
  try {
    for (let index = 0; ; index++) {
      const entry = await queue.next();
      if (!entry) break;
      const path = entry.path.replace(/\/$/, '');
      if (failure) {
        entry.resume();
        continue;
      }
      if (!isSafeEntryPath(path)) {
        failure = new SnapshotInvalidError(
          'path',
          `Archive entry ${JSON.stringify(entry.path)} would be written outside the snapshot; refusing the archive.`,
          entry.path,
        );
      } else if (entry.type === 'Directory') {
        // nothing to hash
      } else if (entry.type !== 'File' && entry.type !== 'OldFile') {
        failure = new SnapshotInvalidError(
          'unexpected-entry',
          `Archive entry ${path} is a ${entry.type}, not a regular file; refusing the archive.`,
          path,
        );
      } else if (entries.has(path)) {
        failure = new SnapshotInvalidError('unexpected-entry', `Archive entry ${path} appears twice.`, path);
      } else {
        // The manifest is read right after this pass, whatever its size (bounded by KEEP_TOTAL_BYTES).
        const keep =
          (entry.size <= KEEP_ENTRY_BYTES || path === MANIFEST_PATH) && kept + entry.size <= KEEP_TOTAL_BYTES;
        const hash = createHash('sha256');
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of entry as AsyncIterable<Buffer>) {
          hash.update(chunk);
          size += chunk.length;
          if (keep) chunks.push(chunk);
        }
        if (keep) kept += size;
        entries.set(path, { index, sha256: hash.digest('hex'), size, data: keep ? Buffer.concat(chunks) : undefined });
        continue;
      }
      entry.resume();
    }
  } finally {
    queue.destroy();
  }
  if (failure) throw failure;
  return entries;
}

/** One applying pass: moves forward through the archive and hands out the entry at a given position. */
class ApplyingPass {
  /** Position of the next entry this pass will read. */
  position = 0;
  busy = false;
  private readonly queue: EntryQueue;

  constructor(handle: FileHandle, label: string) {
    this.queue = new EntryQueue(handle, label);
  }

  /** The entry at `index` (which must not be behind this pass), its bytes checked against `expected`. */
  async *read(index: number, path: string, expected: EntryDigest): AsyncGenerator<Buffer> {
    for (;;) {
      const entry = await this.queue.next();
      if (!entry)
        throw new SnapshotInvalidError(
          'truncated',
          `Snapshot entry ${path} was not found on the second read: the archive changed while it was open.`,
          path,
        );
      const at = this.position++;
      if (at < index) {
        entry.resume();
        continue;
      }
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
      if (entry.path.replace(/\/$/, '') !== path || size !== expected.size || hash.digest('hex') !== expected.sha256) {
        throw new SnapshotInvalidError(
          'checksum',
          `Snapshot entry ${path} changed after it was verified (the archive was modified while open).`,
          path,
        );
      }
      return;
    }
  }

  destroy(): void {
    this.queue.destroy();
  }
}

/** Reads entries of a verified archive on demand, reusing a pass that has not yet gone past the entry wanted. */
export class TarGzEntryReader {
  private readonly passes: ApplyingPass[] = [];

  constructor(
    private readonly handle: FileHandle,
    private readonly label: string,
    private readonly entries: Map<string, ScannedEntry>,
  ) {}

  /** The entry's bytes, from memory when the verifying pass kept them. */
  stream(path: string): Readable {
    const entry = this.entries.get(path);
    if (!entry) throw new SnapshotInvalidError('missing-entry', `Snapshot entry ${path} is missing.`, path);
    if (entry.data) return Readable.from([entry.data]);
    return Readable.from(this.chunks(path, entry), { objectMode: false });
  }

  async read(path: string): Promise<Buffer> {
    const entry = this.entries.get(path);
    if (entry?.data) return entry.data;
    const chunks: Buffer[] = [];
    for await (const c of this.stream(path)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  private async *chunks(path: string, entry: ScannedEntry): AsyncGenerator<Buffer> {
    let pass = this.passes
      .filter((p) => !p.busy && p.position <= entry.index)
      .sort((a, b) => b.position - a.position)[0];
    if (!pass) {
      pass = new ApplyingPass(this.handle, this.label);
      this.passes.push(pass);
    }
    pass.busy = true;
    let finished = false;
    try {
      yield* pass.read(entry.index, path, entry);
      finished = true;
    } finally {
      pass.busy = false;
      // A pass left in the middle of an entry cannot go on: drop it.
      if (!finished) {
        pass.destroy();
        this.passes.splice(this.passes.indexOf(pass), 1);
      }
    }
  }

  close(): void {
    for (const p of this.passes.splice(0)) p.destroy();
  }
}
