// A drill of a recovery point that reaches beyond its namespaces (a ClusterRole, a RoleBinding granting cluster-admin
// to every authenticated user) lists them as a restore does and needs the same explicit flag.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { drillsDirOf, runDrill } from '../../../src/core/drill';
import { BeyondNamespacesRefused } from '../../../src/core/snapshot/beyondNamespaces';
import { SnapshotWriter } from '../../../src/core/snapshot/archive/snapshotWriter';
import { newManifest } from '../../../src/core/snapshot/manifest';
import { itemPath } from '../../../src/core/snapshot/layout';
import { KubeApiError } from '../../../src/core/kube/kubeApiError';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';
import { kubeconfigPath, repoRoot, uniqueName } from '../../support/env';
import { CONTEXT, kubeOptions, leftoversOf, liveEnv, tempDir } from './drillEnv';

const env = liveEnv();
const dir = tempDir('drill-beyond');
const rbac = 'rbac.authorization.k8s.io';
const clusterRole = uniqueName('drydock-test-reader');
const source = 'beyond-src';
let rp: string;

const expectedIds = (scratchNs: string) =>
  [`clusterroles.${rbac}/${clusterRole}`, `rolebindings.${rbac}/${scratchNs}/elevate`].sort();

async function clusterRoleExists(): Promise<boolean> {
  const { kube } = await env;
  try {
    await kube.request('GET', `/apis/${rbac}/v1/clusterroles/${clusterRole}`);
    return true;
  } catch (e) {
    if (KubeApiError.is(e) && e.statusCode === 404) return false;
    throw e;
  }
}

/** Ledgers of drills that have not been cleaned up (one file per run). */
function ledgers(ws: string): string[] {
  const d = join(drillsDirOf(ws), 'ledger');
  return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.json')) : [];
}

before(async () => {
  await env;
  // A recovery point from elsewhere, written by the real writer: one namespace whose restore also creates a
  // ClusterRole and grants cluster-admin to every authenticated user.
  rp = join(dir, 'hostile');
  const writer = await SnapshotWriter.create(rp);
  const manifest = newManifest('test');
  const put = (r: { resource: string; group: string; namespace?: string; name: string }, obj: KubeObject) =>
    writer.writeEntry(itemPath(r), JSON.stringify(obj));
  await put(
    { resource: 'namespaces', group: '', name: source },
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: source, labels: { 'kubernetes.io/metadata.name': source } },
      spec: { finalizers: ['kubernetes'] },
    },
  );
  await put(
    { resource: 'configmaps', group: '', namespace: source, name: 'cfg' },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: source }, data: { A: '1' } },
  );
  await put(
    { resource: 'rolebindings', group: rbac, namespace: source, name: 'elevate' },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'elevate', namespace: source },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'Group', apiGroup: rbac, name: 'system:authenticated' }],
    },
  );
  await put(
    { resource: 'clusterroles', group: rbac, name: clusterRole },
    {
      apiVersion: `${rbac}/v1`,
      kind: 'ClusterRole',
      metadata: { name: clusterRole },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
    },
  );
  manifest.source.kube = { context: CONTEXT, server: '', namespaces: [source] };
  manifest.resources = [
    { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, count: 1 },
    { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, count: 1 },
    { group: rbac, version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', namespaced: true, count: 1 },
    { group: rbac, version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false, count: 1 },
  ];
  manifest.counts.items = 4;
  await writer.commit(manifest);
});

after(async () => {
  const { kube, aws } = await env;
  await kube.request('DELETE', `/apis/${rbac}/v1/clusterroles/${clusterRole}`).catch(() => undefined);
  aws.destroy();
  rmSync(dir, { recursive: true, force: true });
});

