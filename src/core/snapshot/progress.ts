import { DrydockError } from '../errors';

/** What the engine reports while it works; the CLI prints it on stderr, VS Code shows it in withProgress. */
export interface ProgressEvent {
  phase: 'discover' | 'kube' | 'sqs' | 'dynamodb' | 's3' | 'validate' | 'plan' | 'restore' | 'write';
  message: string;
  /** Items done so far in this phase, when known. */
  done?: number;
  total?: number;
}

export type ProgressCallback = (event: ProgressEvent) => void;

export const noProgress: ProgressCallback = () => {};

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new DrydockError('cancelled', 'Cancelled.');
  }
}
