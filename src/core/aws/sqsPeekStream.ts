import { Readable } from 'node:stream';
import { DrydockError } from '../errors';
import { jsonItemsUnder } from './jsonItemStream';
import type { QueueMessage } from './sqs';
import { toMessage } from './sqsPeek';

const MESSAGE_KEYS = new Set(['Message', 'Messages']);

/**
 * LocalStack's side-effect-free listing (`/_aws/sqs/messages`, every message including invisible and delayed
 * ones), read as a stream: LocalStack has no paging there and answers with the whole queue in one response, so
 * the response is parsed message by message and never held whole. Receive counts and visibility are untouched.
 */
export async function* streamLocalStackMessages(
  endpointUrl: string,
  queueUrl: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): AsyncGenerator<QueueMessage> {
  const url = new URL(`${endpointUrl.replace(/\/+$/, '')}/_aws/sqs/messages`);
  url.searchParams.set('QueueUrl', queueUrl);
  url.searchParams.set('ShowInvisible', 'true');
  url.searchParams.set('ShowDelayed', 'true');
  // Bounded: the answer must start within the timeout; a large queue's body may then take longer.
  const started = new AbortController();
  const timer = setTimeout(() => started.abort(), options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([options.signal, started.signal]) : started.signal;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    if (options.signal?.aborted) throw new DrydockError('cancelled', 'Cancelled');
    if (started.signal.aborted)
      throw new DrydockError(
        'unreachable',
        `LocalStack at ${endpointUrl} did not answer the message listing of ${queueUrl} in time.`,
        { cause: error },
      );
    throw new DrydockError(
      'unreachable',
      `LocalStack at ${endpointUrl} could not be reached for the message listing of ${queueUrl}.`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new DrydockError(
      res.status === 404 || res.status === 400 ? 'not-found' : 'failed',
      `LocalStack could not list the messages of ${queueUrl} (HTTP ${res.status}).`,
    );
  }
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  try {
    for await (const item of jsonItemsUnder(body, MESSAGE_KEYS)) {
      if (item && typeof item === 'object' && !Array.isArray(item)) yield toMessage(item as Record<string, unknown>);
    }
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new DrydockError(
        'failed',
        `LocalStack's message listing of ${queueUrl} is not valid JSON: ${error.message}`,
        { cause: error },
      );
    throw error;
  } finally {
    body.destroy();
  }
}
