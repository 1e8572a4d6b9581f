import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { nodesAffectedBy } from '../../../src/core/kube/clusterExplorer';
import { Debouncer } from '../../../src/core/kube/debouncer';
import type { ApiResourceType } from '../../../src/core/kube/discovery';
import type { ExplorerNode } from '../../../src/core/kube/explorerNodes';

test('the debouncer fires once after a quiet spell', async () => {
  let fired = 0;
  const d = new Debouncer(() => fired++, 40, 1000);
  d.schedule();
  await delay(10);
  d.schedule();
  await delay(10);
  d.schedule();
  assert.equal(fired, 0);
  await delay(80);
  assert.equal(fired, 1);
  assert.equal(d.pending, false);
});

test('the debouncer still fires during a steady stream, after at most maxWait', async () => {
  let fired = 0;
  const d = new Debouncer(() => fired++, 50, 120);
  const started = Date.now();
  while (Date.now() - started < 400) {
    d.schedule();
    await delay(10);
  }
  d.cancel();
  assert.ok(fired >= 2, `fired ${fired} times during 400 ms of changes`);
});

const deployments: ApiResourceType = {
  group: 'apps',
  version: 'v1',
  groupVersion: 'apps/v1',
  resource: 'deployments',
  kind: 'Deployment',
  namespaced: true,
  verbs: ['list', 'watch'],
};
const pvs: ApiResourceType = {
  group: '',
  version: 'v1',
  groupVersion: 'v1',
  resource: 'persistentvolumes',
  kind: 'PersistentVolume',
  namespaced: false,
  verbs: ['list', 'watch'],
};

const shown: ExplorerNode[] = [
  {
    kind: 'context',
    id: 'ctx/a',
    contextName: 'a',
    server: 'https://127.0.0.1',
    local: 'loopback-server',
    current: true,
  },
  {
    kind: 'group',
    id: 'ctx/a/ns/shop/g/workloads',
    contextName: 'a',
    namespace: 'shop',
    group: 'workloads',
    label: 'Workloads',
    types: [deployments],
  },
  {
    kind: 'group',
    id: 'ctx/a/ns/other/g/workloads',
    contextName: 'a',
    namespace: 'other',
    group: 'workloads',
    label: 'Workloads',
    types: [deployments],
  },
  {
    kind: 'group',
    id: 'ctx/a/cluster/g/storage',
    contextName: 'a',
    namespace: undefined,
    group: 'storage',
    label: 'Storage',
    types: [pvs],
  },
  {
    kind: 'group',
    id: 'ctx/b/ns/shop/g/workloads',
    contextName: 'b',
    namespace: 'shop',
    group: 'workloads',
    label: 'Workloads',
    types: [deployments],
  },
];

test('a change refreshes the groups that show the changed type in that namespace and context only', () => {
  const ids = (changes: Parameters<typeof nodesAffectedBy>[1]) => nodesAffectedBy(shown, changes).map((n) => n.id);
  assert.deepEqual(ids({ contextName: 'a', changes: [{ resource: 'deployments.apps', namespace: 'shop' }] }), [
    'ctx/a/ns/shop/g/workloads',
  ]);
  assert.deepEqual(ids({ contextName: 'a', changes: [{ resource: 'deployments.apps', namespace: undefined }] }), [
    'ctx/a/ns/shop/g/workloads',
    'ctx/a/ns/other/g/workloads',
  ]);
  assert.deepEqual(ids({ contextName: 'a', changes: [{ resource: 'persistentvolumes', namespace: undefined }] }), [
    'ctx/a/cluster/g/storage',
  ]);
  assert.deepEqual(ids({ contextName: 'a', changes: [{ resource: 'namespaces', namespace: undefined }] }), ['ctx/a']);
  assert.deepEqual(ids({ contextName: 'a', changes: [{ resource: 'configmaps', namespace: 'shop' }] }), []);
});
