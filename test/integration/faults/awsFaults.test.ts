import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import { BatchWriteItemCommand, CreateTableCommand, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createAwsClients, type AwsClients } from '../../../src/core/aws/clients';
import { DrydockError, describeError } from '../../../src/core/errors';
import { createSnapshot, restoreSnapshot, type ProgressEvent } from '../../../src/core/snapshot';
import { repoRoot } from '../../support/env';
import { startFaultMoto, type FaultMoto } from './faultEnv';

/**
 * Faults on the real moto process — frozen (SIGSTOP: a paused container or suspended VM) and killed (SIGKILL) —
 * at chosen moments of a snapshot and a restore. Each operation must end within a stated bound after the fault,
 * failed or partial and naming the endpoint and the call, never successful; a restore re-run after the fault
 * completes the rest. Requests are bounded at DRYDOCK_IO_TIMEOUT_MS = 3 s here. moto is the suite's own.
 */
const TIMEOUT_MS = 3000;
process.env.DRYDOCK_IO_TIMEOUT_MS = String(TIMEOUT_MS);
/** One request bound for the call that was in flight, one per resource still to go, plus slack for a loaded machine. */
const BOUND_MS = 6 * TIMEOUT_MS + 5000;

const QUEUE = 'fault-orders';
const TABLE = 'fault-products';
const BUCKET = 'fault-assets';
const MESSAGES = 20;
const ITEMS = 200;
const OBJECTS = 40;

let moto: FaultMoto;
let dir: string;
let good: string;
const table: string[] = [
  '| fault | operation | time to end after fault | result | message | leftovers |',
  '| --- | --- | --- | --- | --- | --- |',
];

function clients(): AwsClients {
  return createAwsClients({ url: moto.url, region: 'us-east-1' });
}

async function seed(): Promise<void> {
  const aws = clients();
  try {
    const url = (await aws.sqs.send(new CreateQueueCommand({ QueueName: QUEUE }))).QueueUrl!;
    for (let i = 0; i < MESSAGES; i += 10) {
      await aws.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: `order ${i + j}` })),
        }),
      );
    }
    await aws.dynamodb.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    for (let i = 0; i < ITEMS; i += 25) {
      await aws.dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [TABLE]: Array.from({ length: 25 }, (_, j) => ({
              PutRequest: { Item: { id: { S: `p${i + j}` }, n: { N: String(i + j) } } },
            })),
          },
        }),
      );
    }
    await aws.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (let i = 0; i < OBJECTS; i++)
      await aws.s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: `assets/${i}.txt`, Body: `asset ${i}`.repeat(100) }),
      );
  } finally {
    aws.destroy();
  }
}

/** What a prefixed restore left on moto: each resource and how much it holds. */
async function restoredCounts(prefix: string): Promise<{ queue?: number; table?: number; bucket?: number }> {
  const aws = clients();
  try {
    const out: { queue?: number; table?: number; bucket?: number } = {};
    const queues = (await aws.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }))).QueueUrls ?? [];
    if (queues.length) {
      const url = (await aws.sqs.send(new GetQueueUrlCommand({ QueueName: `${prefix}${QUEUE}` }))).QueueUrl!;
      out.queue = Number(
        (
          await aws.sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
          )
        ).Attributes?.ApproximateNumberOfMessages,
      );
    }
    if ((await aws.dynamodb.send(new ListTablesCommand({}))).TableNames?.includes(`${prefix}${TABLE}`)) {
      let n = 0;
      let start: Record<string, never> | undefined;
      do {
        const page = await aws.dynamodb.send(
          new ScanCommand({ TableName: `${prefix}${TABLE}`, Select: 'COUNT', ExclusiveStartKey: start }),
        );
        n += page.Count ?? 0;
        start = page.LastEvaluatedKey as typeof start;
      } while (start);
      out.table = n;
    }
    if ((await aws.s3.send(new ListBucketsCommand({}))).Buckets?.some((b) => b.Name === `${prefix}${BUCKET}`)) {
      out.bucket = (await aws.s3.send(new ListObjectsV2Command({ Bucket: `${prefix}${BUCKET}` }))).KeyCount ?? 0;
    }
    return out;
  } finally {
    aws.destroy();
  }
}

