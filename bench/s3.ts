/** S3: snapshot of a 1,000-object bucket vs `aws s3 sync s3://bucket dir`. */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSnapshot } from '../src/core/snapshot';
import { forEachLimited } from '../src/core/snapshot/concurrency';
import { mainIf, measuredRuns, type Benchmark } from './lib/benchmark';
import { awsCliEnv, awsCliPath, awsEndpoint, uniqueId } from './lib/env';
import { compare, measureInProcess, runChecked } from './lib/measure';
import { newResult } from './lib/result';
import { createBucket, deleteBucket } from './lib/s3';

export const OBJECTS = Number(process.env.DRYDOCK_BENCH_S3_OBJECTS ?? 1000);

export const bench: Benchmark = {
  name: 's3',
  description: `${OBJECTS.toLocaleString('en')}-object bucket: snapshot vs aws s3 sync`,
  async run(env) {
    const { aws, log } = env;
    const bucket = `bench-s3-${uniqueId()}`;
    let totalBytes = 0;
    try {
      await createBucket(aws.s3, bucket);
      const t0 = performance.now();
      await forEachLimited(
        Array.from({ length: OBJECTS }, (_, i) => i),
        16,
        async (i) => {
          const size = 1024 + ((i * 7919) % (63 * 1024)); // 1–64 KB
          totalBytes += size;
          await aws.s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: `dir-${i % 10}/object ${String(i).padStart(4, '0')}${i % 50 === 0 ? ' ünïcode' : ''}.bin`,
              Body: randomBytes(size),
              ContentType: i % 2 ? 'application/octet-stream' : 'application/json',
              Metadata: { index: String(i), origin: 'bench' },
            }),
          );
        },
      );
      log(
        `  uploaded ${OBJECTS} objects (${(totalBytes / 1024 / 1024).toFixed(1)} MB) to ${bucket} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );

      const target = (run: number) => path.join(env.tmp, `s3-snap-${run < 0 ? 'w' : run}`);
      const syncDir = path.join(env.tmp, 's3-sync');
      const r = await compare(
        {
          ours: {
            run: async (run) => {
              const m = await measureInProcess(() =>
                createSnapshot({
                  target: target(run),
                  aws: { clients: aws, buckets: [bucket] },
                  secrets: { passphrase: 'bench' },
                  toolVersion: 'bench',
                }),
              );
              if (m.value.manifest.counts.s3Objects !== OBJECTS)
                throw new Error(`snapshot captured ${m.value.manifest.counts.s3Objects} of ${OBJECTS} objects`);
              return m;
            },
            teardown: (run) => rm(target(run), { recursive: true, force: true }),
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
        { warmup: true, runs: measuredRuns, longRunSeconds: 90, log },
      );
      return [
        newResult({
          bench: 's3',
          what: `Snapshot S3 bucket, ${OBJECTS.toLocaleString('en')} objects`,
          baseline: 'aws s3 sync s3://bucket dir',
          ours: r.ours,
          base: r['aws cli'],
          maxRatio: 1,
          target: 'no slower',
          notes: [
            `${OBJECTS} objects of 1–64 KB (${(totalBytes / 1024 / 1024).toFixed(1)} MB) with content type and metadata; ours also reads each object's tags (the CLI does not)`,
          ],
        }),
      ];
    } finally {
      log('  cleaning up');
      await deleteBucket(aws.s3, bucket).catch((e: unknown) => log(`  cleanup ${bucket}: ${(e as Error).message}`));
    }
  },
};

mainIf(module, bench);
