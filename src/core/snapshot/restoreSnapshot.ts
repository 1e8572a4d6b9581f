import type { KubeRawClient } from '../kube/rawClient';
import { endpointUrls, type AwsClients } from '../aws/clients';
import { silentLogger, type Logger } from '../log';
import { SnapshotReader } from './archive/snapshotReader';
import { restoreKube } from './kube/restoreKube';
import { parseItemPath } from './layout';
import { metadataOf, type KubeObject } from './kubeObject';
import { noProgress, throwIfAborted, type ProgressCallback } from './progress';
import { referenceRewriter, type AwsRename } from './references';
import { plannedRenames, planRestore, type RestorePlan } from './restorePlan';
import { summarize, type ExistingPolicy, type ItemResult, type RestoreReport } from './restoreResult';
import { SnapshotInvalidError } from './snapshotErrors';
import { assertPlanNamesValid } from './targetNames';
import { assertBeyondNamespacesAllowed, findBeyondNamespaces } from './beyondNamespaces';
import type { SecretKeySource } from './secretCrypto';
import { assertAwsWritable, assertKubeWritable, type WriteAllowList } from './writeGuard';
import { restoreSqsQueue } from './aws/sqsSnapshot';
import { restoreDynamoTable } from './aws/dynamodbSnapshot';
import { restoreS3Bucket } from './aws/s3Snapshot';
import type { AdaptContext, Adaptation } from '../adapt/adaptation';
import { localAwsTarget } from '../adapt/localAwsTarget';
import { makeLocalAwsCopies } from '../adapt/awsLocalCopyStep';
import type { KnownAwsSettings, localCopyNames, LocalAwsCopyPlan } from '../adapt/awsLocalCopies';
import { adaptReason, prepareAdaptation, type AdaptMode } from '../adapt/prepareAdaptation';

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
  /**
   * The user's explicit consent to create what reaches beyond the restored namespaces (cluster-scoped objects,
   * RoleBindings to ClusterRoles, …); without it such a recovery point is refused before anything is written.
   */
  allowBeyondNamespaces?: boolean;
  /**
   * Production → local adaptations: `auto` (default) adapts a Velero backup or a recovery point of another
   * cluster, `off` restores exactly as Velero would (`--no-adapt`); `storageClassMap` maps classes missing here.
   */
  adapt?: { mode?: AdaptMode; storageClassMap?: ReadonlyMap<string, string> };
  /** Settings for the local AWS copies, recorded in a Drydock recovery point's AWS part (`--aws-from`). */
  knownAwsSettings?: KnownAwsSettings;
  signal?: AbortSignal;
  progress?: ProgressCallback;
  logger?: Logger;
  waitTimeoutMs?: number;
}

/** How to carry out a plan: where to, what to do with objects that already exist, and the usual hooks. */
export interface RestorePlannedOptions {
  kube?: { client: KubeRawClient };
  aws?: { clients: AwsClients };
  existing?: ExistingPolicy;
  dryRun?: boolean;
  allow?: WriteAllowList;
  /** Adapt the Kubernetes items for this target (from `prepareAdaptation`), and why; undefined: as Velero would. */
  adapt?: { context: AdaptContext; reason: string };
  /** Called with the names of the local AWS copies the adaptation makes, before the first is made (a drill's ledger). */
  beforeLocalCopies?: (names: ReturnType<typeof localCopyNames>) => Promise<void>;
  /** The local AWS copies as the caller planned (and validated) them before its own first write (a drill). */
  localCopyPlan?: LocalAwsCopyPlan;
  /** Settings for the local AWS copies, recorded in a Drydock recovery point's AWS part (`--aws-from`). */
  knownAwsSettings?: KnownAwsSettings;
  signal?: AbortSignal;
  progress?: ProgressCallback;
  logger?: Logger;
  waitTimeoutMs?: number;
}

/**
 * Restores a snapshot (or, with `dryRun`, says what it would do and how it differs from live).
 * Order: guard (no request to a refused target) → open and validate (checksums, schema, paths, passphrase)
 * → plan once → check every planned item is readable → carry out the plan (`restorePlanned`).
 */
