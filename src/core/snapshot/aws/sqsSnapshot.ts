import type { AwsClients } from '../../aws/clients';
import { getQueueAttributeMap, getQueueUrl } from '../../aws/sqs';
import {
  createQueue,
  deleteQueue,
  listQueueTags,
  makeVisibleAgain,
  receiveForCapture,
  resetQueue,
  sendBatch,
} from '../../aws/sqsAdmin';
import { DrydockError, describeError } from '../../errors';
import type { Logger } from '../../log';
import type { SnapshotWriter } from '../archive/snapshotWriter';
import type { SnapshotReader } from '../archive/snapshotReader';
import { awsPaths } from '../layout';
import type { SqsQueueSummary } from '../manifest';
import { throwIfAborted, type ProgressCallback } from '../progress';
import { dryRunResult, skippedExisting, type ExistingPolicy } from '../existingPolicy';
import type { ItemResult } from '../restoreResult';
import { capturePeekedMessages } from './sqsPeekCapture';
import { toSendAttributes, toSqsMessageRecord } from './sqsRecords';
import { captureFifoByDrain } from './sqsFifoDrain';

/** The SDK client type, named through core/aws (the only module that imports the SDK). */
type SQSClient = AwsClients['sqs'];

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
 * A FIFO queue that receiving alone cannot capture completely (it hides the rest of a group while one message is
 * in flight): nothing was written. The user may consent to draining and re-sending it in order (`fifoDrain`).
 */
export class FifoCaptureIncomplete extends DrydockError {
  constructor(
    readonly queue: string,
    message: string,
  ) {
    super('failed', message);
  }

  static isIncomplete(value: unknown): value is FifoCaptureIncomplete {
    return value instanceof FifoCaptureIncomplete;
  }
}

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
  const url = await getQueueUrl(sqs, name, ctx.signal);
  if (!url) throw new DrydockError('not-found', `SQS queue ${name} does not exist.`);
  const attributes = await getQueueAttributeMap(sqs, url, ['All'], ctx.signal);
  const tags = await listQueueTags(sqs, url, ctx.signal);
  const record: SqsQueueRecord = { name, url, attributes, tags };
  await writer.writeEntry(awsPaths.sqsQueue(name), JSON.stringify(record, null, 2));
  if (options.peekEndpoint) return capturePeekedMessages(writer, options.peekEndpoint, record, ctx);

  if (ctx.fifoDrain && attributes.FifoQueue === 'true') return captureFifoByDrain(writer, sqs, record, ctx);
  const expected = Number(attributes.ApproximateNumberOfMessages ?? 0);
  const inFlight = Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
  const delayed = Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0);
  if (inFlight > 0)
    ctx.logger.warn(`SQS ${name}: ${inFlight} message(s) are in flight with a consumer and cannot be captured now.`);
  if (delayed > 0) ctx.logger.warn(`SQS ${name}: ${delayed} message(s) are delayed and cannot be captured yet.`);

  const handles: string[] = [];
  const seen = new Set<string>();
  let captureError: { error: unknown } | undefined;
  try {
    await writer.writeLines(awsPaths.sqsMessages(name), async (sink) => {
      let empty = 0;
      while (empty < 2) {
        throwIfAborted(ctx.signal);
        const messages = await receiveForCapture(sqs, url, CAPTURE_VISIBILITY_SECONDS, ctx.signal);
        if (messages.length === 0) {
          empty++;
          continue;
        }
        empty = 0;
        for (const m of messages) {
          if (m.ReceiptHandle) handles.push(m.ReceiptHandle);
          if (!m.MessageId || seen.has(m.MessageId)) continue;
          seen.add(m.MessageId);
          await sink.write(JSON.stringify(toSqsMessageRecord(m)));
        }
        ctx.progress({ phase: 'sqs', message: `${name}: ${seen.size} messages`, done: seen.size, total: expected });
      }
    });
    if (seen.size < expected) {
      const message = `SQS ${name}: captured ${seen.size} of ${expected} messages (a FIFO queue returns no more messages of a group while some are in flight). The snapshot would be incomplete, so it was not written. Consent to draining and re-sending it in order (--fifo-drain) to capture it completely.`;
      throw attributes.FifoQueue === 'true'
        ? new FifoCaptureIncomplete(name, message)
        : new DrydockError('failed', message);
    }
  } catch (error) {
    captureError = { error };
  } finally {
    await releaseMessages(sqs, url, handles, ctx.logger).catch((error) => {
      captureError ??= { error };
    });
  }
  if (captureError) throw captureError.error;
  return { name, url, arn: attributes.QueueArn, messages: seen.size };
}

