import { adaptClaim } from '../../adapt/storageClasses';
import { isRecord, metadataOf, type KubeObject } from '../kubeObject';
import type { KindAction, ReadinessVerdict } from './kindAction';
import { namespacedPath, text, type Workload } from './readinessSupport';

const BINDING_ANNOTATIONS = [
  'pv.kubernetes.io/bind-completed',
  'pv.kubernetes.io/bound-by-controller',
  'volume.kubernetes.io/selected-node',
];

/** A restored claim binds afresh: drop the bound volume name and the binding annotations. */
export function resetPvcBinding(obj: KubeObject): void {
  if (obj.kind !== 'PersistentVolumeClaim') return;
  if (isRecord(obj.spec)) delete obj.spec.volumeName;
  const annotations = metadataOf(obj).annotations;
  if (annotations) for (const a of BINDING_ANNOTATIONS) delete annotations[a];
}

/** A claim must be Bound when its class can be provisioned (or the drill gave it a stand-in volume). */
export function pvcReadiness(c: Workload, bindable: (claim: Workload) => string | undefined): ReadinessVerdict {
  const name = c.metadata!.name!;
  const phase = text(c.status?.phase) || 'Pending';
  const why = bindable(c);
  if (why !== undefined)
    return { groupResource: 'persistentvolumeclaims', name, ready: true, notApplicable: true, detail: why };
  return { groupResource: 'persistentvolumeclaims', name, ready: phase === 'Bound', detail: phase };
}

/** The storage class a claim asks for: a name, "" (no class), or undefined (the default class). */
export function claimStorageClass(claim: KubeObject): string | undefined {
  const spec = isRecord(claim.spec) ? claim.spec : {};
  return typeof spec.storageClassName === 'string' ? spec.storageClassName : undefined;
}

/**
 * An empty hostPath volume of the claim's class, size and access modes, pre-bound to the claim on the
 * target and labelled for its owner: what a drill gives a claim whose class nothing provisions.
 */
export function standInVolumeFor(
  claim: KubeObject,
  target: { namespace: string; name: string },
  owner: { name: string; labels: Record<string, string>; annotations: Record<string, string>; hostPath: string },
): KubeObject {
  const spec = isRecord(claim.spec) ? claim.spec : {};
  const cls = claimStorageClass(claim);
  const resources = isRecord(spec.resources) && isRecord(spec.resources.requests) ? spec.resources.requests : {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: owner.name, labels: owner.labels, annotations: owner.annotations },
    spec: {
      capacity: { storage: typeof resources.storage === 'string' ? resources.storage : '1Gi' },
      accessModes: Array.isArray(spec.accessModes) && spec.accessModes.length ? spec.accessModes : ['ReadWriteOnce'],
      ...(spec.volumeMode ? { volumeMode: spec.volumeMode } : {}),
      storageClassName: cls ?? '',
      persistentVolumeReclaimPolicy: 'Retain',
      hostPath: { path: owner.hostPath },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: target.namespace, name: target.name },
    },
  };
}

export const persistentvolumeclaims: KindAction = {
  groupResource: 'persistentvolumeclaims',
  group: '',
  kind: 'PersistentVolumeClaim',
  sanitize: resetPvcBinding,
  adapt: adaptClaim,
  readiness: {
    listPath: namespacedPath('/api/v1', 'persistentvolumeclaims'),
    verdict: (obj, ctx) => pvcReadiness(obj, ctx.bindable),
    label: 'Bound',
  },
};
