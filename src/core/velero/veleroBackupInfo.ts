import { gunzipSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import { SnapshotInvalidError } from '../snapshot/snapshotErrors';
import type { SkippedItem } from '../snapshot/manifest';
import { VELERO_BACKUP_FORMAT } from './veleroLayout';

/** What `velero-backup.json` says about a backup. */
export interface VeleroBackupInfo {
  name: string;
  phase: string;
  formatVersion?: string;
  startTimestamp?: string;
  completionTimestamp?: string;
  expiration?: string;
  storageLocation?: string;
  includedNamespaces: string[];
  excludedNamespaces: string[];
  itemsBackedUp?: number;
  totalItems?: number;
  errors: number;
  warnings: number;
  sourceClusterVersion?: string;
}

/** What Velero itself reported at backup time: what the backup admits it lacks. */
export interface VeleroReported {
  errors: string[];
  warnings: string[];
  /** Volumes whose data is not in the backup (volumeinfo "skipped"). */
  skippedVolumes: { namespace: string; pvc: string; pv?: string; reason: string }[];
  /** Data Velero holds in kopia/restic (file-system backup): Drydock cannot restore it. */
  podVolumeBackups: { namespace: string; pod: string; volume: string; phase?: string }[];
  /** Cloud volume snapshots: Drydock cannot restore them on a laptop. */
  volumeSnapshots: { pv: string; provider?: string; phase?: string }[];
  /** Asynchronous item operations (CSI snapshots, data movers). */
  itemOperations: { resource: string; phase?: string; error?: string }[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Parses `velero-backup.json` (any phase); throws SnapshotInvalidError when it is not a Backup. */
export function parseBackupJson(text: string, folderName: string): VeleroBackupInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SnapshotInvalidError(
      'manifest',
      `velero-backup.json of ${folderName} is not valid JSON (${(error as Error).message}).`,
      'velero-backup.json',
      { cause: error },
    );
  }
  if (
    !isObject(raw) ||
    raw.kind !== 'Backup' ||
    typeof raw.apiVersion !== 'string' ||
    !raw.apiVersion.startsWith('velero.io/')
  ) {
    throw new SnapshotInvalidError(
      'manifest',
      `velero-backup.json of ${folderName} is not a velero.io Backup.`,
      'velero-backup.json',
    );
  }
  const meta = isObject(raw.metadata) ? raw.metadata : {};
  const spec = isObject(raw.spec) ? raw.spec : {};
  const status = isObject(raw.status) ? raw.status : {};
  const progress = isObject(status.progress) ? status.progress : {};
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const annotations = isObject(meta.annotations) ? meta.annotations : {};
  return {
    name: str(meta.name) ?? folderName,
    phase: str(status.phase) ?? '',
    formatVersion: str(status.formatVersion),
    startTimestamp: str(status.startTimestamp),
    completionTimestamp: str(status.completionTimestamp),
    expiration: str(status.expiration),
    storageLocation: str(spec.storageLocation),
    includedNamespaces: strings(spec.includedNamespaces),
    excludedNamespaces: strings(spec.excludedNamespaces),
    itemsBackedUp: num(progress.itemsBackedUp),
    totalItems: num(progress.totalItems),
    errors: num(status.errors) ?? 0,
    warnings: num(status.warnings) ?? 0,
    sourceClusterVersion: str(annotations['velero.io/source-cluster-k8s-gitversion']),
  };
}

/** Refuses a backup Drydock must not restore from: unfinished, failed, another format, another name. */
export function assertRestorable(info: VeleroBackupInfo, folderName: string): void {
  if (info.name !== folderName) {
    throw new SnapshotInvalidError(
      'manifest',
      `velero-backup.json names backup "${info.name}" but sits in folder "${folderName}".`,
      'velero-backup.json',
    );
  }
  if (info.phase !== 'Completed' && info.phase !== 'PartiallyFailed') {
    throw new SnapshotInvalidError(
      'content',
      `Velero backup ${info.name} is in phase ${info.phase || '(none)'}: only Completed or PartiallyFailed backups can be restored${info.phase === 'InProgress' || info.phase === 'New' ? ' (wait until Velero has finished it)' : ''}.`,
      'velero-backup.json',
    );
  }
  if (info.formatVersion !== VELERO_BACKUP_FORMAT) {
    throw new SnapshotInvalidError(
      'schema',
      `Velero backup ${info.name} has format version ${info.formatVersion ?? '(none)'}; Drydock reads ${VELERO_BACKUP_FORMAT}.`,
      'velero-backup.json',
    );
  }
}

/** Reads a whole small gzipped JSON file (Velero's side files are a few KB). */
export async function readGzJson(stream: Readable | undefined, limitBytes = 64 * 1024 * 1024): Promise<unknown> {
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    size += (c as Buffer).length;
    if (size > limitBytes)
      throw new SnapshotInvalidError('content', `A Velero side file is larger than ${limitBytes} bytes; refusing it.`);
    chunks.push(c as Buffer);
  }
  try {
    const text = gunzipSync(Buffer.concat(chunks)).toString('utf8').trim();
    return text ? JSON.parse(text) : undefined;
  } catch (error) {
    throw new SnapshotInvalidError(
      'content',
      `A Velero side file is not gzipped JSON (${(error as Error).message}).`,
      undefined,
      { cause: error },
    );
  }
}

