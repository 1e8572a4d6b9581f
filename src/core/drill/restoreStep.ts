import { restoreSnapshot, type RestoreSnapshotOptions } from '../snapshot/restoreSnapshot';
import type { RestoreReport } from '../snapshot/restoreResult';

/**
 * The drill's one restore step: the snapshot engine's own restore, so a drill proves exactly what a user's
 * restore would do. Existing objects are skipped (the scratch namespace is new; a cluster-scoped object that
 * is already there — a CRD — is used as it is, never changed by a drill).
 */
export function restoreIntoDrillTarget(opts: Omit<RestoreSnapshotOptions, 'existing' | 'dryRun'>): Promise<RestoreReport> {
  return restoreSnapshot({ ...opts, existing: 'skip', dryRun: false });
}
