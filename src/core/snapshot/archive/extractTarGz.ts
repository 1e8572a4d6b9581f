import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { isSafeEntryPath } from '../layout';
import type { EntryDigest } from '../manifest';
import { SnapshotInvalidError } from '../snapshotErrors';
import { DigestingFile } from './digestingFile';

/**
 * Extracts a snapshot `.tar.gz` into `dir`, streaming, and returns the digest of every regular file.
 * Anything that is not a plain relative file or directory (links, devices, absolute or `..` paths,
 * duplicates) and any truncation or corruption is refused with a SnapshotInvalidError.
 */
export async function extractTarGz(file: string, dir: string, signal?: AbortSignal): Promise<Map<string, EntryDigest>> {
  const digests = new Map<string, EntryDigest>();
  const pending: Promise<void>[] = [];
  let failure: SnapshotInvalidError | undefined;
  let stopped = false;
  const refuse = (error: SnapshotInvalidError) => {
    failure ??= error;
  };

  const parsed = new Promise<void>((resolve, reject) => {
    const parser = new tar.Parser({
      strict: true,
      onReadEntry: (entry) => {
        const path = entry.path.replace(/\/$/, '');
        if (failure || stopped) return entry.resume();
        if (!isSafeEntryPath(path)) {
          refuse(new SnapshotInvalidError('path', `Archive entry ${JSON.stringify(entry.path)} would be written outside the snapshot; refusing the archive.`, entry.path));
          return entry.resume();
        }
        if (entry.type === 'Directory') return entry.resume();
        if (entry.type !== 'File' && entry.type !== 'OldFile') {
          refuse(new SnapshotInvalidError('unexpected-entry', `Archive entry ${path} is a ${entry.type}, not a regular file; refusing the archive.`, path));
          return entry.resume();
        }
        if (digests.has(path)) {
          refuse(new SnapshotInvalidError('unexpected-entry', `Archive entry ${path} appears twice.`, path));
          return entry.resume();
        }
        digests.set(path, { sha256: '', size: 0 });
        entry.pause();
        pending.push(
          (async () => {
            const out = await DigestingFile.open(join(dir, ...path.split('/')));
            try {
              for await (const chunk of entry) await out.write(chunk as Buffer);
            } finally {
              digests.set(path, await out.close());
            }
          })(),
        );
      },
    });
    const source = createReadStream(file, { signal });
    const fail = (error: unknown) => {
      stopped = true;
      source.destroy();
      if (SnapshotInvalidError.isInvalid(error)) return reject(error);
      const e = error as NodeJS.ErrnoException;
      if (e.name === 'AbortError') return reject(error);
      const truncated = /unexpected end|truncated|TAR_BAD_ARCHIVE|end of file/i.test(`${e.code ?? ''} ${e.message}`);
      reject(
        new SnapshotInvalidError(
          truncated ? 'truncated' : 'not-an-archive',
          truncated ? `${file} is truncated or damaged (${e.message}); refusing it.` : `${file} is not a readable snapshot archive (${e.message}).`,
          undefined,
          { cause: error },
        ),
      );
    };
    source.on('error', fail);
    parser.on('error', fail);
    parser.on('warn', (code: string, message: string) => fail(Object.assign(new Error(message), { code })));
    parser.on('end', () => resolve());
    source.pipe(parser as unknown as NodeJS.WritableStream);
  });
  try {
    await parsed;
  } catch (error) {
    // Let entries being written finish (or fail) before the caller removes the directory.
    stopped = true;
    for (let n = -1; n !== pending.length; ) {
      n = pending.length;
      await Promise.allSettled(pending);
    }
    throw error;
  }
  await Promise.all(pending);
  if (failure) throw failure;
  return digests;
}
