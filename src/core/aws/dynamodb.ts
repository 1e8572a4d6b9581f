import {
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  paginateListTables,
  type AttributeValue,
  type DynamoDBClient,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { DrydockError } from '../errors';
import { isAwsError, isTableMissing } from './awsErrors';
import { numberProblem, type Item } from './dynamoJson';

export type KeyType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  name: string;
  type: KeyType;
  role: 'HASH' | 'RANGE';
}

export interface TableIndex {
  name: string;
  kind: 'GSI' | 'LSI';
  key: KeyAttribute[];
  projection: string;
}

export interface TableSummary {
  name: string;
  arn?: string;
  status?: string;
  /** Partition key first, then sort key. */
  key: KeyAttribute[];
  indexes: TableIndex[];
  itemCount?: number;
  sizeBytes?: number;
  billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  /** The description as DynamoDB returned it, for snapshots. */
  description: TableDescription;
}

/** Every table name (SDK paginator). */
export async function listTableNames(dynamodb: DynamoDBClient, signal?: AbortSignal): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListTables({ client: dynamodb, pageSize: 100 }, {})) {
    signal?.throwIfAborted();
    names.push(...(page.TableNames ?? []));
  }
  return names.sort();
}

function keysOf(schema: KeySchemaElement[] | undefined, types: Map<string, KeyType>): KeyAttribute[] {
  return [...(schema ?? [])]
    .sort((a, b) => (a.KeyType === 'HASH' ? -1 : b.KeyType === 'HASH' ? 1 : 0))
    .map((k) => ({
      name: k.AttributeName!,
      type: types.get(k.AttributeName!) ?? 'S',
      role: k.KeyType === 'RANGE' ? 'RANGE' : 'HASH',
    }));
}

export function summariseTable(t: TableDescription): TableSummary {
  const types = new Map<string, KeyType>(
    (t.AttributeDefinitions ?? []).map((d) => [d.AttributeName!, d.AttributeType as KeyType]),
  );
  const indexes: TableIndex[] = [
    ...(t.GlobalSecondaryIndexes ?? []).map((i) => ({
      name: i.IndexName!,
      kind: 'GSI' as const,
      key: keysOf(i.KeySchema, types),
      projection: i.Projection?.ProjectionType ?? 'ALL',
    })),
    ...(t.LocalSecondaryIndexes ?? []).map((i) => ({
      name: i.IndexName!,
      kind: 'LSI' as const,
      key: keysOf(i.KeySchema, types),
      projection: i.Projection?.ProjectionType ?? 'ALL',
    })),
  ];
  return {
    name: t.TableName!,
    arn: t.TableArn,
    status: t.TableStatus,
    key: keysOf(t.KeySchema, types),
    indexes,
    itemCount: t.ItemCount,
    sizeBytes: t.TableSizeBytes,
    billingMode:
      t.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST'
        ? 'PAY_PER_REQUEST'
        : t.ProvisionedThroughput?.ReadCapacityUnits
          ? 'PROVISIONED'
          : 'PAY_PER_REQUEST',
    description: t,
  };
}

export async function describeTable(
  dynamodb: DynamoDBClient,
  name: string,
  signal?: AbortSignal,
): Promise<TableSummary> {
  const res = await dynamodb.send(new DescribeTableCommand({ TableName: name }), { abortSignal: signal });
  if (!res.Table) throw new DrydockError('not-found', `Table ${name} was not found.`);
  return summariseTable(res.Table);
}

/** All tables, described. */
export async function listTables(dynamodb: DynamoDBClient, signal?: AbortSignal): Promise<TableSummary[]> {
  const names = await listTableNames(dynamodb, signal);
  return Promise.all(names.map((n) => describeTable(dynamodb, n, signal)));
}

export interface ItemPage {
  items: Item[];
  /** Where the next page starts; undefined at the end. */
  lastEvaluatedKey?: Item;
  scannedCount: number;
}

export interface PageRequest {
  table: string;
  indexName?: string;
  /** Items per page; undefined: DynamoDB's own 1 MB pages. */
  limit?: number;
  exclusiveStartKey?: Item;
  /** Strongly consistent reads (tables only). */
  consistent?: boolean;
  /** One segment of a parallel scan: `segment` of `totalSegments`. */
  segment?: { index: number; of: number };
}

