// Snapshot, restore and drill with SQS and S3 on LocalStack and DynamoDB on moto (per-service endpoints):
// SQS is captured through LocalStack's peek, so no receive count changes and a FIFO queue with several groups is
// captured whole; the copies are compared message for message (order within each group included).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  paginateListQueues,
} from '@aws-sdk/client-sqs';
import {
  CreateTableCommand,
  DeleteTableCommand,
  PutItemCommand,
  ScanCommand,
  paginateListTables,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { createAwsClients, type AwsClients, type AwsEndpoint } from '../../../src/core/aws/clients';
import { peekLocalStackMessages } from '../../../src/core/aws/sqsPeek';
import type { QueueMessage } from '../../../src/core/aws/sqs';
import { KubeRawClient } from '../../../src/core/kube/rawClient';
import { loadKubeConfig } from '../../../src/core/kube/kubeconfig';
import { createSnapshot, restoreSnapshot } from '../../../src/core/snapshot';
import { runDrill } from '../../../src/core/drill';
import { awsEndpointUrl, awsRegion, kubeconfigPath, uniqueName } from '../../support/env';
import { createFixtureNamespace, deleteNamespace, kubeOptions, tempDir, CONTEXT } from '../drill/drillEnv';
import { localstackClients, localstackUrl } from './localstackEnv';

const base = uniqueName('dd-mix');
const names = { queue: `${base}-orders`, fifo: `${base}-pay.fifo`, bucket: `${base}-assets`, table: `${base}-items` };
const GROUPS = ['alice', 'bob', 'carol'];
const PER_GROUP = 10;
const mixed: AwsEndpoint = {
  url: awsEndpointUrl(),
  region: awsRegion,
  services: { sqs: localstackUrl(), s3: localstackUrl() },
};
let ls: AwsClients;
let moto: AwsClients;
let clients: AwsClients;
let kube: KubeRawClient;
let ns = '';
const dir = tempDir('dd-mix');
let snapshot = '';

const peek = async (queue: string): Promise<QueueMessage[]> => {
  const url = (await ls.sqs.send(new GetQueueUrlCommand({ QueueName: queue }))).QueueUrl!;
  return peekLocalStackMessages(localstackUrl(), url);
};
const receiveCounts = async (queue: string): Promise<Record<string, string>> =>
  Object.fromEntries(
    (await peek(queue)).map((m): [string, string] => [m.messageId, m.attributes.ApproximateReceiveCount ?? '?']).sort(),
  );
const counters = async (queue: string) => {
  const url = (await ls.sqs.send(new GetQueueUrlCommand({ QueueName: queue }))).QueueUrl!;
  return (
    await ls.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    )
  ).Attributes;
};
/** What must survive a round trip: body and message attributes (ids and timestamps are new in a copy). */
const content = (m: QueueMessage) => JSON.stringify([m.body, Object.entries(m.messageAttributes).sort()]);
/** Per group, the bodies in FIFO order (SequenceNumber), with their deduplication ids. */
const groups = (ms: QueueMessage[]) => {
  const out: Record<string, string[]> = {};
  const sorted = [...ms].sort((a, b) =>
    BigInt(a.attributes.SequenceNumber!) < BigInt(b.attributes.SequenceNumber!) ? -1 : 1,
  );
  for (const m of sorted)
    (out[m.attributes.MessageGroupId!] ??= []).push(`${m.body}|${m.attributes.MessageDeduplicationId}`);
  return out;
};

