/**
 * Drilling a Velero backup vs Velero restoring it. Real Velero (the harness in tools/localenv/velero.mjs) backs up the
 * 2,000-object namespace bench/kube.ts makes, with a running Pod for 20 of its Deployments (and a 500-object one of the same
 * kinds); then, alternating: Drydock's whole drill of the 2,000-object backup read from the bucket (download + open +
 * restore into a scratch namespace + readiness + checks; the scratch namespace is removed after the report, untimed,
 * as `drydock drill` does) in this process, and `velero restore create --wait` of the same backup into a fresh
 * namespace (the Velero CLI waiting on the server; the namespace deleted afterwards, untimed). Target: the drill
 * ≤ 0.5× Velero's restore alone. Peak RSS flat in the backup's size: this process's peak during one drill of the
 * 500-object backup (first, in a fresh process) against its peak during the drills of the 2,000-object one.
 * Velero's RSS is its server's (not sampled). Run: `node --import tsx bench/velero.ts [--json out.json]` against a
 * running local environment.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadKubeConfig } from '../src/core/kube/kubeconfig';
import { DrillRuns, formatMs, PHASE_LABELS, runDrill, type DrillReport } from '../src/core/drill';
import { openVeleroBackup } from '../src/core/velero';
import { mainIf, measuredRuns, type Benchmark } from './lib/benchmark';
import { awsEndpoint, deleteNamespace, kubeconfigPath, kubeContext, sleep, uniqueId, type BenchEnv } from './lib/env';
import { compare, measureInProcess, type Sample, type Stat } from './lib/measure';
import { newResult, type BenchResult } from './lib/result';
import { deleteBucket } from './lib/s3';
import { createCrd, crdFor, deleteCrd, MIX, populate, scaledMix } from './kube';
import { veleroBackup, veleroDown, veleroRestore, veleroUp } from '../tools/localenv/velero.mjs';

/** How much larger the peak RSS of the 2,000-object drill may be than the 500-object one's and still count as flat. */
const FLAT_RSS = 1.25;
const SMALL = scaledMix(0.25);
const RUNNING = 20;
const count = (mix: Record<string, number>) => Object.values(mix).reduce((a, b) => a + b, 0);

function phases(report: DrillReport | undefined): string {
  return report ? report.phases.map((p) => `${PHASE_LABELS[p.phase]} ${formatMs(p.durationMs)}`).join(', ') : '–';
}

