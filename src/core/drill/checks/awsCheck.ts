import { createHash } from 'node:crypto';
import { ChangeMessageVisibilityBatchCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DescribeTableCommand, DescribeTimeToLiveCommand, paginateScan } from '@aws-sdk/client-dynamodb';
import { GetBucketVersioningCommand, GetObjectCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { AwsClients } from '../../aws/clients';
import { describeError } from '../../errors';
import { awsPaths } from '../../snapshot/layout';
import { canonicalDynamoItem, itemToDynamoJson, type DynamoJsonItem } from '../../aws/dynamoJson';
import type { SqsMessageRecord, SqsQueueRecord } from '../../snapshot/aws/sqsSnapshot';
import type { DynamoTableRecord } from '../../snapshot/aws/dynamodbSnapshot';
import type { S3BucketRecord, S3ObjectRecord } from '../../snapshot/aws/s3Snapshot';
import { throwIfAborted } from '../../snapshot/progress';
import type { CheckOutcome, DrillTarget } from '../drillTarget';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A digest of a multiset of strings: equal whatever the order. */
export function multisetDigest(values: readonly string[]): string {
  return sha256([...values].map((v) => sha256(v)).sort().join('\n'));
}

const SQS_COMPARED = ['DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds', 'VisibilityTimeout', 'FifoQueue', 'ContentBasedDeduplication'];

function dlqNameOf(redrivePolicy: string | undefined): string | undefined {
  if (!redrivePolicy) return undefined;
  try {
    const arn = (JSON.parse(redrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
    return arn?.slice(arn.lastIndexOf(':') + 1);
  } catch {
    return undefined;
  }
}

/** Queues, tables and buckets of the recovery point: present under their drill names, same settings, same data. */
export async function checkAws(t: DrillTarget): Promise<CheckOutcome> {
  const out: CheckOutcome = { checks: [], gaps: [] };
  if (!t.aws) return out;
  const m = t.reader.manifest;
  for (const q of m.aws.sqs) {
    throwIfAborted(t.signal);
    const record = await t.reader.readJson<SqsQueueRecord>(awsPaths.sqsQueue(q.name));
    await one(out, 'sqs', q.name, t.renamed.queues[q.name] ?? q.name, () => checkQueue(t, t.aws!, record, q.messages, m.aws.sqs.map((x) => x.name)));
  }
  for (const tb of m.aws.dynamodb) {
    throwIfAborted(t.signal);
    const record = await t.reader.readJson<DynamoTableRecord>(awsPaths.dynamoTable(tb.name));
    await one(out, 'dynamodb', tb.name, t.renamed.tables[tb.name] ?? tb.name, () => checkTable(t, t.aws!, record, tb.items));
  }
  for (const b of m.aws.s3) {
    throwIfAborted(t.signal);
    const record = await t.reader.readJson<S3BucketRecord>(awsPaths.s3Bucket(b.name));
    await one(out, 's3', b.name, t.renamed.buckets[b.name] ?? b.name, () => checkBucket(t, t.aws!, record, b.objects));
  }
  return out;
}

/** Problems found with one resource: `unresolved` ones are references that point outside the drill. */
interface Findings {
  mismatches: string[];
  unresolved: string[];
  summary: string;
}

async function one(out: CheckOutcome, service: 'sqs' | 'dynamodb' | 's3', source: string, target: string, run: () => Promise<Findings>): Promise<void> {
  const what = { sqs: 'queue', dynamodb: 'table', s3: 'bucket' }[service];
  const subject = `${service}:${source}`;
  let f: Findings;
  try {
    f = await run();
  } catch (error) {
    const message = `${what} ${target} cannot be checked: ${describeError(error)}`;
    out.checks.push({ category: 'aws', name: `${what} ${source} restored as ${target} with its settings and data`, passed: false, detail: message });
    out.gaps.push({ kind: 'aws-mismatch', subject, message });
    return;
  }
  const passed = f.mismatches.length === 0 && f.unresolved.length === 0;
  out.checks.push({ category: 'aws', name: `${what} ${source} restored as ${target} with its settings and data`, passed, detail: passed ? f.summary : [...f.unresolved, ...f.mismatches].join('; ') });
  for (const mm of f.mismatches) out.gaps.push({ kind: 'aws-mismatch', subject, message: mm });
  for (const u of f.unresolved) out.gaps.push({ kind: 'unresolved-reference', subject, message: u });
}

async function checkQueue(t: DrillTarget, aws: AwsClients, record: SqsQueueRecord, recorded: number, queuesInPoint: readonly string[]): Promise<Findings> {
  const target = t.renamed.queues[record.name] ?? record.name;
  const f: Findings = { mismatches: [], unresolved: [], summary: '' };
  const dlq = dlqNameOf(record.attributes.RedrivePolicy);
  if (dlq && !queuesInPoint.includes(dlq)) {
    f.unresolved.push(`its dead-letter queue ${dlq} is not in the recovery point: the drill copy's redrive policy still names the original ${dlq}, or nothing`);
  }
  let url: string | undefined;
  try {
    url = (await aws.sqs.send(new GetQueueUrlCommand({ QueueName: target }), { abortSignal: t.signal })).QueueUrl;
  } catch (error) {
    f.mismatches.push(`queue ${target} does not exist (${describeError(error)})`);
    return f;
  }
  const attrs: Record<string, string | undefined> = (await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};
  for (const k of SQS_COMPARED) {
    if (record.attributes[k] !== undefined && attrs[k] !== record.attributes[k]) f.mismatches.push(`${k} is ${attrs[k] ?? 'unset'}, recorded ${record.attributes[k]}`);
  }
  if (dlq && queuesInPoint.includes(dlq)) {
    const want = t.renamed.queues[dlq] ?? dlq;
    const got = dlqNameOf(attrs.RedrivePolicy);
    if (got !== want) f.mismatches.push(`redrive policy names ${got ?? 'no dead-letter queue'}, expected the drill's ${want}`);
  }
  const bodies: string[] = [];
  const handles: string[] = [];
  try {
    for (let empty = 0; empty < 2; ) {
      const res = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 120, WaitTimeSeconds: 0 }), { abortSignal: t.signal });
      const msgs = res.Messages ?? [];
      if (msgs.length === 0) empty++;
      for (const msg of msgs) {
        bodies.push(msg.Body ?? '');
        if (msg.ReceiptHandle) handles.push(msg.ReceiptHandle);
      }
    }
  } finally {
    for (let i = 0; i < handles.length; i += 10) {
      await aws.sqs
        .send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: handles.slice(i, i + 10).map((h, j) => ({ Id: String(j), ReceiptHandle: h, VisibilityTimeout: 0 })) }))
        .catch((error: unknown) => t.logger.warn(`Drill queue ${target}: could not make messages visible again: ${describeError(error)}`));
    }
  }
  const expected: string[] = [];
  for await (const line of t.reader.lines(awsPaths.sqsMessages(record.name))) expected.push((JSON.parse(line) as SqsMessageRecord).body);
  if (bodies.length !== recorded) f.mismatches.push(`holds ${bodies.length} message(s), recorded ${recorded}`);
  else if (multisetDigest(bodies) !== multisetDigest(expected)) f.mismatches.push(`message bodies differ from the recovery point (checksum of ${bodies.length} bodies)`);
  f.summary = `${bodies.length} message(s), bodies checksum equal, settings equal`;
  return f;
}

