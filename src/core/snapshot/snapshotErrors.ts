import { DrydockError } from '../errors';

/** What exactly is wrong with a snapshot that was refused before anything was applied. */
export type SnapshotProblem =
  | 'truncated'
  | 'not-an-archive'
  | 'checksum'
  | 'missing-entry'
  | 'unexpected-entry'
  | 'path'
  | 'schema'
  | 'manifest'
  | 'passphrase'
  | 'content';

/** A snapshot that must not be applied (code 'corrupt-snapshot'); `entry` names the archive entry at fault. */
export class SnapshotInvalidError extends DrydockError {
  constructor(
    readonly problem: SnapshotProblem,
    message: string,
    readonly entry?: string,
    options?: { cause?: unknown },
  ) {
    super('corrupt-snapshot', message, options);
  }

  static isInvalid(value: unknown): value is SnapshotInvalidError {
    return value instanceof SnapshotInvalidError;
  }
}