export const bench: Benchmark = {
  name: 'velero',
  description: "drill of a Velero backup of a 2,000-object namespace vs Velero's own restore of it",
  async run(env: BenchEnv): Promise<BenchResult[]> {
    const id = uniqueId();
    const ns = `bench-velero-${id}`;
    const nsSmall = `bench-velero-s-${id}`;
    const bucket = `bench-velero-${id}`;
    const backup = `b-${id}`;
    const backupSmall = `bs-${id}`;
    const crd = crdFor(id);
    const made: string[] = [ns, nsSmall];
    const kubeConfig = loadKubeConfig([kubeconfigPath]);
    const runs = new DrillRuns();
    let last: { report: DrillReport; openSeconds: number } | undefined;

    /** One whole drill of a backup in the bucket, timed from the address to the report. */
    const drill = async (name: string, ws: string): Promise<Sample> => {
      const s = await measureInProcess(async () => {
        const t0 = performance.now();
        const opened = await openVeleroBackup(`s3://${bucket}/backups/${name}`, {
          endpoint: awsEndpoint,
          toolVersion: 'bench',
        });
        const openSeconds = (performance.now() - t0) / 1000;
        try {
          const report = await runDrill({
            recoveryPoint: opened.path,
            keySource: opened.keySource,
            workspaceDir: path.join(env.tmp, ws),
            kube: { kubeConfig, context: kubeContext },
            readyTimeoutMs: 120_000,
            runs,
            backgroundCleanup: true,
          });
          if (report.error) throw new Error(`drill broke: ${report.error}`);
          if (report.status !== 'passed')
            env.log(`  drill ${report.status}: ${report.gaps.length} gaps, e.g. ${report.gaps[0]?.subject ?? '–'}`);
          last = { report, openSeconds };
          env.log(`    download + open ${openSeconds.toFixed(2)} s; ${phases(report)}`);
          return report;
        } finally {
          await opened.close();
        }
      });
      return s;
    };

    await veleroUp({ bucket });
    try {
      await createCrd(env.kube, crd);
      // A Pod for each of the first RUNNING Deployments (kwok runs them), which the Services select: every Service
      // has endpoints, so the drill can pass (a kwok node takes 250 Pods: source, drill and Velero's copies fit).
      await populate(env, ns, crd, MIX, RUNNING);
      await populate(env, nsSmall, crd, SMALL, RUNNING);
      for (const [name, namespace] of [
        [backup, ns],
        [backupSmall, nsSmall],
      ] as const) {
        env.log(`velero backup ${name} of ${namespace}`);
        const t0 = performance.now();
        const phase = veleroBackup(name, ['--include-namespaces', namespace]);
        if (phase !== 'Completed') throw new Error(`Velero's backup ${name} ended ${phase}`);
        env.log(`  ${phase} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }

      // The small backup first, in a process that has drilled nothing yet: its peak is the floor to compare with.
      env.log(`drill of the ${count(SMALL)}-object backup (peak RSS floor)`);
      const small = await drill(backupSmall, 'ws-small');
      await runs.settled();
      env.log(
        `  ${small.seconds.toFixed(2)} s, peak ${small.peakRssMb.toFixed(0)} MB; phases: ${phases(last?.report)}`,
      );
      const smallStat: Stat = { seconds: small.seconds, runs: [small.seconds], peakRssMb: small.peakRssMb };

      const stats = await compare(
        {
          drydock: { run: (i) => drill(backup, `ws-${i}`), teardown: () => runs.settled() },
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
            teardown: async (i) => {
              // The Velero CLI ran synchronously (the event loop stood still): a kept-alive connection the API server
              // closed meanwhile can fail the first request ("socket hang up"). Once more on a fresh one.
              await deleteNamespace(env.kube, `bench-vr-${id}-${i}`, true).catch(async (error: unknown) => {
                env.log(`  (deleting bench-vr-${id}-${i}: ${(error as Error).message}; once more)`);
                await sleep(1000);
                await deleteNamespace(env.kube, `bench-vr-${id}-${i}`, true);
              });
            },
          },
        },
        { warmup: false, runs: measuredRuns, log: env.log },
      );
      const total = count(MIX);
      const drillNote = last
        ? `last drill: ${last.report.status}, ${last.report.counts.passed}/${last.report.checks.length} checks passed, ${last.report.gaps.length} gaps; download + open of the backup ${last.openSeconds.toFixed(2)} s, then ${phases(last.report)}`
        : '–';
      const readiness = last?.report.phases.find((p) => p.phase === 'readiness')?.durationMs ?? 0;
      const lastSeconds = stats.drydock.runs[stats.drydock.runs.length - 1] ?? 0;
      const waitNote =
        `readiness waits for the ${RUNNING} Deployments with a Pod (ready when their pods are, before ` +
        `kube-controller-manager — client QPS 20 — updates their status) and the Services' endpoints; the ` +
        `${MIX.deployments - RUNNING} Deployments scaled to 0 have nothing to wait for. Velero's restore waits for ` +
        `nothing: the last drill without readiness ${(lastSeconds - readiness / 1000).toFixed(1)} s ` +
        `(${((lastSeconds - readiness / 1000) / stats.velero.seconds).toFixed(2)}× Velero's median)`;
      return [
        newResult({
          bench: 'velero',
          what: `Drill of a Velero backup (${total.toLocaleString('en')}-object namespace, read from S3)`,
          baseline: 'velero restore create --wait of the same backup into a fresh namespace',
          ours: stats.drydock,
          base: stats.velero,
          maxRatio: 0.5,
          target: '≤ 0.5× (drill vs restore alone)',
          notes: [
            `whole drill = download + open + restore + readiness + checks (cleanup after the report, untimed); ${drillNote}`,
            waitNote,
            `peak RSS of the drilling process ${stats.drydock.peakRssMb.toFixed(0)} MB; Velero's side is its server process (not sampled here)`,
          ],
        }),
        newResult({
          bench: 'velero',
          what: `Peak RSS of a Velero-backup drill, ${total.toLocaleString('en')} vs ${count(SMALL)} objects`,
          baseline: `the same drill of a ${count(SMALL)}-object Velero backup (first drill of the process)`,
          ours: stats.drydock,
          base: smallStat,
          met: stats.drydock.peakRssMb <= smallStat.peakRssMb * FLAT_RSS,
          target: `peak RSS ≤ ${FLAT_RSS}× at 4× the objects`,
          notes: [
            `peak RSS ${stats.drydock.peakRssMb.toFixed(0)} MB (${total} objects) vs ${smallStat.peakRssMb.toFixed(0)} MB (${count(SMALL)} objects): ${(stats.drydock.peakRssMb / smallStat.peakRssMb).toFixed(2)}×; the time columns are the two drills' wall times`,
          ],
        }),
      ];
    } finally {
      await runs.settled().catch(() => undefined);
      for (const n of made) await deleteNamespace(env.kube, n, false).catch(() => undefined);
      await deleteCrd(env.kube, crd).catch(() => undefined);
      await veleroDown();
      // Velero's records of this run, then its bucket (after the server: its sync would bring the records back).
      const velero = '/apis/velero.io/v1/namespaces/velero';
      for (const name of [backup, backupSmall])
        await env.kube.request('DELETE', `${velero}/backups/${name}`).catch(() => undefined);
      for (let i = 0; i < measuredRuns; i++)
        await env.kube.request('DELETE', `${velero}/restores/r-${id}-${i}`).catch(() => undefined);
      await deleteBucket(env.aws.s3, bucket).catch(() => undefined);
    }
  },
};

mainIf(module, bench);
