import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ApiResourceType } from '../../../src/core/kube/discovery';
import { explorerGroupOf, groupResourceTypes, pluralKind } from '../../../src/core/kube/resourceGroups';

function type(
  group: string,
  resource: string,
  kind: string,
  namespaced = true,
  verbs = ['get', 'list', 'watch'],
): ApiResourceType {
  const version = 'v1';
  return { group, version, groupVersion: group ? `${group}/${version}` : version, resource, kind, namespaced, verbs };
}

const types = [
  type('', 'pods', 'Pod'),
  type('apps', 'deployments', 'Deployment'),
  type('', 'services', 'Service'),
  type('', 'configmaps', 'ConfigMap'),
  type('', 'secrets', 'Secret'),
  type('', 'persistentvolumeclaims', 'PersistentVolumeClaim'),
  type('', 'persistentvolumes', 'PersistentVolume', false),
  type('', 'serviceaccounts', 'ServiceAccount'),
  type('rbac.authorization.k8s.io', 'roles', 'Role'),
  type('', 'events', 'Event'),
  type('coordination.k8s.io', 'leases', 'Lease'),
  type('shop.drydock.dev', 'storefronts', 'Storefront'),
  type('gateway.networking.k8s.io', 'httproutes', 'HTTPRoute'),
  type('acme.io', 'widgets', 'Widget', false),
  type('apiextensions.k8s.io', 'customresourcedefinitions', 'CustomResourceDefinition', false),
  type('authorization.k8s.io', 'localsubjectaccessreviews', 'LocalSubjectAccessReview', true, ['create']),
  type('', 'nodes', 'Node', false),
];

test('namespaced types are sorted into the six groups, in a fixed order; unknown API groups are custom resources', () => {
  const groups = groupResourceTypes(types, 'namespaced');
  assert.deepEqual(
    groups.map((g) => [g.label, g.types.map((t) => t.kind)]),
    [
      ['Workloads', ['Deployment', 'Pod']],
      ['Config', ['ConfigMap', 'Secret']],
      ['Network', ['Service']],
      ['Storage', ['PersistentVolumeClaim']],
      ['Access', ['ServiceAccount', 'Role']],
      ['Custom Resources', ['HTTPRoute', 'Storefront']],
    ],
  );
});

test('cluster-scoped types get the same groups; CRDs sit with custom resources', () => {
  const groups = groupResourceTypes(types, 'cluster');
  assert.deepEqual(
    groups.filter((g) => g.types.length).map((g) => [g.id, g.types.map((t) => t.resource)]),
    [
      ['workloads', ['nodes']],
      ['storage', ['persistentvolumes']],
      ['custom', ['customresourcedefinitions', 'widgets']],
    ],
  );
});

test('built-in types the view does not show, and types that cannot be listed, belong to no group', () => {
  assert.equal(explorerGroupOf(type('', 'events', 'Event')), undefined);
  assert.equal(explorerGroupOf(type('coordination.k8s.io', 'leases', 'Lease')), undefined);
  assert.equal(explorerGroupOf(type('acme.io', 'widgets', 'Widget', true, ['create'])), undefined);
  assert.equal(explorerGroupOf(type('acme.io', 'widgets', 'Widget')), 'custom');
});

test('plural labels', () => {
  assert.deepEqual(['Deployment', 'Ingress', 'NetworkPolicy', 'Gateway', 'Storefront'].map(pluralKind), [
    'Deployments',
    'Ingresses',
    'NetworkPolicies',
    'Gateways',
    'Storefronts',
  ]);
});