before(async () => {
  ls = localstackClients();
  moto = createAwsClients({ url: awsEndpointUrl(), region: awsRegion });
  clients = createAwsClients(mixed);
  kube = new KubeRawClient(loadKubeConfig([kubeconfigPath()]), CONTEXT);
  // Standard queue: 24 messages with attributes, one delayed, one received by a consumer and still in flight.
  const q = (
    await ls.sqs.send(new CreateQueueCommand({ QueueName: names.queue, Attributes: { VisibilityTimeout: '900' } }))
  ).QueueUrl!;
  for (let i = 0; i < 24; i += 8) {
    await ls.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q,
        Entries: Array.from({ length: 8 }, (_, j) => ({
          Id: `m${j}`,
          MessageBody: JSON.stringify({ order: i + j, note: 'ünïcode ✓' }),
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: 'order' },
            blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 255, i + j]) },
          },
        })),
      }),
    );
  }
  await ls.sqs.send(new SendMessageCommand({ QueueUrl: q, MessageBody: 'delayed one', DelaySeconds: 900 }));
  await ls.sqs.send(new ReceiveMessageCommand({ QueueUrl: q, MaxNumberOfMessages: 1 }));
  // FIFO queue: three groups, interleaved, so queue order is not group order.
  const f = (await ls.sqs.send(new CreateQueueCommand({ QueueName: names.fifo, Attributes: { FifoQueue: 'true' } })))
    .QueueUrl!;
  for (let i = 1; i <= PER_GROUP; i++) {
    await ls.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: f,
        Entries: GROUPS.map((g) => ({
          Id: `${g}${i}`,
          MessageBody: `${g} #${i}`,
          MessageGroupId: g,
          MessageDeduplicationId: `${g}-${i}`,
        })),
      }),
    );
  }
  // A consumer holds one message of group bob: the rest of bob is blocked for receivers, not for the peek.
  const held = await ls.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: f,
      MaxNumberOfMessages: 1,
      VisibilityTimeout: 900,
      MessageSystemAttributeNames: ['MessageGroupId'],
    }),
  );
  assert.equal(held.Messages?.length, 1);
  await ls.s3.send(new CreateBucketCommand({ Bucket: names.bucket }));
  for (let i = 0; i < 10; i++)
    await ls.s3.send(
      new PutObjectCommand({
        Bucket: names.bucket,
        Key: `dir/${i}.txt`,
        Body: `object ${i}`,
        ContentType: 'text/plain',
      }),
    );
  await moto.dynamodb.send(
    new CreateTableCommand({
      TableName: names.table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
  for (let i = 0; i < 20; i++)
    await moto.dynamodb.send(
      new PutItemCommand({ TableName: names.table, Item: { id: { S: `i${i}` }, n: { N: String(i) } } }),
    );
  ns = await createFixtureNamespace(kube, 'dd-mix', [
    {
      path: '/api/v1/namespaces/{ns}/configmaps',
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'app' },
        data: { ORDERS_QUEUE: names.queue, PAY_QUEUE: names.fifo, BUCKET: names.bucket, TABLE: names.table },
      },
    },
  ]);
});

