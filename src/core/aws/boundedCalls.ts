import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeMiddleware,
  MetadataBearer,
} from '@smithy/types';
import { DrydockError } from '../errors';
import { seconds, type IoTimeouts } from '../io/timeouts';

/** Network error codes after which the server may well answer a second attempt. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
]);
/** Calls that change nothing: safe to send again. ReceiveMessage is not (it hides the messages it returns). */
const IDEMPOTENT = /^(List|Get|Describe|Head|Scan|Query)/;
const RETRY_DELAYS_MS = [250, 1000];

/** The operation a command sends, e.g. `ListQueues` for `ListQueuesCommand`. */
function operationOf(context: HandlerExecutionContext): string {
  return (context.commandName ?? 'request').replace(/Command$/, '');
}

function errorCode(error: unknown): string {
  const e = error as { code?: string; cause?: { code?: string }; errno?: string };
  return e?.code ?? e?.cause?.code ?? '';
}

/** The SDK names our timeouts TimeoutError, and so it renames a reset connection: tell them apart by code. */
function isTimeout(error: unknown): boolean {
  return (error as { name?: string })?.name === 'TimeoutError' && !CONNECTION_CODES.has(errorCode(error));
}

function isConnectionFailure(error: unknown): boolean {
  return CONNECTION_CODES.has(errorCode(error));
}

/** A 5xx or throttling answer: the service said it could not do it now. */
function isTransientAnswer(error: unknown): boolean {
  const e = error as MetadataBearer & { $retryable?: unknown; $fault?: string };
  const status = e?.$metadata?.httpStatusCode ?? 0;
  return status >= 500 || status === 429 || !!e?.$retryable;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Initialize-step middleware: retries idempotent calls after a refused/broken connection or a 5xx
 * (with backoff; never after a timeout, so a frozen endpoint ends in one bound), and turns network
 * failures into DrydockErrors that name the endpoint and the call. Service errors pass through unchanged.
 */
export function boundedCalls(endpointUrl: string, timeouts: IoTimeouts): InitializeMiddleware<object, MetadataBearer> {
  return (next: InitializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
    async (args: InitializeHandlerArguments<object>) => {
      const operation = operationOf(context);
      const signal = (context as { abortSignal?: AbortSignal }).abortSignal;
      for (let attempt = 0; ; attempt++) {
        try {
          return await next(args);
        } catch (error) {
          if ((error as { name?: string })?.name === 'AbortError') {
            throw new DrydockError('cancelled', `${operation} on ${endpointUrl} was cancelled.`, { cause: error });
          }
          const retry =
            IDEMPOTENT.test(operation) &&
            attempt < RETRY_DELAYS_MS.length &&
            !isTimeout(error) &&
            (isConnectionFailure(error) || isTransientAnswer(error));
          if (retry) {
            await sleep(RETRY_DELAYS_MS[attempt]!, signal);
            continue;
          }
          if (isTimeout(error)) {
            throw new DrydockError(
              'unreachable',
              `The AWS endpoint ${endpointUrl} did not answer ${operation} within ${seconds(timeouts.requestMs)}. Is the emulator running (not paused)?`,
              { cause: error },
            );
          }
          if (isConnectionFailure(error)) {
            throw new DrydockError(
              'unreachable',
              `Cannot reach the AWS endpoint ${endpointUrl} for ${operation} (${errorCode(error)}). Is the emulator running?`,
              { cause: error },
            );
          }
          throw error;
        }
      }
    };
}
