/** DynamoDB: snapshot of a 100,000-item table vs `aws dynamodb scan --output json > file`. */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  waitUntilTableExists,
  type AttributeValue,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSnapshot } from '../src/core/snapshot';
import { forEachLimited } from '../src/core/snapshot/concurrency';
import { mainIf, measuredRuns, type Benchmark } from './lib/benchmark';
import { awsCliEnv, awsCliPath, awsEndpoint, sleep, uniqueId } from './lib/env';
import { compare, measureInProcess, runChecked } from './lib/measure';
import { newResult } from './lib/result';

export const ITEMS = Number(process.env.DRYDOCK_BENCH_DDB_ITEMS ?? 100_000);

function item(i: number): Record<string, AttributeValue> {
  return {
    pk: { S: `customer#${String(i % 5000).padStart(5, '0')}` },
    sk: { N: String(i) },
    name: { S: `Customer ${i} — ünïcode ✓` },
    total: { N: `${i}.${String(i % 100).padStart(2, '0')}12345678901234567890` },
    active: { BOOL: i % 3 !== 0 },
    tags: { SS: [`t${i % 7}`, `t${(i % 7) + 1}`] },
    scores: { NS: [String(i % 11), String((i % 13) + 100)] },
    blob: { B: Buffer.from(`bin-${i}-${'b'.repeat(16)}`) },
    address: {
      M: {
        street: { S: `${i} Main St` },
        zip: { S: String(10000 + (i % 89999)) },
        geo: { L: [{ N: '52.37' }, { N: '4.89' }] },
      },
    },
    note: i % 10 === 0 ? { NULL: true } : { S: 'x'.repeat(40) },
  };
}

export const bench: Benchmark = {
  name: 'dynamodb',
  description: `${ITEMS.toLocaleString('en')}-item table: snapshot vs aws dynamodb scan`,
  async run(env) {
    const { aws, log } = env;
    const table = `bench-ddb-${uniqueId()}`;
    try {
      await aws.dynamodb.send(
        new CreateTableCommand({
          TableName: table,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'N' },
          ],
        }),
      );
      await waitUntilTableExists({ client: aws.dynamodb, maxWaitTime: 60 }, { TableName: table });
      const t0 = performance.now();
      const batches = Array.from({ length: Math.ceil(ITEMS / 25) }, (_, b) => b);
      await forEachLimited(batches, 16, async (b) => {
        let pending: WriteRequest[] = [];
        for (let i = b * 25; i < Math.min(ITEMS, (b + 1) * 25); i++) pending.push({ PutRequest: { Item: item(i) } });
        for (let attempt = 0; pending.length; attempt++) {
          if (attempt > 10) throw new Error('BatchWriteItem kept leaving items unprocessed');
          if (attempt) await sleep(50 * 2 ** attempt);
          const res = await aws.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
          pending = res.UnprocessedItems?.[table] ?? [];
        }
      });
      log(`  loaded ${ITEMS} items into ${table} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      const target = (run: number) => path.join(env.tmp, `ddb-snap-${run < 0 ? 'w' : run}`);
      const outFile = path.join(env.tmp, 'ddb-scan.json');
      let captured = 0;
      const r = await compare(
        {
          ours: {
            run: async (run) => {
              const m = await measureInProcess(() =>
                createSnapshot({
                  target: target(run),
                  aws: { clients: aws, tables: [table] },
                  secrets: { passphrase: 'bench' },
                  toolVersion: 'bench',
                }),
              );
              captured = m.value.manifest.counts.dynamodbItems;
              if (captured !== ITEMS) throw new Error(`snapshot captured ${captured} of ${ITEMS} items`);
              return m;
            },
            teardown: (run) => rm(target(run), { recursive: true, force: true }),
          },
          'aws cli': {
            run: () =>
              runChecked(
                awsCliPath,
                ['dynamodb', 'scan', '--table-name', table, '--output', 'json', '--endpoint-url', awsEndpoint],
                { stdoutFile: outFile, env: awsCliEnv },
              ),
            teardown: () => rm(outFile, { force: true }),
          },
        },
        { warmup: true, runs: measuredRuns, longRunSeconds: 90, log },
      );
      return [
        newResult({
          bench: 'dynamodb',
          what: `Snapshot DynamoDB table, ${ITEMS.toLocaleString('en')} items`,
          baseline: 'aws dynamodb scan --output json > file',
          ours: r.ours,
          base: r['aws cli'],
          maxRatio: 1,
          target: 'no slower',
          notes: [
            `${captured} items (S, N at 38 digits, BOOL, SS, NS, B, M, L, NULL); ours includes the age key (passphrase) of every snapshot`,
          ],
        }),
      ];
    } finally {
      log('  cleaning up');
      await aws.dynamodb
        .send(new DeleteTableCommand({ TableName: table }))
        .catch((e: unknown) => log(`  cleanup ${table}: ${(e as Error).message}`));
    }
  },
};

mainIf(module, bench);
