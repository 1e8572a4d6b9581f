import type { QueueMessage } from '../../aws/sqs';
import { streamLocalStackMessages } from '../../aws/sqsPeekStream';
import type { SnapshotWriter } from '../archive/snapshotWriter';
import { awsPaths } from '../layout';
import type { SqsQueueSummary } from '../manifest';
import { throwIfAborted, type ProgressCallback } from '../progress';
import type { Logger } from '../../log';
import type { SqsMessageRecord, SqsQueueRecord } from './sqsSnapshot';

interface Ctx {
  signal?: AbortSignal;
  progress: ProgressCallback;
  logger: Logger;
}

function toRecord(m: QueueMessage): SqsMessageRecord {
  const messageAttributes: SqsMessageRecord['messageAttributes'] = {};
  for (const [k, v] of Object.entries(m.messageAttributes ?? {})) {
    messageAttributes[k] = {
      DataType: v.dataType,
      ...(v.stringValue !== undefined ? { StringValue: v.stringValue } : {}),
      ...(v.binaryBase64 !== undefined ? { BinaryValue: v.binaryBase64 } : {}),
    };
  }
  return {
    messageId: m.messageId,
    body: m.body,
    md5OfBody: m.md5OfBody,
    attributes: { ...m.attributes },
    messageAttributes,
  };
}

/**
 * How long LocalStack may take to start answering a peek: it builds the whole response before sending the first
 * byte (measured here: ~3.6 ms per message on a loaded two-core machine, ~36 s for 10,000), so the bound grows
 * with the queue's size.
 */
export function peekAnswerTimeoutMs(messages: number): number {
  return 30_000 + 20 * messages;
}

/** FIFO order: SequenceNumber is a 128-bit decimal that grows across the whole queue. */
function bySequence(a: SqsMessageRecord, b: SqsMessageRecord): number {
  const x = BigInt(a.attributes.SequenceNumber ?? '0');
  const y = BigInt(b.attributes.SequenceNumber ?? '0');
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Captures every message of a queue through LocalStack's peek: no receive, so receive counts, visibility and
 * in-flight state are untouched, and in-flight, delayed and every FIFO group's messages are all included
 * (the peek is one point-in-time listing of the whole queue, so the capture is complete by construction).
 * Standard queues are streamed to the snapshot message by message. FIFO queues are written in SequenceNumber
 * order, which keeps the order within each group: the peek lists in-flight messages first, so its own order can
 * put a group's later message before an earlier one; sorting needs the queue's messages in memory (FIFO queues
 * are throughput-limited and small in practice; a standard queue of any size stays flat).
 */
export async function capturePeekedMessages(
  writer: SnapshotWriter,
  endpointUrl: string,
  record: SqsQueueRecord,
  ctx: Ctx,
): Promise<SqsQueueSummary> {
  const { name, url, attributes } = record;
  const fifo = attributes.FifoQueue === 'true';
  const expected =
    Number(attributes.ApproximateNumberOfMessages ?? 0) +
    Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0);
  let count = 0;
  await writer.writeLines(awsPaths.sqsMessages(name), async (sink) => {
    const held: SqsMessageRecord[] = [];
    for await (const m of streamLocalStackMessages(endpointUrl, url, {
      signal: ctx.signal,
      timeoutMs: peekAnswerTimeoutMs(expected),
    })) {
      throwIfAborted(ctx.signal);
      count++;
      if (fifo) held.push(toRecord(m));
      else await sink.write(JSON.stringify(toRecord(m)));
      if (count % 500 === 0)
        ctx.progress({ phase: 'sqs', message: `${name}: ${count} messages (peek)`, done: count, total: expected });
    }
    if (fifo) for (const r of held.sort(bySequence)) await sink.write(JSON.stringify(r));
  });
  ctx.progress({ phase: 'sqs', message: `${name}: ${count} messages (peek)`, done: count, total: expected });
  if (count !== expected) {
    ctx.logger.info(
      `SQS ${name}: the peek listed ${count} message(s) where the queue's counters said ${expected} a moment before (messages sent or deleted meanwhile); the snapshot holds the peek's ${count}.`,
    );
  }
  return { name, url, arn: attributes.QueueArn, messages: count };
}
