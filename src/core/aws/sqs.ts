import {
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  SendMessageCommand,
  paginateListQueues,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DrydockError } from '../errors';
import { isQueueMissing } from './awsErrors';

/** A queue and the attributes the explorer and browser show. Counts are SQS's approximations. */
export interface QueueSummary {
  url: string;
  name: string;
  arn?: string;
  fifo: boolean;
  visible: number;
  inFlight: number;
  delayed: number;
  visibilityTimeoutSeconds?: number;
  retentionSeconds?: number;
  delaySeconds?: number;
  /** This queue's redrive policy: where its failed messages go. */
  redrive?: { deadLetterTargetArn: string; maxReceiveCount: number };
  /** The dead-letter queue's URL when it is among the listed queues. */
  deadLetterTargetUrl?: string;
  /** Queues whose redrive policy targets this one (this is their dead-letter queue). */
  deadLetterSourceUrls: string[];
  /** All attributes as SQS returned them, for snapshots. */
  attributes: Record<string, string>;
}

/** A message as the browser shows it; `receiptHandle` only when it was received (not peeked). */
export interface QueueMessage {
  messageId: string;
  body: string;
  md5OfBody?: string;
  receiptHandle?: string;
  /** System attributes: SentTimestamp, ApproximateReceiveCount, MessageGroupId, … */
  attributes: Record<string, string>;
  messageAttributes: Record<string, MessageAttribute>;
  /** From the LocalStack peek: whether the message is visible / delayed right now. */
  visible?: boolean;
  delayed?: boolean;
}

export interface MessageAttribute {
  dataType: string;
  stringValue?: string;
  /** base64 of a Binary attribute. */
  binaryBase64?: string;
}

/** What to send. */
export interface OutgoingMessage {
  body: string;
  messageAttributes?: Record<string, MessageAttribute>;
  delaySeconds?: number;
  groupId?: string;
  deduplicationId?: string;
}

export function queueNameFromUrl(url: string): string {
  return decodeURIComponent(url.replace(/\/+$/, '').split('/').pop() ?? url);
}

const num = (v: string | undefined): number | undefined =>
  v === undefined || v === '' || isNaN(Number(v)) ? undefined : Number(v);

/** Parses a RedrivePolicy attribute; undefined when absent or not understood. */
export function parseRedrivePolicy(text: string | undefined): QueueSummary['redrive'] {
  if (!text) return undefined;
  try {
    const p = JSON.parse(text) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    if (typeof p.deadLetterTargetArn !== 'string') return undefined;
    return { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: Number(p.maxReceiveCount ?? 0) };
  } catch {
    return undefined;
  }
}

/** Every queue URL, following NextToken (SDK paginator). */
export async function listQueueUrls(sqs: SQSClient, signal?: AbortSignal, queueNamePrefix?: string): Promise<string[]> {
  const urls: string[] = [];
  for await (const page of paginateListQueues({ client: sqs, pageSize: 1000 }, { QueueNamePrefix: queueNamePrefix })) {
    signal?.throwIfAborted();
    urls.push(...(page.QueueUrls ?? []));
  }
  return urls.sort((a, b) => queueNameFromUrl(a).localeCompare(queueNameFromUrl(b)));
}

/** One queue's attributes; relations to other queues are filled in by `listQueues`. */
export async function getQueue(sqs: SQSClient, url: string, signal?: AbortSignal): Promise<QueueSummary> {
  const res = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }), {
    abortSignal: signal,
  });
  const a = res.Attributes ?? {};
  return {
    url,
    name: queueNameFromUrl(url),
    arn: a.QueueArn,
    fifo: a.FifoQueue === 'true' || url.endsWith('.fifo'),
    visible: num(a.ApproximateNumberOfMessages) ?? 0,
    inFlight: num(a.ApproximateNumberOfMessagesNotVisible) ?? 0,
    delayed: num(a.ApproximateNumberOfMessagesDelayed) ?? 0,
    visibilityTimeoutSeconds: num(a.VisibilityTimeout),
    retentionSeconds: num(a.MessageRetentionPeriod),
    delaySeconds: num(a.DelaySeconds),
    redrive: parseRedrivePolicy(a.RedrivePolicy),
    deadLetterSourceUrls: [],
    attributes: { ...a },
  };
}

/** Links dead-letter relations both ways between queues of one listing. */
export function linkDeadLetterRelations(queues: QueueSummary[]): QueueSummary[] {
  const byArn = new Map(queues.filter((q) => q.arn).map((q) => [q.arn!, q]));
  for (const q of queues) q.deadLetterSourceUrls = [];
  for (const q of queues) {
    const target = q.redrive && byArn.get(q.redrive.deadLetterTargetArn);
    q.deadLetterTargetUrl = target?.url;
    if (target) target.deadLetterSourceUrls.push(q.url);
  }
  return queues;
}

/** All queues with their attributes and dead-letter relations. A queue that vanished meanwhile is left out. */
export async function listQueues(sqs: SQSClient, signal?: AbortSignal): Promise<QueueSummary[]> {
  const urls = await listQueueUrls(sqs, signal);
  const results = await Promise.all(
    urls.map((url) =>
      getQueue(sqs, url, signal).catch((error: unknown) => {
        if (isQueueMissing(error)) return undefined;
        throw error;
      }),
    ),
  );
  return linkDeadLetterRelations(results.filter((q): q is QueueSummary => q !== undefined));
}

