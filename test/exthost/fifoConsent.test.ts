import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import type { DrydockExports } from '../../src/vscode/extension';
import { createAwsClients, type AwsClients } from '../../src/core/aws/clients';
import { SnapshotReader } from '../../src/core/snapshot';
import type { SqsMessageRecord } from '../../src/core/snapshot/aws/sqsSnapshot';
import { awsPaths } from '../../src/core/snapshot/layout';

// A FIFO queue with several message groups on moto (no side-effect-free listing): the snapshot command asks
// before it drains and re-sends the queue in order. No answer means no snapshot; yes means a complete one.
describe('Snapshot of a FIFO queue with several groups (moto)', function () {
  this.timeout(300_000);
  let api: DrydockExports;
  let aws: AwsClients;
  let queueUrl: string;
  const queue = `fifo-consent-${Date.now().toString(36)}.fifo`;
  const GROUPS = 3;
  const PER_GROUP = 10;
  const target = { contextName: 'drydock-local', namespace: 'shop' };
  const selection = { queues: [queue], tables: [], buckets: [] };
  const endpoint = () =>
    vscode.workspace.getConfiguration('drydock.aws').get<string[]>('endpoints', [])[0] ?? 'http://localhost:4566';
  const snapshotFiles = () => {
    try {
      return readdirSync(api.snapshots.folder()).sort();
    } catch {
      return [];
    }
  };
  const visible = async () =>
    Number(
      (
        await aws.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        )
      ).Attributes?.ApproximateNumberOfMessages,
    );

  before(async () => {
    api = await vscode.extensions.getExtension<DrydockExports>('drydock.drydock')!.activate();
    aws = createAwsClients({ url: endpoint(), region: 'us-east-1' });
    queueUrl = (await aws.sqs.send(new CreateQueueCommand({ QueueName: queue, Attributes: { FifoQueue: 'true' } })))
      .QueueUrl!;
    // Sent in one order across the groups; each group's own order is what must survive.
    for (let i = 0; i < PER_GROUP; i++)
      await aws.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Array.from({ length: GROUPS }, (_, g) => ({
            Id: `g${g}`,
            MessageBody: `g${g}-${i}`,
            MessageGroupId: `g${g}`,
            MessageDeduplicationId: `g${g}-${i}`,
          })),
        }),
      );
  });

  after(async () => {
    await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
    aws.destroy();
  });

  it('asks before draining; declined, no snapshot is written and the queue keeps every message', async () => {
    assert.ok(api.snapshots.testing, 'the test seam exists outside production mode');
    const before = snapshotFiles();
    const asked: string[] = [];
    const result = await api.snapshots.testing.snapshot(target, selection, (q) => {
      asked.push(q);
      return Promise.resolve(false);
    });
    assert.equal(result, undefined, 'declined: no snapshot');
    assert.deepEqual(asked, [queue], 'the question names the FIFO queue, asked once');
    assert.deepEqual(snapshotFiles(), before, 'nothing written to the snapshot folder');
    for (let i = 0; i < 40 && (await visible()) !== GROUPS * PER_GROUP; i++)
      await new Promise((r) => setTimeout(r, 250));
    assert.equal(await visible(), GROUPS * PER_GROUP, 'every message is visible again');
  });

  it('with consent the snapshot holds every message, each group in its order, and the queue has them back', async () => {
    assert.ok(api.snapshots.testing);
    const asked: string[] = [];
    const path = await api.snapshots.testing.snapshot(target, selection, (q) => {
      asked.push(q);
      return Promise.resolve(true);
    });
    assert.ok(path, 'the snapshot was written');
    assert.deepEqual(asked, [queue]);
    const reader = await SnapshotReader.open(path);
    try {
      assert.equal(reader.manifest.aws.sqs.find((q) => q.name === queue)?.messages, GROUPS * PER_GROUP);
      const byGroup = new Map<string, string[]>();
      for await (const line of reader.lines(awsPaths.sqsMessages(queue))) {
        const m = JSON.parse(line) as SqsMessageRecord;
        const g = m.attributes.MessageGroupId ?? '?';
        byGroup.set(g, [...(byGroup.get(g) ?? []), m.body]);
      }
      for (let g = 0; g < GROUPS; g++)
        assert.deepEqual(
          byGroup.get(`g${g}`),
          Array.from({ length: PER_GROUP }, (_, i) => `g${g}-${i}`),
          `group g${g} complete and in order`,
        );
    } finally {
      await reader.close();
    }
    assert.equal(await visible(), GROUPS * PER_GROUP, 'every message was sent back');
  });
});
