import { test, after, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnapshotWriter } from '../../../src/core/snapshot/archive/snapshotWriter';
import { SnapshotReader } from '../../../src/core/snapshot/archive/snapshotReader';
import { newManifest } from '../../../src/core/snapshot/manifest';
import { itemPath } from '../../../src/core/snapshot/layout';
import { planRestore } from '../../../src/core/snapshot/restorePlan';
import { findBeyondNamespaces } from '../../../src/core/snapshot/beyondNamespaces';
import { restoreSnapshot } from '../../../src/core/snapshot';
import { DrydockError } from '../../../src/core/errors';
import { KubeConfig } from '../../../src/core/kube/clientNode';
import { KubeRawClient } from '../../../src/core/kube/rawClient';

/** A hostile recovery point, written by the real writer: a namespace whose restore would also grant cluster-admin. */
let dir: string;
let hostile: string;
const rbac = 'rbac.authorization.k8s.io';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-beyond-'));
  hostile = join(dir, 'hostile');
  const writer = await SnapshotWriter.create(hostile);
  const manifest = newManifest('test');
  const put = (r: { resource: string; group: string; namespace?: string; name: string }, obj: object) =>
    writer.writeEntry(itemPath(r), JSON.stringify(obj));
  await put(
    { resource: 'namespaces', group: '', name: 'shop' },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  );
  await put(
    { resource: 'configmaps', group: '', namespace: 'shop', name: 'cfg' },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { a: '1' } },
  );
  await put(
    { resource: 'rolebindings', group: rbac, namespace: 'shop', name: 'app' },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'app', namespace: 'shop' },
      roleRef: { apiGroup: rbac, kind: 'Role', name: 'app' },
      subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }],
    },
  );
  await put(
    { resource: 'rolebindings', group: rbac, namespace: 'shop', name: 'elevate' },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'elevate', namespace: 'shop' },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'builder', namespace: 'kube-system' }],
    },
  );
  await put(
    { resource: 'clusterrolebindings', group: rbac, name: 'ops-admin' },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'ops-admin' },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }],
    },
  );
  await put(
    { resource: 'validatingwebhookconfigurations', group: 'admissionregistration.k8s.io', name: 'spy' },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'spy' },
      webhooks: [],
    },
  );
  manifest.resources = [
    { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, count: 1 },
    { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, count: 1 },
    { group: rbac, version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', namespaced: true, count: 2 },
    {
      group: rbac,
      version: 'v1',
      resource: 'clusterrolebindings',
      kind: 'ClusterRoleBinding',
      namespaced: false,
      count: 1,
    },
    {
      group: 'admissionregistration.k8s.io',
      version: 'v1',
      resource: 'validatingwebhookconfigurations',
      kind: 'ValidatingWebhookConfiguration',
      namespaced: false,
      count: 1,
    },
  ];
  manifest.counts.items = 6;
  await writer.commit(manifest);
});

after(() => rm(dir, { recursive: true, force: true }));

test('lists what reaches beyond the namespaces: the ClusterRoleBinding, the RoleBinding to cluster-admin, the webhook', async () => {
  const reader = await SnapshotReader.open(hostile);
  try {
    const plan = await planRestore(reader, { kube: { namespaceMap: new Map([['shop', 'shop-copy']]) } });
    const beyond = await findBeyondNamespaces(reader, plan, undefined);
    assert.deepEqual(beyond.map((b) => b.id).sort(), [
      `clusterrolebindings.${rbac}/ops-admin`,
      `rolebindings.${rbac}/shop-copy/elevate`,
      'validatingwebhookconfigurations.admissionregistration.k8s.io/spy',
    ]);
    const elevate = beyond.find((b) => b.id.endsWith('/elevate'))!;
    assert.match(elevate.why, /ClusterRole cluster-admin \(full control\)/);
    assert.match(elevate.why, /ServiceAccount kube-system\/builder of another namespace/);
  } finally {
    await reader.close();
  }
});

test('a restore without --allow-cluster-scoped is refused as a usage error before any request reaches the cluster', async () => {
  let connections = 0;
  const server = net.createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `https://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'local', cluster: 'c', user: 'u' }],
      currentContext: 'local',
    });
    const client = new KubeRawClient(kc, 'local');
    await assert.rejects(
      restoreSnapshot({
        source: hostile,
        kube: { client, namespaceMap: new Map([['shop', 'shop-copy']]) },
        existing: 'update',
      }),
      (e: unknown) =>
        DrydockError.is(e, 'invalid-input') &&
        /3 object\(s\) that reach beyond its namespaces; nothing was written/.test(e.message) &&
        /--allow-cluster-scoped/.test(e.message),
    );
    assert.equal(connections, 0, 'nothing was sent to the cluster');
  } finally {
    server.close();
  }
});
