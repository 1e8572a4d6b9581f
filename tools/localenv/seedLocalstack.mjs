// @ts-check
// Seeds the sample SQS queues and S3 bucket on LocalStack too (DynamoDB stays on moto: LocalStack's needs a
// download at run time). Same names as on moto, plus a FIFO queue with several message groups. Safe to run again.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ports, root } from './config.mjs';
import { say } from './proc.mjs';

export const localstackSample = {
  endpoint: `http://localhost:${ports.localstack}`,
  queue: 'shop-orders',
  deadLetterQueue: 'shop-orders-dlq',
  fifoQueue: 'shop-payments.fifo',
  fifoGroups: ['customer-a', 'customer-b', 'customer-c'],
  fifoPerGroup: 10,
  bucket: 'shop-assets',
  messages: 50,
  objects: 20,
  knownObjectKey: 'docs/welcome.txt',
  knownObjectText: 'Welcome to the Drydock shop (LocalStack).\n',
};

export async function seedLocalstack() {
  const s = localstackSample;
  const sqs = await import('@aws-sdk/client-sqs');
  const s3m = await import('@aws-sdk/client-s3');
  const common = {
    endpoint: s.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };

  say(
    `seeding LocalStack SQS ${s.queue} (+ ${s.deadLetterQueue}) with ${s.messages} messages, ${s.fifoQueue} with ${s.fifoGroups.length} groups`,
  );
  const q = new sqs.SQSClient(common);
  const dlq = await q.send(new sqs.CreateQueueCommand({ QueueName: s.deadLetterQueue, tags: { app: 'shop' } }));
  const dlqArn = (
    await q.send(new sqs.GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes?.QueueArn;
  const attributes = {
    VisibilityTimeout: '30',
    MessageRetentionPeriod: '1209600',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 50 }),
  };
  const main = await q.send(
    new sqs.CreateQueueCommand({ QueueName: s.queue, Attributes: attributes, tags: { app: 'shop', team: 'checkout' } }),
  );
  const fifo = await q.send(
    new sqs.CreateQueueCommand({ QueueName: s.fifoQueue, Attributes: { FifoQueue: 'true' }, tags: { app: 'shop' } }),
  );
  for (const url of [main.QueueUrl, dlq.QueueUrl, fifo.QueueUrl])
    await q.send(new sqs.PurgeQueueCommand({ QueueUrl: url }));
  for (let start = 1; start <= s.messages; start += 10) {
    const entries = [];
    for (let i = start; i < start + 10 && i <= s.messages; i++) {
      const id = String(i).padStart(4, '0');
      entries.push({
        Id: `m${id}`,
        MessageBody: JSON.stringify({ orderId: `order-${id}`, quantity: (i % 5) + 1 }),
        MessageAttributes: {
          source: { DataType: 'String', StringValue: i % 2 ? 'web' : 'mobile' },
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
  // Interleaved groups, so order within a group is not the order of the queue.
  for (let i = 1; i <= s.fifoPerGroup; i++) {
    const entries = s.fifoGroups.map((g, j) => ({
      Id: `${g}-${i}`,
      MessageBody: JSON.stringify({ group: g, step: i }),
      MessageGroupId: g,
      MessageDeduplicationId: `${g}-${i}`,
      ...(j === 0 ? { MessageAttributes: { step: { DataType: 'Number', StringValue: String(i) } } } : {}),
    }));
    await q.send(new sqs.SendMessageBatchCommand({ QueueUrl: fifo.QueueUrl, Entries: entries }));
  }
  q.destroy();

  say(`seeding LocalStack S3 ${s.bucket} with ${s.objects} objects`);
  const s3 = new s3m.S3Client({ ...common, forcePathStyle: true });
  const buckets = (await s3.send(new s3m.ListBucketsCommand({}))).Buckets ?? [];
  if (!buckets.some((b) => b.Name === s.bucket)) await s3.send(new s3m.CreateBucketCommand({ Bucket: s.bucket }));
  const png = fs.readFileSync(path.join(root, 'env', 'seed', 'logo.png'));
  const puts = [
    { Key: s.knownObjectKey, Body: s.knownObjectText, ContentType: 'text/plain' },
    { Key: 'images/logo.png', Body: png, ContentType: 'image/png' },
  ];
  for (let i = 1; puts.length < s.objects; i++) {
    puts.push({
      Key: `catalog/product-${String(i).padStart(3, '0')}.json`,
      Body: JSON.stringify({ sku: `sku-${i}` }),
      ContentType: 'application/json',
    });
  }
  for (const p of puts)
    await s3.send(new s3m.PutObjectCommand({ Bucket: s.bucket, ...p, Metadata: { seeded: 'true' } }));
  s3.destroy();
}
