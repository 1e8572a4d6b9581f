import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DrydockError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/log';
import { ClusterExplorer, nodesAffectedBy, type ExplorerChange } from '../../../src/core/kube/clusterExplorer';
import type {
  ExplorerNode,
  GroupNode,
  NamespaceNode,
  ObjectNode,
  ResourceTypeNode,
} from '../../../src/core/kube/explorerNodes';
import { listObjectEvents } from '../../../src/core/kube/objectEvents';
import { objectApiPath } from '../../../src/core/kube/objectAddress';
import { objectToYaml } from '../../../src/core/kube/objectYaml';
import type { KubeRawClient } from '../../../src/core/kube/rawClient';
import { kubeconfigPath } from '../../support/env';
import {
  createCrd,
  createNamespace,
  deleteCrd,
  deleteNamespace,
  eventually,
  LOCAL_CONTEXT,
  localClient,
} from './localCluster';

/** A second kubeconfig file with a remote context and a local one whose server is down (merged after the real one). */
function extraKubeconfig(dir: string): string {
  const file = path.join(dir, 'extra.yaml');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: prod',
      '  cluster: {server: "https://10.255.255.1:6443"}',
      '- name: gone',
      '  cluster: {server: "https://127.0.0.1:1"}',
      'contexts:',
      '- name: prod',
      '  context: {cluster: prod, user: drydock-admin}',
      '- name: kind-gone',
      '  context: {cluster: gone, user: drydock-admin}',
      'users: []',
    ].join('\n'),
  );
  return file;
}

async function child<T extends ExplorerNode>(
  explorer: ClusterExplorer,
  parent: ExplorerNode | undefined,
  match: (n: ExplorerNode) => boolean,
  what: string,
): Promise<T> {
  const children = await explorer.children(parent);
  const found = children.find(match);
  assert.ok(found, `${what} among ${children.map((c) => c.id).join(', ')}`);
  return found as T;
}

