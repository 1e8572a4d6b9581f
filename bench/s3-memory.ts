/** Peak memory snapshotting a 1 GB bucket (64 × 16 MB objects); `aws s3 sync` of the same bucket for scale. */
import { ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes, randomFillSync } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tar from 'tar';
import { createSnapshot, restoreSnapshot } from '../src/core/snapshot';
import { SnapshotInvalidError } from '../src/core/snapshot/snapshotErrors';
import { craftArchive, GIB, type Craft } from './lib/craftedArchive';
import { directoryBytes } from './lib/diskUse';
import { mainIf, measuredRuns, type Benchmark } from './lib/benchmark';
import { awsCliEnv, awsCliPath, awsEndpoint, openBenchEnv, repoRoot, uniqueId } from './lib/env';
import { compare, measureInProcess, runChecked } from './lib/measure';
import { newResult, type BenchResult } from './lib/result';
import { createBucket, deleteBucket } from './lib/s3';
import { writeFileSync, readFileSync } from 'node:fs';

const OBJECTS = Number(process.env.DRYDOCK_BENCH_BIG_OBJECTS ?? 64);
const OBJECT_MB = 16;
const LIMIT_MB = 300;
/** Temporary disk a .tar.gz restore, or the refusal of a crafted one, may use (issue #13). */
const TEMP_LIMIT_MB = 64;
const cliBundle = path.join(repoRoot, 'dist', 'cli.js');

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
const hwmMb = () => Number(readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024;

export const bench: Benchmark = {
  name: 's3-memory',
  description: `peak RSS snapshotting a ${(OBJECTS * OBJECT_MB) / 1024} GB bucket (${OBJECTS} × ${OBJECT_MB} MB)`,
  async run(env) {
    const { aws, log } = env;
    const bucket = `bench-s3mem-${uniqueId()}`;
    const small = `${bucket}-small`;
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
        { warmup: false, runs: measuredRuns, log },
      );

      // --- refusing a crafted .tar.gz: a 1 GiB entry the manifest does not list, or a listed one grown to 1 GiB ---
      // A small real snapshot (4 objects) packed with the 1 GiB entry of zeros added: the archive is ~1 MB, so
      // the time is the refusal itself. Ours must refuse naming the problem with ≤ 64 MB of temporary disk and
      // nothing restored; the former reader extracted everything into TMPDIR first.
      await createBucket(aws.s3, small);
      for (let i = 0; i < 4; i++)
        await aws.s3.send(new PutObjectCommand({ Bucket: small, Key: `o${i}`, Body: randomBytes(64 * 1024) }));
      const smallDir = path.join(env.tmp, 's3mem-small');
      await createSnapshot({
        target: smallDir,
        aws: { clients: aws, buckets: [small] },
        secrets: { passphrase: 'bench' },
        toolVersion: 'bench',
      });
      const expected: Record<Craft, string> = { unlisted: 'unexpected-entry', oversized: 'checksum' };
      const refusals: BenchResult[] = [];
      for (const craft of ['unlisted', 'oversized'] as const) {
        const crafted = path.join(env.tmp, `s3mem-${craft}.tar.gz`);
        const entry = await craftArchive(smallDir, small, craft, crafted);
        const refused: Record<string, SnapshotInvalidError> = {};
        const rssAtStart: Record<string, number> = {};
        const refuse = (side: string, source: (tempDir: string) => Promise<string>) => ({
          setup: () => Promise.resolve(void (rssAtStart[side] = Math.max(rssAtStart[side] ?? 0, rssMb()))),
          run: (run: number) =>
            withTempDir(`${craft}-${side}`, (dir) =>
              measureInProcess(async () => {
                const prefix = restoredPrefix(`${craft[0]}${side[0]}`, run);
                try {
                  await restoreFrom(await source(dir), prefix);
                } catch (error) {
                  if (!SnapshotInvalidError.isInvalid(error)) throw error;
                  refused[side] = error;
                  const buckets = (await aws.s3.send(new ListBucketsCommand({}))).Buckets ?? [];
                  if (buckets.some((b) => b.Name?.startsWith(prefix)))
                    throw new Error(`the refused ${craft} archive left a bucket ${prefix}…`, { cause: error });
                  return;
                }
                await deleteBucket(aws.s3, `${prefix}${small}`);
                throw new Error(`the ${craft} archive (${entry} of 1 GiB) was restored instead of refused`);
              }),
            ),
        });
        const c = await compare(
          {
            streamed: refuse('streamed', () => Promise.resolve(crafted)),
            extracted: refuse('extracted', async (dir) => {
              const unpacked = path.join(dir, 'drydock-snapshot-x');
              await mkdir(unpacked);
              await tar.x({ file: crafted, cwd: unpacked, strict: true });
              return unpacked;
            }),
          },
          { warmup: false, runs: measuredRuns, log },
        );
        const ours = refused.streamed;
        const peak = tempPeak[`${craft}-streamed`] ?? 0;
        const rightProblem = ours?.problem === expected[craft] && ours.entry === entry;
        refusals.push(
          newResult({
            bench: 's3-memory',
            what: `Refuse a .tar.gz whose ${entry.replace(small, '<bucket>')} is ${craft === 'unlisted' ? 'a 1 GiB entry the manifest does not list' : '1 GiB, larger than listed'}`,
            baseline: 'extract to a temp dir, then verify (the former reader)',
            ours: c.streamed,
            base: c.extracted,
            met: rightProblem && peak <= TEMP_LIMIT_MB,
            target: `≤ ${TEMP_LIMIT_MB} MB temp disk, clear refusal`,
            notes: [
              `peak temporary disk (TMPDIR, sampled every 100 ms): ours ${peak.toFixed(0)} MB, former ${tempPeak[`${craft}-extracted`]?.toFixed(0)} MB; nothing restored on either side; archive ${(GIB / 1024 / 1024).toFixed(0)} MiB of zeros packed to a small .tar.gz of a 4-object bucket snapshot`,
              `peak RSS is the bench process's: before its runs it already held ${rssAtStart.streamed?.toFixed(0)} MB (ours) and ${rssAtStart.extracted?.toFixed(0)} MB (former), what earlier runs left`,
              `ours refused it as \`${ours?.problem}\` (expected \`${expected[craft]}\`): "${ours?.message}"; the former reader: \`${refused.extracted?.problem}\``,
            ],
          }),
        );
        await rm(crafted, { force: true });
      }

      const gb = `${(OBJECTS * OBJECT_MB) / 1024} GB bucket`;
      return [
        newResult({
          bench: 's3-memory',
          what: `Restore ${gb} from its .tar.gz (streamed verification, read on demand)`,
          baseline: 'extract to a temp dir, then verify and restore from it (the former reader)',
          ours: rr.streamed,
          base: rr.extracted,
          met: rr.streamed.seconds <= 1.2 * rr.extracted.seconds && (tempPeak.streamed ?? 0) <= TEMP_LIMIT_MB,
          target: `≤ 1.2× the former time, ≤ ${TEMP_LIMIT_MB} MB temp disk`,
          notes: [
            `peak temporary disk (TMPDIR, sampled every 100 ms): ours ${tempPeak.streamed?.toFixed(0)} MB, former ${tempPeak.extracted?.toFixed(0)} MB (target ≤ ${TEMP_LIMIT_MB} MB); the baseline hashes the unpacked files once more when it opens the directory, as the former reader hashed while extracting`,
          ],
        }),
      ].concat(
        refusals,
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
      for (const b of [bucket, small])
        await deleteBucket(aws.s3, b).catch((e: unknown) => log(`  cleanup ${b}: ${(e as Error).message}`));
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
