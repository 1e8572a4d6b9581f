import type { SnapshotReader } from '../snapshot';
import type { RestorePlan } from '../snapshot/restorePlan';
import { restorePlanned, type RestorePlannedOptions } from '../snapshot/restoreSnapshot';
import type { RestoreReport } from '../snapshot/restoreResult';

/**
 * The drill's one restore step: the snapshot engine's own restore of the drill's plan, on the recovery point
 * the drill already opened, so a drill proves exactly what a user's restore would do. Existing objects are
 * skipped (the scratch namespace is new; a cluster-scoped object that is already there — a CRD — is used as
 * it is, never changed by a drill).
 */
export function restoreIntoDrillTarget(
  reader: SnapshotReader,
  plan: RestorePlan,
  opts: Omit<RestorePlannedOptions, 'existing' | 'dryRun'>,
): Promise<RestoreReport> {
  return restorePlanned(reader, plan, { ...opts, existing: 'skip', dryRun: false });
}
