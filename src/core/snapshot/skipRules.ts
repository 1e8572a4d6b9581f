import type { KubeObject } from './kubeObject';
import { metadataOf } from './kubeObject';
import { actionFor } from './actions/registry';
import type { SkipContext } from './actions/kindAction';

export type { SkipContext } from './actions/kindAction';
export { isAutoTokenSecret } from './actions/secrets';

/**
 * Why this captured item must not be restored as such (it is recorded as skipped), or undefined to keep it:
 * anything a controller owns (it recreates it), then the kind's own rule from `actions/`.
 */
export function skipReason(groupResource: string, obj: KubeObject, ctx: SkipContext = {}): string | undefined {
  const action = actionFor(groupResource);
  if (action?.skipAll) return action.skipAll;
  const owner = metadataOf(obj).ownerReferences?.find((o) => o.controller === true);
  if (owner) return `owned by ${owner.kind}/${owner.name}, which recreates it`;
  return action?.skipReason?.(obj, ctx);
}
