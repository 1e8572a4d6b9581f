/**
 * A drill's wall time against the restore alone, for the sample workload `shop` (with its queues, table and bucket)
 * and for a 2,000-object namespace: the same recovery point drilled (runDrill, report returned when the checks
 * end, target removed in the background) and restored into a fresh namespace (and AWS copies under a prefix)
 * with restoreSnapshot. A drill that waits for its cleanup (the former behaviour) is measured beside them.
 * Phases of the last drill of each are in the notes. Run: `node --import tsx bench/drill.ts [--json out.json]`.
 */
import * as path from 'node:path';
import { createSnapshot, restoreSnapshot } from '../src/core/snapshot';
import { loadKubeConfig } from '../src/core/kube/kubeconfig';
import { forEachLimited } from '../src/core/snapshot/concurrency';
import { runDrill, formatMs, DrillRuns, PHASE_LABELS, type DrillReport } from '../src/core/drill';
import { mainIf, measuredRuns, type Benchmark } from './lib/benchmark';
import {
  awsEndpoint,
  awsRegion,
  deleteNamespace,
  kubeconfigPath,
  kubeContext,
  uniqueId,
  type BenchEnv,
} from './lib/env';
import { compare, measureInProcess, type Stat } from './lib/measure';
import { newResult, type BenchResult } from './lib/result';
import { deleteAwsCopies } from './lib/soakAws';
import { readBackBare } from './lib/readBackBare';

const pad = (i: number) => String(i).padStart(4, '0');
const MIX = {
  configmaps: 900,
  secrets: 400,
  services: 200,
  serviceaccounts: 200,
  roles: 100,
  rolebindings: 100,
  deployments: 100,
} as const;

