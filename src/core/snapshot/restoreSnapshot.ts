import type { KubeRawClient } from '../kube/rawClient';
import type { AwsClients } from '../aws/clients';
import { silentLogger, type Logger } from '../log';
import { SnapshotReader } from './archive/snapshotReader';
import { planKubeRestore, type PlannedItem } from './kube/restorePlan';
import { restoreKube } from './kube/restoreKube';
import { awsPaths, parseItemPath } from './layout';
import { metadataOf } from './kubeObject';
import { noProgress, throwIfAborted, type ProgressCallback } from './progress';
import { referenceRewriter, renamedAwsName, type AwsRename } from './references';
import { summarize, type ExistingPolicy, type ItemResult, type RestoreReport } from './restoreResult';
import { SnapshotInvalidError } from './snapshotErrors';
import type { SecretKeySource } from './secretCrypto';
import { assertAwsWritable, assertKubeWritable, type WriteAllowList } from './writeGuard';
import { restoreSqsQueue, type SqsQueueRecord } from './aws/sqsSnapshot';
import { restoreDynamoTable, type DynamoTableRecord } from './aws/dynamodbSnapshot';
import { restoreS3Bucket, type S3BucketRecord } from './aws/s3Snapshot';

export interface RestoreSnapshotOptions {
  source: string;
  keySource?: SecretKeySource;
  kube?: {
    client: KubeRawClient;
    /** old → new namespace. */
    namespaceMap?: ReadonlyMap<string, string>;
    /** Only these source namespaces (default all). */
    namespaces?: string[];
  };
  /** Without it, the snapshot's AWS part is not restored. */
  aws?: { clients: AwsClients; prefix?: string; suffix?: string };
  existing?: ExistingPolicy;
  dryRun?: boolean;
  allow?: WriteAllowList;
  signal?: AbortSignal;
  progress?: ProgressCallback;
  logger?: Logger;
  waitTimeoutMs?: number;
}

/**
 * Restores a snapshot (or, with `dryRun`, says what it would do and how it differs from live).
 * Order: guard (no request to a refused target) → validation of the whole snapshot (checksums, schema,
 * paths, passphrase, every item readable) → AWS resources (so new URLs are known) → Kubernetes items in
 * Velero's order with references rewritten to the renamed AWS resources.
 */
