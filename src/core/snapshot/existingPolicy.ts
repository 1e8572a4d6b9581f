import type { ItemOutcome, ItemResult } from './restoreResult';

/**
 * What a restore does with an object that already exists on the target — one policy for Kubernetes objects
 * and AWS resources alike (Velero's `--existing-resource-policy`, plus `recreate`):
 * - `skip` leaves it as it is (the default);
 * - `update` writes the recovery point's version over it (AWS: settings set again, data emptied and refilled);
 * - `recreate` deletes it and creates it again.
 */
export type ExistingPolicy = 'skip' | 'update' | 'recreate';

const OUTCOME: Record<ExistingPolicy, ItemOutcome> = { skip: 'skipped', update: 'updated', recreate: 'recreated' };

/** The outcome the policy gives an item that exists. */
export function existingOutcome(policy: ExistingPolicy): ItemOutcome {
  return OUTCOME[policy];
}

type Extra = Pick<ItemResult, 'changes' | 'count'>;

/** A dry run's result for one item: what would happen to it (created, or the policy's outcome for an existing one). */
export function dryRunResult(
  system: ItemResult['system'],
  id: string,
  exists: boolean,
  policy: ExistingPolicy,
  extra: Extra = {},
): ItemResult {
  if (!exists)
    return {
      system,
      id,
      outcome: 'created',
      message: 'would be created',
      ...(extra.count !== undefined ? { count: extra.count } : {}),
    };
  const outcome = existingOutcome(policy);
  return { system, id, outcome, message: `exists; would be ${outcome}`, ...extra };
}

/** The result for an existing item the policy leaves alone. */
export function skippedExisting(system: ItemResult['system'], id: string): ItemResult {
  return { system, id, outcome: 'skipped', message: 'already exists (existing policy: skip)' };
}
