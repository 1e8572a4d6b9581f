import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { deploymentReadiness, statefulSetReadiness } from '../../../src/core/snapshot/actions/workloads';
import { jobReadiness } from '../../../src/core/snapshot/actions/jobs';
import { pvcReadiness } from '../../../src/core/snapshot/actions/persistentvolumeclaims';
import { serviceReadiness } from '../../../src/core/snapshot/actions/services';
import { referencesOf } from '../../../src/core/drill/checks/referencesCheck';
import { checkGapMs } from '../../../src/core/drill/checks/readinessCheck';
import { envName, findType } from '../../../src/core/drill/checks/userChecks';

test('a Deployment is ready by its pods before its controller updates its status; scaled to 0 it is ready', () => {
  const dep = {
    metadata: { name: 'web', generation: 1 },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } },
  };
  const pod = (name: string, ready: string, labels: Record<string, string> = { app: 'web' }, deleting = false) => ({
    metadata: { name, labels, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    status: { conditions: [{ type: 'Ready', status: ready }] },
  });
  assert.equal(deploymentReadiness(dep, { pods: [] }).ready, false, 'no status, no pods: not ready');
  const byPods = deploymentReadiness(dep, { pods: [pod('a', 'True'), pod('b', 'True')] });
  assert.equal(byPods.ready, true);
  assert.equal(byPods.detail, "2/2 pods ready (the Deployment's own status not updated yet)");
  for (const pods of [
    [pod('a', 'True'), pod('b', 'False')],
    [pod('a', 'True'), pod('b', 'True', { app: 'other' })],
    [pod('a', 'True'), pod('b', 'True', { app: 'web' }, true)],
  ])
    assert.equal(deploymentReadiness(dep, { pods }).ready, false, JSON.stringify(pods));
  const expressions = {
    ...dep,
    spec: { ...dep.spec, selector: { matchLabels: { app: 'web' }, matchExpressions: [] } },
  };
  assert.equal(
    deploymentReadiness(expressions, { pods: [pod('a', 'True'), pod('b', 'True')] }).ready,
    false,
    'a selector with expressions waits for the status',
  );
  const zero = deploymentReadiness({ ...dep, spec: { ...dep.spec, replicas: 0 } }, { pods: [] });
  assert.deepEqual([zero.ready, zero.detail], [true, 'scaled to 0: no pods to wait for']);
});