export async function scanPage(dynamodb: DynamoDBClient, req: PageRequest, signal?: AbortSignal): Promise<ItemPage> {
  const res = await dynamodb.send(
    new ScanCommand({
      TableName: req.table,
      IndexName: req.indexName,
      Limit: req.limit,
      ExclusiveStartKey: req.exclusiveStartKey,
      ConsistentRead: req.consistent || undefined,
      Segment: req.segment?.index,
      TotalSegments: req.segment?.of,
    }),
    { abortSignal: signal },
  );
  return { items: res.Items ?? [], lastEvaluatedKey: res.LastEvaluatedKey, scannedCount: res.ScannedCount ?? 0 };
}

export type SortOperator = '=' | '<' | '<=' | '>' | '>=' | 'begins_with' | 'between';

/** A key condition as a person types it: values as text, typed by the key's declared type. */
export interface KeyCondition {
  partitionValue: string;
  sort?: { operator: SortOperator; value: string; value2?: string };
  /** Newest first when the sort key is a date, for example. */
  descending?: boolean;
}

function typedValue(type: KeyType, text: string, what: string): AttributeValue {
  if (type === 'N') {
    const p = numberProblem(text);
    if (p) throw new DrydockError('invalid-input', `${what}: ${p}`);
    return { N: text.trim() };
  }
  if (type === 'B') return { B: Buffer.from(text, 'base64') };
  return { S: text };
}

