import { createHash, randomBytes } from 'node:crypto';
import type { AwsClients } from '../../aws/clients';
import { deleteBatch, receiveForCapture, sendBatch } from '../../aws/sqsAdmin';
import { DrydockError, describeError } from '../../errors';
import type { Logger } from '../../log';
import type { SnapshotWriter } from '../archive/snapshotWriter';
import { awsPaths } from '../layout';
import type { SqsQueueSummary } from '../manifest';
import { throwIfAborted, type ProgressCallback } from '../progress';
import type { SqsMessageRecord, SqsQueueRecord } from './sqsSnapshot';
import { toSendAttributes, toSqsMessageRecord } from './sqsRecords';

/** The SDK client type, named through core/aws (the only module that imports the SDK). */
type SQSClient = AwsClients['sqs'];

interface Ctx {
  signal?: AbortSignal;
  progress: ProgressCallback;
  logger: Logger;
}

/** Long enough that nothing received comes back before it is deleted. */
const DRAIN_VISIBILITY_SECONDS = 900;

/**
 * Captures a FIFO queue completely on an emulator without a side-effect-free listing (moto, ElasticMQ, …),
 * after the user consented to it: a FIFO queue hands out no further message of a group while one is in
 * flight, so receiving alone stops at the head of each group. Instead every message is received, written to
 * the snapshot, and deleted, group after group until the queue is empty; then all of them are sent back in
 * the order they were received (which is their order within each group), with their group ids, bodies and
 * message attributes. The re-sent copies get fresh deduplication ids — the queue would otherwise drop them
 * as duplicates of the originals for five minutes — while the snapshot keeps the original ids, so a restore
 * into a new queue sends them as they were. The re-send runs whether the capture completed or failed.
 *
 * Refused while messages are in flight with a consumer or delayed: their place in the order is unknown.
 * Producers and consumers of the queue should be stopped meanwhile (the consent question says so); the copies
 * get new message ids and sent timestamps.
 */
export async function captureFifoByDrain(
  writer: SnapshotWriter,
  sqs: SQSClient,
  record: SqsQueueRecord,
  ctx: Ctx,
): Promise<SqsQueueSummary> {
  const { name, url, attributes } = record;
  const inFlight = Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
  const delayed = Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0);
  if (inFlight > 0 || delayed > 0) {
    throw new DrydockError(
      'failed',
      `SQS ${name}: ${inFlight} message(s) in flight and ${delayed} delayed; a FIFO queue can only be drained and re-sent in order when none are. Stop its consumers and try again.`,
    );
  }
  const expected = Number(attributes.ApproximateNumberOfMessages ?? 0);
  const drained: SqsMessageRecord[] = [];
  let captureError: unknown;
  try {
    await writer.writeLines(awsPaths.sqsMessages(name), async (sink) => {
      let empty = 0;
      while (empty < 2) {
        throwIfAborted(ctx.signal);
        const messages = await receiveForCapture(sqs, url, DRAIN_VISIBILITY_SECONDS, ctx.signal);
        if (!messages.length) {
          empty++;
          continue;
        }
        empty = 0;
        for (const m of messages) {
          const r = toSqsMessageRecord(m);
          await sink.write(JSON.stringify(r));
          drained.push(r);
        }
        // Deleted only once written and held for the re-send: nothing is lost if what follows fails.
        const notDeleted = await deleteBatch(
          sqs,
          url,
          messages.map((m) => m.ReceiptHandle!),
          ctx.signal,
        );
        if (notDeleted.length)
          throw new DrydockError(
            'failed',
            `SQS ${name}: could not delete ${notDeleted.length} drained message(s): ${notDeleted[0]}`,
          );
        ctx.progress({
          phase: 'sqs',
          message: `${name}: ${drained.length} messages drained`,
          done: drained.length,
          total: expected,
        });
      }
    });
    if (drained.length < expected) {
      throw new DrydockError(
        'failed',
        `SQS ${name}: drained ${drained.length} of ${expected} messages. The snapshot would be incomplete, so it was not written.`,
      );
    }
  } catch (error) {
    captureError = error;
  } finally {
    try {
      await resend(sqs, record, drained, ctx.logger);
    } catch (error) {
      captureError ??= error;
    }
  }
  if (captureError)
    throw captureError instanceof Error ? captureError : new DrydockError('failed', describeError(captureError));
  ctx.logger.info(`SQS ${name}: ${drained.length} messages captured by draining and re-sent in order.`);
  return { name, url, arn: attributes.QueueArn, messages: drained.length };
}

/**
 * Sends the drained messages back in their order, 10 per batch (a batch keeps its order within a group).
 * Never uses the abort signal: once drained, the messages go back even when the capture was cancelled.
 */
async function resend(
  sqs: SQSClient,
  record: SqsQueueRecord,
  drained: readonly SqsMessageRecord[],
  logger: Logger,
): Promise<void> {
  const nonce = randomBytes(16).toString('hex');
  let sent = 0;
  try {
    for (let i = 0; i < drained.length; i += 10) {
      const batch = drained.slice(i, i + 10);
      const refused = await sendBatch(
        sqs,
        record.url,
        batch.map((m, j) => ({
          Id: String(j),
          MessageBody: m.body,
          MessageGroupId: m.attributes.MessageGroupId,
          MessageDeduplicationId: createHash('sha256').update(`${nonce}:${m.messageId}`).digest('hex'),
          MessageAttributes: toSendAttributes(m.messageAttributes),
        })),
      );
      if (refused.length) throw new DrydockError('failed', refused[0]!);
      sent += batch.length;
    }
  } catch (error) {
    const lost = drained.length - sent;
    logger.error(
      `SQS ${record.name}: ${lost} drained message(s) could not be sent back (${describeError(error)}); they are in the snapshot's ${awsPaths.sqsMessages(record.name)}.`,
    );
    throw new DrydockError(
      'failed',
      `SQS ${record.name}: ${lost} of ${drained.length} drained message(s) could not be sent back: ${describeError(error)}. They are in ${awsPaths.sqsMessages(record.name)} of the snapshot.`,
      { cause: error },
    );
  }
}
