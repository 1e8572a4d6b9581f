// Velero interop against REAL Velero (v1.18.3 + velero-plugin-for-aws v1.14.3, built from the Go module proxy),
// running out of cluster against the local control plane with moto's S3 as its backup storage location.
// Every backup read here is one Velero makes during this run.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { KubeRawClient } from '../../../src/core/kube/rawClient';
import { createSnapshot, restoreSnapshot } from '../../../src/core/snapshot';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';
import { runDrill } from '../../../src/core/drill';
import { listVeleroBackups, openBackupStore, openVeleroBackup, pushSnapshot } from '../../../src/core/velero';
import { generateSnapshotIdentity } from '../../../src/core/snapshot/secretCrypto';
import { join } from 'node:path';
import { awsEndpointUrl, uniqueName } from '../../support/env';
import { kubeOptions, liveEnv, tempDir, waitFor } from '../drill/drillEnv';
import {
  veleroBackup,
  veleroDown,
  veleroRestore,
  veleroUp,
  waitForBackupSynced,
} from '../../../tools/localenv/velero.mjs';

const bucket = uniqueName('velero');
const backupName = uniqueName('shop');
const s3 = { endpoint: awsEndpointUrl() };
let kube: KubeRawClient;
const namespacesMade: string[] = [];

before(async () => {
  ({ kube } = await liveEnv());
  await veleroUp({ bucket });
  const phase = veleroBackup(backupName, ['--include-namespaces', 'shop']);
  assert.equal(phase, 'Completed', `Velero's backup of shop ended ${phase}`);
});

after(async () => {
  for (const ns of namespacesMade) await kube.request('DELETE', `/api/v1/namespaces/${ns}`).catch(() => undefined);
  await veleroDown();
});

test('velero list: the backup Velero just made, with its phase, namespaces, item counts and what it skipped', async () => {
  const listing = await listVeleroBackups(`s3://${bucket}`, s3);
  const b = listing.backups.find((x) => x.name === backupName);
  assert.ok(b, `listed: ${JSON.stringify(listing.backups.map((x) => x.name))}`);
  assert.equal(b.info?.phase, 'Completed');
  assert.deepEqual(b.info?.includedNamespaces, ['shop']);
  assert.ok((b.info?.itemsBackedUp ?? 0) > 10, `items ${b.info?.itemsBackedUp}`);
  assert.equal(b.info?.itemsBackedUp, b.info?.totalItems);
  assert.equal(b.reported?.errors, 0);
  assert.equal(b.problem, undefined);
  assert.deepEqual(listing.foreignTopLevel, []);
});

test('a Velero backup on S3 opens as a recovery point, read straight from the bucket', async () => {
  const opened = await openVeleroBackup(`s3://${bucket}/backups/${backupName}`, { ...s3, toolVersion: 'test' });
  try {
    const m = opened.manifest;
    assert.deepEqual(m.source.kube?.namespaces, ['shop']);
    const kinds = new Set(m.resources.map((r) => (r.group ? `${r.resource}.${r.group}` : r.resource)));
    for (const k of [
      'deployments.apps',
      'services',
      'configmaps',
      'secrets',
      'rolebindings.rbac.authorization.k8s.io',
      'storefronts.shop.drydock.dev',
    ])
      assert.ok(kinds.has(k), `holds ${k}: ${[...kinds].join(', ')}`);
    assert.equal(m.encryption.secrets, 'age', "Secrets are encrypted in Drydock's private copy");
    assert.ok(
      m.skipped.some((s) => s.resource === 'pods'),
      "controller-owned pods are skipped like Velero's own restore would recreate them",
    );
  } finally {
    await opened.close();
  }
});

/** What a restore must reproduce of an object: its content without server-made or restore-marking fields. */
function essence(obj: KubeObject, ns: string): unknown {
  const o = structuredClone(obj) as Record<string, any>;
  const meta = o.metadata as Record<string, any>;
  const labels = Object.fromEntries(
    Object.entries((meta.labels ?? {}) as Record<string, string>).filter(([k]) => !k.startsWith('velero.io/')),
  );
  const annotations = Object.fromEntries(
    Object.entries((meta.annotations ?? {}) as Record<string, string>).filter(
      ([k]) =>
        !k.startsWith('velero.io/') &&
        // Set by the PV controller when a claim binds (the source's volume stays bound to the source's claim).
        !k.startsWith('pv.kubernetes.io/') &&
        !k.startsWith('volume.') &&
        k !== 'deployment.kubernetes.io/revision' &&
        k !== 'kubectl.kubernetes.io/last-applied-configuration',
    ),
  );
  if (Array.isArray(o.subjects))
    for (const s of o.subjects as { namespace?: string }[])
      if (s.namespace) s.namespace = s.namespace === ns ? '<ns>' : s.namespace;
  const spec = o.spec as Record<string, unknown> | undefined;
  // List items carry no kind: the collection path stands in for it.
  if ((o.kind === 'Service' || String(o.kind).endsWith('/services')) && spec) {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  }
  if ((o.kind === 'PersistentVolumeClaim' || String(o.kind).endsWith('/persistentvolumeclaims')) && spec)
    delete spec.volumeName;
  return {
    kind: o.kind,
    name: meta.name,
    labels,
    annotations,
    spec: o.spec,
    data: o.data,
    stringData: o.stringData,
    rules: o.rules,
    roleRef: o.roleRef,
    subjects: o.subjects,
    type: o.type,
  };
}

