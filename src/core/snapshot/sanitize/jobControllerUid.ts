import type { KubeObject } from '../kubeObject';
import { isRecord } from '../kubeObject';

const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];

/** A Job's generated selector names the old Job's uid: drop it (and the matching template labels) so a new one is generated. */
export function dropJobControllerUid(obj: KubeObject): void {
  if (obj.kind !== 'Job' || !isRecord(obj.spec)) return;
  const spec = obj.spec;
  if (spec.manualSelector === true) return;
  const selector = spec.selector;
  if (isRecord(selector) && isRecord(selector.matchLabels) && CONTROLLER_UID_LABELS.some((l) => l in (selector.matchLabels as object))) {
    delete spec.selector;
  }
  const template = spec.template;
  if (isRecord(template) && isRecord(template.metadata) && isRecord(template.metadata.labels)) {
    const labels = template.metadata.labels;
    for (const l of CONTROLLER_UID_LABELS) delete labels[l];
  }
}
