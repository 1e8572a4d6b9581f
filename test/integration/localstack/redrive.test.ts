import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { createAwsClients, type AwsClients } from '../../../src/core/aws/clients';
import { detectEmulator } from '../../../src/core/aws/emulator';
import { listMessageMoveTasks, redriveDeadLetters, type RedriveProgress } from '../../../src/core/aws/sqsMoveTask';
import { SqsBrowserController } from '../../../src/vscode/aws/browsers/sqsBrowserController';
import type { SqsHostMessage } from '../../../src/protocol/sqsBrowser';
import { postbox, recordingLogger, scriptedUi } from '../aws/helpers';
import { awsEndpointUrl, awsRegion, uniqueName } from '../../support/env';
import { localstackClients, localstackUrl } from './localstackEnv';

const made: { sqs: SQSClient; url: string }[] = [];
const all: AwsClients[] = [];

async function pair(clients: AwsClients, base: string, messages: number) {
  const dlq = (await clients.sqs.send(new CreateQueueCommand({ QueueName: `${base}-dlq` }))).QueueUrl!;
  const dlqArn = (
    await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  const src = (
    await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: base,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) },
      }),
    )
  ).QueueUrl!;
  const srcArn = (
    await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: src, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  made.push({ sqs: clients.sqs, url: dlq }, { sqs: clients.sqs, url: src });
  for (let i = 0; i < messages; i += 10) {
    const entries = Array.from({ length: Math.min(10, messages - i) }, (_, j) => ({
      Id: `m${j}`,
      MessageBody: `failed ${i + j}`,
      MessageAttributes: { attempt: { DataType: 'Number', StringValue: '3' } },
    }));
    await clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: dlq, Entries: entries }));
  }
  return { dlq: { url: dlq, arn: dlqArn }, src: { url: src, arn: srcArn } };
}

async function count(sqs: SQSClient, url: string): Promise<number> {
  const a =
    (
      await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      )
    ).Attributes ?? {};
  return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
}

after(async () => {
  for (const q of made) await q.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url })).catch(() => undefined);
  for (const c of all) c.destroy();
});

describe('moving messages back from a dead-letter queue', () => {
  it('on LocalStack: StartMessageMoveTask, progress from ListMessageMoveTasks, completed', async () => {
    const ls = localstackClients();
    all.push(ls);
    const { dlq, src } = await pair(ls, uniqueName('dd-ls-redrive'), 60);
    const progress: RedriveProgress[] = [];
    const r = await redriveDeadLetters(ls.sqs, dlq, src, { maxPerSecond: 30, onProgress: (p) => progress.push(p) });
    assert.equal(r.mode, 'move-task');
    assert.equal(r.status, 'COMPLETED');
    assert.equal(r.cancelled, false);
    assert.equal(r.moved, 60);
    assert.ok(progress.length >= 2, `progress was reported ${progress.length} time(s)`);
    assert.ok(progress.every((p) => p.mode === 'move-task'));
    assert.ok(
      progress.some((p) => p.status === 'RUNNING' && p.moved < 60),
      `a running task was seen part-way: ${JSON.stringify(progress.slice(0, 3))}`,
    );
    assert.equal(await count(ls.sqs, dlq.url), 0);
    assert.equal(await count(ls.sqs, src.url), 60);
    const tasks = await listMessageMoveTasks(ls.sqs, dlq.arn);
    assert.equal(tasks[0]!.status, 'COMPLETED');
  });

  it('on LocalStack: cancelling stops the task part-way, nothing lost', async () => {
    const ls = localstackClients();
    all.push(ls);
    const { dlq, src } = await pair(ls, uniqueName('dd-ls-cancel'), 100);
    const abort = new AbortController();
    const r = await redriveDeadLetters(ls.sqs, dlq, src, {
      maxPerSecond: 10,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.moved >= 5) abort.abort();
      },
    });
    assert.equal(r.mode, 'move-task');
    assert.equal(r.cancelled, true, `status ${r.status}`);
    assert.equal(r.status, 'CANCELLED');
    assert.ok(r.moved >= 5 && r.moved < 100, `moved ${r.moved}`);
    const left = await count(ls.sqs, dlq.url);
    const arrived = await count(ls.sqs, src.url);
    assert.ok(left > 0, 'some stayed in the dead-letter queue');
    assert.equal(left + arrived, 100, 'every message is in one of the two queues');
  });

  it('from the message browser on LocalStack (the move task) and on moto (receive + send + delete)', async () => {
    const ls = localstackClients();
    const moto = createAwsClients({ url: awsEndpointUrl(), region: awsRegion });
    all.push(ls, moto);
    for (const [clients, url, expectedWord] of [
      [ls, localstackUrl(), 'message move task'],
      [moto, awsEndpointUrl(), ''],
    ] as const) {
      const { dlq, src } = await pair(clients, uniqueName('dd-redrive-ui'), 12);
      const ui = scriptedUi();
      const box = postbox<SqsHostMessage>();
      const logger = recordingLogger();
      const c = new SqsBrowserController(clients, dlq.url, await detectEmulator(url), ui, box.post, logger, 50);
      await c.handle({ type: 'ready' });
      await c.handle({ type: 'redrive' });
      assert.match(box.last('done')!.message, /^Moved 12 messages to /, JSON.stringify(box.last('error')));
      assert.equal(await count(clients.sqs, src.url), 12);
      assert.equal(await count(clients.sqs, dlq.url), 0);
      if (expectedWord) {
        assert.match(ui.confirms[0]!, /Move messages from/);
        assert.ok(
          logger.lines.some((l) => l.includes(expectedWord)),
          logger.lines.join('\n'),
        );
      } else {
        assert.ok(!logger.lines.some((l) => l.includes('message move task')), 'moto: the receive loop');
      }
      await c.dispose();
    }
  });

  it('on moto: StartMessageMoveTask is missing, so the receive loop moves them', async () => {
    const moto = createAwsClients({ url: awsEndpointUrl(), region: awsRegion });
    all.push(moto);
    const { dlq, src } = await pair(moto, uniqueName('dd-moto-redrive'), 15);
    const modes = new Set<string>();
    const r = await redriveDeadLetters(moto.sqs, dlq, src, { onProgress: (p) => modes.add(p.mode) });
    assert.equal(r.mode, 'receive-fallback');
    assert.equal(r.moved, 15);
    assert.deepEqual([...modes], ['receive-fallback']);
    assert.equal(await count(moto.sqs, src.url), 15);
    assert.equal(await count(moto.sqs, dlq.url), 0);
  });
});
