import { adaptClaimTemplates } from '../../adapt/storageClasses';
import type { KubeObject } from '../kubeObject';
import type { KindAction, ReadinessContext, ReadinessVerdict } from './kindAction';
import {
  condition,
  isPodReady,
  matchLabelsOf,
  namespacedPath,
  num,
  podsMatching,
  specSelector,
  text,
  type Workload,
} from './readinessSupport';

/** Deployments, StatefulSets and DaemonSets: nothing to change on restore; ready when their pods are. */

/** Ready pods a `matchLabels`-only selector picks; undefined for other selectors. */
function readyPodsOf(selector: unknown, pods: readonly KubeObject[]): number | undefined {
  const labels = matchLabelsOf(selector);
  return labels && podsMatching(labels, pods).filter(isPodReady).length;
}

/**
 * Ready when the Deployment says it is available, or — before its controller has caught up with its status, which
 * in a namespace of hundreds of Deployments waits behind the controller's request budget — when as many of its
 * pods as it wants are Ready. One scaled to 0 has nothing to wait for.
 */
export function deploymentReadiness(d: Workload, ctx?: Pick<ReadinessContext, 'pods'>): ReadinessVerdict {
  const name = d.metadata!.name!;
  const want = d.spec?.replicas === undefined ? 1 : num(d.spec.replicas);
  if (want === 0)
    return { groupResource: 'deployments.apps', name, ready: true, detail: 'scaled to 0: no pods to wait for' };
  const available = num(d.status?.availableReplicas);
  const cond = condition(d, 'Available');
  const current = num(d.status?.observedGeneration) >= num(d.metadata?.['generation']);
  const ready = cond?.status === 'True' && available >= want && current;
  if (!ready && ctx) {
    const readyPods = readyPodsOf(d.spec?.selector, ctx.pods);
    if (readyPods !== undefined && readyPods >= want)
      return {
        groupResource: 'deployments.apps',
        name,
        ready: true,
        detail: `${readyPods}/${want} pods ready (the Deployment's own status not updated yet)`,
      };
  }
  return {
    groupResource: 'deployments.apps',
    name,
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
