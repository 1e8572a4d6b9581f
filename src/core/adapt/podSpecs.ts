import { isRecord, metadataOf, type KubeObject } from '../snapshot/kubeObject';

/** A pod spec inside an object, with the metadata (labels, annotations) its pods get. */
export interface PodSpecAt {
  spec: Record<string, unknown>;
  /** The pod template's metadata (the object's own for a Pod). */
  metadata: Record<string, unknown>;
  /** JSON path of the spec, for the report: `spec.template.spec`. */
  path: string;
}

const at = (node: unknown, keys: readonly string[]): Record<string, unknown> | undefined => {
  let cur: unknown = node;
  for (const k of keys) cur = isRecord(cur) ? cur[k] : undefined;
  return isRecord(cur) ? cur : undefined;
};

/**
 * The pod spec of a Pod, of a workload's pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
 * ReplicationController, PodTemplate) or of a CronJob's job template; undefined for anything else.
 */
export function podSpecOf(obj: KubeObject): PodSpecAt | undefined {
  if (obj.kind === 'Pod') {
    const spec = at(obj, ['spec']);
    return spec ? { spec, metadata: metadataOf(obj), path: 'spec' } : undefined;
  }
  const keys =
    obj.kind === 'CronJob'
      ? ['spec', 'jobTemplate', 'spec', 'template']
      : obj.kind === 'PodTemplate'
        ? ['template']
        : ['spec', 'template'];
  const template = at(obj, keys);
  const spec = at(template, ['spec']);
  if (!template || !spec) return undefined;
  if (!isRecord(template.metadata)) template.metadata = {};
  return { spec, metadata: template.metadata as Record<string, unknown>, path: [...keys, 'spec'].join('.') };
}

/** Every container of a pod spec (init and ephemeral ones too). */
export function containersOf(spec: Record<string, unknown>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const key of ['initContainers', 'containers', 'ephemeralContainers'])
    if (Array.isArray(spec[key])) for (const c of spec[key] as unknown[]) if (isRecord(c)) out.push(c);
  return out;
}

/** `deployments.apps/shop/web` for an object (its namespace as it is now: the restore's target). */
export function subjectOf(obj: KubeObject, groupResource: string): string {
  const meta = metadataOf(obj);
  return meta.namespace
    ? `${groupResource}/${meta.namespace}/${meta.name ?? '?'}`
    : `${groupResource}/${meta.name ?? '?'}`;
}