async function checkTable(t: DrillTarget, aws: AwsClients, record: DynamoTableRecord, recorded: number): Promise<Findings> {
  const target = t.renamed.tables[record.name] ?? record.name;
  const f: Findings = { mismatches: [], unresolved: [], summary: '' };
  let table;
  try {
    table = (await aws.dynamodb.send(new DescribeTableCommand({ TableName: target }), { abortSignal: t.signal })).Table;
  } catch (error) {
    f.mismatches.push(`table ${target} does not exist (${describeError(error)})`);
    return f;
  }
  const keys = (k: Array<{ AttributeName?: string; KeyType?: string }> | undefined) => JSON.stringify((k ?? []).map((x) => `${x.AttributeName}:${x.KeyType}`));
  if (keys(table?.KeySchema) !== keys(record.keySchema)) f.mismatches.push(`key schema ${keys(table?.KeySchema)}, recorded ${keys(record.keySchema)}`);
  const billing = table?.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  if (billing !== record.billingMode) f.mismatches.push(`billing mode ${billing}, recorded ${record.billingMode}`);
  const gsi = (list: Array<{ IndexName?: string }> | undefined) => (list ?? []).map((g) => g.IndexName).sort().join(',');
  if (gsi(table?.GlobalSecondaryIndexes) !== gsi(record.globalSecondaryIndexes)) f.mismatches.push(`global secondary indexes [${gsi(table?.GlobalSecondaryIndexes)}], recorded [${gsi(record.globalSecondaryIndexes)}]`);
  if (record.ttl?.enabled) {
    const ttl = (await aws.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: target }))).TimeToLiveDescription;
    if (ttl?.AttributeName !== record.ttl.attributeName || !/ENABL/.test(ttl?.TimeToLiveStatus ?? '')) f.mismatches.push(`TTL ${ttl?.TimeToLiveStatus ?? 'off'} on ${ttl?.AttributeName ?? '-'}, recorded enabled on ${record.ttl.attributeName}`);
  }
  const live: string[] = [];
  for await (const page of paginateScan({ client: aws.dynamodb }, { TableName: target, ConsistentRead: true })) {
    throwIfAborted(t.signal);
    for (const item of page.Items ?? []) live.push(canonicalDynamoItem(itemToDynamoJson(item)));
  }
  const expected: string[] = [];
  for await (const line of t.reader.lines(awsPaths.dynamoItems(record.name))) expected.push(canonicalDynamoItem(JSON.parse(line) as DynamoJsonItem));
  if (live.length !== recorded) f.mismatches.push(`holds ${live.length} item(s), recorded ${recorded} (${recorded - live.length > 0 ? `${recorded - live.length} missing` : `${live.length - recorded} extra`})`);
  else if (multisetDigest(live) !== multisetDigest(expected)) f.mismatches.push(`item contents differ from the recovery point (checksum of ${live.length} items)`);
  f.summary = `${live.length} item(s), checksum equal, key schema, billing and indexes equal`;
  return f;
}

