import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SnapshotReader } from './archive/snapshotReader';
import { MANIFEST_PATH } from './layout';
import type { SnapshotManifest } from './manifest';
import { SnapshotInvalidError } from './snapshotErrors';

export interface SnapshotSummary {
  path: string;
  format: 'directory' | 'tar.gz';
  valid: boolean;
  /** Why it is not valid. */
  problem?: string;
  manifest?: SnapshotManifest;
}

/** Validates a snapshot without its passphrase and returns its manifest (contents without restoring). */
export async function inspectSnapshot(path: string, signal?: AbortSignal): Promise<SnapshotSummary> {
  const reader = await SnapshotReader.open(path, { signal });
  try {
    return { path, format: reader.format, valid: true, manifest: reader.manifest };
  } finally {
    await reader.close();
  }
}

/** Snapshots in a folder (directories with a manifest, and .tar.gz files), each validated. */
export async function listSnapshots(folder: string, signal?: AbortSignal): Promise<SnapshotSummary[]> {
  const out: SnapshotSummary[] = [];
  for (const d of await readdir(folder, { withFileTypes: true })) {
    if (d.name.startsWith('.')) continue;
    const path = join(folder, d.name);
    const isArchive = d.isFile() && /\.(tar\.gz|tgz)$/i.test(d.name);
    const isDir =
      d.isDirectory() && (await stat(join(path, ...MANIFEST_PATH.split('/'))).catch(() => undefined)) !== undefined;
    if (!isArchive && !isDir) continue;
    try {
      out.push(await inspectSnapshot(path, signal));
    } catch (error) {
      if (!SnapshotInvalidError.isInvalid(error)) throw error;
      out.push({ path, format: isArchive ? 'tar.gz' : 'directory', valid: false, problem: error.message });
    }
  }
  return out.sort((a, b) => (b.manifest?.createdAt ?? '').localeCompare(a.manifest?.createdAt ?? ''));
}