/** Makes every received message visible again, 10 at a time; throws if any could not be released. */
async function releaseMessages(sqs: SQSClient, url: string, handles: readonly string[], logger: Logger): Promise<void> {
  const failed: string[] = [];
  for (let i = 0; i < handles.length; i += 10) {
    const batch = handles.slice(i, i + 10);
    try {
      failed.push(...(await makeVisibleAgain(sqs, url, batch)));
    } catch (error) {
      failed.push(describeError(error));
    }
  }
  if (failed.length) {
    logger.error(
      `SQS ${url}: ${failed.length} message(s) could not be made visible again; they return after ${CAPTURE_VISIBILITY_SECONDS} s. ${failed[0]}`,
    );
    throw new DrydockError(
      'failed',
      `Could not make ${failed.length} captured message(s) of ${url} visible again: ${failed[0]}`,
    );
  }
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
  for (const k of SETTABLE) if (record.attributes[k] !== undefined) attributes[k] = opts.rewrite(record.attributes[k]);
  const fifo = record.attributes.FifoQueue === 'true';
  try {
    const existingUrl = await getQueueUrl(sqs, targetName, opts.signal);
    if (opts.dryRun) {
      if (!existingUrl) return dryRunResult('sqs', id, false, opts.existing, { count: messageCount });
      const live = await getQueueAttributeMap(sqs, existingUrl, ['ApproximateNumberOfMessages'], opts.signal);
      return dryRunResult('sqs', id, true, opts.existing, {
        changes: [`messages: snapshot ${messageCount}, live ${live.ApproximateNumberOfMessages ?? '?'}`],
        count: messageCount,
      });
    }
    let outcome: ItemResult['outcome'] = 'created';
    let url = existingUrl;
    if (existingUrl && opts.existing === 'skip') return { ...skippedExisting('sqs', id), url: existingUrl };
    if (existingUrl && opts.existing === 'recreate') {
      await deleteQueue(sqs, existingUrl, opts.signal);
      url = undefined;
      outcome = 'recreated';
    }
    if (!url) {
      url = await createQueue(sqs, targetName, attributes, record.tags, opts.signal);
    } else {
      outcome = 'updated';
      await resetQueue(sqs, url, attributes, record.tags, opts.signal);
    }
    const sent = await sendAll(reader, sqs, record.name, url, fifo, opts);
    return { system: 'sqs', id, outcome, count: sent, url };
  } catch (error) {
    return { system: 'sqs', id, outcome: 'failed', message: describeError(error) };
  }
}

async function sendAll(
  reader: SnapshotReader,
  sqs: SQSClient,
  sourceName: string,
  url: string,
  fifo: boolean,
  ctx: Ctx,
): Promise<number> {
  let batch: SqsMessageRecord[] = [];
  let sent = 0;
  const flush = async () => {
    if (!batch.length) return;
    const refused = await sendBatch(
      sqs,
      url,
      batch.map((m, i) => ({
        Id: String(i),
        MessageBody: m.body,
        MessageAttributes: toSendAttributes(m.messageAttributes),
        ...(fifo
          ? { MessageGroupId: m.attributes.MessageGroupId, MessageDeduplicationId: m.attributes.MessageDeduplicationId }
          : { DelaySeconds: 0 }),
      })),
      ctx.signal,
    );
    if (refused.length)
      throw new DrydockError('failed', `SendMessageBatch refused ${refused.length} message(s): ${refused[0]}`);
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
