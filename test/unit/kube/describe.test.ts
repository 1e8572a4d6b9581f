import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatAge, summarizeObject } from '../../../src/core/kube/describe';

test('Deployments, StatefulSets and DaemonSets show ready/desired', () => {
  assert.deepEqual(summarizeObject('Deployment', { spec: { replicas: 2 }, status: { readyReplicas: 2 } }), {
    description: '2/2 ready',
    health: 'ok',
  });
  assert.deepEqual(summarizeObject('Deployment', { spec: { replicas: 3 }, status: {} }), {
    description: '0/3 ready',
    health: 'progressing',
  });
  assert.equal(
    summarizeObject('Deployment', { spec: {}, status: { readyReplicas: 1 } }).description,
    '1/1 ready',
    'replicas defaults to 1',
  );
  assert.equal(
    summarizeObject('StatefulSet', { spec: { replicas: 2 }, status: { readyReplicas: 1 } }).description,
    '1/2 ready',
  );
  assert.equal(
    summarizeObject('DaemonSet', { status: { numberReady: 3, desiredNumberScheduled: 4 } }).description,
    '3/4 ready',
  );
});

test('Pods show phase, ready containers and restarts; a waiting reason wins over the phase', () => {
  const running = {
    spec: { containers: [{ name: 'a' }, { name: 'b' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        { ready: true, restartCount: 2, state: { running: {} } },
        { ready: true, restartCount: 1, state: { running: {} } },
      ],
    },
  };
  assert.deepEqual(summarizeObject('Pod', running), { description: 'Running · 2/2 · 3 restarts', health: 'ok' });
  const crashing = {
    spec: { containers: [{ name: 'a' }] },
    status: {
      phase: 'Running',
      containerStatuses: [{ ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
    },
  };
  assert.deepEqual(summarizeObject('Pod', crashing), {
    description: 'CrashLoopBackOff · 0/1 · 1 restart',
    health: 'failed',
  });
  assert.deepEqual(summarizeObject('Pod', { spec: { containers: [{}] }, status: {} }), {
    description: 'Pending · 0/1 · 0 restarts',
    health: 'progressing',
  });
  assert.equal(
    summarizeObject('Pod', { metadata: { deletionTimestamp: '2024-01-01T00:00:00Z' }, status: { phase: 'Running' } })
      .description,
    'Terminating',
  );
  assert.equal(
    summarizeObject('Pod', { spec: { containers: [{}] }, status: { phase: 'Failed', reason: 'Evicted' } }).health,
    'failed',
  );
});

test('Services show type and ports the way kubectl does', () => {
  assert.equal(
    summarizeObject('Service', {
      spec: { type: 'ClusterIP', ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
    }).description,
    'ClusterIP 80→8080/TCP',
  );
  assert.equal(
    summarizeObject('Service', {
      spec: {
        type: 'NodePort',
        ports: [
          { port: 443, targetPort: 443, nodePort: 30443 },
          { port: 53, protocol: 'UDP' },
        ],
      },
    }).description,
    'NodePort 443:30443/TCP, 53/UDP',
  );
  assert.equal(
    summarizeObject('Service', { spec: { clusterIP: 'None', ports: [{ port: 5432, targetPort: 'pg' }] } }).description,
    'ClusterIP (headless) 5432→pg/TCP',
  );
  assert.equal(
    summarizeObject('Service', { spec: { type: 'ExternalName', externalName: 'db.example.com' } }).description,
    'ExternalName db.example.com',
  );
});

test('PVCs show phase and size; Jobs, CronJobs, ConfigMaps and Secrets get short summaries', () => {
  assert.deepEqual(
    summarizeObject('PersistentVolumeClaim', {
      spec: { resources: { requests: { storage: '1Gi' } } },
      status: { phase: 'Bound', capacity: { storage: '2Gi' } },
    }),
    {
      description: 'Bound · 2Gi',
      health: 'ok',
    },
  );
  assert.deepEqual(
    summarizeObject('PersistentVolumeClaim', { spec: { resources: { requests: { storage: '1Gi' } } }, status: {} }),
    { description: 'Pending · 1Gi', health: 'progressing' },
  );
  assert.equal(
    summarizeObject('Job', { spec: { completions: 3 }, status: { succeeded: 1 } }).description,
    '1/3 complete',
  );
  assert.deepEqual(
    summarizeObject('Job', {
      spec: {},
      status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] },
    }),
    {
      description: 'Failed · BackoffLimitExceeded',
      health: 'failed',
    },
  );
  assert.equal(
    summarizeObject('CronJob', { spec: { schedule: '*/5 * * * *', suspend: true } }).description,
    '*/5 * * * * · suspended',
  );
  assert.equal(
    summarizeObject('ConfigMap', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }).description,
    '3 keys',
  );
  assert.equal(summarizeObject('Secret', { type: 'Opaque', data: { k: 'dg==' } }).description, 'Opaque · 1 key');
});

test('other kinds fall back to a Ready/Available condition or phase', () => {
  assert.equal(
    summarizeObject('Storefront', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }).description,
    'Ready',
  );
  assert.equal(
    summarizeObject('Storefront', { status: { conditions: [{ type: 'Ready', status: 'False' }] } }).description,
    'Not ready',
  );
  assert.equal(summarizeObject('Thing', {}).description, '');
  assert.equal(summarizeObject('Thing', null).description, '');
});

test('ages read like kubectl', () => {
  const now = Date.parse('2024-05-10T12:00:00Z');
  assert.equal(formatAge('2024-05-10T11:59:30Z', now), '30s');
  assert.equal(formatAge('2024-05-10T11:45:00Z', now), '15m');
  assert.equal(formatAge('2024-05-10T07:00:00Z', now), '5h');
  assert.equal(formatAge('2024-05-01T12:00:00Z', now), '9d');
  assert.equal(formatAge(undefined, now), '');
});
