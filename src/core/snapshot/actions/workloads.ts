import { adaptClaimTemplates } from '../../adapt/storageClasses';
import type { KindAction, ReadinessVerdict } from './kindAction';
import { condition, namespacedPath, num, specSelector, text, type Workload } from './readinessSupport';

/** Deployments, StatefulSets and DaemonSets: nothing to change on restore; ready when their pods are. */

export function deploymentReadiness(d: Workload): ReadinessVerdict {
  const want = d.spec?.replicas === undefined ? 1 : num(d.spec.replicas);
  const available = num(d.status?.availableReplicas);
  const cond = condition(d, 'Available');
  const current = num(d.status?.observedGeneration) >= num(d.metadata?.['generation']);
  const ready = cond?.status === 'True' && available >= want && current;
  return {
    groupResource: 'deployments.apps',
    name: d.metadata!.name!,
    ready,
    detail: `${available}/${want} available${cond?.message && !ready ? ` (${text(cond.message)})` : ''}`,
  };
}

export function statefulSetReadiness(s: Workload): ReadinessVerdict {
  const want = s.spec?.replicas === undefined ? 1 : num(s.spec.replicas);
  const readyReplicas = num(s.status?.readyReplicas);
  return {
    groupResource: 'statefulsets.apps',
    name: s.metadata!.name!,
    ready: readyReplicas >= want,
    detail: `${readyReplicas}/${want} ready`,
  };
}

export function daemonSetReadiness(d: Workload): ReadinessVerdict {
  const desired = num(d.status?.desiredNumberScheduled);
  const scheduled = num(d.status?.currentNumberScheduled);
  const observed = d.status?.observedGeneration !== undefined;
  return {
    groupResource: 'daemonsets.apps',
    name: d.metadata!.name!,
    ready: observed && scheduled >= desired,
    detail: `${scheduled}/${desired} scheduled`,
  };
}

const apps = (resource: string) => namespacedPath('/apis/apps/v1', resource);

export const deployments: KindAction = {
  groupResource: 'deployments.apps',
  group: 'apps',
  kind: 'Deployment',
  readiness: {
    listPath: apps('deployments'),
    verdict: deploymentReadiness,
    selector: specSelector,
    label: 'Available',
  },
};

export const statefulsets: KindAction = {
  groupResource: 'statefulsets.apps',
  group: 'apps',
  kind: 'StatefulSet',
  adapt: adaptClaimTemplates,
  readiness: { listPath: apps('statefulsets'), verdict: statefulSetReadiness, selector: specSelector, label: 'ready' },
};

export const daemonsets: KindAction = {
  groupResource: 'daemonsets.apps',
  group: 'apps',
  kind: 'DaemonSet',
  readiness: { listPath: apps('daemonsets'), verdict: daemonSetReadiness, selector: specSelector, label: 'scheduled' },
};