test('without consent the drill is refused before anything is written, listing what reaches beyond the namespaces', async () => {
  const { kube, aws } = await env;
  const ws = join(dir, 'ws-refused');
  const runId = `t${Date.now().toString(36)}`;
  await assert.rejects(runDrill({ recoveryPoint: rp, workspaceDir: ws, kube: kubeOptions(), runId }), (e: unknown) => {
    assert.ok(BeyondNamespacesRefused.isRefusal(e), `got ${String(e)}`);
    assert.equal(e.code, 'invalid-input');
    assert.equal(e.items.length, 2, JSON.stringify(e.items));
    assert.ok(e.items.some((i) => i.id === `clusterroles.${rbac}/${clusterRole}`));
    const elevate = e.items.find((i) => i.id.endsWith('/elevate'));
    assert.match(elevate?.why ?? '', /ClusterRole cluster-admin \(full control\)/);
    assert.match(elevate?.why ?? '', /grants to the group system:authenticated/);
    assert.match(e.message, /nothing was written/);
    assert.match(e.message, /drill again with --allow-cluster-scoped/);
    return true;
  });
  assert.deepEqual(await leftoversOf(kube, aws, runId), [], 'no scratch namespace');
  assert.equal(await clusterRoleExists(), false, 'no ClusterRole');
  assert.deepEqual(ledgers(ws), [], 'no ledger: nothing to clean up');
});

test('with consent the drill creates them, lists them in its report (JSON and Markdown) and removes them again', async () => {
  const { kube, aws } = await env;
  const ws = join(dir, 'ws-allowed');
  let sawClusterRole = false;
  const report = await runDrill(
    { recoveryPoint: rp, workspaceDir: ws, kube: kubeOptions(), allowBeyondNamespaces: true, readyTimeoutMs: 20_000 },
    {
      onProgress: (e) => {
        if (e.phase === 'checks' && !sawClusterRole)
          void clusterRoleExists().then((x) => (sawClusterRole = sawClusterRole || x));
      },
    },
  );
  assert.equal(report.status, 'passed', JSON.stringify({ error: report.error, checks: report.checks }, null, 1));
  assert.deepEqual(report.beyondNamespaces?.map((b) => b.id).sort(), expectedIds(report.target.namespace));
  const markdown = readFileSync(report.files!.markdown, 'utf8');
  assert.match(markdown, /## Beyond its namespaces \(allowed with --allow-cluster-scoped\)/);
  assert.match(markdown, new RegExp(`clusterroles\\.${rbac.replace(/\./g, '\\.')}/${clusterRole}`));
  assert.ok(sawClusterRole || report.checks.some((c) => c.name.includes(clusterRole) && c.passed));
  assert.equal(report.cleanup.done, true, JSON.stringify(report.cleanup));
  assert.equal(await clusterRoleExists(), false, 'the ClusterRole the drill created is removed with it');
  assert.deepEqual(await leftoversOf(kube, aws, report.runId), []);
});

test('CLI: drydock drill exits 2 (usage) listing them without --allow-cluster-scoped, and passes with it', async () => {
  const ws = join(dir, 'ws-cli');
  const drill = (extra: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(repoRoot, 'src', 'cli', 'main.ts'),
          'drill',
          rp,
          '--no-aws',
          '--kubeconfig',
          kubeconfigPath(),
          '--context',
          CONTEXT,
          '--workspace',
          ws,
          '--ready-timeout',
          '20',
          ...extra,
        ],
        { cwd: repoRoot, env: process.env },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.resume();
      const kill = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('exit', (code) => {
        clearTimeout(kill);
        resolve({ code, stderr });
      });
    });
  const refused = await drill([]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /would create 2 object\(s\) that reach beyond its namespaces; nothing was written/);
  assert.match(refused.stderr, new RegExp(`clusterroles\\.rbac\\.authorization\\.k8s\\.io/${clusterRole}`));
  assert.equal(await clusterRoleExists(), false);
  const allowed = await drill(['--allow-cluster-scoped']);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.equal(await clusterRoleExists(), false, 'removed with the drill target');
  assert.deepEqual(ledgers(ws), []);
});
