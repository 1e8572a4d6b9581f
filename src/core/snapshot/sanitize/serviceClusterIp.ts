import type { KubeObject } from '../kubeObject';
import { isRecord } from '../kubeObject';

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
