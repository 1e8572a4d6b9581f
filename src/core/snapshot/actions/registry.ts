import { apiGroupOf, type KubeObject } from '../kubeObject';
import { clusterrolebindings, rolebindings } from './bindings';
import { configmaps, endpoints, endpointslices, events, eventsV1 } from './clusterManaged';
import { ingresses } from './ingresses';
import { jobs } from './jobs';
import type { KindAction } from './kindAction';
import { persistentvolumeclaims } from './persistentvolumeclaims';
import { pods } from './pods';
import { secrets } from './secrets';
import { serviceaccounts } from './serviceaccounts';
import { services } from './services';
import { mutatingwebhookconfigurations, validatingwebhookconfigurations } from './webhooks';
import { daemonsets, deployments, statefulsets } from './workloads';

/** Why a workload's pods are not running, for readiness reports. */
export { podHint } from './readinessSupport';

/**
 * Every per-kind action, one per group-resource. To add what Drydock does for a kind (a skip rule, a
 * sanitiser, update handling, readiness, a production→local adaptation), write `actions/<resource>.ts`
 * exporting a `KindAction` and list it here.
 */
export const KIND_ACTIONS: readonly KindAction[] = [
  deployments,
  statefulsets,
  daemonsets,
  jobs,
  services,
  persistentvolumeclaims,
  pods,
  serviceaccounts,
  secrets,
  configmaps,
  endpoints,
  endpointslices,
  events,
  eventsV1,
  rolebindings,
  clusterrolebindings,
  ingresses,
  validatingwebhookconfigurations,
  mutatingwebhookconfigurations,
];

const byGroupResource = new Map(KIND_ACTIONS.map((a) => [a.groupResource, a]));
const byGroupKind = new Map(KIND_ACTIONS.map((a) => [`${a.group}/${a.kind}`, a]));

/** The action for a group-resource (`services`, `jobs.batch`), if Drydock does anything special for it. */
export function actionFor(groupResource: string): KindAction | undefined {
  return byGroupResource.get(groupResource);
}

/** The action for an object by its API group and kind (a `serving.knative.dev` Service is not a core Service). */
export function actionForObject(obj: KubeObject): KindAction | undefined {
  return byGroupKind.get(`${apiGroupOf(obj.apiVersion)}/${String(obj.kind)}`);
}

/** The actions that say when their objects are ready (drill readiness). */
export function readinessActions(): KindAction[] {
  return KIND_ACTIONS.filter((a) => a.readiness);
}
