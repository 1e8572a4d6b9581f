/**
 * Drilling a Velero backup vs Velero restoring it. Real Velero (the harness in tools/localenv/velero.mjs) backs up the
 * 2,000-object namespace bench/kube.ts makes; then, alternating: Drydock's whole drill of that backup read from the
 * bucket (open + restore into a scratch namespace + readiness + checks + cleanup) in this process, and
 * `velero restore create --wait` of the same backup into a fresh namespace (the Velero CLI waiting on the server).
 * Target: the drill ≤ 0.5× Velero's restore alone. Peak RSS: this process during the drill (Velero's is its server's).
 * Run: `node --import tsx bench/velero.ts [--json out.json]` against a running local environment.
 */
import * as path from 'node:path';
import { loadKubeConfig } from '../src/core/kube/kubeconfig';
import { runDrill } from '../src/core/drill';
import { openVeleroBackup } from '../src/core/velero';
import { mainIf, measuredRuns, type Benchmark } from './lib/benchmark';
import { awsEndpoint, deleteNamespace, kubeconfigPath, kubeContext, uniqueId, type BenchEnv } from './lib/env';
import { compare, measureInProcess } from './lib/measure';
import { newResult, type BenchResult } from './lib/result';
import { createCrd, crdFor, deleteCrd, populate } from './kube';
import { veleroBackup, veleroDown, veleroRestore, veleroUp } from '../tools/localenv/velero.mjs';

export const bench: Benchmark = {
  name: 'velero',
  description: "drill of a Velero backup of a 2,000-object namespace vs Velero's own restore of it",
  async run(env: BenchEnv): Promise<BenchResult[]> {
    const id = uniqueId();
    const ns = `bench-velero-${id}`;
    const bucket = `bench-velero-${id}`;
    const backup = `b-${id}`;
    const crd = crdFor(id);
    const made: string[] = [ns];
    await veleroUp({ bucket });
    try {
      await createCrd(env.kube, crd);
      await populate(env, ns, crd);
      env.log(`velero backup of ${ns}`);
      const phase = veleroBackup(backup, ['--include-namespaces', ns]);
      if (phase !== 'Completed') throw new Error(`Velero's backup ended ${phase}`);
      const kubeConfig = loadKubeConfig([kubeconfigPath]);
      let ourRss = 0;
      const stats = await compare(
        {
          drydock: {
            run: async (i) => {
              const s = await measureInProcess(async () => {
                const opened = await openVeleroBackup(`s3://${bucket}/backups/${backup}`, {
                  endpoint: awsEndpoint,
                  toolVersion: 'bench',
                });
                try {
                  const report = await runDrill({
                    recoveryPoint: opened.path,
                    keySource: opened.keySource,
                    workspaceDir: path.join(env.tmp, `ws-${i}`),
                    kube: { kubeConfig, context: kubeContext },
                    readyTimeoutMs: 120_000,
                  });
                  if (report.error) throw new Error(`drill broke: ${report.error}`);
                  return report;
                } finally {
                  await opened.close();
                }
              });
              ourRss = Math.max(ourRss, s.peakRssMb);
              return s;
            },
          },
          velero: {
            run: async (i) => {
              const target = `bench-vr-${id}-${i}`;
              made.push(target);
              const started = performance.now();
              const restorePhase = veleroRestore(`r-${id}-${i}`, backup, ['--namespace-mappings', `${ns}:${target}`]);
              if (restorePhase !== 'Completed' && restorePhase !== 'PartiallyFailed')
                throw new Error(`Velero's restore ended ${restorePhase}`);
              return { seconds: (performance.now() - started) / 1000, peakRssMb: 0 };
            },
            teardown: async (i) => deleteNamespace(env.kube, `bench-vr-${id}-${i}`, false),
          },
        },
        { warmup: false, runs: measuredRuns, log: env.log },
      );
      return [
        newResult({
          bench: 'velero',
          what: 'Drill of a Velero backup (2,000-object namespace, read from S3)',
          baseline: 'velero restore create --wait of the same backup into a fresh namespace',
          ours: stats.drydock,
          base: stats.velero,
          maxRatio: 0.5,
          target: '≤ 0.5× (drill vs restore alone)',
          notes: [
            `peak RSS of the drilling process ${ourRss.toFixed(0)} MB; Velero's side is its server process (not sampled here)`,
          ],
        }),
      ];
    } finally {
      for (const n of made) await deleteNamespace(env.kube, n, false).catch(() => undefined);
      await deleteCrd(env.kube, crd).catch(() => undefined);
      await veleroDown();
    }
  },
};

mainIf(module, bench);
