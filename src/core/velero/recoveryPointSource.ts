import { resolve } from 'node:path';
import type { SecretKeySource } from '../snapshot/secretCrypto';
import type { S3LocationOptions } from './backupStore';
import { isVeleroBackup, openVeleroBackup, type OpenedVeleroBackup } from './veleroRecoveryPoint';

/** A recovery point ready for the engine: a Drydock snapshot as given, or a Velero backup opened as one. */
export interface ResolvedRecoveryPoint {
  /** What the engine opens (the snapshot itself, or the opened Velero backup's private directory). */
  path: string;
  /** How reports name it: the address the user gave (`s3://…` as given, a local path resolved), never a private copy. */
  label: string;
  keySource?: SecretKeySource;
  velero?: OpenedVeleroBackup;
  close(): Promise<void>;
}

/**
 * Resolves what the user named: a Drydock snapshot passes through with the user's key; a Velero backup
 * (s3://…/backups/<name>, a backup folder, or a Velero tarball) is validated and opened (see openVeleroBackup).
 */
export async function resolveRecoveryPoint(
  source: string,
  opts: { keySource?: SecretKeySource; toolVersion: string; s3?: S3LocationOptions; signal?: AbortSignal },
): Promise<ResolvedRecoveryPoint> {
  const label = source.startsWith('s3://') ? source : resolve(source);
  if (!(await isVeleroBackup(source))) return { path: source, label, keySource: opts.keySource, close: async () => {} };
  const velero = await openVeleroBackup(source, { ...opts.s3, toolVersion: opts.toolVersion, signal: opts.signal });
  return { path: velero.path, label, keySource: velero.keySource, velero, close: () => velero.close() };
}

/** Lines that say what Velero reported about a backup (for inspect, restore and drill output). */
export function describeVeleroBackup(v: OpenedVeleroBackup): string[] {
  const i = v.info;
  const r = v.reported;
  return [
    `Velero backup ${i.name} from ${v.source}: phase ${i.phase}, format ${i.formatVersion ?? '?'}, started ${i.startTimestamp ?? '?'}, completed ${i.completionTimestamp ?? '?'}`,
    `  namespaces: ${i.includedNamespaces.length ? i.includedNamespaces.join(', ') : '*'}; items backed up ${i.itemsBackedUp ?? '?'}/${i.totalItems ?? '?'}; errors ${Math.max(i.errors, r.errors.length)}, warnings ${Math.max(i.warnings, r.warnings.length)}`,
    ...r.errors.map((e) => `  error: ${e}`),
    ...r.warnings.map((w) => `  warning: ${w}`),
    ...r.skippedVolumes.map(
      (s) => `  volume data not backed up: ${s.namespace}/${s.pvc}${s.pv ? ` (${s.pv})` : ''}: ${s.reason}`,
    ),
    ...r.podVolumeBackups.map(
      (p) =>
        `  file-system backup (kopia) of ${p.namespace}/${p.pod} volume ${p.volume}${p.phase ? ` (${p.phase})` : ''}: not restorable by Drydock`,
    ),
    ...r.volumeSnapshots.map(
      (s) =>
        `  volume snapshot of ${s.pv} (${s.provider ?? '?'}${s.phase ? `, ${s.phase}` : ''}): not restorable locally`,
    ),
    ...r.itemOperations.map(
      (o) => `  item operation ${o.resource}: ${o.phase ?? '?'}${o.error ? ` (${o.error})` : ''}`,
    ),
  ];
}