function objects(ns: string): Array<{ path: string; body: Record<string, unknown> }> {
  const out: Array<{ path: string; body: Record<string, unknown> }> = [];
  for (let i = 0; i < MIX.configmaps; i++)
    out.push({
      path: `/api/v1/namespaces/${ns}/configmaps`,
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${pad(i)}` },
        data: { 'app.properties': `key=${i}\n`.repeat(20) },
      },
    });
  for (let i = 0; i < MIX.secrets; i++)
    out.push({
      path: `/api/v1/namespaces/${ns}/secrets`,
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `secret-${pad(i)}` },
        type: 'Opaque',
        stringData: { token: `t-${i}-${'s'.repeat(32)}` },
      },
    });
  for (let i = 0; i < MIX.serviceaccounts; i++)
    out.push({
      path: `/api/v1/namespaces/${ns}/serviceaccounts`,
      body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `sa-${pad(i)}` } },
    });
  for (let i = 0; i < MIX.roles; i++)
    out.push({
      path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`,
      body: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: `role-${pad(i)}` },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
      },
    });
  for (let i = 0; i < MIX.rolebindings; i++)
    out.push({
      path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`,
      body: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `rb-${pad(i)}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${pad(i)}` },
        subjects: [{ kind: 'ServiceAccount', name: `sa-${pad(i)}`, namespace: ns }],
      },
    });
  // 20 running deployments back the 200 services; the other 80 are scaled to zero.
  for (let i = 0; i < MIX.deployments; i++) {
    const app = i < 20 ? `d-${i}` : `z-${i}`;
    out.push({
      path: `/apis/apps/v1/namespaces/${ns}/deployments`,
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `deploy-${pad(i)}` },
        spec: {
          replicas: i < 20 ? 1 : 0,
          selector: { matchLabels: { app } },
          template: {
            metadata: { labels: { app } },
            spec: {
              serviceAccountName: `sa-${pad(i)}`,
              containers: [
                {
                  name: 'app',
                  image: 'registry.local/bench:1',
                  envFrom: [{ configMapRef: { name: `cm-${pad(i)}` } }, { secretRef: { name: `secret-${pad(i)}` } }],
                },
              ],
            },
          },
        },
      },
    });
  }
  for (let i = 0; i < MIX.services; i++)
    out.push({
      path: `/api/v1/namespaces/${ns}/services`,
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `svc-${pad(i)}` },
        spec: { selector: { app: `d-${i % 20}` }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    });
  return out;
}

const SECRETS = { passphrase: 'bench' };

function phases(report: DrillReport): string {
  return report.phases.map((p) => `${PHASE_LABELS[p.phase]} ${formatMs(p.durationMs)}`).join(', ');
}

/** The last drill less its readiness wait (the controllers' pace, not Drydock's), against the restore's median. */
function withoutReadiness(drill: Stat, restore: Stat, last: DrillReport | undefined): string {
  const lastSeconds = drill.runs[drill.runs.length - 1] ?? 0;
  const readiness = (last?.phases.find((p) => p.phase === 'readiness')?.durationMs ?? 0) / 1000;
  const rest = lastSeconds - readiness;
  return `the last drill without its readiness wait: ${rest.toFixed(2)} s (${(rest / restore.seconds).toFixed(2)}× the restore's median)`;
}

/** runDrill vs restoreSnapshot of one recovery point (and the drill that waits for its cleanup). */
async function drillVsRestore(
  env: BenchEnv,
  label: string,
  namespace: string,
  withAws: boolean,
  objects: number,
): Promise<BenchResult[]> {
  const id = uniqueId();
  const rp = path.join(env.tmp, `rp-${namespace}.tar.gz`);
  env.log(`${label}: snapshot ${namespace}`);
  await createSnapshot({
    target: rp,
    kube: { client: env.kube, namespaces: [namespace] },
    aws: withAws ? { clients: env.aws, autoDetect: true } : undefined,
    secrets: SECRETS,
    toolVersion: 'bench',
  });
  const runs = new DrillRuns();
  const workspaceDir = path.join(env.tmp, `ws-${id}`);
  let last: DrillReport | undefined;
  let lastWaiting: DrillReport | undefined;
  let readBack = '';
  const drill = async (background: boolean) => {
    const r = await measureInProcess(() =>
      runDrill(
        {
          recoveryPoint: rp,
          workspaceDir,
          kube: { kubeConfig: loadKubeConfig([kubeconfigPath]), context: kubeContext },
          aws: withAws ? { endpoint: { url: awsEndpoint, region: awsRegion } } : undefined,
          keySource: SECRETS,
          readyTimeoutMs: 180_000,
          runs,
          backgroundCleanup: background,
        },
        {},
      ),
    );
    if (r.value.status !== 'passed')
      throw new Error(
        `${label}: the drill ${r.value.status}: ${r.value.error ?? JSON.stringify(r.value.checks.filter((c) => !c.passed).slice(0, 5))}`,
      );
    if (background) last = r.value;
    else lastWaiting = r.value;
    return r;
  };
  const target = (run: number) => `bench-dr-${id}-${run < 0 ? 'w' : run}`;
  const prefix = (run: number) => `bench-dr-${id}-${run < 0 ? 'w' : run}-`;
  const stats = await compare(
    {
      drill: { run: () => drill(true), teardown: () => runs.settled() },
      restore: {
        run: async (run) => {
          const r = await measureInProcess(() =>
            restoreSnapshot({
              source: rp,
              keySource: SECRETS,
              kube: { client: env.kube, namespaceMap: new Map([[namespace, target(run)]]) },
              aws: withAws ? { clients: env.aws, prefix: prefix(run) } : undefined,
            }),
          );
          if (r.value.status === 'failed') throw new Error(`${label}: restore failed`);
          return r;
        },
        teardown: async (run) => {
          if (withAws) await deleteAwsCopies(env.aws, prefix(run));
          await deleteNamespace(env.kube, target(run), true);
        },
      },
      drillWaitingForCleanup: { run: () => drill(false) },
      // The floor of any drill that verifies the data: the same restore, then the AWS copies read back with bare
      // SDK calls (receive every message and release it, one sequential scan, a GET of every object).
      restoreThenRead: {
        run: async (run) => {
          const r = await measureInProcess(async () => {
            const report = await restoreSnapshot({
              source: rp,
              keySource: SECRETS,
              kube: { client: env.kube, namespaceMap: new Map([[namespace, target(run + 1000)]]) },
              aws: withAws ? { clients: env.aws, prefix: prefix(run + 1000) } : undefined,
            });
            if (report.status === 'failed') throw new Error(`${label}: restore failed`);
            readBack = withAws ? await readBackBare(env.aws, prefix(run + 1000)) : 'no AWS part';
            return report;
          });
          return r;
        },
        teardown: async (run) => {
          if (withAws) await deleteAwsCopies(env.aws, prefix(run + 1000));
          await deleteNamespace(env.kube, target(run + 1000), true);
        },
      },
    },
    { warmup: true, runs: measuredRuns, log: env.log },
  );
  const what = `Drill ${label}`;
  const restoreBaseline = `restore alone (restoreSnapshot into a fresh namespace${withAws ? ' + AWS copies' : ''})`;
  return [
    newResult({
      bench: 'drill',
      what: `${what} (report when checks end, cleanup in background)`,
      baseline: restoreBaseline,
      ours: stats.drill,
      base: stats.restore,
      maxRatio: 1.3,
      target: '≤ 1.3× the restore alone',
      notes: [
        `${objects ? `${objects} objects; ` : ''}phases of the last drill: ${last ? phases(last) : '–'} (cleanup: background, ${last?.cleanup.done ? 'done' : 'not done'} after the report)`,
        withoutReadiness(stats.drill, stats.restore, last),
      ],
    }),
    ...(withAws
      ? [
          newResult({
            bench: 'drill',
            what: `${what} (report when checks end, cleanup in background)`,
            baseline: `${restoreBaseline}, then its AWS data read back with bare SDK calls`,
            ours: stats.drill,
            base: stats.restoreThenRead,
            target: 'report only (the floor of a drill that verifies the data)',
            notes: [`bare read-back of the last run: ${readBack}`],
          }),
        ]
      : []),
    newResult({
      bench: 'drill',
      what: `${what} (waiting for its cleanup, as before)`,
      baseline: restoreBaseline,
      ours: stats.drillWaitingForCleanup,
      base: stats.restore,
      target: 'report only',
      notes: [`phases of the last such drill: ${lastWaiting ? phases(lastWaiting) : '–'}`],
    }),
  ];
}

export const bench: Benchmark = {
  name: 'drill',
  description: 'drill wall time vs the restore alone: shop (+ AWS) and a 2,000-object namespace',
  async run(env) {
    const ns = `bench-drill-${uniqueId()}`;
    const results: BenchResult[] = [];
    // DRYDOCK_BENCH_DRILL_PARTS=shop: only the sample workload's comparison.
    const parts = (process.env.DRYDOCK_BENCH_DRILL_PARTS ?? 'shop,large').split(',');
    try {
      if (parts.includes('shop'))
        results.push(
          ...(await drillVsRestore(env, 'shop (sample workload + 2 queues, 1 table, 1 bucket)', 'shop', true, 0)),
        );
      if (!parts.includes('large')) return results;
      env.log(`2,000-object namespace ${ns}: creating`);
      await env.kube.request('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      });
      const all = objects(ns);
      await forEachLimited(all, 16, async (o) => void (await env.kube.request('POST', o.path, o.body)));
      await new Promise((r) => setTimeout(r, 5_000));
      results.push(...(await drillVsRestore(env, '2,000-object namespace', ns, false, all.length)));
    } finally {
      await deleteNamespace(env.kube, ns, false).catch(() => undefined);
    }
    return results;
  },
};

mainIf(module, bench);
