import type { KubeObject } from '../kubeObject';
import { isRecord } from '../kubeObject';

/** A restored pod is scheduled again: the node it ran on may not exist. */
export function clearPodNodeName(obj: KubeObject): void {
  if (obj.kind !== 'Pod' || !isRecord(obj.spec)) return;
  delete obj.spec.nodeName;
}
