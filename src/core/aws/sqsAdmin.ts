import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  type Message,
  type SQSClient,
  type SendMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';

/**
 * Queue-level SQS operations for snapshots and restores (the browser's are in sqs.ts / sqsReceive.ts).
 * Thin: one SDK call each, errors passed through for the caller's typed guards (awsErrors.ts).
 */

export type { Message as SqsMessage, SendMessageBatchRequestEntry as SqsBatchEntry } from '@aws-sdk/client-sqs';

export async function listQueueTags(
  sqs: SQSClient,
  url: string,
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  return (await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }), { abortSignal: signal })).Tags ?? {};
}

/** One receive of up to 10 messages with every attribute, held invisible for `visibilitySeconds`. */
export async function receiveForCapture(
  sqs: SQSClient,
  url: string,
  visibilitySeconds: number,
  signal?: AbortSignal,
): Promise<Message[]> {
  const res = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: visibilitySeconds,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
    { abortSignal: signal },
  );
  return res.Messages ?? [];
}

/** Makes up to 10 received messages visible again; returns the failures as `Code: Message`. */
export async function makeVisibleAgain(
  sqs: SQSClient,
  url: string,
  receiptHandles: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  const res = await sqs.send(
    new ChangeMessageVisibilityBatchCommand({
      QueueUrl: url,
      Entries: receiptHandles.map((h, j) => ({ Id: String(j), ReceiptHandle: h, VisibilityTimeout: 0 })),
    }),
    { abortSignal: signal },
  );
  return (res.Failed ?? []).map((f) => `${f.Code}: ${f.Message}`);
}

export async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
  tags: Record<string, string>,
  signal?: AbortSignal,
): Promise<string> {
  return (
    await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes, tags }), { abortSignal: signal })
  ).QueueUrl!;
}

export async function deleteQueue(sqs: SQSClient, url: string, signal?: AbortSignal): Promise<void> {
  await sqs.send(new DeleteQueueCommand({ QueueUrl: url }), { abortSignal: signal });
}

/** Sets attributes and tags of an existing queue and empties it (a restore's "update"). */
export async function resetQueue(
  sqs: SQSClient,
  url: string,
  attributes: Record<string, string>,
  tags: Record<string, string>,
  signal?: AbortSignal,
): Promise<void> {
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }), { abortSignal: signal });
  if (Object.keys(tags).length)
    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: tags }), { abortSignal: signal });
  await sqs.send(new PurgeQueueCommand({ QueueUrl: url }), { abortSignal: signal });
}

/** Sends up to 10 messages; returns the refusals as `Code Message`. */
export async function sendBatch(
  sqs: SQSClient,
  url: string,
  entries: SendMessageBatchRequestEntry[],
  signal?: AbortSignal,
): Promise<string[]> {
  const res = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }), { abortSignal: signal });
  return (res.Failed ?? []).map((f) => `${f.Code} ${f.Message ?? ''}`);
}

/** Deletes up to 10 received messages; returns the failures as `Code Message`. */
export async function deleteBatch(
  sqs: SQSClient,
  url: string,
  receiptHandles: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  const res = await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: url,
      Entries: receiptHandles.map((h, i) => ({ Id: String(i), ReceiptHandle: h })),
    }),
    { abortSignal: signal },
  );
  return (res.Failed ?? []).map((f) => `${f.Code} ${f.Message ?? ''}`);
}