/** Converts the SDK's message to ours (binary attributes as base64). */
export function toQueueMessage(m: Message): QueueMessage {
  const messageAttributes: Record<string, MessageAttribute> = {};
  for (const [name, v] of Object.entries(m.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: v.DataType ?? 'String',
      stringValue: v.StringValue,
      binaryBase64: v.BinaryValue ? Buffer.from(v.BinaryValue).toString('base64') : undefined,
    };
  }
  return {
    messageId: m.MessageId ?? '',
    body: m.Body ?? '',
    md5OfBody: m.MD5OfBody,
    receiptHandle: m.ReceiptHandle,
    attributes: { ...(m.Attributes ?? {}) },
    messageAttributes,
  };
}

export function toSdkMessageAttributes(
  attrs: Record<string, MessageAttribute> | undefined,
): Record<string, MessageAttributeValue> | undefined {
  if (!attrs || Object.keys(attrs).length === 0) return undefined;
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, a] of Object.entries(attrs)) {
    out[name] = a.dataType.startsWith('Binary')
      ? { DataType: a.dataType, BinaryValue: Buffer.from(a.binaryBase64 ?? '', 'base64') }
      : { DataType: a.dataType, StringValue: a.stringValue ?? '' };
  }
  return out;
}

/** Checks a message before sending; returns one problem per field, empty when fine. */
export function validateOutgoingMessage(m: OutgoingMessage, fifo: boolean): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (m.body.length === 0) problems.push({ field: 'body', message: 'The body must not be empty.' });
  if (Buffer.byteLength(m.body, 'utf8') > 262_144)
    problems.push({ field: 'body', message: 'The body is larger than 256 KiB.' });
  if (
    m.delaySeconds !== undefined &&
    (!Number.isInteger(m.delaySeconds) || m.delaySeconds < 0 || m.delaySeconds > 900)
  ) {
    problems.push({ field: 'delaySeconds', message: 'Delay must be a whole number of seconds from 0 to 900.' });
  }
  if (fifo && !m.groupId) problems.push({ field: 'groupId', message: 'A FIFO queue needs a message group id.' });
  if (fifo && m.delaySeconds)
    problems.push({ field: 'delaySeconds', message: 'FIFO queues do not take a per-message delay.' });
  if (!fifo && m.groupId) problems.push({ field: 'groupId', message: 'Only FIFO queues take a message group id.' });
  for (const [name, a] of Object.entries(m.messageAttributes ?? {})) {
    if (
      !/^[A-Za-z0-9_.-]{1,256}$/.test(name) ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      /^(aws|amazon)\./i.test(name)
    ) {
      problems.push({
        field: `messageAttributes.${name}`,
        message: `"${name}" is not a valid attribute name (A–Z, a–z, 0–9, _ - .; not starting with AWS. or Amazon.).`,
      });
    }
    if (!/^(String|Number|Binary)(\..+)?$/.test(a.dataType)) {
      problems.push({
        field: `messageAttributes.${name}`,
        message: `Type "${a.dataType}" must be String, Number or Binary (optionally with a .suffix).`,
      });
    } else if (
      a.dataType.startsWith('Number') &&
      (a.stringValue === undefined || a.stringValue.trim() === '' || isNaN(Number(a.stringValue)))
    ) {
      problems.push({
        field: `messageAttributes.${name}`,
        message: `"${name}" is a Number attribute but its value is not a number.`,
      });
    }
  }
  return problems;
}

/** Sends one message; returns its id. */
export async function sendMessage(
  sqs: SQSClient,
  queueUrl: string,
  m: OutgoingMessage,
  signal?: AbortSignal,
): Promise<string> {
  const res = await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: m.body,
      MessageAttributes: toSdkMessageAttributes(m.messageAttributes),
      DelaySeconds: m.delaySeconds || undefined,
      MessageGroupId: m.groupId || undefined,
      MessageDeduplicationId: m.deduplicationId || undefined,
    }),
    { abortSignal: signal },
  );
  if (!res.MessageId) throw new DrydockError('failed', 'The endpoint accepted the message but returned no message id.');
  return res.MessageId;
}

export async function deleteMessage(
  sqs: SQSClient,
  queueUrl: string,
  receiptHandle: string,
  signal?: AbortSignal,
): Promise<void> {
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }), {
    abortSignal: signal,
  });
}

export async function purgeQueue(sqs: SQSClient, queueUrl: string, signal?: AbortSignal): Promise<void> {
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }), { abortSignal: signal });
}

/** A queue's URL by name; undefined when there is no such queue. */
export async function getQueueUrl(sqs: SQSClient, name: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }), { abortSignal: signal })).QueueUrl;
  } catch (error) {
    if (isQueueMissing(error)) return undefined;
    throw error;
  }
}

/** Some (or `All`) attributes of a queue, as SQS returns them. */
export async function getQueueAttributeMap(
  sqs: SQSClient,
  url: string,
  names: readonly string[] = ['All'],
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  const res = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...names] as never }), {
    abortSignal: signal,
  });
  return { ...(res.Attributes ?? {}) };
}

/** Deletes a queue by name; false when it was not there. */
export async function deleteQueueNamed(sqs: SQSClient, name: string, signal?: AbortSignal): Promise<boolean> {
  const url = await getQueueUrl(sqs, name, signal);
  if (!url) return false;
  try {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }), { abortSignal: signal });
    return true;
  } catch (error) {
    if (isQueueMissing(error)) return false;
    throw error;
  }
}