const COMPARED = [
  '/api/v1/namespaces/{ns}/configmaps',
  '/api/v1/namespaces/{ns}/secrets',
  '/api/v1/namespaces/{ns}/serviceaccounts',
  '/api/v1/namespaces/{ns}/services',
  '/api/v1/namespaces/{ns}/persistentvolumeclaims',
  '/apis/apps/v1/namespaces/{ns}/deployments',
  '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles',
  '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings',
  '/apis/shop.drydock.dev/v1/namespaces/{ns}/storefronts',
];

async function objectsOf(ns: string): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const path of COMPARED) {
    const list = await kube.request<{ items: KubeObject[] }>('GET', path.replace('{ns}', ns));
    for (const item of list.items) {
      const name = String((item.metadata as { name?: string }).name);
      // Made by the cluster in every namespace, not restored by either tool.
      if (name === 'kube-root-ca.crt' || (path.endsWith('/serviceaccounts') && name === 'default')) continue;
      out.set(`${path.split('/').at(-1)}/${name}`, essence({ ...item, kind: item.kind ?? path }, ns));
    }
  }
  return out;
}

test("Velero's own restore and Drydock's restore of the same backup into other namespaces agree object by object", async () => {
  const viaVelero = uniqueName('vv');
  const viaDrydock = uniqueName('dd');
  namespacesMade.push(viaVelero, viaDrydock);
  const phase = veleroRestore(uniqueName('r'), backupName, ['--namespace-mappings', `shop:${viaVelero}`]);
  assert.ok(phase === 'Completed' || phase === 'PartiallyFailed', `Velero's restore ended ${phase}`);

  const opened = await openVeleroBackup(`s3://${bucket}/backups/${backupName}`, { ...s3, toolVersion: 'test' });
  try {
    const report = await restoreSnapshot({
      source: opened.path,
      keySource: opened.keySource,
      kube: { client: kube, namespaceMap: new Map([['shop', viaDrydock]]) },
    });
    assert.notEqual(report.status, 'failed', JSON.stringify(report.items.filter((i) => i.outcome === 'failed')));
  } finally {
    await opened.close();
  }
  // Wait for the deployment controller in both, then compare what each restore made.
  await waitFor(async () => (await objectsOf(viaDrydock)).has('deployments/web'), 'Drydock restored web', 30_000);
  const v = await objectsOf(viaVelero);
  const d = await objectsOf(viaDrydock);
  assert.deepEqual([...d.keys()].sort(), [...v.keys()].sort(), 'the same objects');
  for (const [key, veleroObj] of v) assert.deepEqual(d.get(key), veleroObj, `${key} restored the same by both`);
  // RoleBinding subjects follow the namespace mapping in both.
  const rb = await kube.request<KubeObject>(
    'GET',
    `/apis/rbac.authorization.k8s.io/v1/namespaces/${viaDrydock}/rolebindings/shop-web-reads-config`,
  );
  assert.equal((rb.subjects as { namespace: string }[])[0]!.namespace, viaDrydock);
});

test('a drill of the Velero backup starts from what Velero reported it lacks, and passes', async () => {
  const dir = tempDir('velero-drill');
  const opened = await openVeleroBackup(`s3://${bucket}/backups/${backupName}`, { ...s3, toolVersion: 'test' });
  try {
    const report = await runDrill({
      recoveryPoint: opened.path,
      keySource: opened.keySource,
      workspaceDir: dir,
      kube: kubeOptions(),
      readyTimeoutMs: 60_000,
    });
    const failed = report.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`);
    assert.equal(report.status, 'passed', `failed checks: ${failed.join('\n')}\nerror: ${report.error}`);
    // Velero's volume info says the PVC's data was not backed up (no snapshotter, pod opted out of fs-backup).
    assert.ok(opened.reported.skippedVolumes.length > 0, 'Velero reported the volume it did not back up');
    for (const v of opened.reported.skippedVolumes) {
      assert.ok(
        report.gaps.some(
          (g) =>
            g.subject === `persistentvolumeclaims/${v.namespace}/${v.pvc}` && /Velero did not back up/.test(g.message),
        ),
        `the report names ${v.namespace}/${v.pvc}: ${JSON.stringify(report.gaps.map((g) => g.subject))}`,
      );
    }
    assert.ok(report.checks.some((c) => c.name === 'deployments.apps/web Available' && c.passed));
    assert.ok(report.cleanup.done);
  } finally {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Velero running as non-root adopts a recovery point Drydock pushed and restores it; the objects match the source', async () => {
  const dir = tempDir('velero-push');
  const identity = await generateSnapshotIdentity();
  const name = uniqueName('pushed');
  const restored = uniqueName('pr');
  namespacesMade.push(restored);
  try {
    const snapshot = join(dir, 'shop.tar.gz');
    await createSnapshot({
      target: snapshot,
      kube: { client: kube, namespaces: ['shop'] },
      secrets: { identity },
      toolVersion: 'test',
    });
    const store = await openBackupStore(`s3://${bucket}`, s3);
    try {
      const pushed = await pushSnapshot({ snapshot, store, name, plainSecrets: true, keySource: { identity } });
      assert.deepEqual(pushed.secretsLeftOut, []);
    } finally {
      store.close();
    }
    const phase = await waitForBackupSynced(name);
    assert.equal(phase, 'Completed', 'Velero adopted the pushed backup');
    const restorePhase = veleroRestore(uniqueName('r'), name, ['--namespace-mappings', `shop:${restored}`]);
    assert.equal(restorePhase, 'Completed', `Velero's restore of the pushed backup ended ${restorePhase}`);
    const source = await objectsOf('shop');
    const got = await objectsOf(restored);
    assert.deepEqual([...got.keys()].sort(), [...source.keys()].sort(), 'the same objects');
    for (const [key, obj] of source) assert.deepEqual(got.get(key), obj, `${key} as in the source`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