function describeLeft(c: Awaited<ReturnType<typeof restoredCounts>>): string {
  const parts = Object.entries(c).map(([k, v]) => `${k} ${v}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** Runs `op`, injecting `fault` at the first progress event of `phase`; resolves how it ended and how long after the fault. */
async function withFault<T>(
  phase: string,
  fault: () => void,
  op: (progress: (e: ProgressEvent) => void) => Promise<T>,
): Promise<{ value?: T; error?: unknown; afterFaultMs: number; faulted: boolean }> {
  let faultAt = 0;
  const progress = (e: ProgressEvent) => {
    if (!faultAt && e.phase === phase) {
      faultAt = Date.now();
      fault();
    }
  };
  try {
    const value = await op(progress);
    return { value, afterFaultMs: Date.now() - faultAt, faulted: faultAt > 0 };
  } catch (error) {
    return { error, afterFaultMs: Date.now() - faultAt, faulted: faultAt > 0 };
  }
}

function row(fault: string, operation: string, ms: number, result: string, message: string, leftovers: string): void {
  table.push(
    `| ${fault} | ${operation} | ${(ms / 1000).toFixed(1)} s | ${result} | ${message.replace(/\|/g, '/').replace(/\n/g, ' ').slice(0, 160)} | ${leftovers} |`,
  );
}

before(async () => {
  moto = await startFaultMoto();
  dir = await mkdtemp(join(tmpdir(), 'drydock-faults-'));
  await seed();
  good = join(dir, 'good.tar.gz');
  const aws = clients();
  try {
    await createSnapshot({
      target: good,
      aws: { clients: aws, queues: [QUEUE], tables: [TABLE], buckets: [BUCKET] },
      secrets: 'plain',
      toolVersion: 'test',
    });
  } finally {
    aws.destroy();
  }
});

after(async () => {
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
  process.stdout.write(`# fault table\n${table.map((l) => `# ${l}`).join('\n')}\n`);
});

test('moto frozen while a snapshot reads DynamoDB: ends within the bound naming the endpoint and the call; no snapshot is left', async () => {
  const target = join(dir, 'frozen.tar.gz');
  const aws = clients();
  try {
    const r = await withFault(
      'dynamodb',
      () => moto.freeze(),
      (progress) =>
        createSnapshot({
          target,
          aws: { clients: aws, queues: [QUEUE], tables: [TABLE], buckets: [BUCKET] },
          secrets: 'plain',
          toolVersion: 'test',
          progress,
        }),
    );
    assert.ok(r.faulted, 'the fault was injected');
    assert.ok(DrydockError.is(r.error, 'unreachable'), `got ${String(r.error)}`);
    assert.match(
      r.error.message,
      new RegExp(`${moto.url.replace(/[.:/]/g, '\\$&')} did not answer (Scan|DescribeTable) within 3 s`),
    );
    assert.ok(r.afterFaultMs < BOUND_MS, `ended ${r.afterFaultMs} ms after the fault`);
    assert.equal(existsSync(target), false, 'no snapshot written');
    row(
      'SIGSTOP moto',
      'snapshot (DynamoDB scan)',
      r.afterFaultMs,
      'failed (unreachable)',
      r.error.message,
      'none (no snapshot file)',
    );
  } finally {
    moto.thaw();
    aws.destroy();
  }
});

test('moto frozen while a restore writes S3: partial or failed within the bound, naming the cause; the re-run after SIGCONT completes the rest', async () => {
  const prefix = 'frz-';
  const aws = clients();
  try {
    const r = await withFault(
      's3',
      () => moto.freeze(),
      (progress) => restoreSnapshot({ source: good, aws: { clients: aws, prefix }, progress }),
    );
    moto.thaw();
    assert.ok(r.faulted, 'the fault was injected');
    assert.ok(r.afterFaultMs < BOUND_MS, `ended ${r.afterFaultMs} ms after the fault`);
    const status = r.value ? r.value.status : 'threw';
    assert.notEqual(status, 'ok', 'never success');
    const message = r.value
      ? (r.value.items.find((i) => i.outcome === 'failed')?.message ?? '')
      : describeError(r.error);
    assert.match(message, /did not answer|Cannot reach/);
    assert.match(message, new RegExp(moto.url.replace(/[.:/]/g, '\\$&')));
    const left = await restoredCounts(prefix);
    row('SIGSTOP moto', 'restore (S3 objects)', r.afterFaultMs, status, message, describeLeft(left));
    assert.ok((left.bucket ?? 0) < OBJECTS, 'the bucket was left incomplete by the fault');

    const rerun = await restoreSnapshot({ source: good, aws: { clients: aws, prefix }, existing: 'update' });
    assert.equal(rerun.status, 'ok', JSON.stringify(rerun.items.filter((i) => i.outcome === 'failed')));
    const done = await restoredCounts(prefix);
    assert.deepEqual(
      done,
      { queue: MESSAGES, table: ITEMS, bucket: OBJECTS },
      're-run (--existing update) completes the rest',
    );
    row('(after SIGCONT)', 'restore re-run --existing update', rerun.durationMs, rerun.status, '', describeLeft(done));
  } finally {
    moto.thaw();
    aws.destroy();
  }
});

