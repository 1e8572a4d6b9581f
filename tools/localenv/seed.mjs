// @ts-check
// Seeds the sample workload: namespace "shop" and the AWS resources its ConfigMap names. Safe to run again.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { root, awsEndpoint } from './config.mjs';
import { say } from './proc.mjs';
import { kubectl } from './kube.mjs';

export const sample = {
  namespace: 'shop',
  queue: 'shop-orders',
  deadLetterQueue: 'shop-orders-dlq',
  table: 'shop-products',
  tableIndex: 'by-category',
  bucket: 'shop-assets',
  messages: 50,
  items: 500,
  objects: 100,
  knownObjectKey: 'docs/welcome.txt',
  knownObjectText: 'Welcome to the Drydock shop.\nEverything here runs on your machine.\n',
};

export async function seedAll() {
  seedKubernetes();
  await seedAws();
  await (await import('./seedLocalstack.mjs')).seedLocalstack();
}

function seedKubernetes() {
  say('seeding namespace shop');
  kubectl(['apply', '-f', path.join(root, 'env', 'seed', 'crd.yaml')]);
  kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/storefronts.shop.drydock.dev']);
  kubectl(['apply', '-f', path.join(root, 'env', 'seed', 'shop.yaml')]);
  kubectl(['-n', 'shop', 'rollout', 'status', 'deployment/web', '--timeout=120s']);
  kubectl(['-n', 'shop', 'wait', '--for=condition=Available', '--timeout=60s', 'deployment/web']);
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const common = { endpoint: awsEndpoint, region: 'us-east-1', credentials };

async function seedAws() {
  const sqs = await import('@aws-sdk/client-sqs');
  const ddb = await import('@aws-sdk/client-dynamodb');
  const s3m = await import('@aws-sdk/client-s3');

  say(`seeding SQS ${sample.queue} (+ ${sample.deadLetterQueue}) with ${sample.messages} messages`);
  const q = new sqs.SQSClient(common);
  const dlq = await q.send(new sqs.CreateQueueCommand({ QueueName: sample.deadLetterQueue, tags: { app: 'shop' } }));
  const dlqArn = (
    await q.send(new sqs.GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn;
  const attributes = {
    VisibilityTimeout: '30',
    MessageRetentionPeriod: '1209600',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 50 }),
  };
  const main = await q
    .send(
      new sqs.CreateQueueCommand({
        QueueName: sample.queue,
        Attributes: attributes,
        tags: { app: 'shop', team: 'checkout' },
      }),
    )
    .catch(async (e) => {
      // An existing queue with other attributes (an older seed): bring it to these.
      if (!/QueueAlreadyExists|QueueNameExists/.test(e?.name ?? '')) throw e;
      const existing = await q.send(new sqs.GetQueueUrlCommand({ QueueName: sample.queue }));
      await q.send(new sqs.SetQueueAttributesCommand({ QueueUrl: existing.QueueUrl, Attributes: attributes }));
      return existing;
    });
  await q.send(new sqs.PurgeQueueCommand({ QueueUrl: main.QueueUrl }));
  await q.send(new sqs.PurgeQueueCommand({ QueueUrl: dlq.QueueUrl }));
  for (let start = 1; start <= sample.messages; start += 10) {
    const entries = [];
    for (let i = start; i < start + 10 && i <= sample.messages; i++) {
      const id = String(i).padStart(4, '0');
      entries.push({
        Id: `m${id}`,
        MessageBody: JSON.stringify({
          orderId: `order-${id}`,
          sku: `sku-${String((i % 40) + 1).padStart(4, '0')}`,
          quantity: (i % 5) + 1,
          note: i === 1 ? 'first order of the day' : undefined,
        }),
        MessageAttributes: {
          source: { DataType: 'String', StringValue: i % 2 ? 'web' : 'mobile' },
          priority: { DataType: 'Number', StringValue: String(i % 3) },
          trace: { DataType: 'Binary', BinaryValue: Buffer.from(`trace-${id}`) },
        },
      });
    }
    await q.send(new sqs.SendMessageBatchCommand({ QueueUrl: main.QueueUrl, Entries: entries }));
  }
  await q.send(
    new sqs.SendMessageCommand({
      QueueUrl: dlq.QueueUrl,
      MessageBody: JSON.stringify({ orderId: 'order-9999', error: 'payment declined' }),
    }),
  );
  q.destroy();

  say(`seeding DynamoDB ${sample.table} with ${sample.items} items`);
  const d = new ddb.DynamoDBClient(common);
  const tables = (await d.send(new ddb.ListTablesCommand({}))).TableNames ?? [];
  if (!tables.includes(sample.table)) {
    await d.send(
      new ddb.CreateTableCommand({
        TableName: sample.table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'sku', AttributeType: 'S' },
          { AttributeName: 'category', AttributeType: 'S' },
          { AttributeName: 'price', AttributeType: 'N' },
        ],
        KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: sample.tableIndex,
            KeySchema: [
              { AttributeName: 'category', KeyType: 'HASH' },
              { AttributeName: 'price', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        Tags: [{ Key: 'app', Value: 'shop' }],
      }),
    );
  }
  const categories = ['books', 'games', 'garden', 'kitchen', 'tools'];
  for (let start = 1; start <= sample.items; start += 25) {
    const batch = [];
    for (let i = start; i < start + 25 && i <= sample.items; i++) {
      const id = String(i).padStart(4, '0');
      /** @type {Record<string, any>} */
      const item = {
        sku: { S: `sku-${id}` },
        name: { S: `Product ${id}` },
        category: { S: categories[i % categories.length] },
        price: { N: `${(i * 1.25).toFixed(2)}` },
        inStock: { BOOL: i % 3 !== 0 },
        tags: { SS: ['shop', `c${i % 7}`] },
        dimensions: { M: { w: { N: String(i % 30) }, h: { N: String(i % 20) }, unit: { S: 'cm' } } },
        ratings: { L: [{ N: String(i % 5) }, { N: String((i + 2) % 5) }] },
      };
      if (i % 10 === 0) item.discontinued = { NULL: true };
      if (i % 25 === 0) item.thumbnail = { B: Buffer.from(`thumb-${id}`) };
      if (i % 50 === 0) item.sizes = { NS: ['36', '38', '40.5'] };
      batch.push({ PutRequest: { Item: item } });
    }
    let request = { [sample.table]: batch };
    for (let attempt = 0; Object.keys(request).length && attempt < 10; attempt++) {
      const out = await d.send(new ddb.BatchWriteItemCommand({ RequestItems: request }));
      request = /** @type {any} */ (out.UnprocessedItems ?? {});
    }
  }
  d.destroy();

  say(`seeding S3 ${sample.bucket} with ${sample.objects} objects`);
  const s3 = new s3m.S3Client({ ...common, forcePathStyle: true });
  const buckets = (await s3.send(new s3m.ListBucketsCommand({}))).Buckets ?? [];
  if (!buckets.some((b) => b.Name === sample.bucket))
    await s3.send(new s3m.CreateBucketCommand({ Bucket: sample.bucket }));
  const png = fs.readFileSync(path.join(root, 'env', 'seed', 'logo.png'));
  const puts = [
    { Key: sample.knownObjectKey, Body: sample.knownObjectText, ContentType: 'text/plain' },
    { Key: 'images/logo.png', Body: png, ContentType: 'image/png' },
  ];
  for (let i = 1; puts.length < sample.objects; i++) {
    const id = String(i).padStart(3, '0');
    if (i % 3 === 0)
      puts.push({
        Key: `catalog/2026/${String((i % 12) + 1).padStart(2, '0')}/product-${id}.json`,
        Body: JSON.stringify({ sku: `sku-${id}`, title: `Product ${id}` }, null, 2),
        ContentType: 'application/json',
      });
    else if (i % 3 === 1) puts.push({ Key: `images/products/${id}.png`, Body: png, ContentType: 'image/png' });
    else
      puts.push({ Key: `reports/daily/report-${id}.csv`, Body: `sku,qty\nsku-${id},${i}\n`, ContentType: 'text/csv' });
  }
  for (const p of puts)
    await s3.send(new s3m.PutObjectCommand({ Bucket: sample.bucket, ...p, Metadata: { seeded: 'true' } }));
  s3.destroy();
}
