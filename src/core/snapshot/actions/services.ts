import { isRecord, metadataOf, type KubeObject } from '../kubeObject';
import { adaptLoadBalancer } from '../../adapt/serviceType';
import type { KindAction, ReadinessVerdict } from './kindAction';
import { namespacedPath, type Workload } from './readinessSupport';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Services get a fresh cluster IP, except headless ones (`clusterIP: None`), which must stay headless. */
export function resetServiceClusterIp(obj: KubeObject): void {
  if (obj.kind !== 'Service' || !isRecord(obj.spec)) return;
  const spec = obj.spec;
  if (spec.clusterIP === 'None') {
    spec.clusterIPs = ['None'];
    return;
  }
  delete spec.clusterIP;
  delete spec.clusterIPs;
}

/** Node ports the user asked for explicitly (in the last-applied configuration), by port name or number. */
function explicitNodePorts(obj: KubeObject): Set<number> {
  const text = metadataOf(obj).annotations?.[LAST_APPLIED];
  const result = new Set<number>();
  if (!text) return result;
  try {
    const applied: unknown = JSON.parse(text);
    const ports =
      isRecord(applied) && isRecord(applied.spec) && Array.isArray(applied.spec.ports) ? applied.spec.ports : [];
    for (const p of ports) if (isRecord(p) && typeof p.nodePort === 'number') result.add(p.nodePort);
  } catch {
    // Not JSON: nothing explicit is known.
  }
  return result;
}

/** Auto-assigned node ports (and health check node port) are dropped so the cluster assigns new ones; explicit ones are kept. */
export function resetAutoNodePorts(obj: KubeObject): void {
  if (obj.kind !== 'Service' || !isRecord(obj.spec)) return;
  const spec = obj.spec;
  const explicit = explicitNodePorts(obj);
  if (Array.isArray(spec.ports)) {
    for (const port of spec.ports) {
      if (isRecord(port) && typeof port.nodePort === 'number' && !explicit.has(port.nodePort)) delete port.nodePort;
    }
  }
  if (typeof spec.healthCheckNodePort === 'number' && !explicit.has(spec.healthCheckNodePort))
    delete spec.healthCheckNodePort;
}

/** Services with a selector need a ready endpoint; headless-without-selector and ExternalName ones do not apply. */
export function serviceReadiness(s: Workload, slices: readonly Workload[]): ReadinessVerdict {
  const name = s.metadata!.name!;
  if (s.spec?.type === 'ExternalName' || !isRecord(s.spec?.selector) || Object.keys(s.spec.selector).length === 0) {
    return {
      groupResource: 'services',
      name,
      ready: true,
      notApplicable: true,
      detail: 'no selector: endpoints are not managed',
    };
  }
  let ready = 0;
  for (const slice of slices) {
    if (slice.metadata?.labels?.['kubernetes.io/service-name'] !== name) continue;
    const endpoints = Array.isArray(slice['endpoints']) ? (slice['endpoints'] as Array<Record<string, unknown>>) : [];
    ready += endpoints.filter((e) => !isRecord(e.conditions) || e.conditions.ready !== false).length;
  }
  return {
    groupResource: 'services',
    name,
    ready: ready > 0,
    detail: ready > 0 ? `${ready} ready endpoint(s)` : 'no ready endpoints',
  };
}

export const services: KindAction = {
  groupResource: 'services',
  group: '',
  kind: 'Service',
  sanitize(obj) {
    resetServiceClusterIp(obj);
    resetAutoNodePorts(obj);
  },
  adapt: adaptLoadBalancer,
  /** An update keeps the cluster IPs the live Service was given (they cannot change). */
  forUpdate(next, live) {
    if (!isRecord(next.spec) || !isRecord(live.spec)) return;
    for (const f of ['clusterIP', 'clusterIPs', 'ipFamilies'])
      if (next.spec[f] === undefined && live.spec[f] !== undefined) next.spec[f] = live.spec[f];
  },
  readiness: {
    listPath: namespacedPath('/api/v1', 'services'),
    verdict: (obj, ctx) => serviceReadiness(obj, ctx.slices),
    label: 'has endpoints',
  },
};