async function checkBucket(t: DrillTarget, aws: AwsClients, record: S3BucketRecord, recorded: number): Promise<Findings> {
  const target = t.renamed.buckets[record.name] ?? record.name;
  const f: Findings = { mismatches: [], unresolved: [], summary: '' };
  try {
    await aws.s3.send(new HeadBucketCommand({ Bucket: target }), { abortSignal: t.signal });
  } catch (error) {
    f.mismatches.push(`bucket ${target} does not exist (${describeError(error)})`);
    return f;
  }
  if (record.versioning) {
    const v = (await aws.s3.send(new GetBucketVersioningCommand({ Bucket: target }))).Status;
    if (v !== record.versioning) f.mismatches.push(`versioning ${v ?? 'off'}, recorded ${record.versioning}`);
  }
  let checked = 0;
  const bad: string[] = [];
  for await (const line of t.reader.lines(awsPaths.s3Objects(record.name))) {
    throwIfAborted(t.signal);
    const o = JSON.parse(line) as S3ObjectRecord;
    checked++;
    const want = await digestStream(t.reader.stream(awsPaths.s3ObjectData(record.name, o.index)));
    try {
      const res = await aws.s3.send(new GetObjectCommand({ Bucket: target, Key: o.key }), { abortSignal: t.signal });
      const got = await digestStream(res.Body as Readable);
      if (got !== want) bad.push(`${o.key}: checksum differs`);
      else if ((res.ContentType ?? undefined) !== (o.contentType ?? undefined)) bad.push(`${o.key}: content type ${res.ContentType}, recorded ${o.contentType}`);
    } catch (error) {
      bad.push(`${o.key}: ${/NoSuchKey|not exist/i.test(describeError(error)) ? 'missing' : describeError(error)}`);
    }
  }
  if (checked !== recorded) f.mismatches.push(`the recovery point lists ${checked} object(s) but recorded ${recorded}`);
  if (bad.length) f.mismatches.push(`${bad.length} of ${checked} object(s) differ: ${bad.slice(0, 5).join('; ')}`);
  f.summary = `${checked} object(s), every checksum and content type equal`;
  return f;
}

async function digestStream(stream: Readable): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of stream) h.update(chunk as Buffer);
  return h.digest('hex');
}
