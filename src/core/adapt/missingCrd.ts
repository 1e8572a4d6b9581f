import type { KubeObject } from '../snapshot/kubeObject';
import type { AdaptContext, Adaptation } from './adaptation';
import { subjectOf } from './podSpecs';

/** True when the target neither serves the group-resource nor gets its CRD from this restore. */
export function isMissingType(groupResource: string, ctx: Pick<AdaptContext, 'cluster'>): boolean {
  return groupResource.includes('.') && !ctx.cluster.servedGroupResources.has(groupResource);
}

/**
 * A custom resource whose CustomResourceDefinition is neither on the target nor in the recovery point: it
 * cannot be created (and nothing here would reconcile it). Reported as a gap naming the CRD.
 */
export function reportMissingCrd(obj: KubeObject, groupResource: string, ctx: AdaptContext): Adaptation[] {
  if (!isMissingType(groupResource, ctx)) return [];
  return [
    {
      kind: 'missing-crd',
      subject: subjectOf(obj, groupResource),
      gap: true,
      change: `not restored: no CustomResourceDefinition ${groupResource} here or in the recovery point (install its operator or CRD first)`,
    },
  ];
}
