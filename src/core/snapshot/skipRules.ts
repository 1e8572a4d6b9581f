import type { KubeObject } from './kubeObject';
import { isRecord, metadataOf } from './kubeObject';

/** Group-resources never captured as items to restore (each item is still recorded as skipped). */
const SKIPPED_TYPES: Record<string, string> = {
  events: 'events are history, not state; they are not restored',
  'events.events.k8s.io': 'events are history, not state; they are not restored',
};

/** What a rule may need to know beyond the object itself. */
export interface SkipContext {
  /** Names of the Services in the object's namespace that have a selector (their Endpoints belong to the endpoints controller). */
  servicesWithSelector?: ReadonlySet<string>;
}

/** Why this captured item must not be restored as such, or undefined to keep it. */
export function skipReason(groupResource: string, obj: KubeObject, ctx: SkipContext = {}): string | undefined {
  const typeReason = SKIPPED_TYPES[groupResource];
  if (typeReason) return typeReason;
  const meta = metadataOf(obj);
  const owner = meta.ownerReferences?.find((o) => o.controller === true);
  if (owner) return `owned by ${owner.kind}/${owner.name}, which recreates it`;
  const status = isRecord(obj.status) ? obj.status : {};
  switch (groupResource) {
    case 'pods':
      if (meta.annotations?.['kubernetes.io/config.mirror']) return 'mirror pod of a static pod; the kubelet manages it';
      if (status.phase === 'Succeeded' || status.phase === 'Failed') return `completed pod (phase ${String(status.phase)})`;
      return undefined;
    case 'jobs.batch':
      if (jobFinished(status)) return 'completed job';
      return undefined;
    case 'secrets':
      if (isAutoTokenSecret(obj)) return 'service account token created by the cluster; a new one is issued';
      return undefined;
    case 'configmaps':
      if (meta.name === 'kube-root-ca.crt') return 'created by the cluster in every namespace';
      return undefined;
    case 'endpoints':
      if (meta.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] !== undefined) return 'maintained by the endpoints controller for its Service';
      // The controller owns the Endpoints of every Service with a selector, even before it has set any address
      // (no annotation yet): a restored copy would be overwritten at once.
      if (meta.name && ctx.servicesWithSelector?.has(meta.name)) return 'maintained by the endpoints controller for its Service (the Service has a selector)';
      return undefined;
    case 'endpointslices.discovery.k8s.io':
      if (meta.labels?.['endpointslice.kubernetes.io/managed-by']) return `maintained by ${meta.labels['endpointslice.kubernetes.io/managed-by']}`;
      return undefined;
    default:
      return undefined;
  }
}

function jobFinished(status: Record<string, unknown>): boolean {
  if (typeof status.completionTime === 'string') return true;
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  return conditions.some((c) => isRecord(c) && (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** Legacy auto-created token secrets: `<sa>-token-xxxxx` of type service-account-token. */
export function isAutoTokenSecret(obj: KubeObject): boolean {
  if (obj.type !== 'kubernetes.io/service-account-token') return false;
  const meta = metadataOf(obj);
  const sa = meta.annotations?.['kubernetes.io/service-account.name'];
  return !!sa && !!meta.name && new RegExp(`^${escapeRegExp(sa)}-token-[a-z0-9]{5}$`).test(meta.name);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