export async function restoreSnapshot(opts: RestoreSnapshotOptions): Promise<RestoreReport> {
  const started = Date.now();
  const progress = opts.progress ?? noProgress;
  const logger = opts.logger ?? silentLogger;
  const existing = opts.existing ?? 'skip';
  const dryRun = opts.dryRun ?? false;
  if (!dryRun) {
    if (opts.kube) assertKubeWritable(opts.kube.client.contextName, opts.kube.client.server, opts.allow);
    if (opts.aws) assertAwsWritable(opts.aws.clients.endpoint.url, opts.allow);
  }
  progress({ phase: 'validate', message: `Validating ${opts.source}` });
  const reader = await SnapshotReader.open(opts.source, { keySource: opts.keySource, signal: opts.signal });
  try {
    const namespaceMap = opts.kube?.namespaceMap ?? new Map<string, string>();
    const plan = opts.kube ? planKubeRestore(reader, { namespaceMap, namespaces: opts.kube.namespaces }) : [];
    if (opts.kube && reader.manifest.counts.secrets > 0 && !reader.canReadSecrets) {
      throw new SnapshotInvalidError('passphrase', 'This snapshot\'s secrets are encrypted: give its passphrase (DRYDOCK_SNAPSHOT_PASSPHRASE).');
    }
    await preflight(reader, plan, opts.signal);
    const { queues, tables, buckets } = await readAwsRecords(reader, !!opts.aws);

    const results: ItemResult[] = [];
    const renames: AwsRename[] = [];
    const rewrites: RestoreReport['rewrites'] = [];
    if (opts.aws) {
      const { clients, prefix = '', suffix = '' } = opts.aws;
      const ctx = { signal: opts.signal, progress, logger, existing, dryRun };
      for (const q of queues) {
        const to = renamedAwsName('sqs', q.name, prefix, suffix);
        renames.push({ service: 'sqs', from: q.name, to, identifiers: [] });
      }
      for (const t of tables) renames.push({ service: 'dynamodb', from: t.name, to: renamedAwsName('dynamodb', t.name, prefix, suffix) });
      for (const b of buckets) renames.push({ service: 's3', from: b.name, to: renamedAwsName('s3', b.name, prefix, suffix) });
      const nameRewriter = referenceRewriter(renames);
      for (const q of dlqFirst(queues)) {
        throwIfAborted(opts.signal);
        const to = renamedAwsName('sqs', q.name, prefix, suffix);
        const r = await restoreSqsQueue(reader, clients.sqs, { record: q, targetName: to }, { ...ctx, rewrite: nameRewriter });
        const { url, ...result } = r;
        results.push(result);
        if (url && url !== q.url) renames.find((x) => x.service === 'sqs' && x.from === q.name)!.identifiers!.push({ from: q.url, to: url });
      }
      for (const t of tables) {
        throwIfAborted(opts.signal);
        results.push(await restoreDynamoTable(reader, clients.dynamodb, t, renamedAwsName('dynamodb', t.name, prefix, suffix), ctx));
      }
      for (const b of buckets) {
        throwIfAborted(opts.signal);
        results.push(await restoreS3Bucket(reader, clients.s3, b, renamedAwsName('s3', b.name, prefix, suffix), ctx));
      }
    }

    if (opts.kube) {
      const rewrite = renames.some((r) => r.from !== r.to || r.identifiers?.length) ? referenceRewriter(renames) : undefined;
      results.push(
        ...(await restoreKube(reader, plan, {
          client: opts.kube.client,
          existing,
          dryRun,
          sanitize: { namespaceMap },
          rewrite,
          onRewrite: (id, count) => rewrites.push({ id, count }),
          signal: opts.signal,
          progress,
          logger,
          waitTimeoutMs: opts.waitTimeoutMs,
        })),
      );
    }
    const { status, counts } = summarize(results);
    return {
      status,
      dryRun,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      target: { context: opts.kube?.client.contextName, server: opts.kube?.client.server, awsEndpoint: opts.aws?.clients.endpoint.url },
      counts,
      items: results,
      rewrites,
    };
  } finally {
    await reader.close();
  }
}

/** Reads every item once before anything is written: each must parse, decrypt and match its path. */
async function preflight(reader: SnapshotReader, plan: readonly PlannedItem[], signal?: AbortSignal): Promise<void> {
  for (const item of plan) {
    throwIfAborted(signal);
    const obj = await reader.readItem(item.path);
    const parsed = parseItemPath(item.path)!;
    const meta = metadataOf(obj);
    if (meta.name !== parsed.name || (parsed.namespace !== undefined && meta.namespace !== parsed.namespace)) {
      throw new SnapshotInvalidError('content', `Entry ${item.path} holds ${meta.namespace ?? ''}/${meta.name ?? '?'}, not the object its path names.`, item.path);
    }
  }
}

async function readAwsRecords(reader: SnapshotReader, wanted: boolean) {
  const queues: SqsQueueRecord[] = [];
  const tables: DynamoTableRecord[] = [];
  const buckets: S3BucketRecord[] = [];
  if (!wanted) return { queues, tables, buckets };
  for (const q of reader.manifest.aws.sqs) queues.push(await reader.readJson<SqsQueueRecord>(awsPaths.sqsQueue(q.name)));
  for (const t of reader.manifest.aws.dynamodb) tables.push(await reader.readJson<DynamoTableRecord>(awsPaths.dynamoTable(t.name)));
  for (const b of reader.manifest.aws.s3) buckets.push(await reader.readJson<S3BucketRecord>(awsPaths.s3Bucket(b.name)));
  return { queues, tables, buckets };
}

/** Dead-letter queues before the queues whose redrive policy names them. */
export function dlqFirst(queues: readonly SqsQueueRecord[]): SqsQueueRecord[] {
  const isDlq = (q: SqsQueueRecord) => queues.some((o) => o !== q && (o.attributes.RedrivePolicy ?? '').includes(`:${q.name}"`));
  return [...queues].sort((a, b) => Number(isDlq(b)) - Number(isDlq(a)));
}