/** The expression parts of a key condition against a table or index key. */
export function buildKeyCondition(key: readonly KeyAttribute[], cond: KeyCondition) {
  const pk = key.find((k) => k.role === 'HASH');
  if (!pk) throw new DrydockError('invalid-input', 'This table or index has no partition key.');
  if (cond.partitionValue === '')
    throw new DrydockError('invalid-input', `A query needs a value for the partition key "${pk.name}".`);
  const names: Record<string, string> = { '#pk': pk.name };
  const values: Record<string, AttributeValue> = { ':pk': typedValue(pk.type, cond.partitionValue, pk.name) };
  let expression = '#pk = :pk';
  if (cond.sort) {
    const sk = key.find((k) => k.role === 'RANGE');
    if (!sk) throw new DrydockError('invalid-input', 'This table or index has no sort key to compare with.');
    names['#sk'] = sk.name;
    values[':sk'] = typedValue(sk.type, cond.sort.value, sk.name);
    if (cond.sort.operator === 'begins_with') {
      if (sk.type === 'N')
        throw new DrydockError(
          'invalid-input',
          `begins_with needs a string or binary sort key; "${sk.name}" is a number.`,
        );
      expression += ' AND begins_with(#sk, :sk)';
    } else if (cond.sort.operator === 'between') {
      if (cond.sort.value2 === undefined) throw new DrydockError('invalid-input', 'between needs two values.');
      values[':sk2'] = typedValue(sk.type, cond.sort.value2, sk.name);
      expression += ' AND #sk BETWEEN :sk AND :sk2';
    } else {
      expression += ` AND #sk ${cond.sort.operator} :sk`;
    }
  }
  return { KeyConditionExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

export async function queryPage(
  dynamodb: DynamoDBClient,
  req: PageRequest,
  key: readonly KeyAttribute[],
  cond: KeyCondition,
  signal?: AbortSignal,
): Promise<ItemPage> {
  const res = await dynamodb.send(
    new QueryCommand({
      TableName: req.table,
      IndexName: req.indexName,
      Limit: req.limit,
      ExclusiveStartKey: req.exclusiveStartKey,
      ScanIndexForward: !cond.descending,
      ...buildKeyCondition(key, cond),
    }),
    { abortSignal: signal },
  );
  return { items: res.Items ?? [], lastEvaluatedKey: res.LastEvaluatedKey, scannedCount: res.ScannedCount ?? 0 };
}

/** Every item of a table, page by page (for export and snapshots). */
export async function* iterateItems(
  dynamodb: DynamoDBClient,
  table: string,
  options: { pageSize?: number; signal?: AbortSignal; consistent?: boolean } = {},
): AsyncGenerator<Item[]> {
  let start: Item | undefined;
  do {
    options.signal?.throwIfAborted();
    // pageSize 0: DynamoDB's own 1 MB pages (fewer round trips for a whole-table read).
    const limit = options.pageSize === 0 ? undefined : (options.pageSize ?? 500);
    const page = await scanPage(
      dynamodb,
      { table, limit, exclusiveStartKey: start, consistent: options.consistent },
      options.signal,
    );
    if (page.items.length) yield page.items;
    start = page.lastEvaluatedKey;
  } while (start);
}

/**
 * Every item of a table, read as a parallel scan of `segments` segments in DynamoDB's own 1 MB pages: pages reach
 * `onPage` in no particular order. For a whole-table comparison, where the round trips' wait dominates.
 */
export async function scanAllParallel(
  dynamodb: DynamoDBClient,
  table: string,
  segments: number,
  onPage: (items: Item[]) => void,
  options: { signal?: AbortSignal; consistent?: boolean } = {},
): Promise<void> {
  const of = Math.max(1, Math.floor(segments));
  await Promise.all(
    Array.from({ length: of }, async (_, index) => {
      let start: Item | undefined;
      do {
        options.signal?.throwIfAborted();
        const page = await scanPage(
          dynamodb,
          { table, exclusiveStartKey: start, consistent: options.consistent, segment: { index, of } },
          options.signal,
        );
        onPage(page.items);
        start = page.lastEvaluatedKey;
      } while (start);
    }),
  );
}

/**
 * Writes an item. `mustBeNew` refuses to overwrite an existing item with the same key
 * (for "new item"); `replacingKey` is the key the edited item had, so a changed key is a create
 * followed by deleting the old item.
 */
export async function putItem(
  dynamodb: DynamoDBClient,
  table: string,
  item: Item,
  options: { mustBeNew?: boolean; keyNames?: readonly string[]; signal?: AbortSignal } = {},
): Promise<void> {
  const names = options.keyNames ?? [];
  try {
    await dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: item,
        ...(options.mustBeNew && names.length
          ? {
              ConditionExpression: names.map((_, i) => `attribute_not_exists(#k${i})`).join(' AND '),
              ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#k${i}`, n])),
            }
          : {}),
      }),
      { abortSignal: options.signal },
    );
  } catch (error) {
    if (isAwsError(error, 'ConditionalCheckFailedException')) {
      throw new DrydockError(
        'conflict',
        'An item with this key already exists. Edit that item instead, or change the key.',
        { cause: error },
      );
    }
    throw error;
  }
}

export async function deleteItem(
  dynamodb: DynamoDBClient,
  table: string,
  key: Item,
  signal?: AbortSignal,
): Promise<void> {
  await dynamodb.send(new DeleteItemCommand({ TableName: table, Key: key }), { abortSignal: signal });
}

/** A table's time-to-live setting: the attribute and whether it is on (ENABLED or ENABLING). */
export async function describeTimeToLive(
  dynamodb: DynamoDBClient,
  table: string,
  signal?: AbortSignal,
): Promise<{ attributeName?: string; status?: string; enabled: boolean }> {
  const d = (await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: table }), { abortSignal: signal }))
    .TimeToLiveDescription;
  return {
    attributeName: d?.AttributeName,
    status: d?.TimeToLiveStatus,
    enabled: d?.TimeToLiveStatus === 'ENABLED' || d?.TimeToLiveStatus === 'ENABLING',
  };
}

/** One item by its key (strongly consistent); undefined when there is none. */
export async function getItem(
  dynamodb: DynamoDBClient,
  table: string,
  key: Item,
  signal?: AbortSignal,
): Promise<Item | undefined> {
  return (
    await dynamodb.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }), {
      abortSignal: signal,
    })
  ).Item;
}

/** Deletes a table; false when it was not there. */
export async function deleteTable(dynamodb: DynamoDBClient, table: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await dynamodb.send(new DeleteTableCommand({ TableName: table }), { abortSignal: signal });
    return true;
  } catch (error) {
    if (isTableMissing(error)) return false;
    throw error;
  }
}
