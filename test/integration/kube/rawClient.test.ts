import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { KubeApiError } from '../../../src/core/kube/kubeApiError';
import type { KubeRawClient, WatchEvent } from '../../../src/core/kube/rawClient';
import { createCrd, createNamespace, deleteCrd, deleteNamespace, localClient } from './localCluster';

type Obj = {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; resourceVersion?: string; creationTimestamp?: unknown };
  [k: string]: unknown;
};

describe('KubeRawClient against the local API server', () => {
  let client: KubeRawClient;
  let ns: string;
  before(async () => {
    client = localClient();
    ns = await createNamespace(client, 'dd-raw');
  });
  after(async () => {
    await deleteNamespace(client, ns);
  });

  it('reads the seeded Deployment as raw JSON (timestamps stay strings)', async () => {
    const web = await client.request<
      Obj & { spec: { replicas: number }; status: { conditions?: Array<{ lastUpdateTime: unknown }> } }
    >('GET', '/apis/apps/v1/namespaces/shop/deployments/web');
    assert.equal(web.kind, 'Deployment');
    assert.equal(web.apiVersion, 'apps/v1');
    assert.equal(web.spec.replicas, 2);
    assert.equal(typeof web.metadata.creationTimestamp, 'string');
    for (const c of web.status.conditions ?? []) assert.equal(typeof c.lastUpdateTime, 'string');
  });

  it('keeps fields no typed model knows, exactly as stored', async () => {
    const crd = await createCrd(client, 'dd-raw');
    try {
      const sent = {
        apiVersion: `${crd.group}/v1`,
        kind: crd.kind,
        metadata: { name: 'g1', namespace: ns },
        spec: { size: 3, nested: { list: [{ a: 1 }, { b: [true, null, 'x'] }], empty: {} } },
        topLevelUnknown: { keep: 'me' },
      };
      const path = `/apis/${crd.group}/v1/namespaces/${ns}/${crd.plural}`;
      await client.request('POST', path, sent);
      const got = await client.request<Obj>('GET', `${path}/g1`);
      assert.deepEqual(got.spec, sent.spec);
      assert.deepEqual(got.topLevelUnknown, sent.topLevelUnknown);
      const listed = (await client.list(path)).items as Obj[];
      assert.deepEqual((listed[0] as Obj).topLevelUnknown, sent.topLevelUnknown);
    } finally {
      await deleteCrd(client, crd.name);
    }
  });

  it('turns API failures into KubeApiError with the status code, reason and the server’s message', async () => {
    await assert.rejects(
      client.request('GET', '/apis/apps/v1/namespaces/shop/deployments/does-not-exist'),
      (e: unknown) => {
        assert.ok(KubeApiError.is(e, 'not-found'));
        assert.equal(e.statusCode, 404);
        assert.equal(e.reason, 'NotFound');
        assert.match(e.message, /deployments.apps "does-not-exist" not found/);
        return true;
      },
    );
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dup', namespace: ns } };
    await client.request('POST', `/api/v1/namespaces/${ns}/configmaps`, cm);
    await assert.rejects(client.request('POST', `/api/v1/namespaces/${ns}/configmaps`, cm), (e: unknown) => {
      assert.ok(KubeApiError.is(e, 'conflict'));
      assert.equal(e.reason, 'AlreadyExists');
      return true;
    });
  });

  it('PATCHes with a JSON merge patch unless told otherwise', async () => {
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    await client.request('POST', path, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'patched', namespace: ns },
      data: { a: '1', b: '2' },
    });
    const merged = await client.request<{ data: Record<string, string> }>('PATCH', `${path}/patched`, {
      data: { b: null, c: '3' },
    });
    assert.deepEqual(merged.data, { a: '1', c: '3' });
    const json = await client.request<{ data: Record<string, string> }>(
      'PATCH',
      `${path}/patched`,
      [{ op: 'replace', path: '/data/a', value: 'one' }],
      {
        contentType: 'application/json-patch+json',
      },
    );
    assert.deepEqual(json.data, { a: 'one', c: '3' });
  });

  it('listAll follows continue tokens and yields every item once', async () => {
    const path = `/api/v1/namespaces/${ns}/secrets`;
    const names = ['s1', 's2', 's3', 's4', 's5'];
    for (const name of names)
      await client.request('POST', path, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: ns },
        stringData: { k: name },
      });
    const firstPage = await client.request<{ metadata: { continue?: string }; items: unknown[] }>(
      'GET',
      path,
      undefined,
      { query: { limit: '2' } },
    );
    assert.equal(firstPage.items.length, 2);
    assert.ok(firstPage.metadata.continue, 'the server pages at limit=2');
    const seen: string[] = [];
    for await (const item of client.listAll(path, { pageSize: 2 })) seen.push((item as Obj).metadata.name);
    assert.deepEqual(seen.sort(), names);
    const whole = await client.list(path, { pageSize: 2 });
    assert.equal(whole.kind, 'SecretList');
    assert.equal(whole.items.length, 5);
    assert.ok(whole.resourceVersion);
  });

  it('watches from a list’s resourceVersion and sees an object created afterwards', async () => {
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const { resourceVersion } = await client.list(path);
    const controller = new AbortController();
    const seen: WatchEvent[] = [];
    const watching = (async () => {
      for await (const event of client.watch(path, { resourceVersion, signal: controller.signal })) {
        seen.push(event);
        if (event.type === 'ADDED' && (event.object.metadata as { name?: string }).name === 'watched')
          controller.abort();
      }
    })();
    await client.request('POST', path, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'watched', namespace: ns },
      data: { x: 'y' },
    });
    const timeout = setTimeout(() => controller.abort(), 15_000);
    await watching;
    clearTimeout(timeout);
    const added = seen.find((e) => e.type === 'ADDED' && (e.object.metadata as { name?: string }).name === 'watched');
    assert.ok(added, `ADDED event for "watched" among ${seen.map((e) => e.type).join(', ')}`);
    assert.deepEqual(added.object.data, { x: 'y' });
  });

  it('a watch from a long-gone resourceVersion fails with 410 Gone (callers list again)', async () => {
    const watching = (async () => {
      for await (const event of client.watch(`/api/v1/namespaces/${ns}/configmaps`, { resourceVersion: '1' }))
        void event;
    })();
    await assert.rejects(watching, (e: unknown) => KubeApiError.is(e) && e.statusCode === 410);
  });
});
