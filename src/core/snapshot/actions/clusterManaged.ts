import { metadataOf } from '../kubeObject';
import type { KindAction } from './kindAction';

/** Kinds whose items (or some of them) the cluster itself makes and keeps: captured as skipped, never restored. */

export const events: KindAction = {
  groupResource: 'events',
  group: '',
  kind: 'Event',
  skipAll: 'events are history, not state; they are not restored',
};

export const eventsV1: KindAction = {
  groupResource: 'events.events.k8s.io',
  group: 'events.k8s.io',
  kind: 'Event',
  skipAll: 'events are history, not state; they are not restored',
};

export const configmaps: KindAction = {
  groupResource: 'configmaps',
  group: '',
  kind: 'ConfigMap',
  skipReason: (obj) =>
    metadataOf(obj).name === 'kube-root-ca.crt' ? 'created by the cluster in every namespace' : undefined,
};

export const endpoints: KindAction = {
  groupResource: 'endpoints',
  group: '',
  kind: 'Endpoints',
  skipReason(obj, ctx) {
    const meta = metadataOf(obj);
    if (meta.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] !== undefined)
      return 'maintained by the endpoints controller for its Service';
    // The controller owns the Endpoints of every Service with a selector, even before it has set any address
    // (no annotation yet): a restored copy would be overwritten at once.
    if (meta.name && ctx.servicesWithSelector?.has(meta.name))
      return 'maintained by the endpoints controller for its Service (the Service has a selector)';
    return undefined;
  },
};

export const endpointslices: KindAction = {
  groupResource: 'endpointslices.discovery.k8s.io',
  group: 'discovery.k8s.io',
  kind: 'EndpointSlice',
  skipReason(obj) {
    const by = metadataOf(obj).labels?.['endpointslice.kubernetes.io/managed-by'];
    return by ? `maintained by ${by}` : undefined;
  },
};
