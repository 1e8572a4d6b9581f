import type { KubeRawClient } from '../kube/rawClient';
import { KubeApiError } from '../kube/kubeApiError';
import type { SnapshotReader } from '../snapshot/archive/snapshotReader';
import type { PlannedItem } from '../snapshot/kube/restorePlan';
import { isRecord, type KubeObject } from '../snapshot/kubeObject';
import { DRILL_LABEL } from './scratchNames';

/** A claim of the recovery point whose class nothing provisions, and the volume the drill gives it instead. */
export interface StandInVolume {
  claim: { namespace: string; name: string };
  storageClass: string;
  volume: KubeObject;
}

const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

/** The provisioner of a storage class on the target, or undefined when nothing provisions it. */
async function provisionerOf(kube: KubeRawClient, storageClass: string | undefined, signal?: AbortSignal): Promise<string | undefined> {
  try {
    if (storageClass === undefined) {
      const list = await kube.list('/apis/storage.k8s.io/v1/storageclasses', { signal });
      const def = list.items.filter(isRecord).find((sc) => isRecord(sc.metadata) && isRecord(sc.metadata.annotations) && sc.metadata.annotations['storageclass.kubernetes.io/is-default-class'] === 'true');
      return def && typeof def.provisioner === 'string' && def.provisioner !== NO_PROVISIONER ? def.provisioner : undefined;
    }
    if (storageClass === '') return undefined;
    const sc = await kube.request<KubeObject>('GET', `/apis/storage.k8s.io/v1/storageclasses/${encodeURIComponent(storageClass)}`, undefined, { signal });
    return typeof sc.provisioner === 'string' && sc.provisioner !== NO_PROVISIONER ? sc.provisioner : undefined;
  } catch (error) {
    if (KubeApiError.is(error) && error.statusCode === 404) return undefined;
    throw error;
  }
}

/**
 * Claims bound to pre-provisioned volumes cannot bind in a scratch namespace (their volume belongs to the
 * original claim). For each claim whose class nothing provisions, a hostPath stand-in volume of the same
 * class, size and access modes, pre-bound to the drill's claim and labelled with the run id. Volume data is
 * not part of a recovery point, so the stand-in is empty.
 */
export async function planStandInVolumes(reader: SnapshotReader, plan: readonly PlannedItem[], kube: KubeRawClient, runId: string, signal?: AbortSignal): Promise<StandInVolume[]> {
  const out: StandInVolume[] = [];
  const cache = new Map<string, string | undefined>();
  let n = 0;
  for (const item of plan) {
    if (item.groupResource !== 'persistentvolumeclaims' || !item.targetNamespace) continue;
    const claim = await reader.readItem(item.path);
    const spec = isRecord(claim.spec) ? claim.spec : {};
    const cls = typeof spec.storageClassName === 'string' ? spec.storageClassName : undefined;
    const key = cls ?? '\u0000default';
    if (!cache.has(key)) cache.set(key, await provisionerOf(kube, cls, signal));
    if (cache.get(key) !== undefined) continue;
    const resources = isRecord(spec.resources) && isRecord(spec.resources.requests) ? spec.resources.requests : {};
    const name = `drill-${runId}-${++n}`;
    out.push({
      claim: { namespace: item.targetNamespace, name: item.name },
      storageClass: cls ?? '',
      volume: {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name, labels: { [DRILL_LABEL]: runId }, annotations: { 'drydock.dev/stand-in-for': `${item.sourceNamespace}/${item.name}` } },
        spec: {
          capacity: { storage: typeof resources.storage === 'string' ? resources.storage : '1Gi' },
          accessModes: Array.isArray(spec.accessModes) && spec.accessModes.length ? spec.accessModes : ['ReadWriteOnce'],
          ...(spec.volumeMode ? { volumeMode: spec.volumeMode } : {}),
          storageClassName: cls ?? '',
          persistentVolumeReclaimPolicy: 'Retain',
          hostPath: { path: `/tmp/drydock-drill/${runId}/${n}` },
          claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: item.targetNamespace, name: item.name },
        },
      },
    });
  }
  return out;
}
