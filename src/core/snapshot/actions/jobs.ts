import { isRecord, type KubeObject } from '../kubeObject';
import type { KindAction, ReadinessVerdict } from './kindAction';
import { condition, namespacedPath, num, specSelector, text, type Workload } from './readinessSupport';

const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];

function jobFinished(status: Record<string, unknown>): boolean {
  if (typeof status.completionTime === 'string') return true;
  const conds = Array.isArray(status.conditions) ? status.conditions : [];
  return conds.some((c) => isRecord(c) && (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** A Job's generated selector names the old Job's uid: drop it (and the matching template labels) so a new one is generated. */
export function dropJobControllerUid(obj: KubeObject): void {
  if (obj.kind !== 'Job' || !isRecord(obj.spec)) return;
  const spec = obj.spec;
  if (spec.manualSelector === true) return;
  const selector = spec.selector;
  if (
    isRecord(selector) &&
    isRecord(selector.matchLabels) &&
    CONTROLLER_UID_LABELS.some((l) => l in (selector.matchLabels as object))
  ) {
    delete spec.selector;
  }
  const template = spec.template;
  if (isRecord(template) && isRecord(template.metadata) && isRecord(template.metadata.labels)) {
    const labels = template.metadata.labels;
    for (const l of CONTROLLER_UID_LABELS) delete labels[l];
  }
}

export function jobReadiness(j: Workload): ReadinessVerdict {
  const complete = condition(j, 'Complete')?.status === 'True';
  const failed = condition(j, 'Failed');
  return {
    groupResource: 'jobs.batch',
    name: j.metadata!.name!,
    ready: complete,
    detail: complete
      ? 'complete'
      : failed?.status === 'True'
        ? `failed: ${text(failed.message) || text(failed.reason)}`
        : `${num(j.status?.succeeded)} succeeded, not complete`,
  };
}

export const jobs: KindAction = {
  groupResource: 'jobs.batch',
  group: 'batch',
  kind: 'Job',
  skipReason: (obj) => (jobFinished(isRecord(obj.status) ? obj.status : {}) ? 'completed job' : undefined),
  sanitize: dropJobControllerUid,
  readiness: {
    listPath: namespacedPath('/apis/batch/v1', 'jobs'),
    verdict: jobReadiness,
    selector: specSelector,
    label: 'complete',
  },
};
