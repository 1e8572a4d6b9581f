/**
 * Velero's restore priorities (pkg/cmd/server: defaultRestorePriorities): these group-resources first,
 * in this order, then everything else alphabetically.
 */
export const VELERO_RESTORE_PRIORITIES: readonly string[] = [
  'customresourcedefinitions.apiextensions.k8s.io',
  'namespaces',
  'storageclasses.storage.k8s.io',
  'volumesnapshotclasses.snapshot.storage.k8s.io',
  'volumesnapshotcontents.snapshot.storage.k8s.io',
  'volumesnapshots.snapshot.storage.k8s.io',
  'persistentvolumes',
  'persistentvolumeclaims',
  'clusterroles.rbac.authorization.k8s.io',
  'roles.rbac.authorization.k8s.io',
  'serviceaccounts',
  'clusterrolebindings.rbac.authorization.k8s.io',
  'rolebindings.rbac.authorization.k8s.io',
  'secrets',
  'configmaps',
  'limitranges',
  'priorityclasses.scheduling.k8s.io',
  'pods',
  'replicasets.apps',
  'endpoints',
  'services',
];

/** Sorts group-resources ("deployments.apps") into restore order; input is not changed. */
export function restoreOrder(groupResources: Iterable<string>): string[] {
  const rank = (gr: string) => {
    const i = VELERO_RESTORE_PRIORITIES.indexOf(gr);
    return i < 0 ? VELERO_RESTORE_PRIORITIES.length : i;
  };
  return [...new Set(groupResources)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
