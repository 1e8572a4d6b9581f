import { cp, open, readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as tar from 'tar';

export const GIB = 1024 * 1024 * 1024;

/** How a crafted archive breaks its manifest: a 1 GiB entry it does not list, or a listed entry grown to 1 GiB. */
export type Craft = 'unlisted' | 'oversized';

/**
 * A `.tar.gz` of the snapshot directory `snapshotDir` (a valid Drydock snapshot of `bucket`) with one 1 GiB entry
 * of zeros: `unlisted` adds `aws/s3/<bucket>/data/unlisted`, `oversized` replaces the listed `data/0`. The 1 GiB
 * is a sparse file while packing, so crafting takes no disk; the archive itself is about 1 MB. Returns the entry.
 */
export async function craftArchive(snapshotDir: string, bucket: string, craft: Craft, out: string): Promise<string> {
  const work = `${out}.d`;
  await rm(work, { recursive: true, force: true });
  await cp(snapshotDir, work, { recursive: true });
  const entry = `aws/s3/${bucket}/data/${craft === 'unlisted' ? 'unlisted' : '0'}`;
  const file = await open(path.join(work, ...entry.split('/')), 'w');
  try {
    await file.truncate(GIB);
  } finally {
    await file.close();
  }
  try {
    await tar.create({ gzip: { level: 1 }, file: out, cwd: work, portable: true }, await readdir(work));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return entry;
}