test('CLI restore against a frozen moto (the reported hang): exits non-zero within the bound naming the endpoint', async () => {
  moto.freeze();
  const started = Date.now();
  try {
    const r = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(repoRoot, 'src', 'cli', 'main.ts'),
          'restore',
          good,
          '--no-kube',
          '--aws-endpoint',
          moto.url,
          '--aws-prefix',
          'cli-',
        ],
        {
          cwd: repoRoot,
          env: { ...process.env, DRYDOCK_IO_TIMEOUT_MS: String(TIMEOUT_MS) },
        },
      );
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const kill = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('exit', (code) => {
        clearTimeout(kill);
        resolve({ code, stderr, stdout });
      });
    });
    const ms = Date.now() - started;
    const output = r.stdout + r.stderr;
    assert.notEqual(r.code, 0, output);
    assert.ok(r.code !== null, 'it ended by itself');
    assert.match(output, new RegExp(`${moto.url.replace(/[.:/]/g, '\\$&')} did not answer`));
    moto.thaw();
    const left = await restoredCounts('cli-');
    row(
      'SIGSTOP moto (before start)',
      'CLI restore --aws-prefix cli-',
      ms,
      `exit ${r.code}`,
      output
        .split('\n')
        .find((l) => /did not answer/.test(l))
        ?.trim() ?? '',
      describeLeft(left),
    );
    assert.ok(ms < BOUND_MS + 20_000, `ended after ${ms} ms (CLI start-up included)`);
  } finally {
    moto.thaw();
  }
});

test('moto killed while a restore writes DynamoDB: failed or partial naming the cause, fast; after a restart the re-run completes', async () => {
  const prefix = 'kil-';
  const aws = clients();
  try {
    const r = await withFault(
      'dynamodb',
      () => moto.kill(),
      (progress) => restoreSnapshot({ source: good, aws: { clients: aws, prefix }, progress }),
    );
    assert.ok(r.faulted, 'the fault was injected');
    assert.ok(r.afterFaultMs < BOUND_MS, `ended ${r.afterFaultMs} ms after the fault`);
    const status = r.value ? r.value.status : 'threw';
    assert.notEqual(status, 'ok', 'never success');
    const message = r.value
      ? (r.value.items.find((i) => i.outcome === 'failed')?.message ?? '')
      : describeError(r.error);
    assert.match(message, /Cannot reach the AWS endpoint|did not answer/);
    await moto.restart();
    row(
      'SIGKILL moto',
      'restore (DynamoDB items)',
      r.afterFaultMs,
      status,
      message,
      'moto state lost with the process',
    );
    const rerun = await restoreSnapshot({ source: good, aws: { clients: aws, prefix } });
    assert.equal(rerun.status, 'ok', JSON.stringify(rerun.items.filter((i) => i.outcome === 'failed')));
    assert.deepEqual(await restoredCounts(prefix), { queue: MESSAGES, table: ITEMS, bucket: OBJECTS });
    row(
      '(after restart)',
      'restore re-run',
      rerun.durationMs,
      rerun.status,
      '',
      describeLeft(await restoredCounts(prefix)),
    );
  } finally {
    aws.destroy();
  }
});

test('moto killed while a snapshot reads S3: failed fast naming the endpoint; no snapshot is left', async () => {
  await seed();
  const target = join(dir, 'killed.tar.gz');
  const aws = clients();
  try {
    const r = await withFault(
      's3',
      () => moto.kill(),
      (progress) =>
        createSnapshot({
          target,
          aws: { clients: aws, queues: [QUEUE], tables: [TABLE], buckets: [BUCKET] },
          secrets: 'plain',
          toolVersion: 'test',
          progress,
        }),
    );
    assert.ok(r.faulted, 'the fault was injected');
    assert.ok(DrydockError.is(r.error, 'unreachable'), `got ${String(r.error)}`);
    assert.match(
      r.error.message,
      new RegExp(
        `Cannot reach the AWS endpoint ${moto.url.replace(/[.:/]/g, '\\$&')} for \\w+ \\((ECONNREFUSED|ECONNRESET|EPIPE)\\)`,
      ),
    );
    assert.ok(r.afterFaultMs < BOUND_MS, `ended ${r.afterFaultMs} ms after the fault`);
    assert.equal(existsSync(target), false, 'no snapshot written');
    row(
      'SIGKILL moto',
      'snapshot (S3 objects)',
      r.afterFaultMs,
      'failed (unreachable)',
      r.error.message,
      'none (no snapshot file)',
    );
  } finally {
    await moto.restart();
    aws.destroy();
  }
});
