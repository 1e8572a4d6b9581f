/**
 * SQS: snapshot of a 10,000-message queue vs the bare receive / change-visibility loop with the SDK, on
 * ElasticMQ (started by the bench; moto's receive makes 10,000 messages take hours), then a restore of the
 * snapshot under a suffix, checked message for message. `DRYDOCK_BENCH_SQS_EMULATOR=moto` runs it on the
 * local environment's moto instead (1,000 messages by default).
 */
import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSnapshot, restoreSnapshot } from '../src/core/snapshot';
import { createAwsClients, type AwsClients } from '../src/core/aws/clients';
import { startElasticMq, type ElasticMq } from './lib/elasticmq';
import { forEachLimited } from '../src/core/snapshot/concurrency';
import { mainIf, measuredRuns, type Benchmark } from './lib/benchmark';
import { sleep, uniqueId } from './lib/env';
import { compare, measureInProcess } from './lib/measure';
import { newResult } from './lib/result';

const EMULATOR = process.env.DRYDOCK_BENCH_SQS_EMULATOR === 'moto' ? 'moto' : 'elasticmq';
export const MESSAGES = Number(process.env.DRYDOCK_BENCH_SQS_MESSAGES ?? (EMULATOR === 'moto' ? 1_000 : 10_000));

/** What the engine does, without writing anything: receive everything under a visibility lock, then release it. */
async function receiveAll(sqs: SQSClient, url: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (let empty = 0; empty < 2;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 900,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const ms = res.Messages ?? [];
    if (!ms.length) {
      empty++;
      continue;
    }
    empty = 0;
    messages.push(...ms);
  }
  for (let i = 0; i < messages.length; i += 10) {
    const res = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: messages
          .slice(i, i + 10)
          .map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
      }),
    );
    if (res.Failed?.length) throw new Error(`release failed: ${res.Failed[0]!.Message}`);
  }
  return messages;
}

/** The bare loop: how many distinct messages it saw. */
async function bareLoop(sqs: SQSClient, url: string): Promise<number> {
  return new Set((await receiveAll(sqs, url)).map((m) => m.MessageId)).size;
}

/** Every message's body and attributes, sorted. */
async function receiveAllBodies(sqs: SQSClient, url: string): Promise<string[]> {
  return (await receiveAll(sqs, url))
    .map((m) => JSON.stringify([m.Body, Object.entries(m.MessageAttributes ?? {}).sort()]))
    .sort();
}

/** Waits until every message is visible again (between runs). */
async function allVisible(sqs: SQSClient, url: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const a =
      (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        )
      ).Attributes ?? {};
    if (Number(a.ApproximateNumberOfMessages) === MESSAGES && Number(a.ApproximateNumberOfMessagesNotVisible) === 0)
      return;
    await sleep(250);
  }
  throw new Error(`queue ${url} does not show ${MESSAGES} visible messages`);
}

