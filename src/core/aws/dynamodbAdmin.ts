import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { Item } from './dynamoJson';

/**
 * Table-level DynamoDB operations for snapshots and restores (the browser's are in dynamodb.ts).
 * Thin: one SDK call (or waiter) each, errors passed through for the caller's typed guards (awsErrors.ts).
 */

export type { CreateTableCommandInput as CreateTableInput, TableDescription } from '@aws-sdk/client-dynamodb';

const WAIT_SECONDS = 120;

export async function listTableTags(
  dynamodb: DynamoDBClient,
  arn: string,
  signal?: AbortSignal,
): Promise<Array<{ Key: string; Value: string }>> {
  return (
    (await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }), { abortSignal: signal })).Tags ?? []
  ).map((t) => ({ Key: t.Key!, Value: t.Value ?? '' }));
}

export async function tagTable(
  dynamodb: DynamoDBClient,
  arn: string,
  tags: Array<{ Key: string; Value: string }>,
  signal?: AbortSignal,
): Promise<void> {
  await dynamodb.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags }), { abortSignal: signal });
}

/** Creates a table and waits until it is ACTIVE. */
export async function createTableAndWait(
  dynamodb: DynamoDBClient,
  input: CreateTableCommandInput,
  signal?: AbortSignal,
): Promise<void> {
  await dynamodb.send(new CreateTableCommand(input), { abortSignal: signal });
  await waitUntilTableExists(
    { client: dynamodb, maxWaitTime: WAIT_SECONDS, abortSignal: signal },
    { TableName: input.TableName },
  );
}

/** Deletes a table and waits until it is gone. */
export async function deleteTableAndWait(dynamodb: DynamoDBClient, table: string, signal?: AbortSignal): Promise<void> {
  await dynamodb.send(new DeleteTableCommand({ TableName: table }), { abortSignal: signal });
  await waitUntilTableNotExists(
    { client: dynamodb, maxWaitTime: WAIT_SECONDS, abortSignal: signal },
    { TableName: table },
  );
}

export async function enableTimeToLive(
  dynamodb: DynamoDBClient,
  table: string,
  attributeName: string,
  signal?: AbortSignal,
): Promise<void> {
  await dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: table,
      TimeToLiveSpecification: { AttributeName: attributeName, Enabled: true },
    }),
    { abortSignal: signal },
  );
}

/** Writes up to 25 items; returns the ones DynamoDB left unprocessed (to retry). */
export async function batchPut(
  dynamodb: DynamoDBClient,
  table: string,
  requests: WriteRequest[],
  signal?: AbortSignal,
): Promise<WriteRequest[]> {
  const res = await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }), {
    abortSignal: signal,
  });
  return res.UnprocessedItems?.[table] ?? [];
}

export function putRequest(item: Item): WriteRequest {
  return { PutRequest: { Item: item } };
}
