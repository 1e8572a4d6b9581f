import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { restoreOrder, VELERO_RESTORE_PRIORITIES } from '../../../src/core/snapshot/restoreOrder';

test("Velero's priorities first, in order, then the rest alphabetically", () => {
  const input = ['services', 'deployments.apps', 'secrets', 'certificates.cert-manager.io', 'namespaces', 'configmaps', 'customresourcedefinitions.apiextensions.k8s.io', 'rolebindings.rbac.authorization.k8s.io', 'serviceaccounts', 'pods', 'ingresses.networking.k8s.io', 'persistentvolumeclaims', 'roles.rbac.authorization.k8s.io'];
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

test('the priority list is the one Velero documents in code', () => {
  assert.equal(VELERO_RESTORE_PRIORITIES[0], 'customresourcedefinitions.apiextensions.k8s.io');
  assert.equal(VELERO_RESTORE_PRIORITIES.at(-1), 'services');
  assert.equal(VELERO_RESTORE_PRIORITIES.length, 21);
});
