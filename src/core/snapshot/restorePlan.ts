import type { SnapshotReader } from './archive/snapshotReader';
import type { DynamoTableRecord } from './aws/dynamodbSnapshot';
import type { S3BucketRecord } from './aws/s3Snapshot';
import type { SqsQueueRecord } from './aws/sqsSnapshot';
import { planKubeRestore, type PlannedItem } from './kube/restorePlan';
import { awsPaths } from './layout';
import { renamedAwsName, type AwsRename } from './references';
import type { NamespaceMap } from './sanitize/namespaceMapping';

/** One AWS resource of the plan: its record in the recovery point, its source and target names. */
export interface PlannedAwsResource<R> {
  service: AwsRename['service'];
  /** The name in the recovery point. */
  source: string;
  /** The name on the target (prefix/suffix applied; a FIFO queue keeps `.fifo` last). */
  target: string;
  record: R;
  /** Messages, items or objects the recovery point holds for it. */
  count: number;
}

/**
 * Everything a restore will do, decided before anything is written: every Kubernetes item (in Velero's
 * order, with source and target namespace and name) and every AWS resource (with source and target name).
 * Computed once; restore, dry run, diff and drill all read the same plan.
 */
export interface RestorePlan {
  namespaceMap: NamespaceMap;
  kube: PlannedItem[];
  aws: {
    /** Dead-letter queues first, so a redrive policy names a queue that exists. */
    queues: PlannedAwsResource<SqsQueueRecord>[];
    tables: PlannedAwsResource<DynamoTableRecord>[];
    buckets: PlannedAwsResource<S3BucketRecord>[];
  };
}

export interface PlanRestoreOptions {
  /** Plan the Kubernetes part (default: not planned). */
  kube?: { namespaceMap?: NamespaceMap; namespaces?: readonly string[] };
  /** Plan the AWS part under this prefix/suffix (default: not planned). */
  aws?: { prefix?: string; suffix?: string };
}

/** Plans a restore from an open recovery point; reads the AWS records (small JSON), never a Kubernetes item body. */
export async function planRestore(reader: SnapshotReader, opts: PlanRestoreOptions): Promise<RestorePlan> {
  const namespaceMap = opts.kube?.namespaceMap ?? new Map<string, string>();
  const plan: RestorePlan = { namespaceMap, kube: [], aws: { queues: [], tables: [], buckets: [] } };
  if (opts.kube) plan.kube = planKubeRestore(reader, { namespaceMap, namespaces: opts.kube.namespaces });
  if (opts.aws) {
    const { prefix = '', suffix = '' } = opts.aws;
    const m = reader.manifest.aws;
    for (const q of m.sqs) {
      const record = await reader.readJson<SqsQueueRecord>(awsPaths.sqsQueue(q.name));
      plan.aws.queues.push({
        service: 'sqs',
        source: q.name,
        target: renamedAwsName('sqs', q.name, prefix, suffix),
        record,
        count: q.messages,
      });
    }
    plan.aws.queues = dlqFirst(plan.aws.queues);
    for (const t of m.dynamodb) {
      const record = await reader.readJson<DynamoTableRecord>(awsPaths.dynamoTable(t.name));
      plan.aws.tables.push({
        service: 'dynamodb',
        source: t.name,
        target: renamedAwsName('dynamodb', t.name, prefix, suffix),
        record,
        count: t.items,
      });
    }
    for (const b of m.s3) {
      const record = await reader.readJson<S3BucketRecord>(awsPaths.s3Bucket(b.name));
      plan.aws.buckets.push({
        service: 's3',
        source: b.name,
        target: renamedAwsName('s3', b.name, prefix, suffix),
        record,
        count: b.objects,
      });
    }
  }
  return plan;
}

/** The plan's AWS renames (names only; a restore adds each queue's URLs as it makes the queue). */
export function plannedRenames(plan: RestorePlan): AwsRename[] {
  return [...plan.aws.queues, ...plan.aws.tables, ...plan.aws.buckets].map((r) => ({
    service: r.service,
    from: r.source,
    to: r.target,
    ...(r.service === 'sqs' ? { identifiers: [] } : {}),
  }));
}

/** Source name → target name per service, as the drill report shows them. */
export function renamedBySource(plan: RestorePlan): {
  queues: Record<string, string>;
  tables: Record<string, string>;
  buckets: Record<string, string>;
} {
  const map = (list: readonly PlannedAwsResource<unknown>[]) =>
    Object.fromEntries(list.map((r) => [r.source, r.target]));
  return { queues: map(plan.aws.queues), tables: map(plan.aws.tables), buckets: map(plan.aws.buckets) };
}

/** Dead-letter queues before the queues whose redrive policy names them. */
export function dlqFirst<T extends { source: string; record: SqsQueueRecord }>(queues: readonly T[]): T[] {
  const isDlq = (q: T) =>
    queues.some((o) => o !== q && (o.record.attributes.RedrivePolicy ?? '').includes(`:${q.source}"`));
  return [...queues].sort((a, b) => Number(isDlq(b)) - Number(isDlq(a)));
}