export async function restoreSnapshot(opts: RestoreSnapshotOptions): Promise<RestoreReport> {
  if (!opts.dryRun) assertTargets(opts.kube?.client, opts.aws?.clients, opts.allow);
  (opts.progress ?? noProgress)({ phase: 'validate', message: `Validating ${opts.source}` });
  const reader = await SnapshotReader.open(opts.source, { keySource: opts.keySource, signal: opts.signal });
  try {
    const plan = await planRestore(reader, {
      kube: opts.kube ? { namespaceMap: opts.kube.namespaceMap, namespaces: opts.kube.namespaces } : undefined,
      aws: opts.aws ? { prefix: opts.aws.prefix, suffix: opts.aws.suffix } : undefined,
    });
    await validateRestorePlan(reader, plan, opts.signal);
    // Untrusted input: what reaches beyond the namespaces is listed, and needs consent before the first write.
    const beyond = opts.kube
      ? await findBeyondNamespaces(reader, plan, {
          client: opts.kube.client,
          existing: opts.existing ?? 'skip',
          signal: opts.signal,
        })
      : [];
    if (!opts.dryRun) assertBeyondNamespacesAllowed(beyond, opts.allowBeyondNamespaces ?? false);
    const adapt = opts.kube ? await planAdaptation(reader, plan, opts) : undefined;
    const report = await restorePlanned(reader, plan, { ...opts, adapt });
    if (beyond.length) report.beyondNamespaces = beyond;
    return report;
  } finally {
    await reader.close();
  }
}

/** Reads the target's facts for the adaptations (before the first write), when the restore adapts at all. */
async function planAdaptation(
  reader: SnapshotReader,
  plan: RestorePlan,
  opts: RestoreSnapshotOptions,
): Promise<RestorePlannedOptions['adapt']> {
  const client = opts.kube!.client;
  const reason = adaptReason(opts.adapt?.mode ?? 'auto', reader, client);
  if (!reason) return undefined;
  (opts.progress ?? noProgress)({ phase: 'plan', message: `Adapting for this cluster: ${reason}` });
  const context = await prepareAdaptation(reader, plan.kube, client, {
    namespaceMap: plan.namespaceMap,
    storageClassMap: opts.adapt?.storageClassMap,
    aws: opts.aws ? await localAwsTarget(opts.aws.clients, opts.aws, opts.signal) : undefined,
    signal: opts.signal,
  });
  return { context, reason };
}

/** Planned items read at once while validating. */
const VALIDATE_READ_AHEAD = 16;

/**
 * Everything that must hold before the first write: every name the plan creates is one its target accepts,
 * the secrets can be read when Kubernetes items are planned, and every planned item parses, decrypts and
 * holds the object its path names.
 */
export async function validateRestorePlan(
  reader: SnapshotReader,
  plan: RestorePlan,
  signal?: AbortSignal,
  /** Sees every planned object as it is validated (a caller's own planning, without reading them again). */
  visit?: (obj: KubeObject) => void,
): Promise<void> {
  assertPlanNamesValid(plan);
  if (plan.kube.length && reader.manifest.counts.secrets > 0 && !reader.canReadSecrets) {
    throw new SnapshotInvalidError(
      'passphrase',
      "This snapshot's secrets are encrypted: give its passphrase (DRYDOCK_SNAPSHOT_PASSPHRASE).",
    );
  }
  // Items are read ahead (each read is a few thread-pool round trips) and checked in plan order, so the first
  // bad item in the plan is the one reported.
  const ahead: Array<Promise<KubeObject>> = [];
  let next = 0;
  for (const item of plan.kube) {
    throwIfAborted(signal);
    while (next < plan.kube.length && ahead.length < VALIDATE_READ_AHEAD) {
      const read = reader.readItem(plan.kube[next++]!.path);
      read.catch(() => {}); // awaited in turn below; one that fails after an earlier failure is not left unhandled
      ahead.push(read);
    }
    const obj = await ahead.shift()!;
    const parsed = parseItemPath(item.path)!;
    const meta = metadataOf(obj);
    if (meta.name !== parsed.name || (parsed.namespace !== undefined && meta.namespace !== parsed.namespace)) {
      throw new SnapshotInvalidError(
        'content',
        `Entry ${item.path} holds ${meta.namespace ?? ''}/${meta.name ?? '?'}, not the object its path names.`,
        item.path,
      );
    }
    visit?.(obj);
  }
}

