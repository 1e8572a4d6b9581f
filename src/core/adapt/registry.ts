import type { KubeObject } from '../snapshot/kubeObject';
import { actionFor } from '../snapshot/actions/registry';
import type { AdaptContext, Adaptation, ObjectAdapter } from './adaptation';
import { awsReferenceAdapter } from './awsReferences';
import { adaptImagePull } from './imagePull';
import { reportMissingCrd } from './missingCrd';
import { adaptPriorityClass, adaptScheduling } from './scheduling';
import { adaptWorkloadIdentity } from './workloadIdentity';

/**
 * Adapters for every kind, in this order after the kind's own (`KindAction.adapt`): a custom resource without
 * its CRD; pod specs wherever they are (Pods, every workload's template, CronJobs' job templates) — node pools,
 * PriorityClasses, image pull secrets; workload-identity annotations on any object; references to real AWS
 * (rewritten to the local copies `makeLocalAwsCopies` makes before the first Kubernetes write).
 */
export const ALL_KIND_ADAPTERS: readonly ObjectAdapter[] = [
  reportMissingCrd,
  adaptScheduling,
  adaptPriorityClass,
  adaptImagePull,
  adaptWorkloadIdentity,
  awsReferenceAdapter,
];

/** Every adaptation of one object (in place): its kind's own, then those for every kind. */
export function adaptObject(obj: KubeObject, groupResource: string, ctx: AdaptContext): Adaptation[] {
  const out: Adaptation[] = [];
  const own = actionFor(groupResource)?.adapt;
  if (own) out.push(...own(obj, groupResource, ctx));
  // A type the target cannot take is reported once; nothing else would reach the API server.
  const missing = reportMissingCrd(obj, groupResource, ctx);
  if (missing.length) return [...out, ...missing];
  for (const adapter of ALL_KIND_ADAPTERS)
    if (adapter !== reportMissingCrd) out.push(...adapter(obj, groupResource, ctx));
  return out;
}
