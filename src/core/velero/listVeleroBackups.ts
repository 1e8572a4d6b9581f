import { describeError } from '../errors';
import { openBackupStore, type S3LocationOptions } from './backupStore';
import {
  parseBackupJson,
  parseReported,
  readGzJson,
  type VeleroBackupInfo,
  type VeleroReported,
} from './veleroBackupInfo';
import { veleroFiles, VELERO_TOP_LEVEL_PREFIXES } from './veleroLayout';

export interface VeleroBackupListing {
  name: string;
  info?: VeleroBackupInfo;
  /** Counts of what Velero reported (from `-results.gz` and the volume side files). */
  reported?: {
    errors: number;
    warnings: number;
    skippedVolumes: number;
    podVolumeBackups: number;
    volumeSnapshots: number;
  };
  /** True when Drydock pushed it (its own part travels beside Velero's). */
  drydock: boolean;
  /** Why it cannot be read or restored. */
  problem?: string;
}

export interface VeleroLocationListing {
  location: string;
  backups: VeleroBackupListing[];
  /** Top-level names Velero does not allow (they make the BSL Unavailable in Velero). */
  foreignTopLevel: string[];
}

/** Every backup of a location (`s3://bucket/prefix` or a folder), newest first, each with what Velero reported. */
export async function listVeleroBackups(
  location: string,
  opts: S3LocationOptions & { signal?: AbortSignal } = {},
): Promise<VeleroLocationListing> {
  const store = await openBackupStore(location, opts);
  try {
    const allowed = new Set<string>(VELERO_TOP_LEVEL_PREFIXES);
    const foreignTopLevel = (await store.topLevelNames(opts.signal)).filter((n) => !allowed.has(n));
    const backups: VeleroBackupListing[] = [];
    for (const name of await store.listBackupNames(opts.signal)) {
      const listing: VeleroBackupListing = { name, drydock: false };
      try {
        const json = await store.open(veleroFiles.backupJson(name), opts.signal);
        if (!json) throw new Error('no velero-backup.json');
        const chunks: Buffer[] = [];
        for await (const c of json) chunks.push(c as Buffer);
        listing.info = parseBackupJson(Buffer.concat(chunks).toString('utf8'), name);
        const r: VeleroReported = parseReported({
          results: await readGzJson(await store.open(veleroFiles.results(name), opts.signal)),
          volumeInfo: await readGzJson(await store.open(veleroFiles.volumeInfo(name), opts.signal)),
          podVolumeBackups: await readGzJson(await store.open(veleroFiles.podVolumeBackups(name), opts.signal)),
          volumeSnapshots: await readGzJson(await store.open(veleroFiles.volumeSnapshots(name), opts.signal)),
        });
        listing.reported = {
          errors: Math.max(r.errors.length, listing.info.errors),
          warnings: Math.max(r.warnings.length, listing.info.warnings),
          skippedVolumes: r.skippedVolumes.length,
          podVolumeBackups: r.podVolumeBackups.length,
          volumeSnapshots: r.volumeSnapshots.length,
        };
        listing.drydock = await store
          .open(`backups/${name}/drydock-manifest.json`, opts.signal)
          .then((s) => (s?.destroy(), !!s));
        if (listing.info.phase !== 'Completed' && listing.info.phase !== 'PartiallyFailed')
          listing.problem = `phase ${listing.info.phase || '(none)'}: not restorable`;
      } catch (error) {
        listing.problem = describeError(error);
      }
      backups.push(listing);
    }
    backups.sort(
      (a, b) =>
        (b.info?.startTimestamp ?? '').localeCompare(a.info?.startTimestamp ?? '') || a.name.localeCompare(b.name),
    );
    return { location: store.label, backups, foreignTopLevel };
  } finally {
    store.close();
  }
}