after(async () => {
  const drop = async (c: AwsClients, prefixes: string[]) => {
    for await (const p of paginateListQueues({ client: c.sqs }, {}))
      for (const u of p.QueueUrls ?? [])
        if (prefixes.some((x) => u.split('/').pop()!.includes(x)))
          await c.sqs.send(new DeleteQueueCommand({ QueueUrl: u })).catch(() => undefined);
    for (const b of (await c.s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
      if (!prefixes.some((x) => b.Name!.includes(x))) continue;
      for (const o of (await c.s3.send(new ListObjectsV2Command({ Bucket: b.Name }))).Contents ?? [])
        await c.s3.send(new DeleteObjectCommand({ Bucket: b.Name, Key: o.Key })).catch(() => undefined);
      await c.s3.send(new DeleteBucketCommand({ Bucket: b.Name })).catch(() => undefined);
    }
    for await (const p of paginateListTables({ client: c.dynamodb }, {}))
      for (const t of p.TableNames ?? [])
        if (prefixes.some((x) => t.includes(x)))
          await c.dynamodb.send(new DeleteTableCommand({ TableName: t })).catch(() => undefined);
  };
  await drop(clients, [base]).catch(() => undefined);
  if (ns) {
    await deleteNamespace(kube, ns).catch(() => undefined);
    await deleteNamespace(kube, `${ns}-copy`).catch(() => undefined);
  }
  rmSync(dir, { recursive: true, force: true });
  for (const c of [ls, moto, clients]) c?.destroy();
});

describe('SQS and S3 on LocalStack, DynamoDB on moto', () => {
  it('snapshots through the peek: every message, FIFO groups whole, no receive count changed', async () => {
    const before = {
      q: await receiveCounts(names.queue),
      f: await receiveCounts(names.fifo),
      qc: await counters(names.queue),
      fc: await counters(names.fifo),
    };
    const logs: string[] = [];
    const log = (m: string | Error) => logs.push(String(m));
    snapshot = join(dir, 'mixed.tar.gz');
    const r = await createSnapshot({
      target: snapshot,
      kube: { client: kube, namespaces: [ns] },
      aws: { clients, autoDetect: true },
      secrets: 'plain',
      toolVersion: 'test',
      logger: { debug: log, info: log, warn: log, error: log },
    });
    assert.ok(
      logs.some((l) => l.includes('captured through its peek')),
      logs.join('\n'),
    );
    const byName = Object.fromEntries(r.manifest.aws.sqs.map((q) => [q.name, q.messages]));
    assert.equal(byName[names.queue], 25, '24 + the delayed one, the in-flight one included');
    assert.equal(byName[names.fifo], GROUPS.length * PER_GROUP, 'every group whole, the blocked one too');
    assert.deepEqual(
      r.manifest.aws.s3.map((b) => [b.name, b.objects]),
      [[names.bucket, 10]],
    );
    assert.deepEqual(
      r.manifest.aws.dynamodb.map((t) => [t.name, t.items]),
      [[names.table, 20]],
    );
    assert.equal(r.manifest.source.aws?.endpoint, awsEndpointUrl());
    assert.deepEqual(await receiveCounts(names.queue), before.q, 'no receive count changed (standard)');
    assert.deepEqual(await receiveCounts(names.fifo), before.f, 'no receive count changed (FIFO)');
    assert.deepEqual(await counters(names.queue), before.qc);
    assert.deepEqual(await counters(names.fifo), before.fc);
  });

  it('restores into copies message for message, order within each group kept', async () => {
    assert.ok(snapshot, 'the snapshot test ran first');
    const report = await restoreSnapshot({
      source: snapshot,
      kube: { client: kube, namespaceMap: new Map([[ns, `${ns}-copy`]]) },
      aws: { clients, prefix: 'rc-' },
    });
    const failed = report.items.filter((i) => i.outcome === 'failed');
    assert.deepEqual(failed, []);
    const original = await peek(names.queue);
    const copy = await peek(`rc-${names.queue}`);
    assert.deepEqual(copy.map(content).sort(), original.map(content).sort(), 'same bodies and attributes');
    assert.ok(
      copy.every((m) => m.attributes.ApproximateReceiveCount === '0'),
      'the copies are fresh',
    );
    assert.deepEqual(
      groups(await peek(`rc-${names.fifo}`)),
      groups(await peek(names.fifo)),
      'per group: same bodies, same order, same dedup ids',
    );
    assert.equal(Object.keys(groups(await peek(`rc-${names.fifo}`))).length, GROUPS.length);
    const objects = (await ls.s3.send(new ListObjectsV2Command({ Bucket: `rc-${names.bucket}` }))).Contents ?? [];
    assert.equal(objects.length, 10);
    const body = await (
      await ls.s3.send(new GetObjectCommand({ Bucket: `rc-${names.bucket}`, Key: 'dir/7.txt' }))
    ).Body!.transformToString();
    assert.equal(body, 'object 7');
    assert.equal(
      (await moto.dynamodb.send(new ScanCommand({ TableName: `rc-${names.table}`, Select: 'COUNT' }))).Count,
      20,
      'DynamoDB copy on moto',
    );
  });

  it('drills the snapshot on the same mixed endpoints and leaves nothing behind', async () => {
    assert.ok(snapshot, 'the snapshot test ran first');
    const report = await runDrill({
      recoveryPoint: snapshot,
      workspaceDir: dir,
      kube: kubeOptions(),
      aws: { endpoint: mixed },
      readyTimeoutMs: 60_000,
    });
    const failed = report.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`);
    assert.equal(report.status, 'passed', failed.join('\n'));
    const prefix = report.target.awsPrefix;
    assert.ok(prefix, 'the drill restored AWS resources under a prefix');
    const leftovers: string[] = [];
    for await (const p of paginateListQueues({ client: ls.sqs }, {}))
      for (const u of p.QueueUrls ?? []) if (u.split('/').pop()!.startsWith(prefix)) leftovers.push(u);
    for (const b of (await ls.s3.send(new ListBucketsCommand({}))).Buckets ?? [])
      if (b.Name!.startsWith(prefix)) leftovers.push(b.Name!);
    for await (const p of paginateListTables({ client: moto.dynamodb }, {}))
      for (const t of p.TableNames ?? []) if (t.startsWith(prefix)) leftovers.push(t);
    assert.deepEqual(leftovers, []);
  });
});
