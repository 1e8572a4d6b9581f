import { isRecord, type KubeObject } from '../kubeObject';
import { mapNamespace, type NamespaceMap } from '../sanitize/namespaceMapping';
import type { KindAction } from './kindAction';

/** RoleBinding and ClusterRoleBinding subjects (ServiceAccounts) follow their namespace. */
export function remapBindingSubjects(obj: KubeObject, map: NamespaceMap): void {
  if ((obj.kind !== 'RoleBinding' && obj.kind !== 'ClusterRoleBinding') || !Array.isArray(obj.subjects)) return;
  for (const subject of obj.subjects) {
    if (isRecord(subject) && typeof subject.namespace === 'string')
      subject.namespace = mapNamespace(subject.namespace, map);
  }
}

const rbac = 'rbac.authorization.k8s.io';

export const rolebindings: KindAction = {
  groupResource: `rolebindings.${rbac}`,
  group: rbac,
  kind: 'RoleBinding',
  sanitize: (o, c) => remapBindingSubjects(o, c.namespaceMap),
};

export const clusterrolebindings: KindAction = {
  groupResource: `clusterrolebindings.${rbac}`,
  group: rbac,
  kind: 'ClusterRoleBinding',
  sanitize: (o, c) => remapBindingSubjects(o, c.namespaceMap),
};
