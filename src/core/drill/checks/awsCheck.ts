import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AwsClients } from '../../aws/clients';
import { describeTable, describeTimeToLive, scanAllParallel } from '../../aws/dynamodb';
import { bucketExists, getBucketVersioning, getObjectStream } from '../../aws/s3';
import { getQueueAttributeMap } from '../../aws/sqs';
import { receiveEverything, releaseMessages } from '../../aws/sqsReceive';
import { DrydockError, describeError } from '../../errors';
import { awsPaths } from '../../snapshot/layout';
import { canonicalDynamoItem, itemToDynamoJson, type DynamoJsonItem } from '../../aws/dynamoJson';
import type {
  DynamoTableRecord,
  S3BucketRecord,
  S3ObjectRecord,
  SqsMessageRecord,
  SqsQueueRecord,
} from '../../snapshot';
import { forEachLimited } from '../../snapshot/concurrency';
import { throwIfAborted } from '../../snapshot/progress';
import { emptyOutcome, mergeOutcome, type CheckOutcome, type DrillTarget } from '../drillTarget';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A digest of a multiset of strings: equal whatever the order. */
export function multisetDigest(values: readonly string[]): string {
  return sha256(
    [...values]
      .map((v) => sha256(v))
      .sort()
      .join('\n'),
  );
}

const SQS_COMPARED = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'FifoQueue',
  'ContentBasedDeduplication',
];

