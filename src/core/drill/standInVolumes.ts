import type { KubeRawClient } from '../kube/rawClient';
import { KubeApiError } from '../kube/kubeApiError';
import { claimStorageClass, standInVolumeFor, type PlannedItem, type SnapshotReader } from '../snapshot';
import { isRecord, type KubeObject } from '../snapshot/kubeObject';
import { DRILL_LABEL, drillOwnerAnnotations } from './scratchNames';

/** A claim of the recovery point whose class nothing provisions, and the volume the drill gives it instead. */
export interface StandInVolume {
  claim: { namespace: string; name: string };
  storageClass: string;
  volume: KubeObject;
}

const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

/** The provisioner of a storage class on the target, or undefined when nothing provisions it. */
async function provisionerOf(
  kube: KubeRawClient,
  storageClass: string | undefined,
  signal?: AbortSignal,
): Promise<string | undefined> {
  try {
    if (storageClass === undefined) {
      const list = await kube.list('/apis/storage.k8s.io/v1/storageclasses', { signal });
      const def = list.items
        .filter(isRecord)
        .find(
          (sc) =>
            isRecord(sc.metadata) &&
            isRecord(sc.metadata.annotations) &&
            sc.metadata.annotations['storageclass.kubernetes.io/is-default-class'] === 'true',
        );
      return def && typeof def.provisioner === 'string' && def.provisioner !== NO_PROVISIONER
        ? def.provisioner
        : undefined;
    }
    if (storageClass === '') return undefined;
    const sc = await kube.request<KubeObject>(
      'GET',
      `/apis/storage.k8s.io/v1/storageclasses/${encodeURIComponent(storageClass)}`,
      undefined,
      { signal },
    );
    return typeof sc.provisioner === 'string' && sc.provisioner !== NO_PROVISIONER ? sc.provisioner : undefined;
  } catch (error) {
    if (KubeApiError.is(error) && error.statusCode === 404) return undefined;
    throw error;
  }
}

/**
 * Claims bound to pre-provisioned volumes cannot bind in a scratch namespace (their volume belongs to the
 * original claim). For each claim whose class nothing provisions, a stand-in volume (built by the claims'
 * action, `actions/persistentvolumeclaims.ts`) labelled with the run id. Volume data is not part of a
 * recovery point, so the stand-in is empty.
 */
export async function planStandInVolumes(
  reader: SnapshotReader,
  plan: readonly PlannedItem[],
  kube: KubeRawClient,
  runId: string,
  signal?: AbortSignal,
  /** The restore's production → local adaptation of a claim (its StorageClass), applied before the class is judged. */
  adaptClaim?: (claim: KubeObject) => void,
): Promise<StandInVolume[]> {
  const out: StandInVolume[] = [];
  const cache = new Map<string, string | undefined>();
  let n = 0;
  for (const item of plan) {
    if (item.groupResource !== 'persistentvolumeclaims' || !item.targetNamespace) continue;
    const claim = await reader.readItem(item.path);
    adaptClaim?.(claim);
    const cls = claimStorageClass(claim);
    const key = cls ?? '\u0000default';
    if (!cache.has(key)) cache.set(key, await provisionerOf(kube, cls, signal));
    if (cache.get(key) !== undefined) continue;
    const name = `drill-${runId}-${++n}`;
    out.push({
      claim: { namespace: item.targetNamespace, name: item.name },
      storageClass: cls ?? '',
      volume: standInVolumeFor(
        claim,
        { namespace: item.targetNamespace, name: item.name },
        {
          name,
          labels: { [DRILL_LABEL]: runId },
          // Owned like the namespace: a concurrent drill of another workspace must not take it for an orphan.
          annotations: {
            'drydock.dev/stand-in-for': `${item.sourceNamespace}/${item.name}`,
            ...drillOwnerAnnotations(),
          },
          hostPath: `/tmp/drydock-drill/${runId}/${n}`,
        },
      ),
    });
  }
  return out;
}
