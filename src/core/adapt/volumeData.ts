import type { SnapshotReader } from '../snapshot/archive/snapshotReader';
import type { PlannedItem } from '../snapshot/kube/restorePlan';
import { isRecord, type KubeObject } from '../snapshot/kubeObject';
import { podSpecOf } from './podSpecs';

/** Where an opened Velero backup keeps Velero's own report (see `velero/veleroRecoveryPoint.ts`). */
export const VELERO_REPORT_PATH = 'drydock/velero.json';

interface VeleroReportEntry {
  reported?: {
    skippedVolumes?: Array<{ namespace: string; pvc: string; pv?: string; reason: string }>;
    podVolumeBackups?: Array<{ namespace: string; pod: string; volume: string; phase?: string }>;
    volumeSnapshots?: Array<{ pv: string; provider?: string; phase?: string }>;
  };
}

const WORKLOADS = new Set([
  'deployments.apps',
  'statefulsets.apps',
  'daemonsets.apps',
  'replicasets.apps',
  'jobs.batch',
]);

/**
 * Claims of the recovery point whose data it does not hold, from Velero's report: volumes Velero skipped, volumes
 * in cloud snapshots (through the PersistentVolume's claim) and in its file-system backup (kopia; through the pod's
 * workload template). Keyed `<source namespace>/<claim>`; empty for a Drydock snapshot.
 */
export async function claimsWithoutData(
  reader: SnapshotReader,
  plan: readonly PlannedItem[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!reader.has(VELERO_REPORT_PATH)) return out;
  const r = (await reader.readJson<VeleroReportEntry>(VELERO_REPORT_PATH)).reported ?? {};
  for (const v of r.skippedVolumes ?? [])
    out.set(`${v.namespace}/${v.pvc}`, `Velero did not back up its data: ${v.reason}`);
  for (const s of r.volumeSnapshots ?? []) {
    const pv = plan.find((i) => i.groupResource === 'persistentvolumes' && (i.sourceName ?? i.name) === s.pv);
    if (!pv) continue;
    const obj = await reader.readItem(pv.path);
    const ref = isRecord(obj.spec) && isRecord(obj.spec.claimRef) ? obj.spec.claimRef : undefined;
    if (ref)
      out.set(
        `${String(ref.namespace)}/${String(ref.name)}`,
        `its data is in a ${s.provider ?? 'cloud'} volume snapshot of ${s.pv}, which cannot be restored on this machine`,
      );
  }
  const backups = r.podVolumeBackups ?? [];
  if (backups.length) {
    const templates: Array<{ ns: string; name: string; obj: KubeObject; gr: string }> = [];
    for (const item of plan)
      if (WORKLOADS.has(item.groupResource) && item.sourceNamespace)
        templates.push({
          ns: item.sourceNamespace,
          name: item.sourceName ?? item.name,
          obj: await reader.readItem(item.path),
          gr: item.groupResource,
        });
    for (const b of backups) {
      const owner = templates.find((t) => t.ns === b.namespace && b.pod.startsWith(`${t.name}-`));
      if (!owner) continue;
      const claim = claimOfPodVolume(owner.obj, owner.gr, b.pod, b.volume);
      if (claim)
        out.set(
          `${b.namespace}/${claim}`,
          `its data is in Velero's file-system backup (kopia) of pod ${b.pod} volume ${b.volume}, which Drydock does not restore`,
        );
    }
  }
  return out;
}

/** The claim a workload's pod mounts as `volume`: a template volume's claim, or a StatefulSet's `<template>-<pod>`. */
function claimOfPodVolume(workload: KubeObject, gr: string, pod: string, volume: string): string | undefined {
  const spec = podSpecOf(structuredClone(workload))?.spec;
  const volumes = spec && Array.isArray(spec.volumes) ? spec.volumes.filter(isRecord) : [];
  const v = volumes.find((x) => x.name === volume);
  if (v && isRecord(v.persistentVolumeClaim) && typeof v.persistentVolumeClaim.claimName === 'string')
    return v.persistentVolumeClaim.claimName;
  if (gr === 'statefulsets.apps' && isRecord(workload.spec) && Array.isArray(workload.spec.volumeClaimTemplates)) {
    const t: unknown = (workload.spec.volumeClaimTemplates as unknown[]).find(
      (x) => isRecord(x) && isRecord(x.metadata) && x.metadata.name === volume,
    );
    if (t) return `${volume}-${pod}`;
  }
  return undefined;
}
