import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  restoreOrder,
  VELERO_RESTORE_LOW_PRIORITIES,
  VELERO_RESTORE_PRIORITIES,
} from '../../../src/core/snapshot/restoreOrder';

test("Velero's priorities first, in order, then the rest alphabetically", () => {
  const input = [
    'services',
    'deployments.apps',
    'secrets',
    'certificates.cert-manager.io',
    'namespaces',
    'configmaps',
    'customresourcedefinitions.apiextensions.k8s.io',
    'rolebindings.rbac.authorization.k8s.io',
    'serviceaccounts',
    'pods',
    'ingresses.networking.k8s.io',
    'persistentvolumeclaims',
    'roles.rbac.authorization.k8s.io',
  ];
  assert.deepEqual(restoreOrder(input), [
    'customresourcedefinitions.apiextensions.k8s.io',
    'namespaces',
    'persistentvolumeclaims',
    'roles.rbac.authorization.k8s.io',
    'serviceaccounts',
    'rolebindings.rbac.authorization.k8s.io',
    'secrets',
    'configmaps',
    'pods',
    'services',
    'certificates.cert-manager.io',
    'deployments.apps',
    'ingresses.networking.k8s.io',
  ]);
});

test("the priority lists are Velero v1.18's defaultRestorePriorities, resolved to group-resources, entry for entry", () => {
  // pkg/cmd/server/config/config.go at v1.18.3; short names as discovery resolves them.
  assert.deepEqual(VELERO_RESTORE_PRIORITIES, [
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
  ]);
  assert.deepEqual(VELERO_RESTORE_LOW_PRIORITIES, [
    'clusterbootstraps.run.tanzu.vmware.com',
    'clusters.cluster.x-k8s.io',
    'clusterresourcesets.addons.cluster.x-k8s.io',
    'apps.kappctrl.k14s.io',
    'packageinstalls.packaging.carvel.dev',
  ]);
});

test('low priorities come after everything else, in their own order', () => {
  const input = [
    'packageinstalls.packaging.carvel.dev',
    'clusters.cluster.x-k8s.io',
    'zebras.example.com',
    'services',
    'apps.kappctrl.k14s.io',
    'deployments.apps',
    'clusterclasses.cluster.x-k8s.io',
    'datauploads.velero.io',
  ];
  assert.deepEqual(restoreOrder(input), [
    'datauploads.velero.io',
    'clusterclasses.cluster.x-k8s.io',
    'services',
    'deployments.apps',
    'zebras.example.com',
    'clusters.cluster.x-k8s.io',
    'apps.kappctrl.k14s.io',
    'packageinstalls.packaging.carvel.dev',
  ]);
});
