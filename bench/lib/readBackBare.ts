/**
 * Reads back every queue, table and bucket whose name starts with `prefix` with bare SDK calls, as a drill's data
 * check must at the least: every message received (10 per call, held) and released again, each table scanned with
 * the paginator, every object fetched (8 at a time) and its bytes consumed. Returns what it read.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { ListTablesCommand, paginateScan } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListBucketsCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../src/core/aws/clients';

async function receiveAllAndRelease(sqs: SQSClient, url: string): Promise<number> {
  const handles: string[] = [];
  for (let empty = 0; empty < 2;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 120,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const batch = res.Messages ?? [];
    if (!batch.length) empty++;
    handles.push(...batch.map((m) => m.ReceiptHandle!));
  }
  for (let i = 0; i < handles.length; i += 10)
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: handles.slice(i, i + 10).map((h, j) => ({ Id: String(j), ReceiptHandle: h, VisibilityTimeout: 0 })),
      }),
    );
  return handles.length;
}

export async function readBackBare(aws: AwsClients, prefix: string): Promise<string> {
  const [queues, tables, buckets] = await Promise.all([
    aws.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix })).then((r) => r.QueueUrls ?? []),
    aws.dynamodb.send(new ListTablesCommand({})).then((r) => (r.TableNames ?? []).filter((t) => t.startsWith(prefix))),
    aws.s3
      .send(new ListBucketsCommand({}))
      .then((r) => (r.Buckets ?? []).map((b) => b.Name!).filter((b) => b.startsWith(prefix))),
  ]);
  let messages = 0;
  let items = 0;
  let objects = 0;
  let bytes = 0;
  await Promise.all([
    ...queues.map(async (url) => void (messages += await receiveAllAndRelease(aws.sqs, url))),
    ...tables.map(async (table) => {
      for await (const page of paginateScan({ client: aws.dynamodb }, { TableName: table, ConsistentRead: true }))
        items += page.Items?.length ?? 0;
    }),
    ...buckets.map(async (bucket) => {
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2({ client: aws.s3 }, { Bucket: bucket }))
        keys.push(...(page.Contents ?? []).map((c) => c.Key!));
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < keys.length) {
            const key = keys[next++]!;
            const res = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
            bytes += (await res.Body!.transformToByteArray()).length;
            objects++;
          }
        }),
      );
    }),
  ]);
  return `${queues.length} queue(s) ${messages} message(s), ${tables.length} table(s) ${items} item(s), ${buckets.length} bucket(s) ${objects} object(s) ${bytes} bytes`;
}
