import type { Adaptation } from '../adapt/adaptation';
import type { AwsRename } from './references';

/** What happened (or, in a dry run, would happen) to one item of a restore. */
export type ItemOutcome = 'created' | 'updated' | 'recreated' | 'skipped' | 'failed';

export interface ItemResult {
  /** `kube` items are `group-resource/namespace/name`; AWS ones `sqs:queue`, `dynamodb:table`, `s3:bucket`. */
  system: 'kube' | 'sqs' | 'dynamodb' | 's3';
  id: string;
  /** The same item named as in the recovery point (`deployments.apps/shop/web`, `sqs:shop-orders`). */
  source?: string;
  outcome: ItemOutcome;
  /** The API's own message for failures; why for skips; what changed for updates. */
  message?: string;
  /** Dry run: changed JSON paths of the snapshot object against the live one. */
  changes?: string[];
  /** AWS: messages/items/objects written (or that would be). */
  count?: number;
}

export type { ExistingPolicy } from './existingPolicy';

export interface RestoreReport {
  /** `partial` when some items failed and others were restored; `failed` when nothing could be. Never `ok` with a failure. */
  status: 'ok' | 'partial' | 'failed';
  dryRun: boolean;
  startedAt: string;
  durationMs: number;
  target: { context?: string; server?: string; awsEndpoint?: string };
  counts: Record<ItemOutcome, number>;
  items: ItemResult[];
  /** Every reference rewritten to a renamed AWS resource, per item. */
  rewrites: Array<{ id: string; count: number }>;
  /** Every AWS resource of the plan with its target name (and, for queues restored, the target's URL). */
  renames: AwsRename[];
  /** What the restore creates (or would) beyond its namespaces, with why: allowed explicitly, or listed by a dry run. */
  beyondNamespaces?: Array<{ id: string; why: string }>;
  /**
   * Production → local: why the restore adapted objects for this target (a Velero backup, another cluster, asked
   * for), and every adaptation with the object it touched (`gap` ones could only be reported). Absent when the
   * restore ran exactly as Velero would (`--no-adapt`, or a recovery point of this very cluster).
   */
  adapted?: { reason: string; adaptations: Adaptation[] };
  /** Whether the recovery point was authenticated with its key, carries an authenticator not checked, or has none. */
  authenticity?: 'verified' | 'not-verified' | 'none';
}

export function summarize(items: readonly ItemResult[]): {
  status: RestoreReport['status'];
  counts: Record<ItemOutcome, number>;
} {
  const counts: Record<ItemOutcome, number> = { created: 0, updated: 0, recreated: 0, skipped: 0, failed: 0 };
  for (const i of items) counts[i.outcome]++;
  const applied = counts.created + counts.updated + counts.recreated + counts.skipped;
  const status = counts.failed === 0 ? 'ok' : applied > 0 ? 'partial' : 'failed';
  return { status, counts };
}
