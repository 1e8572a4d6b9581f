import type { AwsClients } from '../../aws/clients';
import { isTableMissing } from '../../aws/awsErrors';
import { describeTable, describeTimeToLive, iterateItems } from '../../aws/dynamodb';
import {
  batchPut,
  createTableAndWait,
  deleteTableAndWait,
  enableTimeToLive,
  listTableTags,
  putRequest,
  tagTable,
  type CreateTableInput,
  type TableDescription,
} from '../../aws/dynamodbAdmin';
import { describeError } from '../../errors';
import type { Logger } from '../../log';
import type { SnapshotWriter } from '../archive/snapshotWriter';
import type { SnapshotReader } from '../archive/snapshotReader';
import { awsPaths } from '../layout';
import type { DynamoTableSummary } from '../manifest';
import { throwIfAborted, type ProgressCallback } from '../progress';
import { dryRunResult, skippedExisting, type ExistingPolicy } from '../existingPolicy';
import type { ItemResult } from '../restoreResult';
import {
  canonicalDynamoItem,
  itemToDynamoJson,
  keyString,
  storedToItem,
  type DynamoJsonItem,
} from '../../aws/dynamoJson';

/** The SDK client type, named through core/aws (the only module that imports the SDK). */
type DynamoDBClient = AwsClients['dynamodb'];

/** What CreateTable needs to make the same table again, plus TTL and tags. */
export interface DynamoTableRecord {
  name: string;
  arn?: string;
  keySchema: NonNullable<TableDescription['KeySchema']>;
  attributeDefinitions: NonNullable<TableDescription['AttributeDefinitions']>;
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  provisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  globalSecondaryIndexes?: Array<{
    IndexName: string;
    KeySchema: unknown[];
    Projection: unknown;
    ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  }>;
  localSecondaryIndexes?: Array<{ IndexName: string; KeySchema: unknown[]; Projection: unknown }>;
  streamSpecification?: { StreamEnabled: boolean; StreamViewType?: string };
  ttl?: { attributeName: string; enabled: boolean };
  tags: Array<{ Key: string; Value: string }>;
}

interface Ctx {
  signal?: AbortSignal;
  progress: ProgressCallback;
  logger: Logger;
}

function throughput(p: { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined) {
  return p && p.ReadCapacityUnits && p.WriteCapacityUnits
    ? { ReadCapacityUnits: p.ReadCapacityUnits, WriteCapacityUnits: p.WriteCapacityUnits }
    : undefined;
}

export function tableRecordFrom(
  t: TableDescription,
  ttl: DynamoTableRecord['ttl'],
  tags: DynamoTableRecord['tags'],
): DynamoTableRecord {
  const billingMode = t.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED';
  return {
    name: t.TableName!,
    arn: t.TableArn,
    keySchema: t.KeySchema ?? [],
    attributeDefinitions: t.AttributeDefinitions ?? [],
    billingMode,
    provisionedThroughput:
      billingMode === 'PROVISIONED'
        ? (throughput(t.ProvisionedThroughput) ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 })
        : undefined,
    globalSecondaryIndexes: t.GlobalSecondaryIndexes?.map((g) => ({
      IndexName: g.IndexName!,
      KeySchema: g.KeySchema ?? [],
      Projection: g.Projection ?? { ProjectionType: 'ALL' },
      ...(billingMode === 'PROVISIONED'
        ? {
            ProvisionedThroughput: throughput(g.ProvisionedThroughput) ?? {
              ReadCapacityUnits: 5,
              WriteCapacityUnits: 5,
            },
          }
        : {}),
    })),
    localSecondaryIndexes: t.LocalSecondaryIndexes?.map((l) => ({
      IndexName: l.IndexName!,
      KeySchema: l.KeySchema ?? [],
      Projection: l.Projection ?? { ProjectionType: 'ALL' },
    })),
    streamSpecification: t.StreamSpecification?.StreamEnabled
      ? { StreamEnabled: true, StreamViewType: t.StreamSpecification.StreamViewType }
      : undefined,
    ttl,
    tags,
  };
}

/** Captures a table's definition, TTL setting, tags and every item (paginated Scan) as DynamoDB JSON lines. */
export async function captureDynamoTable(
  writer: SnapshotWriter,
  ddb: DynamoDBClient,
  name: string,
  ctx: Ctx,
): Promise<DynamoTableSummary> {
  const table = (await describeTable(ddb, name, ctx.signal)).description;
  const ttlDesc = await describeTimeToLive(ddb, name, ctx.signal);
  const ttl = ttlDesc.attributeName ? { attributeName: ttlDesc.attributeName, enabled: ttlDesc.enabled } : undefined;
  let tags: DynamoTableRecord['tags'] = [];
  if (table.TableArn) {
    try {
      tags = await listTableTags(ddb, table.TableArn, ctx.signal);
    } catch (error) {
      ctx.logger.warn(`DynamoDB ${name}: tags not readable (${describeError(error)}).`);
    }
  }
  const record = tableRecordFrom(table, ttl, tags);
  await writer.writeEntry(awsPaths.dynamoTable(name), JSON.stringify(record, null, 2));
  let items = 0;
  await writer.writeLines(awsPaths.dynamoItems(name), async (sink) => {
    // No Limit: DynamoDB's own 1 MB pages mean fewer round trips (and emulators re-walk the table per page).
    for await (const page of iterateItems(ddb, name, { pageSize: 0, consistent: true, signal: ctx.signal })) {
      throwIfAborted(ctx.signal);
      for (const item of page) {
        await sink.write(JSON.stringify(itemToDynamoJson(item)));
        items++;
      }
      ctx.progress({ phase: 'dynamodb', message: `${name}: ${items} items`, done: items });
    }
  });
  return { name, arn: table.TableArn, items };
}

