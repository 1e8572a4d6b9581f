// The big queue and table the explorer benchmark browses, made with the SDK against the local emulator.
import {
  CreateTableCommand,
  DeleteTableCommand,
  BatchWriteItemCommand,
  DescribeTableCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../src/core/aws/clients';

/** Runs `count` tasks with at most `limit` in flight. */
export async function inParallel(count: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

export function messageBody(i: number): string {
  return JSON.stringify({
    orderId: `order-${String(i).padStart(6, '0')}`,
    customer: `customer-${i % 977}`,
    total: Math.round((i % 5000) * 1.37 * 100) / 100,
    items: [{ sku: `sku-${i % 500}`, qty: 1 + (i % 4) }],
    note: 'bench message',
  });
}

/** A standard queue with `count` messages (SendMessageBatch of 10, `parallel` in flight). Returns its URL. */
export async function createQueueWithMessages(
  aws: AwsClients,
  name: string,
  count: number,
  parallel = 16,
  onProgress?: (sent: number) => void,
): Promise<string> {
  if (!name.startsWith('bench-')) throw new Error(`refusing to fill queue ${name}: not a bench queue`);
  const { QueueUrl } = await aws.sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: { MessageRetentionPeriod: '3600' } }),
  );
  const url = QueueUrl!;
  let sent = 0;
  await inParallel(Math.ceil(count / 10), parallel, async (b) => {
    const entries = [];
    for (let i = b * 10; i < Math.min(count, b * 10 + 10); i++) {
      entries.push({
        Id: String(i - b * 10),
        MessageBody: messageBody(i),
        MessageAttributes: { source: { DataType: 'String', StringValue: 'bench' } },
      });
    }
    const res = await aws.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
    if (res.Failed?.length)
      throw new Error(`SendMessageBatch to ${name}: ${res.Failed.length} failed (${res.Failed[0]!.Message})`);
    sent += entries.length;
    if (onProgress && sent % 1000 < entries.length) onProgress(sent);
  });
  return url;
}

export async function queueVisibleCount(aws: AwsClients, url: string): Promise<number> {
  const res = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(res.Attributes?.ApproximateNumberOfMessages ?? 0);
}

export async function deleteQueue(aws: AwsClients, url: string): Promise<void> {
  if (!/\/bench-[^/]+$/.test(url)) throw new Error(`refusing to delete queue ${url}: not a bench queue`);
  await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
}

function item(i: number): Record<string, unknown> {
  return {
    id: { S: `item-${String(i).padStart(6, '0')}` },
    name: { S: `Bench item ${i}` },
    category: { S: `category-${i % 37}` },
    price: { N: String((i % 10_000) / 100) },
    stock: { N: String(i % 250) },
    active: { BOOL: i % 3 !== 0 },
    tags: { SS: [`t${i % 7}`, `t${(i % 11) + 7}`] },
    dimensions: { M: { w: { N: String(i % 40) }, h: { N: String(i % 25) } } },
  };
}

/** A table keyed by `id` (S) with `count` items (BatchWriteItem of 25, `parallel` in flight, unprocessed items retried). */
export async function createTableWithItems(
  aws: AwsClients,
  name: string,
  count: number,
  parallel = 16,
  onProgress?: (written: number) => void,
): Promise<void> {
  if (!name.startsWith('bench-')) throw new Error(`refusing to fill table ${name}: not a bench table`);
  await aws.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < 100; i++) {
    const d = await aws.dynamodb.send(new DescribeTableCommand({ TableName: name }));
    if (d.Table?.TableStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  let written = 0;
  await inParallel(Math.ceil(count / 25), parallel, async (b) => {
    let requests: WriteRequest[] = [];
    for (let i = b * 25; i < Math.min(count, b * 25 + 25); i++)
      requests.push({ PutRequest: { Item: item(i) as never } });
    for (let attempt = 0; requests.length; attempt++) {
      if (attempt > 10) throw new Error(`BatchWriteItem to ${name}: ${requests.length} items still unprocessed`);
      const res = await aws.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [name]: requests } }));
      requests = res.UnprocessedItems?.[name] ?? [];
      if (requests.length) await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
    written += Math.min(25, count - b * 25);
    if (onProgress && written % 10_000 < 25) onProgress(written);
  });
}

export async function deleteTable(aws: AwsClients, name: string): Promise<void> {
  if (!name.startsWith('bench-')) throw new Error(`refusing to delete table ${name}: not a bench table`);
  await aws.dynamodb.send(new DeleteTableCommand({ TableName: name }));
}
