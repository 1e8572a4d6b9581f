/**
 * Velero v1.18's default restore priorities (vmware-tanzu/velero pkg/cmd/server/config/config.go,
 * `defaultRestorePriorities`), each name resolved to its full group-resource as Velero resolves it through
 * discovery at restore time (`storageclasses` → `storageclasses.storage.k8s.io`; Velero writes
 * `volumesnapshotclass.snapshot.storage.k8s.io` in the singular, which the REST mapper resolves to
 * `volumesnapshotclasses`). Velero restores the high priorities in this order, then every other
 * group-resource alphabetically, then the low priorities in this order (pkg/restore: getOrderedResources).
 */
export const VELERO_RESTORE_PRIORITIES: readonly string[] = [
  'customresourcedefinitions.apiextensions.k8s.io',
  'namespaces',
  'storageclasses.storage.k8s.io',
  'volumesnapshotclasses.snapshot.storage.k8s.io',
  'volumesnapshotcontents.snapshot.storage.k8s.io',
  'volumesnapshots.snapshot.storage.k8s.io',
  'datauploads.velero.io',
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
  'clusterclasses.cluster.x-k8s.io',
  'endpoints',
  'services',
];

/** Velero's low priorities: restored last, in this order (they may reference anything else). */
export const VELERO_RESTORE_LOW_PRIORITIES: readonly string[] = [
  'clusterbootstraps.run.tanzu.vmware.com',
  'clusters.cluster.x-k8s.io',
  'clusterresourcesets.addons.cluster.x-k8s.io',
  'apps.kappctrl.k14s.io',
  'packageinstalls.packaging.carvel.dev',
];

/** Sorts group-resources ("deployments.apps") into Velero's restore order; input is not changed. */
export function restoreOrder(groupResources: Iterable<string>): string[] {
  const high = VELERO_RESTORE_PRIORITIES.length;
  const rank = (gr: string) => {
    const h = VELERO_RESTORE_PRIORITIES.indexOf(gr);
    if (h >= 0) return h;
    const l = VELERO_RESTORE_LOW_PRIORITIES.indexOf(gr);
    return l >= 0 ? high + 1 + l : high;
  };
  return [...new Set(groupResources)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
