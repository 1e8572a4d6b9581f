import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { itemToDynamoJson, itemToPlain, type Item } from './dynamoJson';
import { stringifyLosslessJson } from './losslessJson';

export type ExportFormat = 'dynamodb-json' | 'plain-json';

export interface ExportProgress {
  written: number;
  /** The table's approximate item count, when known, for a percentage. */
  total?: number;
}

/**
 * Streams items to a JSON array file, one item per line, without holding the table in memory.
 * Writes to `<file>.partial` and renames at the end, so a cancelled or failed export leaves no half file.
 */
export async function exportItems(
  pages: AsyncIterable<Item[]> | Iterable<Item[]>,
  file: string,
  options: { format: ExportFormat; total?: number; signal?: AbortSignal; onProgress?: (p: ExportProgress) => void },
): Promise<ExportProgress> {
  const partial = `${file}.partial`;
  const out = createWriteStream(partial, { encoding: 'utf8' });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let written = 0;
  try {
    await write('[');
    for await (const page of pages) {
      options.signal?.throwIfAborted();
      for (const item of page) {
        const json =
          options.format === 'plain-json'
            ? stringifyLosslessJson(itemToPlain(item), 0)
            : JSON.stringify(itemToDynamoJson(item));
        await write(`${written ? ',' : ''}\n${json}`);
        written++;
      }
      options.onProgress?.({ written, total: options.total });
    }
    await write('\n]\n');
    out.end();
    await once(out, 'finish');
    await rename(partial, file);
    return { written, total: options.total };
  } catch (error) {
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