function dlqNameOf(redrivePolicy: string | undefined): string | undefined {
  if (!redrivePolicy) return undefined;
  try {
    const arn = (JSON.parse(redrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
    return arn?.slice(arn.lastIndexOf(':') + 1);
  } catch {
    return undefined;
  }
}

/** How many queues, tables and buckets are checked at once, and how many objects of one bucket are read at once. */
const RESOURCES_AT_ONCE = 4;
const OBJECTS_AT_ONCE = 8;
/** A table is read back as a parallel scan of this many segments (the comparison is order-free). */
const SCAN_SEGMENTS = 4;

/**
 * Queues, tables and buckets of the recovery point: present under their drill names, same settings, same data.
 * Resources are checked concurrently; the outcome lists them in the recovery point's order whatever finishes first.
 */
export async function checkAws(t: DrillTarget): Promise<CheckOutcome> {
  const out = emptyOutcome();
  if (!t.aws) return out;
  const aws = t.aws;
  const m = t.reader.manifest;
  const queues = m.aws.sqs.map((x) => x.name);
  const tasks: Array<(into: CheckOutcome) => Promise<void>> = [
    ...m.aws.sqs.map((q) => async (into: CheckOutcome) => {
      const record = await t.reader.readJson<SqsQueueRecord>(awsPaths.sqsQueue(q.name));
      await one(into, 'sqs', q.name, t.renamed.queues[q.name] ?? q.name, () =>
        checkQueue(t, aws, record, q.messages, queues),
      );
    }),
    ...m.aws.dynamodb.map((tb) => async (into: CheckOutcome) => {
      const record = await t.reader.readJson<DynamoTableRecord>(awsPaths.dynamoTable(tb.name));
      await one(into, 'dynamodb', tb.name, t.renamed.tables[tb.name] ?? tb.name, () =>
        checkTable(t, aws, record, tb.items),
      );
    }),
    ...m.aws.s3.map((b) => async (into: CheckOutcome) => {
      const record = await t.reader.readJson<S3BucketRecord>(awsPaths.s3Bucket(b.name));
      await one(into, 's3', b.name, t.renamed.buckets[b.name] ?? b.name, () => checkBucket(t, aws, record, b.objects));
    }),
  ];
  const outcomes = tasks.map(emptyOutcome);
  await forEachLimited(tasks, RESOURCES_AT_ONCE, async (task, i) => {
    throwIfAborted(t.signal);
    await task(outcomes[i]!);
  });
  for (const o of outcomes) mergeOutcome(out, o);
  return out;
}

/** Problems found with one resource: `unresolved` ones are references that point outside the drill. */
interface Findings {
  mismatches: string[];
  unresolved: string[];
  summary: string;
}

async function one(
  out: CheckOutcome,
  service: 'sqs' | 'dynamodb' | 's3',
  source: string,
  target: string,
  run: () => Promise<Findings>,
): Promise<void> {
  const what = { sqs: 'queue', dynamodb: 'table', s3: 'bucket' }[service];
  const subject = `${service}:${source}`;
  let f: Findings;
  try {
    f = await run();
  } catch (error) {
    const message = `${what} ${target} cannot be checked: ${describeError(error)}`;
    out.checks.push({
      category: 'aws',
      name: `${what} ${source} restored as ${target} with its settings and data`,
      passed: false,
      detail: message,
    });
    out.gaps.push({ kind: 'aws-mismatch', subject, message });
    return;
  }
  const passed = f.mismatches.length === 0 && f.unresolved.length === 0;
  out.checks.push({
    category: 'aws',
    name: `${what} ${source} restored as ${target} with its settings and data`,
    passed,
    detail: passed ? f.summary : [...f.unresolved, ...f.mismatches].join('; '),
  });
  for (const mm of f.mismatches) out.gaps.push({ kind: 'aws-mismatch', subject, message: mm });
  for (const u of f.unresolved) out.gaps.push({ kind: 'unresolved-reference', subject, message: u });
}

async function checkQueue(
  t: DrillTarget,
  aws: AwsClients,
  record: SqsQueueRecord,
  recorded: number,
  queuesInPoint: readonly string[],
): Promise<Findings> {
  const target = t.renamed.queues[record.name] ?? record.name;
  const f: Findings = { mismatches: [], unresolved: [], summary: '' };
  const dlq = dlqNameOf(record.attributes.RedrivePolicy);
  if (dlq && !queuesInPoint.includes(dlq)) {
    f.unresolved.push(
      `its dead-letter queue ${dlq} is not in the recovery point: the drill copy's redrive policy still names the original ${dlq}, or nothing`,
    );
  }
  // The restore report gave the copy's URL: no look-up by name.
  const url = t.queueUrls[record.name];
  if (!url) {
    f.mismatches.push(`queue ${target} was not restored (no URL in the restore report)`);
    return f;
  }
  const attrs: Record<string, string | undefined> = await getQueueAttributeMap(aws.sqs, url, ['All'], t.signal);
  for (const k of SQS_COMPARED) {
    if (record.attributes[k] !== undefined && attrs[k] !== record.attributes[k])
      f.mismatches.push(`${k} is ${attrs[k] ?? 'unset'}, recorded ${record.attributes[k]}`);
  }
  if (dlq && queuesInPoint.includes(dlq)) {
    const want = t.renamed.queues[dlq] ?? dlq;
    const got = dlqNameOf(attrs.RedrivePolicy);
    if (got !== want)
      f.mismatches.push(`redrive policy names ${got ?? 'no dead-letter queue'}, expected the drill's ${want}`);
  }
  const handles: string[] = [];
  let bodies: string[];
  try {
    bodies = (
      await receiveEverything(aws.sqs, url, {
        holdSeconds: 120,
        signal: t.signal,
        onHandles: (h) => handles.push(...h),
      })
    ).map((m) => m.body);
  } finally {
    await releaseMessages(aws.sqs, url, handles).catch((error: unknown) =>
      t.logger.warn(`Drill queue ${target}: could not make messages visible again: ${describeError(error)}`),
    );
  }
  const expected: string[] = [];
  for await (const line of t.reader.lines(awsPaths.sqsMessages(record.name)))
    expected.push((JSON.parse(line) as SqsMessageRecord).body);
  if (bodies.length !== recorded) f.mismatches.push(`holds ${bodies.length} message(s), recorded ${recorded}`);
  else if (multisetDigest(bodies) !== multisetDigest(expected))
    f.mismatches.push(`message bodies differ from the recovery point (checksum of ${bodies.length} bodies)`);
  f.summary = `${bodies.length} message(s), bodies checksum equal, settings equal`;
  return f;
}

async function checkTable(
  t: DrillTarget,
  aws: AwsClients,
  record: DynamoTableRecord,
  recorded: number,
): Promise<Findings> {
  const target = t.renamed.tables[record.name] ?? record.name;
  const f: Findings = { mismatches: [], unresolved: [], summary: '' };
  let table;
  try {
    table = (await describeTable(aws.dynamodb, target, t.signal)).description;
  } catch (error) {
    f.mismatches.push(`table ${target} does not exist (${describeError(error)})`);
    return f;
  }
  const keys = (k: Array<{ AttributeName?: string; KeyType?: string }> | undefined) =>
    JSON.stringify((k ?? []).map((x) => `${x.AttributeName}:${x.KeyType}`));
  if (keys(table?.KeySchema) !== keys(record.keySchema))
    f.mismatches.push(`key schema ${keys(table?.KeySchema)}, recorded ${keys(record.keySchema)}`);
  const billing = table?.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  if (billing !== record.billingMode) f.mismatches.push(`billing mode ${billing}, recorded ${record.billingMode}`);
  const gsi = (list: Array<{ IndexName?: string }> | undefined) =>
    (list ?? [])
      .map((g) => g.IndexName)
      .sort()
      .join(',');
  if (gsi(table?.GlobalSecondaryIndexes) !== gsi(record.globalSecondaryIndexes))
    f.mismatches.push(
      `global secondary indexes [${gsi(table?.GlobalSecondaryIndexes)}], recorded [${gsi(record.globalSecondaryIndexes)}]`,
    );
  if (record.ttl?.enabled) {
    const ttl = await describeTimeToLive(aws.dynamodb, target, t.signal);
    if (ttl.attributeName !== record.ttl.attributeName || !ttl.enabled)
      f.mismatches.push(
        `TTL ${ttl.status ?? 'off'} on ${ttl.attributeName ?? '-'}, recorded enabled on ${record.ttl.attributeName}`,
      );
  }
  const live: string[] = [];
  await scanAllParallel(
    aws.dynamodb,
    target,
    SCAN_SEGMENTS,
    (page) => {
      for (const item of page) live.push(canonicalDynamoItem(itemToDynamoJson(item)));
    },
    { signal: t.signal, consistent: true },
  );
  const expected: string[] = [];
  for await (const line of t.reader.lines(awsPaths.dynamoItems(record.name)))
    expected.push(canonicalDynamoItem(JSON.parse(line) as DynamoJsonItem));
  if (live.length !== recorded)
    f.mismatches.push(
      `holds ${live.length} item(s), recorded ${recorded} (${recorded - live.length > 0 ? `${recorded - live.length} missing` : `${live.length - recorded} extra`})`,
    );
  else if (multisetDigest(live) !== multisetDigest(expected))
    f.mismatches.push(`item contents differ from the recovery point (checksum of ${live.length} items)`);
  f.summary = `${live.length} item(s), checksum equal, key schema, billing and indexes equal`;
  return f;
}

async function checkBucket(
  t: DrillTarget,
  aws: AwsClients,
  record: S3BucketRecord,
  recorded: number,
): Promise<Findings> {
  const target = t.renamed.buckets[record.name] ?? record.name;
  const f: Findings = { mismatches: [], unresolved: [], summary: '' };
  if (!(await bucketExists(aws.s3, target, t.signal))) {
    f.mismatches.push(`bucket ${target} does not exist`);
    return f;
  }
  if (record.versioning) {
    const v = await getBucketVersioning(aws.s3, target, t.signal);
    if (v !== record.versioning) f.mismatches.push(`versioning ${v ?? 'off'}, recorded ${record.versioning}`);
  }
  let checked = 0;
  const bad: string[] = [];
  const compare = async (o: S3ObjectRecord, want: string): Promise<void> => {
    try {
      const res = await getObjectStream(aws.s3, target, o.key, t.signal);
      const got = await digestStream(res.body);
      if (got !== want) bad.push(`${o.key}: checksum differs`);
      else if ((res.contentType ?? undefined) !== (o.contentType ?? undefined))
        bad.push(`${o.key}: content type ${res.contentType}, recorded ${o.contentType}`);
    } catch (error) {
      bad.push(`${o.key}: ${DrydockError.is(error, 'not-found') ? 'missing' : describeError(error)}`);
    }
  };
  // The recovery point is read in order (one pass over an archive); the emulator's copies are read a window at a
  // time as the listing streams by, so memory stays flat whatever the bucket's size.
  const inFlight = new Set<Promise<void>>();
  try {
    for await (const line of t.reader.lines(awsPaths.s3Objects(record.name))) {
      throwIfAborted(t.signal);
      checked++;
      const o = JSON.parse(line) as S3ObjectRecord;
      const want = await digestStream(t.reader.stream(awsPaths.s3ObjectData(record.name, o.index)));
      const p: Promise<void> = compare(o, want).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= OBJECTS_AT_ONCE) await Promise.race(inFlight);
    }
  } finally {
    await Promise.all(inFlight); // compare() never rejects: nothing is left running when this returns or throws
  }
  throwIfAborted(t.signal);
  if (checked !== recorded) f.mismatches.push(`the recovery point lists ${checked} object(s) but recorded ${recorded}`);
  bad.sort();
  if (bad.length) f.mismatches.push(`${bad.length} of ${checked} object(s) differ: ${bad.slice(0, 5).join('; ')}`);
  f.summary = `${checked} object(s), every checksum and content type equal`;
  return f;
}

async function digestStream(stream: Readable): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of stream) h.update(chunk as Buffer);
  return h.digest('hex');
}
