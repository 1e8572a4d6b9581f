import { isRecord, metadataOf, type KubeObject } from '../kubeObject';
import type { KindAction } from './kindAction';

/** A restored pod is scheduled again: the node it ran on may not exist. */
export function clearPodNodeName(obj: KubeObject): void {
  if (obj.kind !== 'Pod' || !isRecord(obj.spec)) return;
  delete obj.spec.nodeName;
}

export const pods: KindAction = {
  groupResource: 'pods',
  group: '',
  kind: 'Pod',
  skipReason(obj) {
    const status = isRecord(obj.status) ? obj.status : {};
    if (metadataOf(obj).annotations?.['kubernetes.io/config.mirror'])
      return 'mirror pod of a static pod; the kubelet manages it';
    if (status.phase === 'Succeeded' || status.phase === 'Failed')
      return `completed pod (phase ${String(status.phase)})`;
    return undefined;
  },
  sanitize: clearPodNodeName,
};
