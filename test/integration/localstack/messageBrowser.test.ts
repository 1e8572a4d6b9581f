import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { detectEmulator } from '../../../src/core/aws/emulator';
import { peekLocalStackMessages } from '../../../src/core/aws/sqsPeek';
import { SqsBrowserController } from '../../../src/vscode/aws/browsers/sqsBrowserController';
import type { MessageView, SqsHostMessage } from '../../../src/protocol/sqsBrowser';
import { postbox, recordingLogger, scriptedUi } from '../aws/helpers';
import { uniqueName } from '../../support/env';
import { localstackClients, localstackUrl } from './localstackEnv';

const clients = localstackClients();
const base = uniqueName('dd-ls-browse');
let url = '';
let fifoUrl = '';
let invisibleId = '';
/** How many messages a consumer holds in flight while the browser is open. */
let inFlight = 0;

const COUNTERS = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
] as const;
async function counters(queueUrl: string): Promise<Record<string, string>> {
  const a =
    (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...COUNTERS] })))
      .Attributes ?? {};
  return Object.fromEntries(COUNTERS.map((k) => [k, a[k] ?? '?']));
}
/** Receive count of every message, read through the peek (which itself changes nothing: asserted below). */
async function receiveCounts(queueUrl: string): Promise<Record<string, string>> {
  const all = await peekLocalStackMessages(localstackUrl(), queueUrl);
  return Object.fromEntries(
    all.map((m): [string, string] => [m.messageId, m.attributes.ApproximateReceiveCount ?? '?']).sort(),
  );
}
const shown = (posted: SqsHostMessage[]): MessageView[] => {
  const out: MessageView[] = [];
  for (const m of posted) if (m.type === 'messages') (m.append ? out : ((out.length = 0), out)).push(...m.messages);
  return out;
};

describe('message browser on LocalStack: listing without a receive', () => {
  before(async () => {
    url = (
      await clients.sqs.send(new CreateQueueCommand({ QueueName: base, Attributes: { VisibilityTimeout: '600' } }))
    ).QueueUrl!;
    for (let i = 0; i < 30; i += 10) {
      await clients.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: Array.from({ length: 10 }, (_, j) => ({
            Id: `m${i + j}`,
            MessageBody: JSON.stringify({ n: i + j }),
            MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } },
          })),
        }),
      );
    }
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 600 }));
    // One message in flight with a consumer (received twice: receive count 2 before the browser opens).
    const first = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, VisibilityTimeout: 0 }),
    );
    invisibleId = first.Messages![0]!.MessageId!;
    const again = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }),
    );
    assert.ok(
      again.Messages!.some((m) => m.MessageId === invisibleId),
      'the visibility-0 message came back',
    );
    inFlight = again.Messages!.length;

    fifoUrl = (
      await clients.sqs.send(new CreateQueueCommand({ QueueName: `${base}.fifo`, Attributes: { FifoQueue: 'true' } }))
    ).QueueUrl!;
    for (const g of ['g1', 'g2']) {
      await clients.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: fifoUrl,
          Entries: [1, 2, 3].map((i) => ({
            Id: `${g}-${i}`,
            MessageBody: `${g} step ${i}`,
            MessageGroupId: g,
            MessageDeduplicationId: `${g}-dedup-${i}`,
          })),
        }),
      );
    }
  });

  after(async () => {
    for (const u of [url, fifoUrl])
      if (u) await clients.sqs.send(new DeleteQueueCommand({ QueueUrl: u })).catch(() => undefined);
    clients.destroy();
  });

  it('shows every message, invisible and delayed ones marked, with no consent asked and no receive made', async () => {
    const countsBefore = await receiveCounts(url);
    const queueBefore = await counters(url);
    assert.equal(countsBefore[invisibleId], '2');
    // The peek itself is side-effect free: reading the counts twice gives the same counts.
    assert.deepEqual(await receiveCounts(url), countsBefore);

    const box = postbox<SqsHostMessage>();
    const ui = scriptedUi();
    const emulator = await detectEmulator(localstackUrl());
    const c = new SqsBrowserController(clients, url, emulator, ui, box.post, recordingLogger(), 20);
    await c.handle({ type: 'ready' });
    const init = box.last('init')!;
    assert.equal(init.mode, 'peek', 'LocalStack lists without asking first');
    assert.equal(init.emulator, 'localstack');
    assert.deepEqual(ui.confirms, [], 'no consent question');
    assert.equal(shown(box.posted).length, 20);
    assert.equal(box.last('messages')!.hasMore, true);
    await c.handle({ type: 'loadMore' });
    await c.handle({ type: 'refresh' });
    await c.handle({ type: 'loadMore' });
    const rows = shown(box.posted);
    assert.equal(rows.length, 31, '30 messages + the delayed one');
    assert.equal(new Set(rows.map((r) => r.messageId)).size, 31);

    const invisible = rows.find((r) => r.messageId === invisibleId)!;
    assert.equal(invisible.visible, false, 'the in-flight message is shown and marked invisible');
    assert.equal(invisible.receiveCount, 2);
    const delayed = rows.find((r) => r.body === 'later')!;
    assert.equal(delayed.delayed, true, 'the delayed message is shown and marked');
    assert.equal(rows.filter((r) => r.visible === false).length, inFlight);
    assert.equal(rows.filter((r) => r.delayed === true).length, 1);
    assert.deepEqual(rows.find((r) => r.body === JSON.stringify({ n: 5 }))!.messageAttributes, [
      { name: 'kind', dataType: 'String', value: 'order' },
    ]);
    await c.dispose();

    assert.deepEqual(await receiveCounts(url), countsBefore, 'no receive count changed');
    assert.deepEqual(await counters(url), queueBefore, 'the queue counters are unchanged');
    assert.deepEqual(queueBefore, {
      ApproximateNumberOfMessages: String(30 - inFlight),
      ApproximateNumberOfMessagesNotVisible: String(inFlight),
      ApproximateNumberOfMessagesDelayed: '1',
    });
  });

  it('shows FIFO group and deduplication ids, in order within each group', async () => {
    const countsBefore = await receiveCounts(fifoUrl);
    const box = postbox<SqsHostMessage>();
    const c = new SqsBrowserController(
      clients,
      fifoUrl,
      await detectEmulator(localstackUrl()),
      scriptedUi(),
      box.post,
      recordingLogger(),
    );
    await c.handle({ type: 'ready' });
    const rows = shown(box.posted);
    assert.equal(rows.length, 6);
    for (const g of ['g1', 'g2']) {
      const group = rows.filter((r) => r.groupId === g);
      assert.deepEqual(
        group.map((r) => r.body),
        [1, 2, 3].map((i) => `${g} step ${i}`),
      );
      assert.deepEqual(
        group.map((r) => r.deduplicationId),
        [1, 2, 3].map((i) => `${g}-dedup-${i}`),
      );
    }
    await c.dispose();
    assert.deepEqual(await receiveCounts(fifoUrl), countsBefore);
    assert.deepEqual(await counters(fifoUrl), {
      ApproximateNumberOfMessages: '6',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
    });
  });
});