export const bench: Benchmark = {
  name: 'sqs',
  description: `${MESSAGES.toLocaleString('en')}-message queue: snapshot vs bare receive/change-visibility loop`,
  async run(env) {
    const { log } = env;
    const queue = `bench-sqs-${uniqueId()}`;
    let url: string | undefined;
    let server: ElasticMq | undefined;
    let aws: AwsClients = env.aws;
    let copyUrl: string | undefined;
    try {
      if (EMULATOR === 'elasticmq') {
        server = await startElasticMq(log);
        aws = createAwsClients({ url: server.endpoint, region: 'us-east-1' });
      }
      url = (await aws.sqs.send(new CreateQueueCommand({ QueueName: queue, tags: { purpose: 'bench' } }))).QueueUrl!;
      const t0 = performance.now();
      await forEachLimited(
        Array.from({ length: Math.ceil(MESSAGES / 10) }, (_, b) => b),
        16,
        async (b) => {
          const entries = Array.from({ length: Math.min(10, MESSAGES - b * 10) }, (_, j) => {
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
          const res = await aws.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
          if (res.Failed?.length) throw new Error(`send failed: ${res.Failed[0]!.Message}`);
        },
      );
      log(`  sent ${MESSAGES} messages to ${queue} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      await allVisible(aws.sqs, url);

      const target = (run: number) => path.join(env.tmp, `sqs-snap-${run < 0 ? 'w' : run}`);
      const r = await compare(
        {
          ours: {
            run: async (run) => {
              const m = await measureInProcess(() =>
                createSnapshot({
                  target: target(run),
                  aws: { clients: aws, queues: [queue] },
                  secrets: { passphrase: 'bench' },
                  toolVersion: 'bench',
                }),
              );
              if (m.value.manifest.counts.sqsMessages !== MESSAGES)
                throw new Error(`snapshot captured ${m.value.manifest.counts.sqsMessages} of ${MESSAGES} messages`);
              return m;
            },
            teardown: async (run) => {
              if (run !== measuredRuns - 1) await rm(target(run), { recursive: true, force: true }); // the last is restored below
              await allVisible(aws.sqs, url!);
            },
          },
          'bare sdk': {
            run: async () => {
              const m = await measureInProcess(() => bareLoop(aws.sqs, url!));
              if (m.value !== MESSAGES) throw new Error(`bare loop saw ${m.value} of ${MESSAGES} messages`);
              return m;
            },
            teardown: () => allVisible(aws.sqs, url!),
          },
        },
        { warmup: true, runs: measuredRuns, longRunSeconds: 90, log },
      );
      // The last snapshot, restored under a suffix: every message back, body and attributes.
      const last = target(measuredRuns - 1);
      const restored = await measureInProcess(() =>
        restoreSnapshot({ source: last, keySource: { passphrase: 'bench' }, aws: { clients: aws, suffix: '-copy' } }),
      );
      if (restored.value.status !== 'ok') throw new Error(`the restore ended ${restored.value.status}`);
      copyUrl = (await aws.sqs.send(new CreateQueueCommand({ QueueName: `${queue}-copy` }))).QueueUrl!;
      const copied = await receiveAllBodies(aws.sqs, copyUrl);
      const original = await receiveAllBodies(aws.sqs, url);
      if (copied.length !== MESSAGES || copied.join('\n') !== original.join('\n'))
        throw new Error(
          `the restored queue has ${copied.length} messages, ${copied.join('\n') === original.join('\n') ? 'the same' : 'not the same'} as the original's ${original.length}`,
        );
      log(
        `  restore under a suffix: ${restored.seconds.toFixed(2)} s; ${copied.length} messages, bodies and attributes equal to the original's`,
      );
      const where = EMULATOR === 'elasticmq' ? `ElasticMQ ${server!.version}` : 'moto';
      return [
        newResult({
          bench: 'sqs',
          what: `Snapshot SQS queue, ${MESSAGES.toLocaleString('en')} messages (${where})`,
          baseline: 'bare SDK receive (10/call) + ChangeMessageVisibilityBatch loop',
          ours: r.ours,
          base: r['bare sdk'],
          target: 'report only',
          notes: [
            'every message received under a 900 s lock and released (visibility 0) afterwards, by both; ours also writes each message with its attributes',
            `restored under a suffix in ${restored.seconds.toFixed(2)} s (peak RSS ${restored.peakRssMb.toFixed(0)} MB); every message's body and attributes checked against the original queue`,
            ...(EMULATOR === 'moto'
              ? [
                  'on moto: a receive costs O(queue length) (three scans of the queue per message returned), so 10,000 messages are measured on ElasticMQ instead (the default)',
                ]
              : []),
          ],
        }),
      ];
    } finally {
      log('  cleaning up');
      for (const u of [url, copyUrl])
        if (u)
          await aws.sqs
            .send(new DeleteQueueCommand({ QueueUrl: u }))
            .catch((e: unknown) => log(`  cleanup ${u}: ${(e as Error).message}`));
      if (server) {
        aws.destroy();
        await server.stop();
      }
    }
  },
};

mainIf(module, bench);
