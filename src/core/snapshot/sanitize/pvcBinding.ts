import type { KubeObject } from '../kubeObject';
import { isRecord, metadataOf } from '../kubeObject';

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
