import type { AwsClients } from '../aws/clients';
import { isTableMissing } from '../aws/awsErrors';
import { describeTable } from '../aws/dynamodb';
import { createTableAndWait, type CreateTableInput } from '../aws/dynamodbAdmin';
import { bucketExists } from '../aws/s3';
import { createBucket } from '../aws/s3Admin';
import { getQueueUrl } from '../aws/sqs';
import { createQueue } from '../aws/sqsAdmin';
import { DrydockError, describeError } from '../errors';
import type { KubeObject } from '../snapshot/kubeObject';
import type { DynamoTableRecord } from '../snapshot/aws/dynamodbSnapshot';
import { createTableInput } from '../snapshot/aws/dynamodbSnapshot';
import type { SqsQueueRecord } from '../snapshot/aws/sqsSnapshot';
import { bucketNameProblem, queueNameProblem, tableNameProblem, type NameProblem } from '../snapshot/targetNames';
import type { LocalAwsTarget } from './adaptation';
import type { AwsCopiedService } from './awsReferenceParse';
import { awsReferencesOf, localName } from './awsReferences';

/**
 * The local emulator copies that rewritten AWS references point at (`awsReferences.ts`), planned from the objects
 * to restore and made before the first Kubernetes write, so every rewritten reference names something that exists.
 *
 * Settings come from a record when the caller has one (a Drydock AWS snapshot's queue or table record, by source
 * name), otherwise they are inferred from nothing but the name, and reported as inferred:
 * - SQS: a name ending in `.fifo` is a FIFO queue, made with content-based deduplication on (so senders that give
 *   no deduplication id work; one that gives it is unaffected); no dead-letter queue, default timeouts.
 * - DynamoDB: the key schema cannot be known from a reference, so the table gets the documented default — a
 *   string hash key `pk`, on-demand billing — and the report says so (items with another key are refused).
 * - S3: a bucket with no settings.
 * A name the emulator would refuse fails the whole plan before anything is written.
 */

export const DEFAULT_TABLE_KEY = 'pk';

export interface PlannedLocalQueue {
  source: string;
  target: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  settings: 'recorded' | 'inferred';
  /** What the settings are and where they come from, for the report. */
  note: string;
}

export interface PlannedLocalTable {
  source: string;
  target: string;
  input: CreateTableInput;
  settings: 'recorded' | 'inferred';
  note: string;
}

export interface PlannedLocalBucket {
  source: string;
  target: string;
  settings: 'inferred';
  note: string;
}

export interface LocalAwsCopyPlan {
  target: LocalAwsTarget;
  queues: PlannedLocalQueue[];
  tables: PlannedLocalTable[];
  buckets: PlannedLocalBucket[];
}

/** Settings recorded elsewhere (a Drydock AWS snapshot), by the resource's production name. */
export interface KnownAwsSettings {
  queues?: ReadonlyMap<string, SqsQueueRecord>;
  tables?: ReadonlyMap<string, DynamoTableRecord>;
}

/** Queue attributes CreateQueue takes from a record; a redrive policy names a queue the plan may not have. */
const QUEUE_SETTINGS = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
];

function planQueue(source: string, target: string, record: SqsQueueRecord | undefined): PlannedLocalQueue {
  const fifo = source.endsWith('.fifo');
  if (record) {
    const attributes: Record<string, string> = {};
    for (const k of QUEUE_SETTINGS) if (record.attributes[k] !== undefined) attributes[k] = record.attributes[k];
    if (fifo) attributes.FifoQueue = 'true';
    return {
      source,
      target,
      attributes,
      tags: record.tags,
      settings: 'recorded',
      note: 'settings from the recorded queue (no redrive policy)',
    };
  }
  return fifo
    ? {
        source,
        target,
        attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
        tags: {},
        settings: 'inferred',
        note: 'inferred: FIFO from the name, content-based deduplication on; default timeouts, no dead-letter queue',
      }
    : {
        source,
        target,
        attributes: {},
        tags: {},
        settings: 'inferred',
        note: 'inferred: standard queue, default timeouts, no dead-letter queue',
      };
}

