import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DrydockError, describeError } from '../../errors';
import type { Logger } from '../../log';
import type { SnapshotWriter } from '../archive/snapshotWriter';
import type { SnapshotReader } from '../archive/snapshotReader';
import { awsPaths } from '../layout';
import type { SqsQueueSummary } from '../manifest';
import { throwIfAborted, type ProgressCallback } from '../progress';
import type { ExistingPolicy, ItemResult } from '../restoreResult';
import { capturePeekedMessages } from './sqsPeekCapture';
import { captureFifoByDrain } from './sqsFifoDrain';

export interface SqsQueueRecord {
  name: string;
  url: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
}

/** One captured message: everything SendMessage can give back, plus what it was. */
export interface SqsMessageRecord {
  messageId: string;
  body: string;
  md5OfBody?: string;
  /** System attributes at capture (SentTimestamp, MessageGroupId, MessageDeduplicationId, …). */
  attributes: Record<string, string>;
  messageAttributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
}

interface Ctx {
  signal?: AbortSignal;
  progress: ProgressCallback;
  logger: Logger;
  /** The user consented to draining and re-sending FIFO queues (the only complete capture without a peek). */
  fifoDrain?: boolean;
}

/** Receive lock while capturing: long enough that no message comes back before we reset it. */
const CAPTURE_VISIBILITY_SECONDS = 900;

/**
 * Captures a queue's attributes, tags and every visible message. Messages are received with a
 * visibility timeout, and made visible again (ChangeMessageVisibility 0) whether capture completes or
 * fails, so none is lost or left invisible. Each receive raises a message's receive count.
 */
export async function captureSqsQueue(
  writer: SnapshotWriter,
  sqs: SQSClient,
  name: string,
  ctx: Ctx,
  /** An emulator with a side-effect-free listing (LocalStack's peek at this URL): captured through it, with no receive. */
  options: { peekEndpoint?: string } = {},
): Promise<SqsQueueSummary> {
  const { QueueUrl: url } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }), { abortSignal: ctx.signal });
  if (!url) throw new DrydockError('not-found', `SQS queue ${name} has no URL.`);
  const { Attributes: attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  const { Tags: tags = {} } = await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
  const record: SqsQueueRecord = { name, url, attributes, tags };
  await writer.writeEntry(awsPaths.sqsQueue(name), JSON.stringify(record, null, 2));
  if (options.peekEndpoint) return capturePeekedMessages(writer, options.peekEndpoint, record, ctx);

  if (ctx.fifoDrain && attributes.FifoQueue === 'true') return captureFifoByDrain(writer, sqs, record, ctx);
  const expected = Number(attributes.ApproximateNumberOfMessages ?? 0);
  const inFlight = Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
  const delayed = Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0);
  if (inFlight > 0) ctx.logger.warn(`SQS ${name}: ${inFlight} message(s) are in flight with a consumer and cannot be captured now.`);
  if (delayed > 0) ctx.logger.warn(`SQS ${name}: ${delayed} message(s) are delayed and cannot be captured yet.`);

  const handles: string[] = [];
  const seen = new Set<string>();
  let captureError: unknown;
  try {
    await writer.writeLines(awsPaths.sqsMessages(name), async (sink) => {
      let empty = 0;
      while (empty < 2) {
        throwIfAborted(ctx.signal);
        const res = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: CAPTURE_VISIBILITY_SECONDS,
            WaitTimeSeconds: 0,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: ctx.signal },
        );
        const messages = res.Messages ?? [];
        if (messages.length === 0) {
          empty++;
          continue;
        }
        empty = 0;
        for (const m of messages) {
          if (m.ReceiptHandle) handles.push(m.ReceiptHandle);
          if (!m.MessageId || seen.has(m.MessageId)) continue;
          seen.add(m.MessageId);
          await sink.write(JSON.stringify(toRecord(m)));
        }
        ctx.progress({ phase: 'sqs', message: `${name}: ${seen.size} messages`, done: seen.size, total: expected });
      }
    });
    if (seen.size < expected) {
      throw new DrydockError(
        'failed',
        `SQS ${name}: captured ${seen.size} of ${expected} messages (a FIFO queue returns no more messages of a group while some are in flight). The snapshot would be incomplete, so it was not written. Consent to draining and re-sending it in order (--fifo-drain) to capture it completely.`,
      );
    }
  } catch (error) {
    captureError = error;
  } finally {
    await releaseMessages(sqs, url, handles, ctx.logger).catch((error) => {
      captureError ??= error;
    });
  }
  if (captureError) throw captureError;
  return { name, url, arn: attributes.QueueArn, messages: seen.size };
}

/** Makes every received message visible again, 10 at a time; throws if any could not be released. */
async function releaseMessages(sqs: SQSClient, url: string, handles: readonly string[], logger: Logger): Promise<void> {
  const failed: string[] = [];
  for (let i = 0; i < handles.length; i += 10) {
    const batch = handles.slice(i, i + 10);
    try {
      const res = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: batch.map((h, j) => ({ Id: String(j), ReceiptHandle: h, VisibilityTimeout: 0 })) }),
      );
      for (const f of res.Failed ?? []) failed.push(`${f.Code}: ${f.Message}`);
    } catch (error) {
      failed.push(describeError(error));
    }
  }
  if (failed.length) {
    logger.error(`SQS ${url}: ${failed.length} message(s) could not be made visible again; they return after ${CAPTURE_VISIBILITY_SECONDS} s. ${failed[0]}`);
    throw new DrydockError('failed', `Could not make ${failed.length} captured message(s) of ${url} visible again: ${failed[0]}`);
  }
}

