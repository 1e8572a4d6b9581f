/**
 * SQS on LocalStack: a snapshot of a 10,000-message queue captured through LocalStack's peek (no receive) vs
 * the receive loop on the same LocalStack — the engine's own receive capture, and the bare SDK receive +
 * ChangeMessageVisibilityBatch loop — in one run. The peek has no paging (one response holds the whole queue),
 * so it is parsed as a stream; its peak RSS is also measured on a 1,000-message queue to show it stays flat.
 * LocalStack is the local environment's (`DRYDOCK_LOCALSTACK_ENDPOINT`, default http://localhost:4567).
 */
import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSnapshot } from '../src/core/snapshot';
import { createAwsClients, type AwsClients } from '../src/core/aws/clients';
import { peekLocalStackMessages } from '../src/core/aws/sqsPeek';
import { SnapshotWriter } from '../src/core/snapshot/archive/snapshotWriter';
import { captureSqsQueue } from '../src/core/snapshot/aws/sqsSnapshot';
import { forEachLimited } from '../src/core/snapshot/concurrency';
import { mainIf, measuredRuns, type Benchmark } from './lib/benchmark';
import { sleep, uniqueId } from './lib/env';
import { compare, measureInProcess } from './lib/measure';
import { newResult } from './lib/result';

export const MESSAGES = Number(process.env.DRYDOCK_BENCH_SQS_MESSAGES ?? 10_000);
const SMALL = Math.max(10, Math.round(MESSAGES / 10));
const endpoint = (
  process.env.DRYDOCK_BENCH_LOCALSTACK_ENDPOINT ??
  process.env.DRYDOCK_LOCALSTACK_ENDPOINT ??
  'http://localhost:4567'
).replace(/\/+$/, '');

async function fill(sqs: SQSClient, url: string, n: number): Promise<void> {
  await forEachLimited(
    Array.from({ length: Math.ceil(n / 10) }, (_, b) => b),
    8,
    async (b) => {
      const entries = Array.from({ length: Math.min(10, n - b * 10) }, (_, j) => {
        const i = b * 10 + j;
        return {
          Id: String(j),
          MessageBody: JSON.stringify({
            orderId: i,
            items: [{ sku: `sku-${i % 97}`, qty: (i % 5) + 1 }],
            note: 'ünïcode ✓',
          }),
          MessageAttributes: {
            source: { DataType: 'String', StringValue: 'bench' },
            attempt: { DataType: 'Number', StringValue: String(i % 3) },
          },
        };
      });
      const res = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
      if (res.Failed?.length) throw new Error(`send failed: ${res.Failed[0]!.Message}`);
    },
  );
}

/** The bare loop: receive everything under a lock, then release it; how many distinct messages it saw. */
async function bareLoop(sqs: SQSClient, url: string): Promise<number> {
  const handles: string[] = [];
  const ids = new Set<string>();
  for (let empty = 0; empty < 2;) {
    const ms =
      (
        await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 900,
            WaitTimeSeconds: 0,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        )
      ).Messages ?? [];
    if (!ms.length) {
      empty++;
      continue;
    }
    empty = 0;
    for (const m of ms) {
      ids.add(m.MessageId!);
      handles.push(m.ReceiptHandle!);
    }
  }
  for (let i = 0; i < handles.length; i += 10) {
    const res = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: handles.slice(i, i + 10).map((h, j) => ({ Id: String(j), ReceiptHandle: h, VisibilityTimeout: 0 })),
      }),
    );
    if (res.Failed?.length) throw new Error(`release failed: ${res.Failed[0]!.Message}`);
  }
  return ids.size;
}

