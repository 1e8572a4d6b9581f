import type { KubeObject } from '../kubeObject';
import { cloneJson } from '../kubeObject';
import { actionFor, actionForObject } from '../actions/registry';
import type { SanitizeContext } from '../actions/kindAction';
import { stripServerMetadata } from './stripServerMetadata';
import { stripStatus } from './stripStatus';
import { remapObjectNamespace } from './namespaceMapping';

export type { SanitizeContext } from '../actions/kindAction';

/**
 * A sanitised copy of a captured object, ready to create: the generic steps every object gets (Velero's
 * metadata reset, no status, the mapped namespace), then its kind's own sanitising from `actions/` — found by
 * group-resource when the caller knows it, else by the object's API group and kind.
 */
export function sanitizeForRestore(obj: KubeObject, ctx: SanitizeContext, groupResource?: string): KubeObject {
  const copy = cloneJson(obj);
  stripServerMetadata(copy);
  stripStatus(copy);
  const action = groupResource !== undefined ? actionFor(groupResource) : actionForObject(copy);
  action?.sanitize?.(copy, ctx);
  remapObjectNamespace(copy, ctx.namespaceMap);
  return copy;
}
