/**
 * Drill recovery time by phase (validate, AWS import, Kubernetes apply, readiness, checks; cleanup apart) for the
 * sample workload `shop` and for a 2,000-object namespace. Informational: a drill has no baseline tool to race.
 * Run: `node --import tsx bench/drill.ts [--json out.json]`.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createSnapshot } from '../src/core/snapshot';
import { loadKubeConfig } from '../src/core/kube/kubeconfig';
import { forEachLimited } from '../src/core/snapshot/concurrency';
import { runDrill, formatMs, PHASE_LABELS, type DrillReport } from '../src/core/drill';
import { awsEndpoint, awsRegion, deleteNamespace, kubeconfigPath, kubeContext, openBenchEnv, uniqueId, type BenchEnv } from './lib/env';

const pad = (i: number) => String(i).padStart(4, '0');
const MIX = { configmaps: 900, secrets: 400, services: 200, serviceaccounts: 200, roles: 100, rolebindings: 100, deployments: 100 } as const;

function objects(ns: string): Array<{ path: string; body: Record<string, unknown> }> {
  const out: Array<{ path: string; body: Record<string, unknown> }> = [];
  for (let i = 0; i < MIX.configmaps; i++) out.push({ path: `/api/v1/namespaces/${ns}/configmaps`, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${pad(i)}` }, data: { 'app.properties': `key=${i}\n`.repeat(20) } } });
  for (let i = 0; i < MIX.secrets; i++) out.push({ path: `/api/v1/namespaces/${ns}/secrets`, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: `secret-${pad(i)}` }, type: 'Opaque', stringData: { token: `t-${i}-${'s'.repeat(32)}` } } });
  for (let i = 0; i < MIX.serviceaccounts; i++) out.push({ path: `/api/v1/namespaces/${ns}/serviceaccounts`, body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${pad(i)}` } } });
  for (let i = 0; i < MIX.roles; i++) out.push({ path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `role-${pad(i)}` }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] } });
  for (let i = 0; i < MIX.rolebindings; i++) out.push({ path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `rb-${pad(i)}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${pad(i)}` }, subjects: [{ kind: 'ServiceAccount', name: `sa-${pad(i)}`, namespace: ns }] } });
  // 20 running deployments back the 200 services; the other 80 are scaled to zero.
  for (let i = 0; i < MIX.deployments; i++) {
    const app = i < 20 ? `d-${i}` : `z-${i}`;
    out.push({
      path: `/apis/apps/v1/namespaces/${ns}/deployments`,
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `deploy-${pad(i)}` },
        spec: { replicas: i < 20 ? 1 : 0, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { serviceAccountName: `sa-${pad(i)}`, containers: [{ name: 'app', image: 'registry.local/bench:1', envFrom: [{ configMapRef: { name: `cm-${pad(i)}` } }, { secretRef: { name: `secret-${pad(i)}` } }] }] } } },
      },
    });
  }
  for (let i = 0; i < MIX.services; i++) out.push({ path: `/api/v1/namespaces/${ns}/services`, body: { apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${pad(i)}` }, spec: { selector: { app: `d-${i % 20}` }, ports: [{ port: 80, targetPort: 8080 }] } } });
  return out;
}

async function drillOnce(env: BenchEnv, label: string, namespace: string, withAws: boolean): Promise<DrillReport> {
  const rp = path.join(env.tmp, `rp-${namespace}`);
  env.log(`${label}: snapshot ${namespace}`);
  await createSnapshot({ target: rp, kube: { client: env.kube, namespaces: [namespace] }, aws: withAws ? { clients: env.aws, autoDetect: true } : undefined, secrets: { passphrase: 'bench' }, toolVersion: 'bench' });
  env.log(`${label}: drill`);
  const report = await runDrill({
    recoveryPoint: rp,
    workspaceDir: env.tmp,
    kube: { kubeConfig: loadKubeConfig([kubeconfigPath]), context: kubeContext },
    aws: withAws ? { endpoint: { url: awsEndpoint, region: awsRegion } } : undefined,
    keySource: { passphrase: 'bench' },
    readyTimeoutMs: 180_000,
  });
  if (report.status !== 'passed') throw new Error(`${label}: the drill ${report.status}: ${report.error ?? JSON.stringify(report.checks.filter((c) => !c.passed).slice(0, 5))}`);
  return report;
}

function table(rows: Array<{ label: string; objects: number; report: DrillReport }>): string {
  const phases = ['validate', 'aws-import', 'kube-apply', 'readiness', 'checks', 'cleanup'] as const;
  const head = ['Drill', 'Objects', ...phases.map((p) => PHASE_LABELS[p]), 'Recovery time', 'Total'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) {
    const ms = (p: string) => r.report.phases.find((x) => x.phase === p)?.durationMs;
    lines.push(`| ${[r.label, String(r.objects), ...phases.map((p) => (ms(p) === undefined ? '–' : formatMs(ms(p)!))), formatMs(r.report.recoveryTimeMs), formatMs(r.report.totalMs)].join(' | ')} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const env = await openBenchEnv();
  const ns = `bench-drill-${uniqueId()}`;
  const rows: Array<{ label: string; objects: number; report: DrillReport }> = [];
  try {
    const shop = await drillOnce(env, 'shop', 'shop', true);
    rows.push({ label: 'shop (sample workload + 2 queues, 1 table, 1 bucket)', objects: shop.checks.filter((c) => c.category === 'objects').reduce((s, c) => s + Number(/^(\d+)\//.exec(c.detail ?? '')?.[1] ?? 0), 0), report: shop });
    env.log(`2,000-object namespace ${ns}: creating`);
    await env.kube.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const all = objects(ns);
    await forEachLimited(all, 16, async (o) => void (await env.kube.request('POST', o.path, o.body)));
    await new Promise((r) => setTimeout(r, 5_000));
    const big = await drillOnce(env, '2,000 objects', ns, false);
    rows.push({ label: '2,000-object namespace', objects: all.length, report: big });
  } finally {
    await deleteNamespace(env.kube, ns, false).catch(() => undefined);
    await env.close();
  }
  const out = table(rows);
  process.stdout.write(`${out}\n`);
  const jsonAt = process.argv.indexOf('--json');
  if (jsonAt >= 0) writeFileSync(process.argv[jsonAt + 1]!, JSON.stringify(rows.map((r) => ({ label: r.label, objects: r.objects, phases: r.report.phases, recoveryTimeMs: r.report.recoveryTimeMs, totalMs: r.report.totalMs, measuredAt: r.report.startedAt })), null, 2));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`drill bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