/** `{"errors": {"namespaces": {"ns": ["msg"]}, "cluster": [...], "velero": [...]}, "warnings": {…}}` → lines. */
function resultLines(section: unknown): string[] {
  if (!isObject(section)) return [];
  const out: string[] = [];
  for (const key of ['velero', 'cluster'])
    for (const m of Array.isArray(section[key]) ? section[key] : []) out.push(`${key}: ${String(m)}`);
  if (isObject(section.namespaces)) {
    for (const [ns, msgs] of Object.entries(section.namespaces))
      for (const m of Array.isArray(msgs) ? msgs : []) out.push(`namespace ${ns}: ${String(m)}`);
  }
  return out;
}

/** Builds what Velero reported from its side files (each may be absent or `null`). */
export function parseReported(files: {
  results?: unknown;
  volumeInfo?: unknown;
  podVolumeBackups?: unknown;
  volumeSnapshots?: unknown;
  itemOperations?: unknown;
}): VeleroReported {
  const list = (v: unknown) => (Array.isArray(v) ? v.filter(isObject) : []);
  const results = isObject(files.results) ? files.results : {};
  return {
    errors: resultLines(results.errors),
    warnings: resultLines(results.warnings),
    skippedVolumes: list(files.volumeInfo)
      .filter((v) => v.skipped === true)
      .map((v) => ({
        namespace: str(v.pvcNamespace) ?? '',
        pvc: str(v.pvcName) ?? '',
        pv: str(v.pvName),
        reason: str(v.skippedReason) ?? 'skipped',
      })),
    podVolumeBackups: list(files.podVolumeBackups).map((p) => {
      const meta = isObject(p.metadata) ? p.metadata : {};
      const spec = isObject(p.spec) ? p.spec : {};
      const pod = isObject(spec.pod) ? spec.pod : {};
      const status = isObject(p.status) ? p.status : {};
      return {
        namespace: str(pod.namespace) ?? str(meta.namespace) ?? '',
        pod: str(pod.name) ?? '',
        volume: str(spec.volume) ?? '',
        phase: str(status.phase),
      };
    }),
    volumeSnapshots: list(files.volumeSnapshots).map((s) => {
      const spec = isObject(s.spec) ? s.spec : {};
      const status = isObject(s.status) ? s.status : {};
      return { pv: str(spec.persistentVolumeName) ?? '', provider: str(spec.providerName), phase: str(status.phase) };
    }),
    itemOperations: list(files.itemOperations).map((o) => {
      const spec = isObject(o.spec) ? o.spec : {};
      const item = isObject(spec.resourceIdentifier) ? spec.resourceIdentifier : {};
      const status = isObject(o.status) ? o.status : {};
      return {
        resource: `${str(item.Group) ? `${str(item.Resource)}.${str(item.Group)}` : (str(item.Resource) ?? '?')}/${str(item.Namespace) ?? ''}/${str(item.Name) ?? ''}`,
        phase: str(status.phase),
        error: str(status.error),
      };
    }),
  };
}

/** What the backup admits it lacks, as the snapshot's skipped items: the drill report starts from these. */
export function reportedAsSkipped(r: VeleroReported): SkippedItem[] {
  const out: SkippedItem[] = [];
  for (const v of r.skippedVolumes) {
    out.push({
      resource: 'persistentvolumeclaims',
      group: '',
      namespace: v.namespace,
      name: v.pvc,
      reason: `Velero did not back up this volume's data: ${v.reason}`,
    });
  }
  for (const p of r.podVolumeBackups) {
    out.push({
      resource: 'pods',
      group: '',
      namespace: p.namespace,
      name: p.pod,
      reason: `volume ${p.volume}: data is in Velero's file-system backup (kopia${p.phase ? `, ${p.phase}` : ''}); Drydock restores a stand-in volume, not this data`,
    });
  }
  for (const s of r.volumeSnapshots) {
    out.push({
      resource: 'persistentvolumes',
      group: '',
      name: s.pv,
      reason: `data is in a ${s.provider ?? 'cloud'} volume snapshot${s.phase ? ` (${s.phase})` : ''}; not restorable on this machine`,
    });
  }
  for (const o of r.itemOperations) {
    const [gr = '', ns, name = ''] = o.resource.split('/');
    const dot = gr.indexOf('.');
    out.push({
      resource: dot < 0 ? gr : gr.slice(0, dot),
      group: dot < 0 ? '' : gr.slice(dot + 1),
      namespace: ns || undefined,
      name,
      reason: `Velero item operation ${o.phase ?? ''}${o.error ? `: ${o.error}` : ''}; its result is not in the tarball`,
    });
  }
  r.errors.forEach((e, i) =>
    out.push({
      resource: 'backups',
      group: 'velero.io',
      name: `error-${i + 1}`,
      reason: `Velero reported an error at backup time: ${e}`,
    }),
  );
  for (const s of out) s.reportedBy = 'Velero';
  return out;
}
