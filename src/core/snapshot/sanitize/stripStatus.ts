import type { KubeObject } from '../kubeObject';

/** Status is observed state, written by controllers: never restored. */
export function stripStatus(obj: KubeObject): void {
  delete obj.status;
}
