import {
  CancelMessageMoveTaskCommand,
  ListMessageMoveTasksCommand,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DrydockError } from '../errors';
import { moveMessages } from './sqsReceive';

/** One message move task as ListMessageMoveTasks reports it. */
export interface MoveTaskStatus {
  taskHandle?: string;
  status: string;
  moved: number;
  toMove?: number;
  failureReason?: string;
}

/** Where a redrive ran: SQS's own move task, or Drydock's receive + send + delete (emulators without it). */
export type RedriveMode = 'move-task' | 'receive-fallback';

export interface RedriveProgress {
  mode: RedriveMode;
  moved: number;
  toMove?: number;
  status?: string;
}

const POLL_MS = 250;
const CANCEL_WAIT_MS = 10_000;
const TERMINAL = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

function toStatus(e: ListMessageMoveTasksResultEntry): MoveTaskStatus {
  return {
    taskHandle: e.TaskHandle,
    status: e.Status ?? 'UNKNOWN',
    moved: e.ApproximateNumberOfMessagesMoved ?? 0,
    toMove: e.ApproximateNumberOfMessagesToMove,
    failureReason: e.FailureReason,
  };
}

/**
 * True when the error says the endpoint does not have the operation at all (moto answers an unknown action
 * with an error of its own): classified by the SDK error's name and HTTP status, never by its message text.
 */
export function isUnsupportedOperation(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? e.Code ?? '';
  if (
    [
      'InvalidAction',
      'UnsupportedOperation',
      'NotImplemented',
      'NotImplementedError',
      'UnknownOperationException',
      'InvalidRequest',
    ].includes(name)
  )
    return true;
  const status = e.$metadata?.httpStatusCode;
  // moto 5 answers an action it lacks with HTTP 500 and an HTML page, which the SDK cannot read as an AWS error.
  return status === 501 || (status === 500 && error instanceof SyntaxError);
}

/** The tasks of a source queue, newest first (`MaxResults` 10: all that SQS keeps). */
export async function listMessageMoveTasks(
  sqs: SQSClient,
  sourceArn: string,
  signal?: AbortSignal,
): Promise<MoveTaskStatus[]> {
  const res = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 }), {
    abortSignal: signal,
  });
  return (res.Results ?? []).map(toStatus);
}

export async function cancelMessageMoveTask(sqs: SQSClient, taskHandle: string, signal?: AbortSignal): Promise<number> {
  const res = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: taskHandle }), { abortSignal: signal });
  return res.ApproximateNumberOfMessagesMoved ?? 0;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Moves a dead-letter queue's messages back: with StartMessageMoveTask where the endpoint has it (real SQS,
 * LocalStack), following its progress through ListMessageMoveTasks and cancelling the task when `signal` aborts;
 * where it does not (moto), with Drydock's receive + send + delete loop (`moveMessages`). `destinationArn`
 * undefined sends them back to the queues they came from (SQS's own default); the fallback needs `toUrl`.
 */
export async function redriveDeadLetters(
  sqs: SQSClient,
  dlq: { url: string; arn: string },
  target: { url: string; arn?: string },
  options: { signal?: AbortSignal; onProgress?: (p: RedriveProgress) => void; maxPerSecond?: number } = {},
): Promise<RedriveProgress & { cancelled: boolean }> {
  let handle: string | undefined;
  try {
    const res = await sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: dlq.arn,
        DestinationArn: target.arn,
        MaxNumberOfMessagesPerSecond: options.maxPerSecond,
      }),
      { abortSignal: options.signal },
    );
    handle = res.TaskHandle;
  } catch (error) {
    if (!isUnsupportedOperation(error)) throw error;
  }
  if (!handle) {
    const r = await moveMessages(sqs, dlq.url, target.url, {
      signal: options.signal,
      onProgress: (p) => options.onProgress?.({ mode: 'receive-fallback', moved: p.moved }),
    });
    return { mode: 'receive-fallback', moved: r.moved, cancelled: options.signal?.aborted ?? false };
  }
  let last: MoveTaskStatus = { taskHandle: handle, status: 'RUNNING', moved: 0 };
  for (;;) {
    if (options.signal?.aborted) {
      let moved = last.moved;
      try {
        moved = await cancelMessageMoveTask(sqs, handle);
      } catch {
        /* finished meanwhile: the final status below says so */
      }
      // The task stops at its next message: wait (bounded) until the list says it ended.
      let final = last;
      for (const deadline = Date.now() + CANCEL_WAIT_MS; ;) {
        const tasks = await listMessageMoveTasks(sqs, dlq.arn);
        final = tasks.find((t) => t.taskHandle === handle) ?? tasks[0] ?? final;
        if (TERMINAL.has(final.status) || Date.now() > deadline) break;
        await sleep(POLL_MS);
      }
      options.onProgress?.({ mode: 'move-task', moved: final.moved, toMove: final.toMove, status: final.status });
      return {
        mode: 'move-task',
        moved: Math.max(moved, final.moved),
        toMove: final.toMove,
        status: final.status,
        cancelled: final.status === 'CANCELLED',
      };
    }
    const tasks = await listMessageMoveTasks(sqs, dlq.arn);
    // ListMessageMoveTasks shows the handle only while a task runs: the newest entry is ours once it ended.
    last = tasks.find((t) => t.taskHandle === handle) ?? tasks[0] ?? last;
    options.onProgress?.({ mode: 'move-task', moved: last.moved, toMove: last.toMove, status: last.status });
    if (TERMINAL.has(last.status)) {
      if (last.status === 'FAILED')
        throw new DrydockError(
          'failed',
          `The message move task from ${dlq.url} failed: ${last.failureReason ?? 'no reason given'}.`,
        );
      return {
        mode: 'move-task',
        moved: last.moved,
        toMove: last.toMove,
        status: last.status,
        cancelled: last.status === 'CANCELLED',
      };
    }
    await sleep(POLL_MS, options.signal);
  }
}
