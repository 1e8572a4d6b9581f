import { isRecord, metadataOf, type KubeObject } from '../kubeObject';
import { adaptLoadBalancer } from '../../adapt/serviceType';
import type { KindAction, ReadinessVerdict } from './kindAction';
import { isPodReady, namespacedPath, podsMatching, type Workload } from './readinessSupport';

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

/** Whether a pod serves the Service port `port` (a named target port must be one of its containers' ports). */
function servesPort(pod: Workload, port: unknown): boolean {
  if (!isRecord(port) || typeof port.targetPort !== 'string') return true;
  const { targetPort: target, protocol = 'TCP' } = port;
  const containers = Array.isArray(pod.spec?.containers) ? pod.spec.containers : [];
  return containers.some(
    (c) =>
      isRecord(c) &&
      Array.isArray(c.ports) &&
      c.ports.some((p) => isRecord(p) && p.name === target && (p.protocol ?? 'TCP') === protocol),
  );
}

/**
 * Services with a selector need a ready endpoint; headless-without-selector and ExternalName ones do not apply.
 * Ready when an EndpointSlice lists a ready endpoint, or — before the EndpointSlice controller has written one,
 * which for hundreds of Services waits behind its request budget — when a Ready pod with an IP matches the
 * selector and serves every port (what that controller would list).
 */
export function serviceReadiness(
  s: Workload,
  slices: readonly Workload[],
  pods: readonly Workload[] = [],
): ReadinessVerdict {
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
  if (ready > 0) return { groupResource: 'services', name, ready: true, detail: `${ready} ready endpoint(s)` };
  const ports = Array.isArray(s.spec.ports) ? (s.spec.ports as unknown[]) : [];
  const serving = podsMatching(s.spec.selector as Record<string, string>, pods).filter(
    (p: Workload) => isPodReady(p) && typeof p.status?.podIP === 'string' && ports.every((port) => servesPort(p, port)),
  ).length;
  if (serving > 0)
    return {
      groupResource: 'services',
      name,
      ready: true,
      detail: `${serving} ready pod(s) behind it (its EndpointSlice not written yet)`,
    };
  return { groupResource: 'services', name, ready: false, detail: 'no ready endpoints' };
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
    verdict: (obj, ctx) => serviceReadiness(obj, ctx.slices, ctx.pods),
    label: 'has endpoints',
  },
};
