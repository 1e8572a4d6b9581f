import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DescribeTableCommand, DescribeTimeToLiveCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetBucketVersioningCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { createSnapshot, restoreSnapshot } from '../../../src/core/snapshot';
import { referenceRewriter } from '../../../src/core/snapshot/references';
import { uniqueName } from '../../support/env';
import {
  liveEnv,
  workloadObjects,
  createNamespace,
  deleteNamespace,
  createQueue,
  sendMessages,
  createTable,
  putItems,
  createBucket,
  deleteQueue,
  deleteTable,
  deleteBucket,
  queueUrl,
} from './liveEnv';
import { kubeDifferences, drainQueue, queueCounts, scanAll, bucketContents } from './compare';
import { KubeApiError } from '../../../src/core/kube/kubeApiError';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';

const passphrase = 'correct horse battery staple';

test('round trip: snapshot, delete namespace and AWS resources, restore — every object, message, item and byte back; then a mapped copy side by side', async (t) => {
  const { kube, aws } = await liveEnv();
  const ns = uniqueName('dd-rt');
  const copyNs = `${ns}-copy`;
  const queue = uniqueName('dd-orders');
  const dlq = `${queue}-dlq`;
  const table = uniqueName('dd-orders');
  const bucket = uniqueName('dd-orders');
  const prefix = 'copy-';
  const dir = await mkdtemp(join(tmpdir(), 'drydock-rt-'));
  after(async () => {
    await deleteNamespace(kube, ns);
    await deleteNamespace(kube, copyNs);
    for (const q of [queue, dlq, prefix + queue, prefix + dlq]) await deleteQueue(aws, q);
    for (const tb of [table, prefix + table]) await deleteTable(aws, tb);
    for (const b of [bucket, prefix + bucket]) await deleteBucket(aws, b);
    await rm(dir, { recursive: true, force: true });
    aws.destroy();
  });

  // Source state.
  const dlqUrl = await createQueue(aws, dlq);
  const dlqArn = (await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] })))
    .Attributes!.QueueArn!;
  const url = await createQueue(
    aws,
    queue,
    { VisibilityTimeout: '45', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }) },
    { team: 'orders' },
  );
  const messages = Array.from({ length: 37 }, (_, i) => ({
    body: JSON.stringify({ order: i, note: i % 3 ? 'plain' : 'ünïcødé ✓ "quoted"' }),
    attributes: {
      kind: { DataType: 'String', StringValue: `k${i % 4}` },
      amount: { DataType: 'Number', StringValue: `${i}.50` },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 255, i]) },
    },
  }));
  await sendMessages(aws, url, messages);
  await sendMessages(aws, dlqUrl, [{ body: 'poison message' }]);
  await createTable(aws, table);
  await aws.dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: table,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    }),
  );
  await putItems(aws, table, [
    {
      pk: { S: 'big' },
      sk: { N: '1' },
      n38: { N: '12345678901234567890123456789012345678' },
      tiny: { N: '-1E-130' },
      huge: { N: '1E+125' },
      email: { S: 'a@example.com' },
    },
    {
      pk: { S: 'types' },
      sk: { N: '2' },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2.5'] },
      bs: { BS: [new Uint8Array([1, 2]), new Uint8Array([255])] },
      b: { B: new Uint8Array([0, 1, 2, 254]) },
      nul: { NULL: true },
      bool: { BOOL: false },
      m: { M: { deep: { M: { l: { L: [{ S: 'x' }, { N: '3' }, { M: {} }] } } } } },
    },
    ...Array.from({ length: 120 }, (_, i) => ({
      pk: { S: `item-${i}` },
      sk: { N: String(i) },
      email: { S: `u${i}@example.com` },
      expiresAt: { N: '4102444800' },
    })),
  ]);
  await createBucket(aws, bucket, [
    {
      key: 'config/app.json',
      body: '{"a":1}',
      contentType: 'application/json',
      metadata: { owner: 'orders' },
      tagging: 'tier=gold&x=1',
    },
    { key: 'folder with spaces/Ā0Ä — em dash.txt', body: 'unicode key', contentType: 'text/plain; charset=utf-8' },
    { key: 'binary.bin', body: new Uint8Array(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256)) },
    { key: 'trailing/', body: '' },
  ]);
  await aws.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await createNamespace(
    kube,
    ns,
    workloadObjects({ NS: ns, QUEUE: queue, QUEUE_URL: url, TABLE: table, BUCKET: bucket }),
  );
  const beforeMessages = await drainQueueCopy();
  async function drainQueueCopy() {
    return (await queueCounts(aws, url)).visible;
  }

  // Snapshot (referenced queue/table/bucket auto-detected; the DLQ named explicitly).
  const archive = join(dir, 'rt.tar.gz');
  const progressPhases = new Set<string>();
  const created = await createSnapshot({
    target: archive,
    kube: { client: kube, namespaces: [ns] },
    aws: { clients: aws, queues: [dlq], autoDetect: true },
    secrets: { passphrase },
    toolVersion: 'test',
    progress: (e) => progressPhases.add(e.phase),
  });
  t.diagnostic(
    `snapshot: ${created.manifest.counts.items} items, ${created.manifest.counts.skipped} skipped, ${created.manifest.counts.sqsMessages} messages, ${created.manifest.counts.dynamodbItems} items, ${created.manifest.counts.s3Objects} objects`,
  );
  assert.deepEqual(created.detected, { queues: [queue], tables: [table], buckets: [bucket] });
  assert.equal(created.manifest.counts.sqsMessages, 38);
  assert.equal(created.manifest.counts.dynamodbItems, 122);
  assert.equal(created.manifest.counts.s3Objects, 4);
  assert.ok(progressPhases.has('kube') && progressPhases.has('write'));
  // Capture left every message visible.
  assert.deepEqual(await queueCounts(aws, url), { visible: beforeMessages, invisible: 0 });

  const sourceMessages = await drainQueue(aws, url);
  assert.equal(sourceMessages.length, 37);
  const sourceItems = await scanAll(aws, table);
  const sourceObjects = await bucketContents(aws, bucket);

  // Delete everything.
  await deleteNamespace(kube, ns, true);
  for (const q of [queue, dlq]) await deleteQueue(aws, q);
  await deleteTable(aws, table);
  await deleteBucket(aws, bucket);

  assert.equal(await queueUrl(aws, queue), undefined, 'queue deleted before restore');

  // Restore in place.
  const report = await restoreSnapshot({
    source: archive,
    keySource: { passphrase },
    kube: { client: kube },
    aws: { clients: aws },
  });
  const failures = report.items.filter((i) => i.outcome === 'failed');
  assert.deepEqual(failures, [], 'no item failed');
  assert.equal(report.status, 'ok');
  // The controller creates each namespace's "default" ServiceAccount itself, so that one already exists.
  assert.deepEqual(
    report.items
      .filter((i) => i.outcome !== 'created' && i.id !== `serviceaccounts/${ns}/default`)
      .map((i) => `${i.id}: ${i.outcome} ${i.message ?? ''}`),
    [],
    'everything was created anew',
  );
  assert.deepEqual(
    report.items
      .filter((i) => i.system !== 'kube')
      .map((i) => `${i.id}=${i.count}`)
      .sort(),
    [`dynamodb:${table}=122`, `s3:${bucket}=4`, `sqs:${dlq}=1`, `sqs:${queue}=37`].sort(),
  );

  const kubeDiff = await kubeDifferences(kube, archive, { passphrase }, new Map());
  t.diagnostic(`compared ${kubeDiff.compared} objects`);
  assert.deepEqual(kubeDiff.differences, []);
  const secret = await kube.request<KubeObject>('GET', `/api/v1/namespaces/${ns}/secrets/orders-credentials`);
  assert.equal(Buffer.from((secret.data as Record<string, string>).password!, 'base64').toString(), 's3cr3t-p@ss');

  const restoredUrl = (await queueUrl(aws, queue))!;
  const attrs = (await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: restoredUrl, AttributeNames: ['All'] })))
    .Attributes!;
  assert.equal(attrs.VisibilityTimeout, '45');
  assert.equal(JSON.parse(attrs.RedrivePolicy!).deadLetterTargetArn, dlqArn);
  assert.deepEqual(await drainQueue(aws, restoredUrl), sourceMessages);
  assert.deepEqual(
    (await drainQueue(aws, (await queueUrl(aws, dlq))!)).map((m) => m.body),
    ['poison message'],
  );
  assert.deepEqual(await scanAll(aws, table), sourceItems);
  const desc = (await aws.dynamodb.send(new DescribeTableCommand({ TableName: table }))).Table!;
  assert.equal(desc.GlobalSecondaryIndexes?.[0]?.IndexName, 'by-email');
  assert.equal(desc.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
  assert.equal(
    (await aws.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: table }))).TimeToLiveDescription?.AttributeName,
    'expiresAt',
  );
  assert.deepEqual(await bucketContents(aws, bucket), sourceObjects);
  assert.equal((await aws.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status, 'Enabled');

  // A mapped copy beside the original, with its own AWS resources, referencing only them.
  const copy = await restoreSnapshot({
    source: archive,
    keySource: { passphrase },
    kube: { client: kube, namespaceMap: new Map([[ns, copyNs]]) },
    aws: { clients: aws, prefix },
  });
  assert.deepEqual(
    copy.items.filter((i) => i.outcome === 'failed'),
    [],
  );
  assert.equal(copy.status, 'ok');
  assert.ok(await queueUrl(aws, prefix + queue));
  const cm = await kube.request<KubeObject>('GET', `/api/v1/namespaces/${copyNs}/configmaps/orders-config`);
  const data = cm.data as Record<string, string>;
  const copyUrl = (await queueUrl(aws, prefix + queue))!;
  assert.equal(data.QUEUE_URL, copyUrl);
  assert.equal(data.TABLE_NAME, prefix + table);
  assert.equal(data.BUCKET, prefix + bucket);
  assert.equal(
    data.unrelated,
    `${prefix}${table}-archive stays as it is`.replace(`${prefix}${table}-archive`, `${table}-archive`),
    'a longer name that merely starts with the table name is not rewritten',
  );
  const copySecret = await kube.request<KubeObject>('GET', `/api/v1/namespaces/${copyNs}/secrets/orders-credentials`);
  assert.match(
    Buffer.from((copySecret.data as Record<string, string>)['queue-arn']!, 'base64').toString(),
    new RegExp(`:${prefix}${queue}$`),
  );
  const dep = await kube.request<KubeObject>('GET', `/apis/apps/v1/namespaces/${copyNs}/deployments/orders`);
  const env = (dep.spec as any).template.spec.containers[0].env as Array<{ name: string; value?: string }>;
  assert.equal(env.find((e) => e.name === 'QUEUE_URL')!.value, copyUrl);
  assert.equal(env.find((e) => e.name === 'TABLE')!.value, prefix + table);
  const rb = await kube.request<KubeObject>(
    'GET',
    `/apis/rbac.authorization.k8s.io/v1/namespaces/${copyNs}/rolebindings/orders-reader`,
  );
  assert.equal((rb.subjects as Array<{ namespace: string }>)[0]!.namespace, copyNs);
  // Nothing in the copy names an original resource.
  const copyStrings = JSON.stringify([cm, copySecret.data, dep.spec]);
  for (const original of [url, `"${queue}"`, `"${table}"`, `"${bucket}"`])
    assert.ok(!copyStrings.includes(original), `copy still references ${original}`);
  // The copy's objects equal the snapshot's after mapping and rewriting.
  const renames = [
    { service: 'sqs' as const, from: queue, to: prefix + queue, identifiers: [{ from: url, to: copyUrl }] },
    { service: 'sqs' as const, from: dlq, to: prefix + dlq },
    { service: 'dynamodb' as const, from: table, to: prefix + table },
    { service: 's3' as const, from: bucket, to: prefix + bucket },
  ];
  const copyDiff = await kubeDifferences(
    kube,
    archive,
    { passphrase },
    new Map([[ns, copyNs]]),
    referenceRewriter(renames),
  );
  assert.deepEqual(copyDiff.differences, []);
  assert.deepEqual(await scanAll(aws, prefix + table), sourceItems);
  assert.deepEqual(await bucketContents(aws, prefix + bucket), sourceObjects);
  // The original is untouched.
  await kube
    .request('GET', `/api/v1/namespaces/${ns}/configmaps/orders-config`)
    .catch((e) => assert.fail(KubeApiError.is(e) ? e.message : String(e)));
});