test('a Service is ready by Ready pods that serve its ports before its EndpointSlice is written', () => {
  const svc = {
    metadata: { name: 'web' },
    spec: {
      selector: { app: 'web' },
      ports: [
        { port: 80, targetPort: 'http' },
        { port: 9090, targetPort: 9090 },
      ],
    },
  };
  const pod = (o: {
    ready?: string;
    ip?: string;
    portName?: string;
    labels?: Record<string, string>;
    deleting?: boolean;
  }) => ({
    metadata: {
      name: 'p',
      labels: o.labels ?? { app: 'web', tier: 'front' },
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: { containers: [{ name: 'c', ports: [{ name: o.portName ?? 'http', containerPort: 8080 }] }] },
    status: { podIP: o.ip ?? '10.0.0.7', conditions: [{ type: 'Ready', status: o.ready ?? 'True' }] },
  });
  const byPods = serviceReadiness(svc, [], [pod({})]);
  assert.equal(byPods.ready, true);
  assert.match(byPods.detail, /1 ready pod\(s\).*EndpointSlice not written yet/);
  for (const [why, p] of [
    ['pod not Ready', pod({ ready: 'False' })],
    ['no pod IP yet', { ...pod({}), status: { conditions: [{ type: 'Ready', status: 'True' }] } }],
    ['named target port not among its containers', pod({ portName: 'grpc' })],
    ['labels do not match', pod({ labels: { app: 'api' } })],
    ['being deleted', pod({ deleting: true })],
  ] as const)
    assert.equal(serviceReadiness(svc, [], [p]).ready, false, why);
  // A UDP target port needs a UDP container port of that name.
  const dns = {
    metadata: { name: 'dns' },
    spec: { selector: { app: 'web' }, ports: [{ port: 53, targetPort: 'http', protocol: 'UDP' }] },
  };
  assert.equal(serviceReadiness(dns, [], [pod({})]).ready, false);
});

test("readiness verdicts follow the controllers' status fields", () => {
  const dep = {
    metadata: { name: 'web', generation: 2 },
    spec: { replicas: 2 },
    status: { observedGeneration: 2, availableReplicas: 2, conditions: [{ type: 'Available', status: 'True' }] },
  };
  assert.equal(deploymentReadiness(dep).ready, true);
  assert.equal(
    deploymentReadiness({ ...dep, status: { ...dep.status, observedGeneration: 1 } }).ready,
    false,
    'an old generation is not ready yet',
  );
  assert.equal(
    deploymentReadiness({ ...dep, status: { ...dep.status, availableReplicas: 1 } }).detail,
    '1/2 available',
  );
  assert.equal(
    statefulSetReadiness({ metadata: { name: 'db' }, spec: { replicas: 3 }, status: { readyReplicas: 3 } }).ready,
    true,
  );
  assert.equal(
    jobReadiness({
      metadata: { name: 'j' },
      status: { conditions: [{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }] },
    }).detail,
    'failed: BackoffLimitExceeded',
  );
  const svc = { metadata: { name: 'web' }, spec: { selector: { app: 'web' } } };
  const slice = (ready: boolean) => ({
    metadata: { name: 's', labels: { 'kubernetes.io/service-name': 'web' } },
    endpoints: [{ conditions: { ready } }],
  });
  assert.equal(serviceReadiness(svc, [slice(true)]).ready, true);
  assert.equal(serviceReadiness(svc, [slice(false)]).ready, false);
  assert.equal(serviceReadiness({ metadata: { name: 'ext' }, spec: { type: 'ExternalName' } }, []).notApplicable, true);
  const claim = { metadata: { name: 'data' }, status: { phase: 'Pending' } };
  assert.equal(pvcReadiness(claim, () => undefined).ready, false);
  assert.equal(pvcReadiness(claim, () => 'no provisioner').notApplicable, true);
});

test('references a workload names: envFrom, env, volumes, service account, pull secrets; optional ones left out', () => {
  const refs = referencesOf({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'drill-x' },
    spec: {
      template: {
        spec: {
          serviceAccountName: 'web-sa',
          imagePullSecrets: [{ name: 'pull' }],
          containers: [
            {
              name: 'web',
              envFrom: [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 'opt', optional: true } }],
              env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }],
            },
          ],
          volumes: [
            { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
            { name: 'p', projected: { sources: [{ configMap: { name: 'proj' } }] } },
          ],
        },
      },
    },
  });
  assert.deepEqual(refs.map((r) => `${r.resource}/${r.name}`).sort(), [
    'configmaps/cfg',
    'configmaps/proj',
    'persistentvolumeclaims/data',
    'secrets/creds',
    'secrets/pull',
    'serviceaccounts/web-sa',
  ]);
  assert.ok(refs.every((r) => r.namespace === 'drill-x'));
  const binding = referencesOf({
    kind: 'RoleBinding',
    metadata: { name: 'b', namespace: 'n' },
    roleRef: { kind: 'ClusterRole', name: 'view' },
    subjects: [
      { kind: 'ServiceAccount', name: 'sa', namespace: 'n' },
      { kind: 'User', name: 'u' },
    ],
  });
  assert.deepEqual(
    binding.map((r) => `${r.resource}/${r.namespace ?? '-'}/${r.name}`),
    ['clusterroles.rbac.authorization.k8s.io/-/view', 'serviceaccounts/n/sa'],
  );
  assert.deepEqual(
    referencesOf({ kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec: { containers: [] } }).map((r) => r.name),
    ['default'],
  );
});

test('shell check variable names and user resource names', () => {
  assert.equal(envName('DRYDOCK_QUEUE', 'shop-orders.fifo'), 'DRYDOCK_QUEUE_SHOP_ORDERS_FIFO');
  const types = [
    {
      group: 'apps',
      version: 'v1',
      groupVersion: 'apps/v1',
      resource: 'deployments',
      kind: 'Deployment',
      namespaced: true,
      verbs: [],
    },
    {
      group: 'extensions.example',
      version: 'v1',
      groupVersion: 'extensions.example/v1',
      resource: 'deployments',
      kind: 'Deployment',
      namespaced: true,
      verbs: [],
    },
  ];
  assert.equal(findType(types, 'deployments.extensions.example')?.group, 'extensions.example');
  assert.equal(findType(types, 'deployment')?.group, 'apps');
  assert.equal(findType(types, 'Deployment')?.group, 'apps');
  assert.equal(findType(types, 'gizmo'), undefined);
});

test('readiness is checked again soon in a small namespace and at most every 0.75 s in a large one', () => {
  assert.equal(checkGapMs(5), 100);
  assert.equal(checkGapMs(60), 240);
  assert.equal(checkGapMs(400), 750);
});
