import type { KubeObject } from '../kubeObject';
import { metadataOf } from '../kubeObject';

/** Fields the API server sets on its own; a create carrying them is refused or misleading. */
export const SERVER_METADATA_FIELDS = [
  'generateName',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'ownerReferences',
  'managedFields',
] as const;

/** Velero's metadata reset: removes the server-populated metadata fields. */
export function stripServerMetadata(obj: KubeObject): void {
  const meta = metadataOf(obj);
  for (const field of SERVER_METADATA_FIELDS) delete meta[field];
}