/** The engine's receive capture (what it does where there is no peek), into a snapshot that is then dropped. */
async function receiveCapture(sqs: SQSClient, queue: string, target: string): Promise<number> {
  const writer = await SnapshotWriter.create(target);
  try {
    const s = await captureSqsQueue(writer, sqs, queue, {
      progress: () => {},
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    return s.messages;
  } finally {
    await writer.abort();
  }
}

async function counters(sqs: SQSClient, url: string): Promise<{ visible: number; notVisible: number }> {
  const a =
    (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      )
    ).Attributes ?? {};
  return {
    visible: Number(a.ApproximateNumberOfMessages),
    notVisible: Number(a.ApproximateNumberOfMessagesNotVisible),
  };
}

async function allVisible(sqs: SQSClient, url: string, n: number): Promise<void> {
  for (let i = 0; i < 240; i++) {
    const c = await counters(sqs, url);
    if (c.visible === n && c.notVisible === 0) return;
    await sleep(250);
  }
  throw new Error(`queue ${url} does not show ${n} visible messages`);
}

/** Sum of the receive counts of every message, read through the peek (which changes none). */
async function receiveCountSum(url: string): Promise<number> {
  return (await peekLocalStackMessages(endpoint, url)).reduce(
    (s, m) => s + Number(m.attributes.ApproximateReceiveCount ?? 0),
    0,
  );
}

export const bench: Benchmark = {
  name: 'localstack-sqs',
  description: `${MESSAGES.toLocaleString('en')}-message queue on LocalStack: snapshot through the peek vs the receive loop`,
  async run(env) {
    const { log } = env;
    const queue = `bench-lsq-${uniqueId()}`;
    const small = `${queue}-small`;
    const aws: AwsClients = createAwsClients({ url: endpoint, region: 'us-east-1' });
    const urls: string[] = [];
    try {
      const health = (await (await fetch(`${endpoint}/_localstack/health`)).json()) as {
        version?: string;
        edition?: string;
      };
      const where = `LocalStack ${health.version ?? '?'} ${health.edition ?? ''}`.trim();
      const url = (await aws.sqs.send(new CreateQueueCommand({ QueueName: queue }))).QueueUrl!;
      const smallUrl = (await aws.sqs.send(new CreateQueueCommand({ QueueName: small }))).QueueUrl!;
      urls.push(url, smallUrl);
      const t0 = performance.now();
      await fill(aws.sqs, url, MESSAGES);
      await fill(aws.sqs, smallUrl, SMALL);
      log(
        `  sent ${MESSAGES} + ${SMALL} messages to ${queue} on ${where} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      await allVisible(aws.sqs, url, MESSAGES);

      const target = (side: string, run: number) => path.join(env.tmp, `lsq-${side}-${run < 0 ? 'w' : run}.tar.gz`);
      const peekSnapshot = async (q: string, n: number, file: string) => {
        const m = await measureInProcess(() =>
          createSnapshot({ target: file, aws: { clients: aws, queues: [q] }, secrets: 'plain', toolVersion: 'bench' }),
        );
        if (m.value.manifest.counts.sqsMessages !== n)
          throw new Error(`peek snapshot captured ${m.value.manifest.counts.sqsMessages} of ${n} messages`);
        return m;
      };
      let peekRuns = 0;
      let receiveCountsAfterPeek = 0;
      const r = await compare(
        {
          peek: {
            run: async (run) => {
              const before = await receiveCountSum(url);
              const m = await peekSnapshot(queue, MESSAGES, target('peek', run));
              receiveCountsAfterPeek += (await receiveCountSum(url)) - before;
              peekRuns++;
              return m;
            },
            teardown: (run) => rm(target('peek', run), { force: true }),
          },
          'receive snapshot': {
            run: async (run) => {
              const m = await measureInProcess(() => receiveCapture(aws.sqs, queue, target('receive', run)));
              if (m.value !== MESSAGES) throw new Error(`receive capture saw ${m.value} of ${MESSAGES} messages`);
              return m;
            },
            teardown: async (run) => {
              await rm(target('receive', run), { force: true });
              await allVisible(aws.sqs, url, MESSAGES);
            },
          },
          'bare receive loop': {
            run: async () => {
              const m = await measureInProcess(() => bareLoop(aws.sqs, url));
              if (m.value !== MESSAGES) throw new Error(`bare loop saw ${m.value} of ${MESSAGES} messages`);
              return m;
            },
            teardown: () => allVisible(aws.sqs, url, MESSAGES),
          },
        },
        // No warm-up: on LocalStack each side takes tens of seconds at this size (the peek alone ~36 s under load).
        { warmup: false, runs: measuredRuns, longRunSeconds: 90, log },
      );
      if (receiveCountsAfterPeek !== 0)
        throw new Error(`the peek snapshots raised receive counts by ${receiveCountsAfterPeek}`);
      const smallRun = await peekSnapshot(small, SMALL, target('small', 0));
      log(
        `  peek snapshot of ${SMALL} messages: ${smallRun.seconds.toFixed(2)} s, peak ${smallRun.peakRssMb.toFixed(0)} MB`,
      );
      const flat = `peak RSS of the peek snapshot: ${smallRun.peakRssMb.toFixed(0)} MB for ${SMALL.toLocaleString('en')} messages, ${r.peek.peakRssMb.toFixed(0)} MB for ${MESSAGES.toLocaleString('en')} (the response — one JSON document with every message, LocalStack has no paging there — is parsed as a stream, message by message)`;
      const common = `${where} on the host (no Docker); receive counts checked unchanged (sum over the queue, through the peek) after each of the ${peekRuns} peek snapshots`;
      return [
        newResult({
          bench: 'localstack-sqs',
          what: `Snapshot SQS queue, ${MESSAGES.toLocaleString('en')} messages (${where}, peek)`,
          baseline: "Drydock's receive capture on the same LocalStack",
          ours: r.peek,
          base: r['receive snapshot'],
          maxRatio: 1,
          target: 'faster than receiving',
          notes: [
            common,
            flat,
            'the receive capture locks every message (900 s), raises every receive count by one, and releases them afterwards',
          ],
        }),
        newResult({
          bench: 'localstack-sqs',
          what: `Snapshot SQS queue, ${MESSAGES.toLocaleString('en')} messages (${where}, peek)`,
          baseline: 'bare SDK receive (10/call) + ChangeMessageVisibilityBatch loop',
          ours: r.peek,
          base: r['bare receive loop'],
          target: 'report only',
          notes: [
            'the bare loop writes nothing; the peek snapshot writes every message with its attributes to a .tar.gz',
          ],
        }),
      ];
    } finally {
      log('  cleaning up');
      for (const u of urls)
        await aws.sqs
          .send(new DeleteQueueCommand({ QueueUrl: u }))
          .catch((e: unknown) => log(`  cleanup ${u}: ${(e as Error).message}`));
      aws.destroy();
    }
  },
};

mainIf(module, bench);
