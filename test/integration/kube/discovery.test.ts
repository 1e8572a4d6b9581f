import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  discoverResources,
  discoverResourcesPerGroupVersion,
  qualifiedResource,
} from '../../../src/core/kube/discovery';
import type { KubeRawClient } from '../../../src/core/kube/rawClient';
import { createCrd, deleteCrd, eventually, localClient } from './localCluster';

describe('discoverResources against the local API server', () => {
  let client: KubeRawClient;
  const crds: string[] = [];
  before(() => {
    client = localClient();
  });
  after(async () => {
    for (const name of crds) await deleteCrd(client, name);
  });

  it('lists the preferred version of every group, without subresources', async () => {
    const types = await discoverResources(client);
    const byName = new Map(types.map((t) => [qualifiedResource(t), t]));
    assert.deepEqual(byName.get('deployments.apps'), {
      group: 'apps',
      version: 'v1',
      groupVersion: 'apps/v1',
      resource: 'deployments',
      kind: 'Deployment',
      namespaced: true,
      verbs: byName.get('deployments.apps')?.verbs,
    });
    assert.ok(byName.get('deployments.apps')?.verbs.includes('watch'));
    assert.equal(byName.get('pods')?.groupVersion, 'v1');
    assert.equal(byName.get('nodes')?.namespaced, false);
    assert.equal(byName.get('storefronts.shop.drydock.dev')?.kind, 'Storefront', 'the seeded CRD is served');
    assert.ok(!types.some((t) => t.resource.includes('/')), 'no subresources such as pods/log');
    assert.equal(
      types.filter((t) => qualifiedResource(t) === 'horizontalpodautoscalers.autoscaling').length,
      1,
      'one version per group',
    );
    assert.equal(byName.get('horizontalpodautoscalers.autoscaling')?.version, 'v2');
  });

  it('finds the same types through aggregated discovery as by asking each group version', async () => {
    const key = (t: { groupVersion: string; resource: string }) => `${t.groupVersion} ${t.resource}`;
    const sorted = (types: Awaited<ReturnType<typeof discoverResources>>) =>
      [...types].map((t) => ({ ...t, verbs: [...t.verbs].sort() })).sort((a, b) => key(a).localeCompare(key(b)));
    const aggregated = await discoverResources(client);
    const classic = await discoverResourcesPerGroupVersion(client);
    assert.ok(classic.length > 40, `the classic discovery found ${classic.length} types`);
    assert.deepEqual(sorted(aggregated), sorted(classic));
  });

  it('sees a CRD installed after the first call, and its removal', async () => {
    const before = await discoverResources(client);
    const crd = await createCrd(client, 'dd-disc');
    crds.push(crd.name);
    assert.ok(!before.some((t) => t.group === crd.group));
    const found = await eventually(
      async () => (await discoverResources(client)).find((t) => t.group === crd.group),
      `${crd.name} in discovery`,
    );
    assert.deepEqual(
      { ...found, verbs: [] },
      {
        group: crd.group,
        version: 'v1',
        groupVersion: `${crd.group}/v1`,
        resource: crd.plural,
        kind: crd.kind,
        namespaced: true,
        verbs: [],
      },
    );
    await deleteCrd(client, crd.name);
    await eventually(
      async () => !(await discoverResources(client)).some((t) => t.group === crd.group),
      `${crd.name} gone from discovery`,
    );
  });
});
