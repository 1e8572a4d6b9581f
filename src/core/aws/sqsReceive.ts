import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DrydockError } from '../errors';
import { toQueueMessage, type QueueMessage } from './sqs';

/**
 * Receive-based browsing, for emulators without a side-effect-free listing (moto, real SQS).
 * Every receive raises the message's receive count and, past a redrive policy's maxReceiveCount,
 * can move it to the dead-letter queue. Callers must warn before using it.
 */

async function receiveBatch(
  sqs: SQSClient,
  queueUrl: string,
  max: number,
  holdSeconds: number,
  signal?: AbortSignal,
): Promise<Message[]> {
  const res = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: Math.max(1, Math.min(10, max)),
      VisibilityTimeout: holdSeconds,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
    { abortSignal: signal },
  );
  return res.Messages ?? [];
}

/**
 * Receives up to `max` messages, holding each invisible for `holdSeconds` so the next receive returns
 * other messages (with visibility 0 every receive would return the same first ten). Stops at the first
 * empty receive. The caller keeps the receipt handles and gives them back with `releaseMessages`.
 */
export async function receiveBrowse(
  sqs: SQSClient,
  queueUrl: string,
  options: {
    max: number;
    holdSeconds?: number;
    signal?: AbortSignal;
    /** Called with the messages each receive adds (first sightings only), so a browser can show them at once. */
    onBatch?: (fresh: QueueMessage[]) => void;
  },
): Promise<QueueMessage[]> {
  const hold = options.holdSeconds ?? 60;
  const seen = new Map<string, QueueMessage>();
  while (seen.size < options.max) {
    options.signal?.throwIfAborted();
    const batch = await receiveBatch(sqs, queueUrl, options.max - seen.size, hold, options.signal);
    const fresh: QueueMessage[] = [];
    for (const m of batch) {
      const q = toQueueMessage(m);
      const known = seen.get(q.messageId);
      if (known) {
        known.receiptHandle = q.receiptHandle; // the newest receipt handle is the one that works
      } else {
        seen.set(q.messageId, q);
        fresh.push(q);
      }
    }
    if (fresh.length) options.onBatch?.(fresh);
    if (batch.length === 0 || fresh.length === 0) break;
  }
  return [...seen.values()];
}

/**
 * Receives every message a queue will give now (until two receives in a row come back empty), holding each
 * for `holdSeconds`. The caller gives the receipt handles back with `releaseMessages`, also on failure:
 * `onHandles` hands them over as they arrive.
 */
export async function receiveEverything(
  sqs: SQSClient,
  queueUrl: string,
  options: { holdSeconds: number; signal?: AbortSignal; onHandles: (handles: string[]) => void },
): Promise<QueueMessage[]> {
  const out: QueueMessage[] = [];
  for (let empty = 0; empty < 2;) {
    options.signal?.throwIfAborted();
    const batch = await receiveBatch(sqs, queueUrl, 10, options.holdSeconds, options.signal);
    if (batch.length === 0) empty++;
    options.onHandles(batch.flatMap((m) => (m.ReceiptHandle ? [m.ReceiptHandle] : [])));
    out.push(...batch.map(toQueueMessage));
  }
  return out;
}

/** Makes received messages visible again at once (ChangeMessageVisibility 0), ten at a time. Returns how many failed. */
export async function releaseMessages(
  sqs: SQSClient,
  queueUrl: string,
  receiptHandles: readonly string[],
  signal?: AbortSignal,
): Promise<number> {
  let failed = 0;
  for (let i = 0; i < receiptHandles.length; i += 10) {
    const chunk = receiptHandles.slice(i, i + 10);
    const res = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((h, j) => ({ Id: String(j), ReceiptHandle: h, VisibilityTimeout: 0 })),
      }),
      { abortSignal: signal },
    );
    failed += res.Failed?.length ?? 0;
  }
  return failed;
}

/**
 * Deletes the message with this id, receiving until it turns up (others are released again).
 * For messages listed by a peek, which carries no usable receipt handle. Throws not-found when it is not there
 * (already consumed, or invisible because another consumer holds it).
 */
export async function deleteMessageById(
  sqs: SQSClient,
  queueUrl: string,
  messageId: string,
  signal?: AbortSignal,
): Promise<void> {
  const held: string[] = [];
  try {
    for (let round = 0; round < 200; round++) {
      signal?.throwIfAborted();
      const batch = await receiveBatch(sqs, queueUrl, 10, 30, signal);
      if (batch.length === 0) break;
      const target = batch.find((m) => m.MessageId === messageId && m.ReceiptHandle);
      for (const m of batch) if (m !== target && m.ReceiptHandle) held.push(m.ReceiptHandle);
      if (target) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: target.ReceiptHandle! }), {
          abortSignal: signal,
        });
        return;
      }
    }
    throw new DrydockError(
      'not-found',
      `Message ${messageId} is no longer in the queue, or another consumer holds it right now.`,
    );
  } finally {
    if (held.length) await releaseMessages(sqs, queueUrl, held).catch(() => undefined);
  }
}

export interface MoveProgress {
  moved: number;
}

/**
 * Moves messages from one queue to another by receive + send + delete (moto has no StartMessageMoveTask).
 * Body, message attributes, and for FIFO targets the group and deduplication ids are kept. A message is deleted
 * from the source only after the target accepted it; on failure the messages not yet moved are released.
 */
export async function moveMessages(
  sqs: SQSClient,
  fromUrl: string,
  toUrl: string,
  options: { max?: number; signal?: AbortSignal; onProgress?: (p: MoveProgress) => void } = {},
): Promise<MoveProgress> {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const toFifo = toUrl.endsWith('.fifo');
  let moved = 0;
  while (moved < max) {
    if (options.signal?.aborted) break;
    const batch = await receiveBatch(sqs, fromUrl, Math.min(10, max - moved), 60, options.signal);
    if (batch.length === 0) break;
    const pending = batch.filter((m) => m.ReceiptHandle);
    try {
      while (pending.length) {
        const m = pending[0]!;
        const attrs = m.Attributes ?? {};
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: toUrl,
            MessageBody: m.Body ?? '',
            MessageAttributes:
              m.MessageAttributes && Object.keys(m.MessageAttributes).length ? m.MessageAttributes : undefined,
            MessageGroupId: toFifo ? (attrs.MessageGroupId ?? 'drydock-redrive') : undefined,
            MessageDeduplicationId: toFifo ? (attrs.MessageDeduplicationId ?? m.MessageId) : undefined,
          }),
        );
        await sqs.send(new DeleteMessageCommand({ QueueUrl: fromUrl, ReceiptHandle: m.ReceiptHandle! }));
        pending.shift();
        moved++;
        options.onProgress?.({ moved });
      }
    } finally {
      if (pending.length)
        await releaseMessages(
          sqs,
          fromUrl,
          pending.map((m) => m.ReceiptHandle!),
        ).catch(() => undefined);
    }
  }
  return { moved };
}