export function createTableInput(record: DynamoTableRecord, targetName: string): CreateTableInput {
  return {
    TableName: targetName,
    KeySchema: record.keySchema,
    AttributeDefinitions: record.attributeDefinitions,
    BillingMode: record.billingMode,
    ProvisionedThroughput: record.provisionedThroughput,
    GlobalSecondaryIndexes: record.globalSecondaryIndexes?.length
      ? (record.globalSecondaryIndexes as CreateTableInput['GlobalSecondaryIndexes'])
      : undefined,
    LocalSecondaryIndexes: record.localSecondaryIndexes?.length
      ? (record.localSecondaryIndexes as CreateTableInput['LocalSecondaryIndexes'])
      : undefined,
    StreamSpecification: record.streamSpecification as CreateTableInput['StreamSpecification'],
    Tags: record.tags.length ? record.tags : undefined,
  };
}

async function tableExists(ddb: DynamoDBClient, name: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await describeTable(ddb, name, signal);
    return true;
  } catch (error) {
    if (isTableMissing(error)) return false;
    throw error;
  }
}

/** Restores one table under `targetName`: definition, TTL, tags, then every item (BatchWriteItem, retrying unprocessed ones). */
export async function restoreDynamoTable(
  reader: SnapshotReader,
  ddb: DynamoDBClient,
  record: DynamoTableRecord,
  targetName: string,
  opts: Ctx & { existing: ExistingPolicy; dryRun: boolean },
): Promise<ItemResult> {
  const id = `dynamodb:${targetName}`;
  const itemCount = reader.manifest.aws.dynamodb.find((t) => t.name === record.name)?.items ?? 0;
  try {
    const exists = await tableExists(ddb, targetName, opts.signal);
    if (opts.dryRun) {
      if (!exists) return dryRunResult('dynamodb', id, false, opts.existing, { count: itemCount });
      return dryRunResult('dynamodb', id, true, opts.existing, {
        changes: await diffTableItems(reader, ddb, record, targetName),
        count: itemCount,
      });
    }
    let outcome: ItemResult['outcome'] = 'created';
    if (exists) {
      if (opts.existing === 'skip') return skippedExisting('dynamodb', id);
      if (opts.existing === 'recreate') {
        await deleteTableAndWait(ddb, targetName, opts.signal);
        outcome = 'recreated';
      } else {
        outcome = 'updated';
      }
    }
    if (outcome !== 'updated') {
      await createTableAndWait(ddb, createTableInput(record, targetName), opts.signal);
    } else if (record.tags.length) {
      const arn = (await describeTable(ddb, targetName, opts.signal)).description.TableArn;
      if (arn) await tagTable(ddb, arn, record.tags, opts.signal);
    }
    // Asked only when the table's TTL is not on already (enabling it twice is an error whose only mark is its message).
    if (record.ttl?.enabled) {
      const live = await describeTimeToLive(ddb, targetName, opts.signal);
      if (!(live.enabled && live.attributeName === record.ttl.attributeName))
        await enableTimeToLive(ddb, targetName, record.ttl.attributeName, opts.signal);
    }
    const written = await writeAllItems(reader, ddb, record.name, targetName, opts);
    return { system: 'dynamodb', id, outcome, count: written };
  } catch (error) {
    return { system: 'dynamodb', id, outcome: 'failed', message: describeError(error) };
  }
}

async function writeAllItems(
  reader: SnapshotReader,
  ddb: DynamoDBClient,
  sourceName: string,
  targetName: string,
  ctx: Ctx,
): Promise<number> {
  let batch: ReturnType<typeof putRequest>[] = [];
  let written = 0;
  const flush = async () => {
    let pending = batch;
    batch = [];
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt > 8) throw new Error(`BatchWriteItem left ${pending.length} item(s) unprocessed after retries`);
      if (attempt) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      const left = await batchPut(ddb, targetName, pending, ctx.signal);
      written += pending.length - left.length;
      pending = left;
    }
    ctx.progress({ phase: 'dynamodb', message: `${targetName}: ${written} items written`, done: written });
  };
  for await (const line of reader.lines(awsPaths.dynamoItems(sourceName))) {
    throwIfAborted(ctx.signal);
    batch.push(putRequest(storedToItem(JSON.parse(line) as DynamoJsonItem)));
    if (batch.length === 25) await flush();
  }
  await flush();
  return written;
}

/** Keys added/removed/changed between the snapshot's items and the live table's (at most 100 listed). */
async function diffTableItems(
  reader: SnapshotReader,
  ddb: DynamoDBClient,
  record: DynamoTableRecord,
  targetName: string,
): Promise<string[]> {
  const keyNames = record.keySchema.map((k) => k.AttributeName!);
  const snapshot = new Map<string, string>();
  for await (const line of reader.lines(awsPaths.dynamoItems(record.name))) {
    const item = JSON.parse(line) as DynamoJsonItem;
    snapshot.set(keyString(item, keyNames), canonicalDynamoItem(item));
  }
  const changes: string[] = [];
  let liveCount = 0;
  for await (const page of iterateItems(ddb, targetName, { pageSize: 0 })) {
    for (const raw of page) {
      liveCount++;
      const item = itemToDynamoJson(raw);
      const key = keyString(item, keyNames);
      const snap = snapshot.get(key);
      if (snap === undefined) changes.push(`-${key}`);
      else if (snap !== canonicalDynamoItem(item)) changes.push(`~${key}`);
      snapshot.delete(key);
    }
  }
  for (const key of snapshot.keys()) changes.push(`+${key}`);
  return [
    `items: snapshot ${reader.manifest.aws.dynamodb.find((t) => t.name === record.name)?.items ?? '?'}, live ${liveCount}`,
    ...changes.slice(0, 100),
  ];
}