describe('ClusterExplorer (the Local Clusters data) against the local API server', () => {
  let dir: string;
  let explorer: ClusterExplorer;
  let client: KubeRawClient;
  const cleanup: Array<() => Promise<void>> = [];

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'drydock-explorer-'));
    const extra = extraKubeconfig(dir);
    explorer = new ClusterExplorer({
      logger: silentLogger,
      kubeconfigPaths: () => [kubeconfigPath(), extra],
      watch: false,
    });
    client = localClient();
  });
  after(async () => {
    explorer.dispose();
    for (const fn of cleanup.reverse()) await fn();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists local contexts first and locks the remote one without ever querying it', async () => {
    const roots = await explorer.children();
    assert.deepEqual(
      roots.map((n) => (n.kind === 'context' ? [n.contextName, n.local ?? 'not-local'] : n.kind)),
      [
        [LOCAL_CONTEXT, 'loopback-server'],
        ['kind-gone', 'loopback-server'],
        ['prod', 'not-local'],
      ],
    );
    const prod = roots[2];
    assert.deepEqual(await explorer.children(prod), []);
    assert.throws(
      () => explorer.client('prod'),
      (e: unknown) => DrydockError.is(e, 'not-local') && /extraLocalContexts/.test(e.message),
    );
  });

  it('says plainly when a local cluster is unreachable', async () => {
    const gone = await child(
      explorer,
      undefined,
      (n) => n.kind === 'context' && n.contextName === 'kind-gone',
      'kind-gone',
    );
    const children = await explorer.children(gone);
    assert.equal(children.length, 1);
    const [message] = children;
    assert.ok(message);
    assert.equal(message.kind, 'message');
    assert.equal(message.kind === 'message' && message.severity, 'unreachable');
    assert.match(message.kind === 'message' ? message.label : '', /unreachable: https:\/\/127\.0\.0\.1:1/);
  });

  it('shows drydock-local → shop → groups → objects with useful descriptions', async () => {
    const ctx = await child(
      explorer,
      undefined,
      (n) => n.kind === 'context' && n.contextName === LOCAL_CONTEXT,
      LOCAL_CONTEXT,
    );
    const shop = await child<NamespaceNode>(
      explorer,
      ctx,
      (n) => n.kind === 'namespace' && n.namespace === 'shop',
      'shop',
    );
    assert.deepEqual([shop.contextName, shop.namespace], [LOCAL_CONTEXT, 'shop']);
    const groups = (await explorer.children(shop)) as GroupNode[];
    assert.deepEqual(
      groups.map((g) => g.label),
      ['Workloads', 'Config', 'Network', 'Storage', 'Access', 'Custom Resources'],
    );
    const objectsOf = async (groupLabel: string, typeLabel: string) => {
      const group = groups.find((g) => g.label === groupLabel);
      const type = await child<ResourceTypeNode>(
        explorer,
        group,
        (n) => n.kind === 'resourceType' && n.label === typeLabel,
        typeLabel,
      );
      return (await explorer.children(type)) as ObjectNode[];
    };
    const rawWeb = await client.request<{ status: { readyReplicas?: number } }>(
      'GET',
      '/apis/apps/v1/namespaces/shop/deployments/web',
    );
    const web = (await objectsOf('Workloads', 'Deployments')).find((o) => o.name === 'web');
    assert.equal(web?.summary.description, `${rawWeb.status.readyReplicas ?? 0}/2 ready`);
    const pods = (await objectsOf('Workloads', 'Pods')).filter((p) => p.name.startsWith('web-'));
    assert.equal(pods.length, 2);
    for (const p of pods) assert.match(p.summary.description, /^\w+ · \d\/1 · \d+ restarts?$/);
    assert.equal(
      (await objectsOf('Network', 'Services')).find((o) => o.name === 'web')?.summary.description,
      'ClusterIP 80→8080/TCP',
    );
    assert.equal(
      (await objectsOf('Storage', 'PersistentVolumeClaims')).find((o) => o.name === 'shop-data')?.summary.description,
      'Bound · 1Gi',
    );
    assert.deepEqual(
      (await objectsOf('Custom Resources', 'Storefronts')).map((o) => o.name),
      ['main'],
    );
    assert.equal(
      (await objectsOf('Config', 'Secrets')).find((o) => o.name === 'shop-credentials')?.summary.description,
      'Opaque · 3 keys',
    );
  });

  it('gives the same ids after a refresh, so expansion survives', async () => {
    const walk = async () => {
      const ctx = await child(
        explorer,
        undefined,
        (n) => n.kind === 'context' && n.contextName === LOCAL_CONTEXT,
        LOCAL_CONTEXT,
      );
      const shop = await child(explorer, ctx, (n) => n.kind === 'namespace' && n.namespace === 'shop', 'shop');
      const workloads = await child(explorer, shop, (n) => n.kind === 'group' && n.group === 'workloads', 'workloads');
      const deployments = await child(
        explorer,
        workloads,
        (n) => n.kind === 'resourceType' && n.type.resource === 'deployments',
        'deployments',
      );
      return [ctx, shop, workloads, deployments, ...(await explorer.children(deployments))].map((n) => n.id);
    };
    const first = await walk();
    explorer.refresh();
    assert.deepEqual(await walk(), first);
    assert.equal(new Set(first).size, first.length);
  });

  it('renders an object as YAML, with a Secret’s values masked', async () => {
    const web = await client.request(
      'GET',
      objectApiPath({ namespace: 'shop', group: 'apps', version: 'v1', resource: 'deployments', name: 'web' }),
    );
    assert.match(objectToYaml(web), /^ {2}replicas: 2$/m);
    const secret = await client.request<{ data: Record<string, string> }>(
      'GET',
      '/api/v1/namespaces/shop/secrets/shop-credentials',
    );
    const text = objectToYaml(secret);
    assert.doesNotMatch(text, /sk_test_drydock_not_a_real_key/);
    const encoded = secret.data.PAYMENT_API_KEY;
    assert.ok(encoded, 'the seeded Secret has PAYMENT_API_KEY');
    assert.doesNotMatch(text, new RegExp(encoded.replace(/[+/=]/g, '.')));
    assert.match(text, /PAYMENT_API_KEY: "<hidden: 30 bytes>"/);
  });

  it('lists the events of an object', async () => {
    const ns = await createNamespace(client, 'dd-events');
    cleanup.push(() => deleteNamespace(client, ns));
    const created = await client.request<{ metadata: { uid: string } }>(
      'POST',
      `/apis/apps/v1/namespaces/${ns}/deployments`,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'ev', namespace: ns },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'ev' } },
          template: {
            metadata: { labels: { app: 'ev' } },
            spec: { containers: [{ name: 'c', image: 'registry.local/ev:1' }] },
          },
        },
      },
    );
    const events = await eventually(async () => {
      const list = await listObjectEvents(client, { uid: created.metadata.uid, namespace: ns });
      return list.length ? list : undefined;
    }, 'the deployment controller’s event');
    const [first] = events;
    assert.ok(first);
    assert.equal(first.reason, 'ScalingReplicaSet');
    assert.equal((first.involvedObject as { name: string }).name, 'ev');
  });

  it('watches what it shows: a new object and a CRD installed after start are reported, then shown', async () => {
    const watching = new ClusterExplorer({
      logger: silentLogger,
      kubeconfigPaths: () => [kubeconfigPath()],
      watch: true,
      debounceMs: 100,
    });
    cleanup.push(async () => watching.dispose());
    const changes: ExplorerChange[] = [];
    watching.onDidChange((c) => changes.push(c));
    const ns = await createNamespace(client, 'dd-watch');
    cleanup.push(() => deleteNamespace(client, ns));

    const ctx = await child(
      watching,
      undefined,
      (n) => n.kind === 'context' && n.contextName === LOCAL_CONTEXT,
      LOCAL_CONTEXT,
    );
    const nsNode = await eventually(
      async () => (await watching.children(ctx)).find((n) => n.kind === 'namespace' && n.namespace === ns),
      ns,
    );
    const groups = await watching.children(nsNode);
    const config = groups.find((g): g is GroupNode => g.kind === 'group' && g.group === 'config');
    assert.ok(config);
    // The controller-manager publishes kube-root-ca.crt into a new namespace shortly after it is created.
    const typesShown = await eventually(async () => {
      const labels = (await watching.children(config)).filter((n) => n.kind === 'resourceType').map((n) => n.label);
      return labels.length ? labels : undefined;
    }, 'kube-root-ca.crt in the new namespace');
    assert.deepEqual(typesShown, ['ConfigMaps'], 'only kube-root-ca.crt so far');
    await eventually(async () => watching.discover(LOCAL_CONTEXT).then(() => true), 'discovery');
    await new Promise((r) => setTimeout(r, 500)); // let the watches start

    await client.request('POST', `/api/v1/namespaces/${ns}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'new-one', namespace: ns },
      stringData: { a: 'b' },
    });
    const secretChange = await eventually(
      async () => changes.find((c) => c.changes.some((x) => x.resource === 'secrets' && x.namespace === ns)),
      'a change for the new secret',
      15_000,
    );
    assert.deepEqual(
      nodesAffectedBy([ctx, nsNode, config], secretChange).map((n) => n.id),
      [config.id],
    );
    const after = (await watching.children(config)).filter((n) => n.kind === 'resourceType').map((n) => n.label);
    assert.deepEqual(after, ['ConfigMaps', 'Secrets']);

    const crd = await createCrd(client, 'dd-watch');
    cleanup.push(() => deleteCrd(client, crd.name));
    await client.request('POST', `/apis/${crd.group}/v1/namespaces/${ns}/${crd.plural}`, {
      apiVersion: `${crd.group}/v1`,
      kind: crd.kind,
      metadata: { name: 'g', namespace: ns },
    });
    await eventually(
      async () =>
        changes.find((c) => c.changes.some((x) => x.resource === 'customresourcedefinitions.apiextensions.k8s.io')),
      'a CRD change',
      15_000,
    );
    const custom = await eventually(
      async () =>
        (await watching.children(nsNode)).find(
          (g): g is GroupNode =>
            g.kind === 'group' && g.group === 'custom' && g.types.some((t) => t.group === crd.group),
        ),
      'the new CRD under Custom Resources',
    );
    const gizmos = await child<ResourceTypeNode>(
      watching,
      custom,
      (n) => n.kind === 'resourceType' && n.type.group === crd.group,
      'Gizmos',
    );
    assert.equal(gizmos.label, 'Gizmos');
    assert.deepEqual(
      (await watching.children(gizmos)).map((n) => (n as ObjectNode).name),
      ['g'],
    );
  });
});
