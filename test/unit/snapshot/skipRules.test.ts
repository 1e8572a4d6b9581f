import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { skipReason } from '../../../src/core/snapshot/skipRules';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';

const o = (v: unknown) => v as KubeObject;

test('objects that must not be restored as such get a reason', () => {
  assert.match(skipReason('events', o({ metadata: { name: 'e' } }))!, /events/);
  assert.match(
    skipReason(
      'pods',
      o({
        metadata: {
          name: 'p',
          ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc', controller: true, apiVersion: 'apps/v1' }],
        },
      }),
    )!,
    /ReplicaSet\/web-abc/,
  );
  assert.match(
    skipReason(
      'replicasets.apps',
      o({
        metadata: {
          name: 'r',
          ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true, apiVersion: 'apps/v1' }],
        },
      }),
    )!,
    /Deployment\/web/,
  );
  assert.match(skipReason('pods', o({ metadata: { name: 'p' }, status: { phase: 'Succeeded' } }))!, /completed/);
  assert.match(
    skipReason('pods', o({ metadata: { name: 'p', annotations: { 'kubernetes.io/config.mirror': 'x' } } }))!,
    /mirror/,
  );
  assert.match(
    skipReason(
      'jobs.batch',
      o({ metadata: { name: 'j' }, status: { conditions: [{ type: 'Complete', status: 'True' }] } }),
    )!,
    /completed job/,
  );
  assert.match(
    skipReason(
      'secrets',
      o({
        type: 'kubernetes.io/service-account-token',
        metadata: { name: 'default-token-abcde', annotations: { 'kubernetes.io/service-account.name': 'default' } },
      }),
    )!,
    /token/,
  );
  assert.match(skipReason('configmaps', o({ metadata: { name: 'kube-root-ca.crt' } }))!, /every namespace/);
  assert.match(
    skipReason(
      'endpointslices.discovery.k8s.io',
      o({
        metadata: {
          name: 's',
          labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
        },
      }),
    )!,
    /endpointslice-controller/,
  );
});

test('ordinary objects are kept', () => {
  assert.equal(skipReason('pods', o({ metadata: { name: 'naked' }, status: { phase: 'Running' } })), undefined);
  assert.equal(skipReason('jobs.batch', o({ metadata: { name: 'j' }, status: { active: 1 } })), undefined);
  assert.equal(
    skipReason(
      'secrets',
      o({
        type: 'kubernetes.io/service-account-token',
        metadata: { name: 'my-long-lived-token', annotations: { 'kubernetes.io/service-account.name': 'app' } },
      }),
    ),
    undefined,
  );
  assert.equal(skipReason('configmaps', o({ metadata: { name: 'app' } })), undefined);
  assert.equal(
    skipReason(
      'pods',
      o({ metadata: { name: 'p', ownerReferences: [{ kind: 'Thing', name: 't', apiVersion: 'x/v1' }] } }),
    ),
    undefined,
    'non-controller owners do not skip',
  );
});
