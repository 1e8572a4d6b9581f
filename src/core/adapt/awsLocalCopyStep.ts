import type { AwsClients } from '../aws/clients';
import { SnapshotReader } from '../snapshot/archive/snapshotReader';
import { DrydockError } from '../errors';
import type { DynamoTableRecord } from '../snapshot/aws/dynamodbSnapshot';
import type { SqsQueueRecord } from '../snapshot/aws/sqsSnapshot';
import { awsPaths } from '../snapshot/layout';
import { throwIfAborted } from '../snapshot/progress';
import type { RestorePlan } from '../snapshot/restorePlan';
import type { ItemResult } from '../snapshot/restoreResult';
import type { LocalAwsTarget } from './adaptation';
import {
  createLocalAwsCopies,
  localCopyNames,
  LocalAwsCopyPlanner,
  type KnownAwsSettings,
  type LocalAwsCopyPlan,
  type LocalCopyOutcome,
} from './awsLocalCopies';

/**
 * The local AWS copies as a restore or drill step: planned from the recovery point's Kubernetes items before the
 * first write (every item read once more, as validation does), made with `createLocalAwsCopies`, and reported as
 * restore results. Settings can come from a Drydock recovery point with an AWS part (`--aws-from <snapshot>`).
 */

/**
 * Reads every planned Kubernetes item and plans the local copies its AWS references need; what the restore plan
 * restores from the recovery point's own AWS part is left to it.
 */
export async function planLocalAwsCopiesFor(
  reader: SnapshotReader,
  plan: Pick<RestorePlan, 'kube' | 'aws'>,
  target: LocalAwsTarget,
  known: KnownAwsSettings = {},
  signal?: AbortSignal,
): Promise<LocalAwsCopyPlan> {
  const planner = localAwsCopyPlannerFor(plan, target);
  for (const item of plan.kube) {
    throwIfAborted(signal);
    planner.add(await reader.readItem(item.path));
  }
  return planner.plan(known);
}

/**
 * A planner for the local copies a restore plan's Kubernetes items need (`add` each item, then `plan`); what the
 * plan restores from the recovery point's own AWS part is left to it.
 */
export function localAwsCopyPlannerFor(plan: Pick<RestorePlan, 'aws'>, target: LocalAwsTarget): LocalAwsCopyPlanner {
  const sources = (list: ReadonlyArray<{ source: string }>) => new Set(list.map((r) => r.source));
  return new LocalAwsCopyPlanner(target, {
    sqs: sources(plan.aws.queues),
    dynamodb: sources(plan.aws.tables),
    s3: sources(plan.aws.buckets),
  });
}

/** The queue and table records of a Drydock recovery point's AWS part, by name: settings for the local copies. */
export async function knownAwsSettingsFrom(reader: SnapshotReader): Promise<KnownAwsSettings> {
  const queues = new Map<string, SqsQueueRecord>();
  const tables = new Map<string, DynamoTableRecord>();
  for (const q of reader.manifest.aws.sqs)
    queues.set(q.name, await reader.readJson<SqsQueueRecord>(awsPaths.sqsQueue(q.name)));
  for (const t of reader.manifest.aws.dynamodb)
    tables.set(t.name, await reader.readJson<DynamoTableRecord>(awsPaths.dynamoTable(t.name)));
  return { queues, tables };
}

/**
 * The recorded settings of the queues and tables in a Drydock recovery point's AWS part (`--aws-from <snapshot>`):
 * opened, read and closed; a recovery point without queues or tables is a usage error.
 */
export async function knownAwsSettingsOf(source: string, signal?: AbortSignal): Promise<KnownAwsSettings> {
  const reader = await SnapshotReader.open(source, { signal });
  try {
    const { sqs, dynamodb } = reader.manifest.aws;
    if (!sqs.length && !dynamodb.length)
      throw new DrydockError(
        'invalid-input',
        `${source} has no queues or tables in its AWS part: nothing to take the local copies' settings from.`,
      );
    return await knownAwsSettingsFrom(reader);
  } finally {
    await reader.close();
  }
}

/**
 * The copies as restore results: `sqs:<local name>` with its production name as source and its settings (recorded
 * or inferred) as message; one that was already there is `skipped`. In a dry run (no outcomes) every copy is
 * reported as it would be created.
 */
export function localCopyResults(plan: LocalAwsCopyPlan, outcomes?: readonly LocalCopyOutcome[]): ItemResult[] {
  const planned = [
    ...plan.queues.map((q) => ({ service: 'sqs' as const, ...q })),
    ...plan.tables.map((t) => ({ service: 'dynamodb' as const, ...t })),
    ...plan.buckets.map((b) => ({ service: 's3' as const, ...b })),
  ];
  return planned.map((p): ItemResult => {
    const base = { system: p.service, id: `${p.service}:${p.target}`, source: `${p.service}:${p.source}` };
    const o = outcomes?.find((x) => x.service === p.service && x.name === p.target);
    if (!outcomes) return { ...base, outcome: 'created', message: `local copy, ${p.note}` };
    if (!o) return { ...base, outcome: 'failed', message: 'not attempted' };
    if (o.outcome === 'failed') return { ...base, outcome: 'failed', message: o.message };
    if (o.outcome === 'existing') return { ...base, outcome: 'skipped', message: 'already there: left as it is' };
    return { ...base, outcome: 'created', message: `local copy, ${p.note}` };
  });
}

export interface LocalAwsCopyStepOptions {
  /** Settings recorded in a Drydock recovery point (`knownAwsSettingsFrom`). */
  known?: KnownAwsSettings;
  /** Plan and report only: nothing is created. */
  dryRun?: boolean;
  /** Called with the local names after planning and before the first creation (a drill writes its ledger here). */
  beforeCreate?: (names: ReturnType<typeof localCopyNames>) => Promise<void>;
  /** The copies already planned by the caller (`planLocalAwsCopiesFor`, before its own first write): not planned again. */
  planned?: LocalAwsCopyPlan;
  signal?: AbortSignal;
}

/**
 * The whole step for a restore or drill, before its first Kubernetes write: plans the copies the recovery point's
 * AWS references need (a usage error naming every refused name, nothing written), lets the caller record them, makes
 * them, and returns them as restore results (`localCopyResults`).
 */
export async function makeLocalAwsCopies(
  reader: SnapshotReader,
  plan: Pick<RestorePlan, 'kube' | 'aws'>,
  target: LocalAwsTarget,
  clients: Pick<AwsClients, 'sqs' | 'dynamodb' | 's3'>,
  opts: LocalAwsCopyStepOptions = {},
): Promise<{ plan: LocalAwsCopyPlan; results: ItemResult[] }> {
  const copies = opts.planned ?? (await planLocalAwsCopiesFor(reader, plan, target, opts.known, opts.signal));
  if (opts.dryRun) return { plan: copies, results: localCopyResults(copies) };
  await opts.beforeCreate?.(localCopyNames(copies));
  const outcomes = await createLocalAwsCopies(copies, clients, opts.signal);
  return { plan: copies, results: localCopyResults(copies, outcomes) };
}
