import type { KubeObject } from '../kubeObject';
import { isRecord, metadataOf } from '../kubeObject';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Node ports the user asked for explicitly (in the last-applied configuration), by port name or number. */
function explicitNodePorts(obj: KubeObject): Set<number> {
  const text = metadataOf(obj).annotations?.[LAST_APPLIED];
  const result = new Set<number>();
  if (!text) return result;
  try {
    const applied: unknown = JSON.parse(text);
    const ports = isRecord(applied) && isRecord(applied.spec) && Array.isArray(applied.spec.ports) ? applied.spec.ports : [];
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
  if (typeof spec.healthCheckNodePort === 'number' && !explicit.has(spec.healthCheckNodePort)) delete spec.healthCheckNodePort;
}