function toRecord(m: Message): SqsMessageRecord {
  const messageAttributes: SqsMessageRecord['messageAttributes'] = {};
  for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) {
    messageAttributes[k] = {
      DataType: v.DataType ?? 'String',
      ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}),
      ...(v.BinaryValue !== undefined ? { BinaryValue: Buffer.from(v.BinaryValue).toString('base64') } : {}),
    };
  }
  return { messageId: m.MessageId!, body: m.Body ?? '', md5OfBody: m.MD5OfBody, attributes: { ...(m.Attributes ?? {}) }, messageAttributes };
}

/** Attributes CreateQueue/SetQueueAttributes accept; the rest (ARN, counts, timestamps) belong to the queue. */
const SETTABLE = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'Policy',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
];

export interface SqsRestoreItem {
  record: SqsQueueRecord;
  targetName: string;
}

/** Restores one queue under `targetName`: attributes (references rewritten), tags, then every message. */
export async function restoreSqsQueue(
  reader: SnapshotReader,
  sqs: SQSClient,
  item: SqsRestoreItem,
  opts: Ctx & { existing: ExistingPolicy; dryRun: boolean; rewrite: (s: string) => string },
): Promise<ItemResult & { url?: string }> {
  const { record, targetName } = item;
  const id = `sqs:${targetName}`;
  const messageCount = reader.manifest.aws.sqs.find((q) => q.name === record.name)?.messages ?? 0;
  const attributes: Record<string, string> = {};
  for (const k of SETTABLE) if (record.attributes[k] !== undefined) attributes[k] = opts.rewrite(record.attributes[k]!);
  const fifo = record.attributes.FifoQueue === 'true';
  try {
    let existingUrl: string | undefined;
    try {
      existingUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: targetName }))).QueueUrl;
    } catch (error) {
      if ((error as { name?: string }).name !== 'QueueDoesNotExist' && !/NonExistentQueue|does not exist/i.test(describeError(error))) throw error;
    }
    if (opts.dryRun) {
      if (!existingUrl) return { system: 'sqs', id, outcome: 'created', message: 'would be created', count: messageCount };
      const live = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: existingUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes ?? {};
      const changes = [`messages: snapshot ${messageCount}, live ${live.ApproximateNumberOfMessages ?? '?'}`];
      return { system: 'sqs', id, outcome: opts.existing === 'skip' ? 'skipped' : opts.existing === 'update' ? 'updated' : 'recreated', message: `exists; would be ${opts.existing === 'skip' ? 'skipped' : opts.existing === 'update' ? 'updated' : 'recreated'}`, changes, count: messageCount };
    }
    let outcome: ItemResult['outcome'] = 'created';
    let url = existingUrl;
    if (existingUrl && opts.existing === 'skip') return { system: 'sqs', id, outcome: 'skipped', message: 'already exists (existing policy: skip)', url: existingUrl };
    if (existingUrl && opts.existing === 'recreate') {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: existingUrl }));
      url = undefined;
      outcome = 'recreated';
    }
    if (!url) {
      url = (await sqs.send(new CreateQueueCommand({ QueueName: targetName, Attributes: attributes, tags: record.tags }))).QueueUrl!;
    } else {
      outcome = 'updated';
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
      if (Object.keys(record.tags).length) await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: record.tags }));
      await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    }
    const sent = await sendAll(reader, sqs, record.name, url, fifo, opts);
    return { system: 'sqs', id, outcome, count: sent, url };
  } catch (error) {
    return { system: 'sqs', id, outcome: 'failed', message: describeError(error) };
  }
}

async function sendAll(reader: SnapshotReader, sqs: SQSClient, sourceName: string, url: string, fifo: boolean, ctx: Ctx): Promise<number> {
  let batch: SqsMessageRecord[] = [];
  let sent = 0;
  const flush = async () => {
    if (!batch.length) return;
    const res = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: batch.map((m, i) => ({
          Id: String(i),
          MessageBody: m.body,
          MessageAttributes: Object.keys(m.messageAttributes).length ? toSendAttributes(m.messageAttributes) : undefined,
          ...(fifo
            ? { MessageGroupId: m.attributes.MessageGroupId, MessageDeduplicationId: m.attributes.MessageDeduplicationId }
            : { DelaySeconds: 0 }),
        })),
      }),
    );
    if (res.Failed?.length) throw new DrydockError('failed', `SendMessageBatch refused ${res.Failed.length} message(s): ${res.Failed[0]!.Code} ${res.Failed[0]!.Message ?? ''}`);
    sent += batch.length;
    batch = [];
    ctx.progress({ phase: 'sqs', message: `${url}: ${sent} messages sent`, done: sent });
  };
  for await (const line of reader.lines(awsPaths.sqsMessages(sourceName))) {
    throwIfAborted(ctx.signal);
    batch.push(JSON.parse(line) as SqsMessageRecord);
    if (batch.length === 10) await flush();
  }
  await flush();
  return sent;
}

function toSendAttributes(attrs: SqsMessageRecord['messageAttributes']): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [k, v] of Object.entries(attrs)) {
    out[k] = { DataType: v.DataType, StringValue: v.StringValue, BinaryValue: v.BinaryValue !== undefined ? new Uint8Array(Buffer.from(v.BinaryValue, 'base64')) : undefined };
  }
  return out;
}