function planTable(source: string, target: string, record: DynamoTableRecord | undefined): PlannedLocalTable {
  if (record)
    return {
      source,
      target,
      input: createTableInput(record, target),
      settings: 'recorded',
      note: 'key schema, indexes and billing from the recorded table',
    };
  return {
    source,
    target,
    input: {
      TableName: target,
      KeySchema: [{ AttributeName: DEFAULT_TABLE_KEY, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: DEFAULT_TABLE_KEY, AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    },
    settings: 'inferred',
    note: `inferred: the key schema is unknown, so the default string hash key "${DEFAULT_TABLE_KEY}" (on-demand); items with another key are refused`,
  };
}

/**
 * Collects, object by object, the production names whose references will be rewritten on `target` (services with a
 * local endpoint only), then plans their copies. For a restore that streams its objects: `add` each one before the
 * first write, then `plan()`.
 */
export class LocalAwsCopyPlanner {
  private readonly names: Record<AwsCopiedService, Set<string>> = {
    sqs: new Set(),
    dynamodb: new Set(),
    s3: new Set(),
  };
  /**
   * `restoredByRecoveryPoint`: production names the recovery point restores itself (its own AWS part, renamed the
   * same way): their references point at those, and no empty copy is made in their place.
   */
  constructor(
    private readonly target: LocalAwsTarget,
    private readonly restoredByRecoveryPoint: Partial<Record<AwsCopiedService, ReadonlySet<string>>> = {},
  ) {}

  add(obj: KubeObject): void {
    for (const ref of awsReferencesOf(obj))
      if (
        ref.kind === 'resource' &&
        this.target.endpoints[ref.service] &&
        !this.restoredByRecoveryPoint[ref.service]?.has(ref.name)
      )
        this.names[ref.service].add(ref.name);
  }

  /**
   * One copy per distinct production name and service (the same name in two regions or accounts is one local
   * copy). Throws a usage error (DrydockError 'invalid-input') naming every local name the emulator would refuse.
   */
  plan(known: KnownAwsSettings = {}): LocalAwsCopyPlan {
    const target = this.target;
    const sorted = (s: Set<string>) => [...s].sort();
    const plan: LocalAwsCopyPlan = {
      target,
      queues: sorted(this.names.sqs).map((n) => planQueue(n, localName('sqs', n, target), known.queues?.get(n))),
      tables: sorted(this.names.dynamodb).map((n) =>
        planTable(n, localName('dynamodb', n, target), known.tables?.get(n)),
      ),
      buckets: sorted(this.names.s3).map((n) => ({
        source: n,
        target: localName('s3', n, target),
        settings: 'inferred' as const,
        note: 'inferred: a bucket with default settings',
      })),
    };
    assertLocalCopyNamesValid(plan);
    return plan;
  }
}

/** Plans the local copies every AWS reference of `objects` needs on `target` (see `LocalAwsCopyPlanner`). */
export function planLocalAwsCopies(
  objects: Iterable<KubeObject>,
  target: LocalAwsTarget,
  known: KnownAwsSettings = {},
): LocalAwsCopyPlan {
  const planner = new LocalAwsCopyPlanner(target);
  for (const obj of objects) planner.add(obj);
  return planner.plan(known);
}

/** Every local name of the plan the emulator would refuse. */
export function localCopyNameProblems(plan: LocalAwsCopyPlan): NameProblem[] {
  const problems: NameProblem[] = [];
  for (const q of plan.queues) {
    const problem = queueNameProblem(q.target, q.source.endsWith('.fifo'));
    if (problem) problems.push({ what: 'sqs queue', source: q.source, target: q.target, problem });
  }
  for (const t of plan.tables) {
    const problem = tableNameProblem(t.target);
    if (problem) problems.push({ what: 'dynamodb table', source: t.source, target: t.target, problem });
  }
  for (const b of plan.buckets) {
    const problem = bucketNameProblem(b.target);
    if (problem) problems.push({ what: 's3 bucket', source: b.source, target: b.target, problem });
  }
  return problems;
}

function assertLocalCopyNamesValid(plan: LocalAwsCopyPlan): void {
  const problems = localCopyNameProblems(plan);
  if (!problems.length) return;
  const lines = problems.map((p) => `  ${p.what} ${p.source} → "${p.target}" ${p.problem}`);
  throw new DrydockError(
    'invalid-input',
    `The local copies of the AWS resources the objects reference would get ${problems.length === 1 ? 'a name' : `${problems.length} names`} the emulator refuses; nothing was written:\n${lines.join('\n')}\n` +
      'Choose another --aws-prefix or --aws-suffix.',
  );
}

/** The names a drill ledger lists (before creating them), so its cleanup removes the copies. */
export function localCopyNames(plan: LocalAwsCopyPlan): { queues: string[]; tables: string[]; buckets: string[] } {
  return {
    queues: plan.queues.map((q) => q.target),
    tables: plan.tables.map((t) => t.target),
    buckets: plan.buckets.map((b) => b.target),
  };
}

export interface LocalCopyOutcome {
  service: AwsCopiedService;
  /** The local name. */
  name: string;
  /** `existing`: it was there already and was left as it is (a drill's prefixed names never are). */
  outcome: 'created' | 'existing' | 'failed';
  message?: string;
  /** SQS: the queue URL the emulator gave. */
  url?: string;
}

/**
 * Makes the planned copies (queues, then tables, then buckets); one failure never stops the rest, and each copy
 * gets an outcome. A queue whose URL the emulator puts under another account than the target's fails: the rewritten
 * URLs would name a queue that does not exist.
 */
export async function createLocalAwsCopies(
  plan: LocalAwsCopyPlan,
  clients: Pick<AwsClients, 'sqs' | 'dynamodb' | 's3'>,
  signal?: AbortSignal,
): Promise<LocalCopyOutcome[]> {
  const out: LocalCopyOutcome[] = [];
  const attempt = async (
    service: AwsCopiedService,
    name: string,
    fn: () => Promise<Omit<LocalCopyOutcome, 'service' | 'name'>>,
  ) => {
    signal?.throwIfAborted();
    try {
      out.push({ service, name, ...(await fn()) });
    } catch (error) {
      if (signal?.aborted) throw error;
      out.push({ service, name, outcome: 'failed', message: describeError(error) });
    }
  };
  for (const q of plan.queues)
    await attempt('sqs', q.target, async () => {
      let url = await getQueueUrl(clients.sqs, q.target, signal);
      const outcome = url ? 'existing' : 'created';
      url ??= await createQueue(clients.sqs, q.target, q.attributes, q.tags, signal);
      const path = new URL(url).pathname;
      const expected = `/${plan.target.accountId}/${q.target}`;
      if (path !== expected)
        return {
          outcome: 'failed',
          url,
          message: `the emulator's queue URL ${url} is not under account ${plan.target.accountId}: references rewritten to …${expected} would name no queue`,
        };
      return { outcome, url };
    });
  for (const t of plan.tables)
    await attempt('dynamodb', t.target, async () => {
      try {
        await describeTable(clients.dynamodb, t.target, signal);
        return { outcome: 'existing' };
      } catch (error) {
        if (!isTableMissing(error)) throw error;
      }
      await createTableAndWait(clients.dynamodb, t.input, signal);
      return { outcome: 'created' };
    });
  for (const b of plan.buckets)
    await attempt('s3', b.target, async () => {
      if (await bucketExists(clients.s3, b.target, signal)) return { outcome: 'existing' };
      await createBucket(clients.s3, b.target, signal);
      return { outcome: 'created' };
    });
  return out;
}

/** One line per planned copy for a report: `SQS queue orders.fifo → drill-x-orders.fifo (inferred: …)`. */
export function describeLocalCopies(plan: LocalAwsCopyPlan): string[] {
  return [
    ...plan.queues.map((q) => `SQS queue ${q.source} → ${q.target} (${q.note})`),
    ...plan.tables.map((t) => `DynamoDB table ${t.source} → ${t.target} (${t.note})`),
    ...plan.buckets.map((b) => `S3 bucket ${b.source} → ${b.target} (${b.note})`),
  ];
}