/**
 * Carries out a plan on an open, validated recovery point: AWS resources first (so new queue URLs are
 * known), then the Kubernetes items in the plan's order with references rewritten to the renamed AWS
 * resources. Every item gets a result (one failure never stops the rest); the report carries the renames,
 * each queue with its URL on the target.
 */
export async function restorePlanned(
  reader: SnapshotReader,
  plan: RestorePlan,
  opts: RestorePlannedOptions,
): Promise<RestoreReport> {
  const started = Date.now();
  const progress = opts.progress ?? noProgress;
  const logger = opts.logger ?? silentLogger;
  const existing = opts.existing ?? 'skip';
  const dryRun = opts.dryRun ?? false;
  if (!dryRun) assertTargets(opts.kube?.client, opts.aws?.clients, opts.allow);
  const results: ItemResult[] = [];
  const renames: AwsRename[] = plannedRenames(plan);
  const rewrites: RestoreReport['rewrites'] = [];
  const adaptations: Adaptation[] = [];
  // References to real AWS are rewritten to local copies: planned (names validated) and made before any other write.
  const awsTarget = opts.adapt?.context.aws;
  if (awsTarget && opts.aws && opts.kube) {
    const copies = await makeLocalAwsCopies(reader, plan, awsTarget, opts.aws.clients, {
      dryRun,
      beforeCreate: opts.beforeLocalCopies,
      planned: opts.localCopyPlan,
      known: opts.knownAwsSettings,
      signal: opts.signal,
    });
    results.push(...copies.results);
  }
  if (opts.aws) {
    const { clients } = opts.aws;
    const ctx = { signal: opts.signal, progress, logger, existing, dryRun };
    const nameRewriter = referenceRewriter(renames);
    for (const q of plan.aws.queues) {
      throwIfAborted(opts.signal);
      const { url, ...result } = await restoreSqsQueue(
        reader,
        clients.sqs,
        { record: q.record, targetName: q.target },
        { ...ctx, rewrite: nameRewriter },
      );
      results.push({ ...result, source: `sqs:${q.source}` });
      const rename = renames.find((x) => x.service === 'sqs' && x.from === q.source)!;
      if (url) rename.targetUrl = url;
      if (url && url !== q.record.url) rename.identifiers!.push({ from: q.record.url, to: url });
    }
    for (const t of plan.aws.tables) {
      throwIfAborted(opts.signal);
      results.push({
        ...(await restoreDynamoTable(reader, clients.dynamodb, t.record, t.target, ctx)),
        source: `dynamodb:${t.source}`,
      });
    }
    for (const b of plan.aws.buckets) {
      throwIfAborted(opts.signal);
      results.push({
        ...(await restoreS3Bucket(reader, clients.s3, b.record, b.target, ctx)),
        source: `s3:${b.source}`,
      });
    }
  }

  if (opts.kube) {
    const rewrite = renames.some((r) => r.from !== r.to || r.identifiers?.length)
      ? referenceRewriter(renames)
      : undefined;
    results.push(
      ...(await restoreKube(reader, plan.kube, {
        client: opts.kube.client,
        existing,
        dryRun,
        sanitize: { namespaceMap: plan.namespaceMap },
        rewrite,
        onRewrite: (id, count) => rewrites.push({ id, count }),
        adapt: opts.adapt?.context,
        onAdapt: (list) => adaptations.push(...list),
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
    target: {
      context: opts.kube?.client.contextName,
      server: opts.kube?.client.server,
      awsEndpoint: opts.aws?.clients.endpoint.url,
    },
    counts,
    items: results,
    rewrites,
    renames,
    ...(opts.adapt
      ? {
          adapted: {
            reason: opts.adapt.reason,
            adaptations: adaptations.sort((a, b) => a.subject.localeCompare(b.subject) || a.kind.localeCompare(b.kind)),
          },
        }
      : {}),
    authenticity: reader.authenticity,
  };
}

/** The local-only guard, before any request: a refused target receives nothing. */
function assertTargets(
  kube: KubeRawClient | undefined,
  aws: AwsClients | undefined,
  allow: WriteAllowList | undefined,
): void {
  if (kube) assertKubeWritable(kube.contextName, kube.server, allow);
  // Every service's endpoint (SQS and S3 may be served elsewhere than DynamoDB) must be local.
  if (aws) for (const url of endpointUrls(aws.endpoint)) assertAwsWritable(url, allow);
}
