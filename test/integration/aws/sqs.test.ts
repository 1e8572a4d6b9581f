import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import { getQueue, listQueues, sendMessage } from '../../../src/core/aws/sqs';
import { deleteMessageById, moveMessages, receiveBrowse, releaseMessages } from '../../../src/core/aws/sqsReceive';
import { SqsBrowserController } from '../../../src/vscode/aws/browsers/sqsBrowserController';
import type { SqsHostMessage } from '../../../src/protocol/sqsBrowser';
import { uniqueName } from '../../support/env';
import { postbox, recordingLogger, scriptedUi, testClients } from './helpers';

const clients = testClients();
const base = uniqueName('dd-sqs');
let sourceUrl = '';
let dlqUrl = '';

async function fill(url: string, n: number, prefix: string) {
  for (let i = 0; i < n; i += 10) {
    const entries = Array.from({ length: Math.min(10, n - i) }, (_, j) => ({
      Id: `m${i + j}`,
      MessageBody: JSON.stringify({ n: i + j, prefix }),
      MessageAttributes: { kind: { DataType: 'String', StringValue: prefix } },
    }));
    await clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
  }
}

describe('SQS against the real emulator', () => {
  before(async () => {
    dlqUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: `${base}-dlq` }))).QueueUrl!;
    const dlqArn = (
      await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
    sourceUrl = (
      await clients.sqs.send(
        new CreateQueueCommand({
          QueueName: base,
          Attributes: {
            VisibilityTimeout: '45',
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 50 }),
          },
        }),
      )
    ).QueueUrl!;
    await fill(sourceUrl, 25, 'src');
  });

  after(async () => {
    for (const url of [sourceUrl, dlqUrl])
      if (url) await clients.sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
    clients.destroy();
  });

  it('lists queues with attributes and dead-letter relations both ways', async () => {
    const queues = await listQueues(clients.sqs);
    const src = queues.find((q) => q.url === sourceUrl)!;
    const dlq = queues.find((q) => q.url === dlqUrl)!;
    assert.equal(src.visible, 25);
    assert.equal(src.visibilityTimeoutSeconds, 45);
    assert.equal(src.redrive?.maxReceiveCount, 50);
    assert.equal(src.deadLetterTargetUrl, dlqUrl);
    assert.deepEqual(dlq.deadLetterSourceUrls, [sourceUrl]);
    assert.equal(src.fifo, false);
  });

  it('receive-browses every message once and gives them back', async () => {
    const seen = await receiveBrowse(clients.sqs, sourceUrl, { max: 100, holdSeconds: 30 });
    assert.equal(seen.length, 25);
    assert.equal(new Set(seen.map((m) => m.messageId)).size, 25);
    assert.equal(seen[0]!.messageAttributes.kind!.stringValue, 'src');
    assert.equal((await getQueue(clients.sqs, sourceUrl)).inFlight, 25);
    assert.equal(
      await releaseMessages(
        clients.sqs,
        sourceUrl,
        seen.map((m) => m.receiptHandle!),
      ),
      0,
    );
    const q = await getQueue(clients.sqs, sourceUrl);
    assert.equal(q.visible, 25);
    assert.equal(q.inFlight, 0);
  });

  it('deletes one message by id and moves messages from the dead-letter queue back', async () => {
    const id = await sendMessage(clients.sqs, dlqUrl, { body: 'to delete' });
    await fill(dlqUrl, 12, 'dlq');
    await deleteMessageById(clients.sqs, dlqUrl, id);
    assert.equal((await getQueue(clients.sqs, dlqUrl)).visible, 12);
    const progress: number[] = [];
    const result = await moveMessages(clients.sqs, dlqUrl, sourceUrl, { onProgress: (p) => progress.push(p.moved) });
    assert.equal(result.moved, 12);
    assert.equal(progress.at(-1), 12);
    assert.equal((await getQueue(clients.sqs, dlqUrl)).visible, 0);
    const all = await receiveBrowse(clients.sqs, sourceUrl, { max: 100, holdSeconds: 30 });
    await releaseMessages(
      clients.sqs,
      sourceUrl,
      all.map((m) => m.receiptHandle!),
    );
    assert.equal(all.filter((m) => m.body.includes('"dlq"')).length, 12, 'moved bodies arrived');
    assert.equal(
      all.find((m) => m.body.includes('"dlq"'))!.messageAttributes.kind!.stringValue,
      'dlq',
      'attributes kept',
    );
  });

  it('browser host: asks before receiving on moto, pages, sends with validation, deletes, refuses writes when blocked', async () => {
    const box = postbox<SqsHostMessage>();
    const logger = recordingLogger();
    const c = new SqsBrowserController(clients, sourceUrl, { kind: 'moto' }, scriptedUi(), box.post, logger, 20);
    await c.handle({ type: 'ready' });
    const init = box.last('init')!;
    assert.equal(init.mode, 'consent-needed');
    assert.equal(init.queue.deadLetterTargetName, `${base}-dlq`);
    assert.equal(box.last('messages')!.messages.length, 0, 'nothing is received before consent');

    box.clear();
    await c.handle({ type: 'consentReceive' });
    // Rows are posted receive by receive (moto returns at most ten per receive), then a closing post says if there is more.
    const batches = box.posted.filter(
      (m): m is Extract<SqsHostMessage, { type: 'messages' }> => m.type === 'messages' && m.messages.length > 0,
    );
    assert.ok(batches.length >= 2, `first page came in ${batches.length} post(s)`);
    assert.equal(batches[0]!.append, false, 'the first receive replaces the list');
    assert.ok(
      batches.slice(1).every((b) => b.append),
      'later receives append',
    );
    assert.equal(shown(box.posted).length, 20);
    assert.equal(new Set(shown(box.posted).map((m) => m.messageId)).size, 20, 'no message twice');
    assert.equal(box.last('messages')!.hasMore, true);
    await c.handle({ type: 'loadMore' });
    const second = box.last('messages')!;
    assert.equal(second.append, true);
    assert.equal(second.loaded, 37, '25 + 12 moved back');
    assert.equal(shown(box.posted).length, 37);

    box.clear();
    await c.handle({
      type: 'send',
      message: { body: '', attributes: [{ name: 'n', dataType: 'Number', value: 'x' }] },
    });
    const problems = box.last('error')!;
    assert.equal(problems.request, 'send');
    assert.deepEqual(problems.problems!.map((p) => p.field).sort(), ['body', 'messageAttributes.n']);

    await c.handle({
      type: 'send',
      message: { body: '{"hello":"world"}', attributes: [{ name: 'origin', dataType: 'String', value: 'test' }] },
    });
    assert.match(box.last('done')!.message, /^Sent message/);

    const reloaded = shown(box.posted); // sending refreshes the list from its first page
    assert.equal(reloaded.length, 20);
    const victim = reloaded[0]!.messageId;
    await c.handle({ type: 'delete', messageId: victim });
    assert.match(box.last('done')!.message, /Deleted message/);

    await c.handle({ type: 'bogus' });
    assert.match(box.last('error')!.message, /does not understand/);
    assert.ok(logger.lines.some((l) => l.startsWith('warn') && l.includes('malformed')));

    const blocked = postbox<SqsHostMessage>();
    const ro = new SqsBrowserController(
      clients,
      sourceUrl,
      { kind: 'moto' },
      scriptedUi({ blocked: 'Writes need a trusted workspace.' }),
      blocked.post,
      logger,
    );
    await ro.handle({ type: 'ready' });
    assert.equal(blocked.last('init')!.writable, false);
    await ro.handle({ type: 'purge' });
    assert.equal(blocked.last('error')!.message, 'Writes need a trusted workspace.');

    await c.dispose();
    const q = await getQueue(clients.sqs, sourceUrl);
    assert.equal(q.inFlight, 0, 'closing the browser gives received messages back');
    assert.equal(q.visible, 25 + 12 + 1 - 1);
  });

  it('browser host: purge is confirmed first', async () => {
    const box = postbox<SqsHostMessage>();
    const declined = scriptedUi({ confirmAnswer: false });
    const c = new SqsBrowserController(clients, dlqUrl, { kind: 'moto' }, declined, box.post, recordingLogger());
    await sendMessage(clients.sqs, dlqUrl, { body: 'keep me' });
    await c.handle({ type: 'ready' });
    await c.handle({ type: 'purge' });
    assert.equal(declined.confirms.length, 1);
    assert.equal((await getQueue(clients.sqs, dlqUrl)).visible, 1);
    const accepting = new SqsBrowserController(
      clients,
      dlqUrl,
      { kind: 'moto' },
      scriptedUi(),
      box.post,
      recordingLogger(),
    );
    await accepting.handle({ type: 'ready' });
    await accepting.handle({ type: 'purge' });
    assert.equal((await getQueue(clients.sqs, dlqUrl)).visible, 0);
  });
});

/** The list as the webview shows it after these posts: a non-append post replaces it, an append post adds to it. */
function shown(
  posted: readonly SqsHostMessage[],
): Array<Extract<SqsHostMessage, { type: 'messages' }>['messages'][number]> {
  let list: Array<Extract<SqsHostMessage, { type: 'messages' }>['messages'][number]> = [];
  for (const m of posted) if (m.type === 'messages') list = m.append ? list.concat(m.messages) : [...m.messages];
  return list;
}
