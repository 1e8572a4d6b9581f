import type { KubeObject } from '../kubeObject';
import { cloneJson } from '../kubeObject';
import { stripServerMetadata } from './stripServerMetadata';
import { stripStatus } from './stripStatus';
import { resetServiceClusterIp } from './serviceClusterIp';
import { resetAutoNodePorts } from './serviceNodePorts';
import { resetPvcBinding } from './pvcBinding';
import { clearPodNodeName } from './podNodeName';
import { dropJobControllerUid } from './jobControllerUid';
import { dropAutoTokenSecretRefs } from './serviceAccountTokens';
import { remapObjectNamespace, remapBindingSubjects, type NamespaceMap } from './namespaceMapping';

export interface SanitizeContext {
  namespaceMap: NamespaceMap;
}

/** One restore step, applied in place to a copy of the captured object. */
export interface SanitizeRule {
  name: string;
  apply(obj: KubeObject, ctx: SanitizeContext): void;
}

/** Every rule, in the order they run. */
export const SANITIZE_RULES: readonly SanitizeRule[] = [
  { name: 'strip-server-metadata', apply: stripServerMetadata },
  { name: 'strip-status', apply: stripStatus },
  { name: 'service-cluster-ip', apply: resetServiceClusterIp },
  { name: 'service-node-ports', apply: resetAutoNodePorts },
  { name: 'pvc-binding', apply: resetPvcBinding },
  { name: 'pod-node-name', apply: clearPodNodeName },
  { name: 'job-controller-uid', apply: dropJobControllerUid },
  { name: 'service-account-token-refs', apply: dropAutoTokenSecretRefs },
  { name: 'namespace', apply: (o, c) => remapObjectNamespace(o, c.namespaceMap) },
  { name: 'binding-subjects', apply: (o, c) => remapBindingSubjects(o, c.namespaceMap) },
];

/** A sanitised copy of a captured object, ready to create. */
export function sanitizeForRestore(obj: KubeObject, ctx: SanitizeContext): KubeObject {
  const copy = cloneJson(obj);
  for (const rule of SANITIZE_RULES) rule.apply(copy, ctx);
  return copy;
}
