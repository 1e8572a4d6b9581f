/** An error a person can act on: `code` is stable for programs, `message` says what is wrong and what to do. */
export class DrydockError extends Error {
  override readonly name = 'DrydockError';
  constructor(
    readonly code: DrydockErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static is(value: unknown, code?: DrydockErrorCode): value is DrydockError {
    return value instanceof DrydockError && (code === undefined || value.code === code);
  }
}

export type DrydockErrorCode =
  | 'unreachable'
  | 'not-local'
  | 'invalid-input'
  | 'not-found'
  | 'conflict'
  | 'cancelled'
  | 'corrupt-snapshot'
  | 'unsupported'
  | 'failed';

/** Turns anything thrown into one line for a person; never includes request bodies. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
