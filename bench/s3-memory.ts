/** Peak memory snapshotting a 1 GB bucket (64 × 16 MB objects); `aws s3 sync` of the same bucket for scale. */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { randomFillSync } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tar from 'tar';
import { createSnapshot, restoreSnapshot } from '../src/core/snapshot';
import { directoryBytes } from './lib/diskUse';
import { mainIf, type Benchmark } from './lib/benchmark';
import { awsCliEnv, awsCliPath, awsEndpoint, openBenchEnv, repoRoot, uniqueId } from './lib/env';
import { compare, measureInProcess, runChecked } from './lib/measure';
import { newResult } from './lib/result';
import { createBucket, deleteBucket } from './lib/s3';
import { writeFileSync, readFileSync } from 'node:fs';

const OBJECTS = Number(process.env.DRYDOCK_BENCH_BIG_OBJECTS ?? 64);
const OBJECT_MB = 16;
const LIMIT_MB = 300;
const cliBundle = path.join(repoRoot, 'dist', 'cli.js');

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
const hwmMb = () => Number(readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024;

export const bench: Benchmark = {
  name: 's3-memory',
  description: `peak RSS snapshotting a ${(OBJECTS * OBJECT_MB) / 1024} GB bucket (${OBJECTS} × ${OBJECT_MB} MB)`,
  async run(env) {
    const { aws, log } = env;
    const bucket = `bench-s3mem-${uniqueId()}`;
    try {
      await createBucket(aws.s3, bucket);
      const t0 = performance.now();
      // Uploaded by a child process, so this process's RSS is what a drydock process would start from.
      await runChecked(process.execPath, ['--no-warnings', '--import', 'tsx', __filename, '--upload', bucket], {
        env: process.env,
      });
      log(`  uploaded ${OBJECTS} × ${OBJECT_MB} MB to ${bucket} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      const target = path.join(env.tmp, 's3mem-snap');
      const syncDir = path.join(env.tmp, 's3mem-sync');
      let startRss = 0;
      let streamingPeak = 0;
      let engineGrowth = 0;
      await runChecked(process.execPath, [path.join(repoRoot, 'esbuild.mjs')], { env: process.env, cwd: repoRoot });
      // DRYDOCK_BENCH_S3MEM_PARTS=restore: only the restore comparison below.
      const snapshotPart = (process.env.DRYDOCK_BENCH_S3MEM_PARTS ?? 'snapshot,restore')
        .split(',')
        .includes('snapshot');
      const r = await compare(
        {
          // What a user runs: the drydock CLI (the built bundle) in its own process, its VmHWM sampled like the AWS CLI's.
          ours: {
            run: async () => {
              const m = await runChecked(
                process.execPath,
                [cliBundle, 'snapshot', 'create', target, '--bucket', bucket, '--aws-endpoint', awsEndpoint, '--json'],
                {
                  env: { ...process.env, DRYDOCK_SNAPSHOT_PASSPHRASE: 'bench' },
                  stdoutFile: path.join(env.tmp, 's3mem-cli.json'),
                },
              );
              const bytes = (
                JSON.parse(readFileSync(path.join(env.tmp, 's3mem-cli.json'), 'utf8')) as {
                  counts: { s3Bytes: number };
                }
              ).counts.s3Bytes;
              if (bytes !== OBJECTS * OBJECT_MB * 1024 * 1024) throw new Error(`snapshot captured ${bytes} bytes`);
              return m;
            },
            teardown: () => rm(target, { recursive: true, force: true }),
          },
          // The engine in this (bench) process, for the part of the peak that is streaming.
          engine: {
            run: async () => {
              startRss = rssMb();
              let streaming = false;
              const m = await measureInProcess(() =>
                createSnapshot({
                  target,
                  aws: { clients: aws, buckets: [bucket] },
                  secrets: { passphrase: 'bench' },
                  toolVersion: 'bench',
                  progress: (e) => {
                    if (e.phase !== 's3' || streaming) return;
                    // From here on only the bucket is being captured: the peak of that phase alone.
                    streaming = true;
                    try {
                      writeFileSync('/proc/self/clear_refs', '5');
                    } catch {
                      /* not Linux: the whole-run peak is all there is */
                    }
                  },
                }),
              );
              streamingPeak = hwmMb();
              engineGrowth = m.peakRssMb - startRss;
              return m;
            },
            teardown: () => rm(target, { recursive: true, force: true }),
          },
          'aws cli': {
            setup: () => mkdir(syncDir, { recursive: true }).then(() => undefined),
            run: () =>
              runChecked(
                awsCliPath,
                ['s3', 'sync', `s3://${bucket}`, syncDir, '--only-show-errors', '--endpoint-url', awsEndpoint],
                { env: awsCliEnv },
              ),
            teardown: () => rm(syncDir, { recursive: true, force: true }),
          },
        },
        { warmup: false, runs: snapshotPart ? 1 : 0, log },
      );
      // --- restore of the .tar.gz: temporary disk and time, streamed verification vs extract-then-restore ---
      const archive = path.join(env.tmp, 's3mem-snap.tar.gz');
      await createSnapshot({
        target: archive,
        aws: { clients: aws, buckets: [bucket] },
        secrets: { passphrase: 'bench' },
        toolVersion: 'bench',
      });
      const restoredPrefix = (side: string, run: number) => `bench-s3r-${side}${run < 0 ? 'w' : run}-`;
      const restored: string[] = [];
      const tempPeak: Record<string, number> = {};
      /** Runs `fn` with TMPDIR pointing at an empty folder, sampling that folder's size every 100 ms. */
      const withTempDir = async <T>(side: string, fn: (dir: string) => Promise<T>): Promise<T> => {
        const dir = path.join(env.tmp, `tmp-${side}`);
        await mkdir(dir, { recursive: true });
        const saved = process.env.TMPDIR;
        process.env.TMPDIR = dir;
        let peak = 0;
        let sampling = Promise.resolve();
        const timer = setInterval(() => {
          sampling = sampling.then(async () => void (peak = Math.max(peak, await directoryBytes(dir))));
        }, 100);
        try {
          return await fn(dir);
        } finally {
          clearInterval(timer);
          await sampling;
          peak = Math.max(peak, await directoryBytes(dir));
          process.env.TMPDIR = saved;
          tempPeak[side] = Math.max(tempPeak[side] ?? 0, peak / 1024 / 1024);
          await rm(dir, { recursive: true, force: true });
        }
      };
      const restoreFrom = (source: string, prefix: string) =>
        restoreSnapshot({ source, keySource: { passphrase: 'bench' }, aws: { clients: aws, prefix } });
      const rr = await compare(
        {
          streamed: {
            run: (run) =>
              withTempDir('streamed', () =>
                measureInProcess(async () => {
                  restored.push(`${restoredPrefix('s', run)}${bucket}`);
                  const report = await restoreFrom(archive, restoredPrefix('s', run));
                  if (report.status !== 'ok') throw new Error(`restore ${report.status}`);
                }),
              ),
            teardown: (run) => deleteBucket(aws.s3, `${restoredPrefix('s', run)}${bucket}`),
          },
          // Before: the archive was extracted whole into a temporary directory, verified, and restored from there.
          extracted: {
            run: (run) =>
              withTempDir('extracted', (dir) =>
                measureInProcess(async () => {
                  const unpacked = path.join(dir, 'drydock-snapshot-x');
                  await mkdir(unpacked);
                  await tar.x({ file: archive, cwd: unpacked, strict: true });
                  restored.push(`${restoredPrefix('x', run)}${bucket}`);
                  const report = await restoreFrom(unpacked, restoredPrefix('x', run));
                  if (report.status !== 'ok') throw new Error(`restore ${report.status}`);
                }),
              ),
            teardown: (run) => deleteBucket(aws.s3, `${restoredPrefix('x', run)}${bucket}`),
          },
        },
        { warmup: false, runs: 1, log },
      );
      const gb = `${(OBJECTS * OBJECT_MB) / 1024} GB bucket`;
      return [
        newResult({
          bench: 's3-memory',
          what: `Restore ${gb} from its .tar.gz (streamed verification, read on demand)`,
          baseline: 'extract to a temp dir, then verify and restore from it (the former reader)',
          ours: rr.streamed,
          base: rr.extracted,
          maxRatio: 1.2,
          target: '≤ 1.2× the former time',
          notes: [
            `peak temporary disk (TMPDIR, sampled every 100 ms): ours ${tempPeak.streamed?.toFixed(0)} MB, former ${tempPeak.extracted?.toFixed(0)} MB (target ≤ 64 MB); the baseline hashes the unpacked files once more when it opens the directory, as the former reader hashed while extracting`,
          ],
        }),
      ].concat(
        snapshotPart
          ? [
              newResult({
                bench: 's3-memory',
                what: `Snapshot ${(OBJECTS * OBJECT_MB) / 1024} GB bucket (${OBJECTS} × ${OBJECT_MB} MB), peak RSS`,
                baseline: 'aws s3 sync s3://bucket dir (time for scale)',
                ours: r.ours,
                base: r['aws cli'],
                maxPeakRssMb: LIMIT_MB,
                target: `peak RSS < ${LIMIT_MB} MB`,
                notes: [
                  `ours: \`drydock snapshot create --bucket\` (dist/cli.js) as its own process, peak RSS (VmHWM) ${r.ours.peakRssMb.toFixed(0)} MB in ${r.ours.seconds.toFixed(1)} s; no Secrets, so no key is derived`,
                  `the engine inside the bench process: RSS before ${startRss.toFixed(0)} MB (Node + tsx + SDKs), peak while streaming the objects ${streamingPeak.toFixed(0)} MB, whole-run growth ${engineGrowth.toFixed(0)} MB`,
                  'one long run each, no warm-up',
                ],
              }),
            ]
          : [],
      );
    } finally {
      log('  cleaning up');
      await deleteBucket(aws.s3, bucket).catch((e: unknown) => log(`  cleanup ${bucket}: ${(e as Error).message}`));
    }
  },
};

/** `--upload <bucket>`: fills the bucket (one reused buffer) and exits. */
async function upload(bucket: string): Promise<void> {
  const env = await openBenchEnv();
  try {
    const body = Buffer.allocUnsafe(OBJECT_MB * 1024 * 1024);
    for (let i = 0; i < OBJECTS; i++) {
      randomFillSync(body, 0, 64 * 1024);
      body.writeUInt32BE(i, 0);
      await env.aws.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `big/object-${String(i).padStart(3, '0')}.bin`,
          Body: body,
          ContentType: 'application/octet-stream',
        }),
      );
    }
  } finally {
    await env.close();
  }
}

const uploadAt = process.argv.indexOf('--upload');
if (require.main === module && uploadAt >= 0) {
  upload(process.argv[uploadAt + 1]!).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
} else {
  mainIf(module, bench);
}
