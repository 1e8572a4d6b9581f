import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { createAwsClients, type AwsClients } from '../../../src/core/aws/clients';
import { DrydockError } from '../../../src/core/errors';
import { createSnapshot, inspectSnapshot, restoreSnapshot } from '../../../src/core/snapshot';
import { awsEndpointUrl, uniqueName } from '../../support/env';

/**
 * A FIFO queue with 30 messages in 3 groups on moto (no side-effect-free listing): receiving alone stops at the
 * head of each group; with the user's consent the capture drains and re-sends it. Proven message for message:
 * the snapshot (through a restore into a new queue) and the source queue afterwards hold every message, in
 * order within each group, with the original deduplication ids in the snapshot.
 */
let aws: AwsClients;
let dir: string;
let queue: string;
let url: string;
const restoredPrefix = `${uniqueName('r')}-`;
const groups = ['orders-a', 'orders-b', 'orders-c'];
const sent: Array<{ group: string; body: string; dedup: string; seq: string }> = [];

interface Received {
  group: string;
  body: string;
  dedup: string;
  seq: string;
}

/** Receives and deletes everything (group by group, as FIFO hands them out), in the order received. */
async function drainAll(queueUrl: string): Promise<Received[]> {
  const out: Received[] = [];
  for (let empty = 0; empty < 2;) {
    const res = await aws.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = res.Messages ?? [];
    if (!messages.length) {
      empty++;
      continue;
    }
    empty = 0;
    for (const m of messages) {
      out.push({
        group: m.Attributes?.MessageGroupId ?? '',
        body: m.Body ?? '',
        dedup: m.Attributes?.MessageDeduplicationId ?? '',
        seq: m.MessageAttributes?.seq?.StringValue ?? '',
      });
    }
    await aws.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  return out;
}

function byGroup(list: ReadonlyArray<{ group: string; body: string }>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of list) (out[m.group] ??= []).push(m.body);
  return out;
}

before(async () => {
  aws = createAwsClients({ url: awsEndpointUrl(), region: 'us-east-1' });
  dir = await mkdtemp(join(tmpdir(), 'drydock-fifo-'));
  queue = `${uniqueName('dd-fifo')}.fifo`;
  url = (
    await aws.sqs.send(
      new CreateQueueCommand({
        QueueName: queue,
        Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'false' },
      }),
    )
  ).QueueUrl!;
  for (let i = 0; i < 30; i++) {
    const group = groups[i % 3]!;
    const m = { group, body: `${group} message ${Math.floor(i / 3)}`, dedup: `dedup-${i}`, seq: String(i) };
    sent.push(m);
    await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: m.body,
        MessageGroupId: group,
        MessageDeduplicationId: m.dedup,
        MessageAttributes: { seq: { DataType: 'Number', StringValue: m.seq } },
      }),
    );
  }
});

after(async () => {
  for (const name of [queue, `${restoredPrefix}${queue}`]) {
    const u = await aws.sqs.send(new GetQueueUrlCommand({ QueueName: name })).catch(() => undefined);
    if (u?.QueueUrl) await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: u.QueueUrl }));
  }
  aws.destroy();
  await rm(dir, { recursive: true, force: true });
});

test('without consent a FIFO queue with several groups is refused (incomplete), pointing at --fifo-drain; nothing is lost', async () => {
  const target = join(dir, 'refused.tar.gz');
  await assert.rejects(
    createSnapshot({ target, aws: { clients: aws, queues: [queue] }, secrets: 'plain', toolVersion: 'test' }),
    (e: unknown) =>
      DrydockError.is(e, 'failed') && /captured 10 of 30/.test(e.message) && /--fifo-drain/.test(e.message),
  );
});

test('with consent it is captured completely: 30 messages, 3 groups, order and deduplication ids kept; the queue gets them all back in order', async () => {
  const target = join(dir, 'fifo.tar.gz');
  await createSnapshot({
    target,
    aws: { clients: aws, queues: [queue], fifoDrain: true },
    secrets: 'plain',
    toolVersion: 'test',
  });
  const summary = await inspectSnapshot(target);
  assert.equal(summary.manifest?.aws.sqs[0]?.messages, 30);

  // The snapshot, message for message: restored into a new queue (original deduplication ids) and drained.
  const report = await restoreSnapshot({ source: target, aws: { clients: aws, prefix: restoredPrefix } });
  assert.equal(report.status, 'ok', JSON.stringify(report.items));
  const restoredUrl = (await aws.sqs.send(new GetQueueUrlCommand({ QueueName: `${restoredPrefix}${queue}` })))
    .QueueUrl!;
  const restored = await drainAll(restoredUrl);
  assert.equal(restored.length, 30);
  assert.deepEqual(byGroup(restored), byGroup(sent), 'every message, in order within its group');
  assert.deepEqual(
    restored.map((m) => `${m.seq}:${m.dedup}`).sort(),
    sent.map((m) => `${m.seq}:${m.dedup}`).sort(),
    'message attributes and original deduplication ids',
  );

  // The source queue afterwards: all 30 back, in order within each group (fresh deduplication ids, so none was dropped).
  const back = await drainAll(url);
  assert.equal(back.length, 30);
  assert.deepEqual(byGroup(back), byGroup(sent));
  assert.deepEqual(back.map((m) => m.seq).sort(), sent.map((m) => m.seq).sort());
  assert.ok(
    back.every((m) => !m.dedup.startsWith('dedup-')),
    'the re-sent copies carry fresh deduplication ids',
  );
});
