import { isRecord, type KubeObject } from '../kubeObject';
import type { AdaptContext, Adaptation } from '../../adapt/adaptation';
import { subjectOf } from '../../adapt/podSpecs';
import type { KindAction } from './kindAction';

/**
 * Admission webhooks whose Service is neither on the target nor created by the restore are removed from their
 * configuration: the API server would call a service that is not there, and (failurePolicy Fail) refuse every
 * object the webhook's rules match — the restore's own objects included.
 */
export function adaptWebhooks(obj: KubeObject, groupResource: string, ctx: AdaptContext): Adaptation[] {
  if (!Array.isArray(obj.webhooks)) return [];
  const subject = subjectOf(obj, groupResource);
  const out: Adaptation[] = [];
  const kept = obj.webhooks.filter((w) => {
    const svc =
      isRecord(w) && isRecord(w.clientConfig) && isRecord(w.clientConfig.service) ? w.clientConfig.service : undefined;
    if (!svc) return true;
    const id = `${String(svc.namespace)}/${String(svc.name)}`;
    if (!ctx.cluster.services || ctx.cluster.services.has(id)) return true;
    const hook = w as Record<string, unknown>;
    const policy = typeof hook.failurePolicy === 'string' ? hook.failurePolicy : 'Fail';
    out.push({
      kind: 'admission-webhook',
      subject,
      change: `webhook ${String(hook.name)} removed: its Service ${id} is not here (with failurePolicy ${policy} the API server would ${policy === 'Ignore' ? 'skip it on every call, after a timeout' : 'refuse every object it matches'})`,
    });
    return false;
  });
  // The API server stores an empty list as no list: the adapted object says so too (or the drill's comparison of the
  // restored object with the adapted one would see a difference that is not there).
  if (kept.length) obj.webhooks = kept;
  else delete obj.webhooks;
  return out;
}

export const validatingwebhookconfigurations: KindAction = {
  groupResource: 'validatingwebhookconfigurations.admissionregistration.k8s.io',
  group: 'admissionregistration.k8s.io',
  kind: 'ValidatingWebhookConfiguration',
  adapt: adaptWebhooks,
};

export const mutatingwebhookconfigurations: KindAction = {
  groupResource: 'mutatingwebhookconfigurations.admissionregistration.k8s.io',
  group: 'admissionregistration.k8s.io',
  kind: 'MutatingWebhookConfiguration',
  adapt: adaptWebhooks,
};
