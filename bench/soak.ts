/**
 * Memory over time: snapshot + restore cycles of the sample namespace `shop` in one long-lived process (what the
 * extension host does over a working day), with the process's RSS after each cycle (after a forced GC when the
 * process runs with --expose-gc, as bench/run.ts starts it, so the curve shows what is retained, not garbage
 * waiting for a collection).
 *
 * Each cycle: snapshot `shop` to a .tar.gz (Secrets encrypted to an age identity), restore it into a fresh
 * namespace `bench-soak-<id>-<n>`, delete that namespace (not waited for), delete the file. With
 * DRYDOCK_BENCH_SOAK_AWS=1 the queues, table and bucket `shop` references are captured and restored under a
 * per-cycle prefix too, and deleted after each cycle (much slower on moto).
 *
 * Result: RSS growth from the warm-up's end to the last cycles (target ≤ 20 MB), and cycle time late vs early in
 * the same run (a leak usually shows as slowdown too). Knobs: DRYDOCK_BENCH_SOAK_CYCLES (default 200),
 * DRYDOCK_BENCH_SOAK_WARMUP (default 20).
 */
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSnapshot, restoreSnapshot } from '../src/core/snapshot';
import { generateSnapshotIdentity } from '../src/core/snapshot/secretCrypto';
import { mainIf, type Benchmark } from './lib/benchmark';
import { deleteNamespace, uniqueId, type BenchEnv } from './lib/env';
import { newResult, type BenchResult } from './lib/result';
import { deleteAwsCopies } from './lib/soakAws';

const CYCLES = Number(process.env.DRYDOCK_BENCH_SOAK_CYCLES ?? 200);
const WARMUP = Number(process.env.DRYDOCK_BENCH_SOAK_WARMUP ?? 20);
const WITH_AWS = process.env.DRYDOCK_BENCH_SOAK_AWS === '1';
const SOURCE_NS = process.env.DRYDOCK_BENCH_SOAK_NAMESPACE ?? 'shop';
const WINDOW = 20;
const MB = 1024 * 1024;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function retainedRssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / MB;
}

async function run(env: BenchEnv): Promise<BenchResult[]> {
  const { kube, log } = env;
  const id = uniqueId();
  const identity = await generateSnapshotIdentity();
  const rss: number[] = [];
  const seconds: number[] = [];
  let items = 0;
  let lastStatus = '';
  const statuses = new Map<string, number>();
  log(
    `  ${CYCLES} cycles of snapshot + restore of ${SOURCE_NS}${WITH_AWS ? ' with its AWS resources' : ' (Kubernetes objects; DRYDOCK_BENCH_SOAK_AWS=1 adds its AWS resources)'}; warm-up ${WARMUP}`,
  );
  const startRss = retainedRssMb();
  for (let n = 0; n < CYCLES; n++) {
    const file = path.join(env.tmp, `soak-${n}.tar.gz`);
    const target = `bench-soak-${id}-${n}`;
    const prefix = `bench-soak-${id}-${n}-`;
    const t0 = performance.now();
    const snap = await createSnapshot({
      target: file,
      kube: { client: kube, namespaces: [SOURCE_NS] },
      aws: WITH_AWS ? { clients: env.aws, autoDetect: true } : undefined,
      secrets: { identity },
      toolVersion: 'bench',
    });
    items = snap.manifest.counts.items;
    const report = await restoreSnapshot({
      source: file,
      keySource: { identity },
      kube: { client: kube, namespaceMap: new Map([[SOURCE_NS, target]]), namespaces: [SOURCE_NS] },
      aws: WITH_AWS ? { clients: env.aws, prefix } : undefined,
    });
    seconds.push((performance.now() - t0) / 1000);
    lastStatus = report.status;
    statuses.set(report.status, (statuses.get(report.status) ?? 0) + 1);
    if (report.status === 'failed')
      throw new Error(
        `cycle ${n}: restore failed: ${report.items
          .filter((i) => i.outcome === 'failed')
          .slice(0, 3)
          .map((i) => `${i.id}: ${i.message}`)
          .join('; ')}`,
      );
    await deleteNamespace(kube, target, false);
    if (WITH_AWS) await deleteAwsCopies(env.aws, prefix);
    await rm(file, { force: true });
    rss.push(retainedRssMb());
    if ((n + 1) % 20 === 0) log(`  cycle ${n + 1}: ${seconds[n]!.toFixed(2)} s, RSS ${rss[n]!.toFixed(1)} MB`);
  }
  // The namespaces were deleted without waiting; wait for the last one so the next benchmark starts clean.
  await deleteNamespace(kube, `bench-soak-${id}-${CYCLES - 1}`, true).catch(() => undefined);

  const early = rss.slice(WARMUP, WARMUP + WINDOW);
  const late = rss.slice(-WINDOW);
  const growth = median(late) - median(early);
  const every = Math.max(1, Math.floor(CYCLES / 20));
  const curve = rss
    .map((x, i) => [i + 1, x] as const)
    .filter(([i]) => i === 1 || i % every === 0)
    .map(([i, x]) => `${i}: ${x.toFixed(0)}`);
  const stat = (xs: number[], rssMb: number) => ({ seconds: median(xs), runs: xs, peakRssMb: rssMb });
  return [
    newResult({
      bench: 'soak',
      what: `Soak: ${CYCLES} snapshot + restore cycles of ${SOURCE_NS}${WITH_AWS ? ' (+ AWS)' : ''} in one process — last ${WINDOW} cycles`,
      baseline: `cycles ${WARMUP + 1}–${WARMUP + WINDOW} of the same run (after ${WARMUP} warm-up cycles)`,
      ours: stat(seconds.slice(-WINDOW), median(late)),
      base: stat(seconds.slice(WARMUP, WARMUP + WINDOW), median(early)),
      met: growth <= 20,
      target: 'RSS growth ≤ 20 MB after warm-up',
      notes: [
        `RSS growth after warm-up: ${growth.toFixed(1)} MB (median RSS of the last ${WINDOW} cycles ${median(late).toFixed(1)} MB vs cycles ${WARMUP + 1}–${WARMUP + WINDOW} ${median(early).toFixed(1)} MB; process before the first cycle ${startRss.toFixed(1)} MB); RSS columns here are those medians, measured after a forced GC`,
        `RSS curve (cycle: MB): ${curve.join(', ')}`,
        `${items} items per snapshot; restore status per cycle: ${[...statuses].map(([s, c]) => `${s} ×${c}`).join(', ')} (last: ${lastStatus})`,
      ],
    }),
  ];
}

export const bench: Benchmark = {
  name: 'soak',
  description: `memory over time: ${CYCLES} snapshot + restore cycles of ${SOURCE_NS} in one process`,
  run,
};

mainIf(module, bench);
