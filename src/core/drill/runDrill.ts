import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { endpointUrls, type AwsClients, type AwsEndpoint } from '../aws/clients';
import type { KubeConfig } from '../kube/clientNode';
import { kubeConfigForContext } from '../kube/kubeconfig';
import { KubeApiError } from '../kube/kubeApiError';
import { resourcePath } from '../kube/discovery';
import { DrydockError, describeError } from '../errors';
import { silentLogger, type Logger } from '../log';
import { SnapshotReader, type OpenSnapshotOptions, type PlannedItem } from '../snapshot';
import type { ProgressEvent } from '../snapshot/progress';
import { referenceRewriter } from '../snapshot/references';
import { planRestore, renamedBySource, type RestorePlan } from '../snapshot/restorePlan';
import { validateRestorePlan } from '../snapshot/restoreSnapshot';
import {
  assertBeyondNamespacesAllowed,
  BeyondNamespacesRefused,
  findBeyondNamespaces,
  type BeyondNamespaceItem,
} from '../snapshot/beyondNamespaces';
import type { RestoreReport } from '../snapshot/restoreResult';
import type { SecretKeySource } from '../snapshot/secretCrypto';
import { assertAwsWritable, assertKubeWritable, type WriteAllowList } from '../snapshot/writeGuard';
import { checkAws } from './checks/awsCheck';
import { checkObjects } from './checks/objectsCheck';
import { waitForReadiness } from './checks/readinessCheck';
import { checkReferences } from './checks/referencesCheck';
import { runUserChecks } from './checks/userChecks';
import { removeDrillTarget } from './drillCleanup';
import type { UserCheck } from './drillFile';
import { appendDrillHistory } from './drillHistory';
import {
  countsOf,
  drillStatusOf,
  RECOVERY_PHASES,
  type DrillCheck,
  type DrillGap,
  type DrillPhase,
  type DrillReport,
} from './drillReport';
import { emptyOutcome, mergeOutcome, type CheckOutcome, type DrillTarget } from './drillTarget';
import { gapsFromAdaptations, gapsFromRestoreItems, gapsFromSkipped } from './gaps';
import { writeLedger, removeLedger, type DrillLedger } from './ledger';
import { cleanupLeftovers } from './leftoverCleanup';
import { DrillRuns } from './drillRuns';
import { PhaseClock, TimedKubeClient, timedAwsClients } from './phaseClock';
import { restoreIntoDrillTarget } from './restoreStep';
import { renderDrillMarkdown } from './reportMarkdown';
import {
  awsDrillPrefix,
  DRILL_LABEL,
  drillOwnerAnnotations,
  newRunId,
  recoveryPointId,
  scratchNamespaceName,
} from './scratchNames';
import { planStandInVolumes, type StandInVolume } from './standInVolumes';
import type { AdaptContext, Adaptation } from '../adapt/adaptation';
import type { KubeObject } from '../snapshot/kubeObject';
import { localAwsTarget } from '../adapt/localAwsTarget';
import { adaptReason, prepareAdaptation, type AdaptMode } from '../adapt/prepareAdaptation';
import { adaptObject } from '../adapt/registry';
import type { KnownAwsSettings, LocalAwsCopyPlan } from '../adapt/awsLocalCopies';
import { localAwsCopyPlannerFor } from '../adapt/awsLocalCopyStep';

export interface RunDrillOptions {
  /** The recovery point: a snapshot directory or `.tar.gz`. */
  recoveryPoint: string;
  /**
   * How the report names the recovery point when `recoveryPoint` is a private copy of it (a Velero backup opened
   * into a temporary directory): what the user gave, e.g. `s3://bucket/backups/nightly`. Default: its resolved path.
   */
  recoveryPointLabel?: string;
  /** The workspace: reports, ledger and history go to `<workspace>/.drydock/drills/`. */
  workspaceDir: string;
  kube: { kubeConfig: KubeConfig; context?: string };
  /** Where the recovery point's AWS part is restored (under the drill prefix). Without it AWS is not drilled. */
  aws?: { endpoint: AwsEndpoint };
  /** Opens the recovery point's encrypted secrets. */
  keySource?: SecretKeySource;
  checks?: readonly UserCheck[];
  /** How long workloads get to become ready (default 90 s). */
  readyTimeoutMs?: number;
  /** How long the restore waits for a CustomResourceDefinition to be established (default 15 s). */
  crdWaitTimeoutMs?: number;
  /** Keep the scratch namespace and AWS copies when the drill fails (the next drill removes them). */
  keepOnFailure?: boolean;
  /** Give claims whose storage class nothing provisions an empty stand-in volume (default true). */
  standInVolumes?: boolean;
  /**
   * Production → local adaptations, as for a restore: `auto` (default) adapts a Velero backup or a recovery point
   * of another cluster, `off` restores exactly as Velero would (`--no-adapt`); `storageClassMap` maps classes.
   */
  adapt?: { mode?: AdaptMode; storageClassMap?: ReadonlyMap<string, string> };
  /**
   * Settings for the local copies of the production AWS resources the objects reference, recorded in a Drydock
   * recovery point's AWS part (`--aws-from <snapshot>`, `knownAwsSettingsOf`); others get inferred settings.
   */
  knownAwsSettings?: KnownAwsSettings;
  allow?: WriteAllowList;
  /**
   * The user's explicit consent to create what reaches beyond the recovery point's namespaces (cluster-scoped
   * objects, RoleBindings to ClusterRoles, …), as a restore needs it; without it such a drill is refused
   * (BeyondNamespacesRefused) before anything is written.
   */
  allowBeyondNamespaces?: boolean;
  /** Also written: the report as JSON (`.json`) or Markdown (anything else). */
  reportFile?: string;
  /** A directory this drill made (e.g. its own recovery point) to remove with the target. */
  workDir?: string;
  runId?: string;
  /** The drills this process runs (their targets are not leftovers); default: only this one. */
  runs?: DrillRuns;
  /**
   * Opens the recovery point (default: SnapshotReader.open). The drill calls it exactly once and drives the
   * restore and every check from that one reader; a caller can open another kind of recovery point through it.
   */
  openRecoveryPoint?: (source: string, options: OpenSnapshotOptions) => Promise<SnapshotReader>;
  /**
   * Return the report when the checks end and remove the target after it, tracked by `runs` (await
   * `runs.settled()` before the process exits). The ledger keeps what is left if the process stops first.
   * Default: false (the target is removed before runDrill returns).
   */
  backgroundCleanup?: boolean;
  logger?: Logger;
}

export interface DrillProgressEvent {
  phase: DrillPhase | 'prepare' | 'cleanup';
  message: string;
  done?: number;
  total?: number;
}

export interface DrillHooks {
  signal?: AbortSignal;
  onProgress?: (event: DrillProgressEvent) => void;
}

export function drillsDirOf(workspaceDir: string): string {
  return join(resolve(workspaceDir), '.drydock', 'drills');
}

const ENGINE_PHASE: Record<ProgressEvent['phase'], DrillProgressEvent['phase']> = {
  discover: 'validate',
  kube: 'kube-apply',
  sqs: 'aws-import',
  dynamodb: 'aws-import',
  s3: 'aws-import',
  validate: 'validate',
  plan: 'validate',
  restore: 'kube-apply',
  write: 'kube-apply',
};

/** One drill's state, built up by the steps below in order. */
interface DrillRun {
  options: RunDrillOptions;
  signal?: AbortSignal;
  progress: (e: DrillProgressEvent) => void;
  logger: Logger;
  runId: string;
  runs: DrillRuns;
  started: number;
  drillsDir: string;
  reportDir: string;
  clock: PhaseClock;
  contextName: string;
  kube: TimedKubeClient;
  aws?: AwsClients;
  prefix: string;
  rpId: string;
  checks: DrillCheck[];
  gaps: DrillGap[];
  renamed: DrillReport['target']['renamed'];
  cleanup: DrillReport['cleanup'];
  namespaces: string[];
  sourceNamespaces: string[];
  createdAt?: string;
  /** What the restore creates beyond the namespaces (allowed explicitly): listed in the report. */
  beyond: BeyondNamespaceItem[];
  /** Set in `openAndPlan` when the drill adapts the recovery point for this cluster (and why). */
  adapt?: { context: AdaptContext; reason: string };
  adaptations: Adaptation[];
  /** The recovery point, opened once in `openAndPlan` and closed when the drill's last read is done. */
  reader?: SnapshotReader;
  ledger?: DrillLedger;
  kubeconfigFile?: string;
  stopped?: 'cancelled' | 'error';
  error?: string;
  /** Set by `cleanupStep` when the target is removed after the report (`backgroundCleanup`). */
  removeInBackground?: DrillLedger;
}

/** What `openAndPlan` decided before anything was written. */
interface DrillPlan {
  reader: SnapshotReader;
  plan: RestorePlan;
  standIns: StandInVolume[];
  clusterObjects: Array<{ path: string; name: string }>;
  /** The local copies of the production AWS resources the adapted items reference (names validated). */
  localCopies?: LocalAwsCopyPlan;
}

/**
 * Restores a recovery point into a scratch namespace and drill-prefixed AWS resources, verifies it,
 * times every phase, reports what was missing and cleans up. Never throws for a drill that ran: a failed,
 * cancelled or broken drill is a report with that status and the reason in `error`. Throws only when the
 * target is refused by the local-only guard or the options are unusable (nothing was written then).
 * The recovery point is opened once; the plan made from it drives the restore and every check.
 */
export async function runDrill(options: RunDrillOptions, hooks: DrillHooks = {}): Promise<DrillReport> {
  const run = startRun(options, hooks);
  run.runs.add(run.runId);
  let checks: Array<Promise<CheckOutcome>> = [];
  try {
    try {
      await removeLeftovers(run);
      const planned = await openAndPlan(run);
      await recordLedger(run, planned);
      await createScratchTarget(run, planned);
      const restore = await restoreStep(run, planned);
      const target = await drillTargetOf(run, planned, restore);
      // Neither the objects nor the AWS copies depend on the workloads running: they are compared while the
      // workloads start, and the report waits for all three.
      run.progress({ phase: 'readiness', message: 'Comparing objects and AWS resources while the workloads start' });
      checks = [checkKube(target), checkAws(target)];
      for (const c of checks) c.catch(() => undefined); // awaited below (or, after a failure, settled before the reader closes)
      await readinessStep(run, planned);
      await verifyStep(run, target, checks);
    } catch (e) {
      // Refused before anything was written, like a restore: the caller asks for consent (or says why not).
      if (BeyondNamespacesRefused.isRefusal(e)) throw e;
      run.stopped = DrydockError.is(e, 'cancelled') || run.signal?.aborted ? 'cancelled' : 'error';
      run.error = run.stopped === 'cancelled' ? 'Cancelled.' : describeError(e);
      if (run.stopped === 'error') run.logger.error(`Drill ${run.runId} stopped: ${run.error}`);
    } finally {
      await Promise.allSettled(checks);
      await run.reader?.close().catch(() => undefined);
    }
    const status = await cleanupStep(run);
    const report = await finishReport(run, status);
    if (run.removeInBackground) run.runs.cleaningUp(run.runId, backgroundCleanup(run, run.removeInBackground, report));
    return report;
  } finally {
    if (!run.removeInBackground) run.aws?.destroy();
    run.runs.delete(run.runId);
  }
}

/** The run's clients and names; refuses a non-local target before any request. */
function startRun(options: RunDrillOptions, hooks: DrillHooks): DrillRun {
  const runId = options.runId ?? newRunId();
  const drillsDir = drillsDirOf(options.workspaceDir);
  const clock = new PhaseClock();
  const contextName = options.kube.context ?? options.kube.kubeConfig.getCurrentContext();
  const kube = new TimedKubeClient(options.kube.kubeConfig, contextName, clock);
  assertKubeWritable(kube.contextName, kube.server, options.allow);
  if (options.aws) for (const url of endpointUrls(options.aws.endpoint)) assertAwsWritable(url, options.allow);
  return {
    options,
    signal: hooks.signal,
    progress: (e) => hooks.onProgress?.(e),
    logger: options.logger ?? silentLogger,
    runId,
    runs: options.runs ?? new DrillRuns(),
    started: Date.now(),
    drillsDir,
    reportDir: join(drillsDir, runId),
    clock,
    contextName,
    kube,
    aws: options.aws ? timedAwsClients(options.aws.endpoint, clock) : undefined,
    prefix: awsDrillPrefix(runId),
    rpId: recoveryPointId(options.recoveryPoint),
    checks: [],
    gaps: [],
    renamed: { queues: {}, tables: {}, buckets: {} },
    cleanup: { done: false, kept: false, leftoversRemoved: [], errors: [] },
    namespaces: [],
    sourceNamespaces: [],
    adaptations: [],
    beyond: [],
  };
}

async function removeLeftovers(run: DrillRun): Promise<void> {
  run.progress({ phase: 'prepare', message: 'Removing leftovers of earlier drills' });
  const leftovers = await cleanupLeftovers({
    drillsDir: run.drillsDir,
    kube: run.kube,
    aws: run.aws,
    logger: run.logger,
    selfRuns: run.runs.ids(),
    signal: run.signal,
  });
  run.cleanup.leftoversRemoved.push(...leftovers.removed);
  for (const e of leftovers.errors) run.logger.warn(`Leftover cleanup: ${e}`);
}

/** Validate: open the recovery point (checksums, schema, passphrase) once, plan, and decide every name before anything is written. */
async function openAndPlan(run: DrillRun): Promise<DrillPlan> {
  const planned = await run.clock.time('validate', async () => {
    run.progress({
      phase: 'validate',
      message: `Validating ${run.options.recoveryPointLabel ?? run.options.recoveryPoint}`,
    });
    const open = run.options.openRecoveryPoint ?? ((source, options) => SnapshotReader.open(source, options));
    const reader = await open(run.options.recoveryPoint, { keySource: run.options.keySource, signal: run.signal });
    run.reader = reader;
    if (reader.manifest.counts.secrets > 0 && !reader.canReadSecrets) {
      throw new DrydockError(
        'invalid-input',
        "This recovery point's secrets are encrypted: give its passphrase (DRYDOCK_SNAPSHOT_PASSPHRASE).",
      );
    }
    run.createdAt = reader.manifest.createdAt;
    run.sourceNamespaces = reader.manifest.source.kube?.namespaces ?? [];
    const now = new Date(run.started);
    const namespaceMap = new Map<string, string>();
    const multi = run.sourceNamespaces.length > 1;
    for (const ns of run.sourceNamespaces)
      namespaceMap.set(ns, scratchNamespaceName(multi ? `${run.rpId}-${ns}` : run.rpId, run.runId, now));
    const plan = await planRestore(reader, { kube: { namespaceMap }, aws: { prefix: run.prefix } });
    run.renamed = renamedBySource(plan);
    const m = reader.manifest.aws;
    if (!run.aws && (m.sqs.length || m.dynamodb.length || m.s3.length)) {
      throw new DrydockError(
        'invalid-input',
        'This recovery point has AWS resources: give the local AWS endpoint to restore them into (--aws-endpoint).',
      );
    }
    const reason = adaptReason(run.options.adapt?.mode ?? 'auto', reader, run.kube);
    const awsTarget = reason && run.aws ? await localAwsTarget(run.aws, { prefix: run.prefix }, run.signal) : undefined;
    // The local copies of the production AWS resources the objects reference are planned as the objects are
    // validated (one read of each), and their names checked with the rest of the plan: an invalid one fails the
    // drill before its scratch namespace (or anything else) is created.
    const copies = awsTarget ? localAwsCopyPlannerFor(plan, awsTarget) : undefined;
    await validateRestorePlan(reader, plan, run.signal, copies && ((obj) => copies.add(obj)));
    const localCopies = copies?.plan(run.options.knownAwsSettings);
    // Untrusted input, as for a restore: what reaches beyond the namespaces needs consent before the first write.
    const beyond = await findBeyondNamespaces(reader, plan, { client: run.kube, existing: 'skip', signal: run.signal });
    assertBeyondNamespacesAllowed(beyond, run.options.allowBeyondNamespaces ?? false, 'drill');
    run.beyond = beyond;
    if (reason) {
      run.progress({ phase: 'validate', message: `Adapting for this cluster: ${reason}` });
      const context = await prepareAdaptation(reader, plan.kube, run.kube, {
        namespaceMap: plan.namespaceMap,
        storageClassMap: run.options.adapt?.storageClassMap,
        aws: awsTarget,
        signal: run.signal,
      });
      run.adapt = { context, reason };
    }
    const adaptClaim = run.adapt
      ? (claim: KubeObject) => void adaptObject(claim, 'persistentvolumeclaims', run.adapt!.context)
      : undefined;
    const standIns =
      run.options.standInVolumes === false
        ? []
        : await planStandInVolumes(reader, plan.kube, run.kube, run.runId, run.signal, adaptClaim);
    const clusterObjects = await absentClusterObjects(plan.kube, run.kube, run.signal);
    return { reader, plan, standIns, clusterObjects, localCopies };
  });
  run.namespaces = [...planned.plan.namespaceMap.values()];
  run.gaps.push(...gapsFromSkipped(planned.reader.manifest.skipped));
  return planned;
}

/** The ledger lists everything the drill may create, before it creates any of it. */
async function recordLedger(run: DrillRun, { standIns, clusterObjects }: DrillPlan): Promise<void> {
  const { kube, aws } = run;
  run.ledger = {
    runId: run.runId,
    createdAt: new Date().toISOString(),
    pid: process.pid,
    host: hostname(),
    kube: {
      context: kube.contextName,
      server: kube.server,
      namespaces: run.namespaces,
      persistentVolumes: standIns.map((s) => String(s.volume.metadata!.name)),
      clusterObjects,
    },
    ...(aws
      ? {
          aws: {
            endpoint: aws.endpoint.url,
            region: aws.endpoint.region,
            queues: Object.values(run.renamed.queues),
            tables: Object.values(run.renamed.tables),
            buckets: Object.values(run.renamed.buckets),
          },
        }
      : {}),
    ...(run.options.workDir ? { workDir: resolve(run.options.workDir) } : {}),
  };
  await writeLedger(run.drillsDir, run.ledger);
}

async function createScratchTarget(run: DrillRun, { reader, plan, standIns }: DrillPlan): Promise<void> {
  await run.clock.time('kube-apply', async () => {
    for (const [source, target] of plan.namespaceMap)
      await createScratchNamespace(run.kube, reader, source, target, run.runId, run.signal);
    for (const s of standIns)
      await run.kube.request('POST', '/api/v1/persistentvolumes', s.volume, { signal: run.signal });
  });
}

/** The engine's own restore of the plan (what a user's restore would do); its failures become gaps. */
async function restoreStep(run: DrillRun, { reader, plan, localCopies }: DrillPlan): Promise<RestoreReport> {
  run.progress({ phase: 'validate', message: 'Restoring the recovery point into the drill target' });
  const restoreStart = Date.now();
  run.clock.watchRestore();
  let restore: RestoreReport;
  try {
    restore = await restoreIntoDrillTarget(reader, plan, {
      kube: { client: run.kube },
      aws: run.aws ? { clients: run.aws } : undefined,
      allow: run.options.allow,
      signal: run.signal,
      logger: run.logger,
      waitTimeoutMs: run.options.crdWaitTimeoutMs ?? 15_000,
      adapt: run.adapt,
      localCopyPlan: localCopies,
      // The local copies of the production AWS resources it references are the drill's to remove, like its own.
      beforeLocalCopies: async (names) => {
        if (!run.ledger?.aws) return;
        run.ledger.aws.queues.push(...names.queues);
        run.ledger.aws.tables.push(...names.tables);
        run.ledger.aws.buckets.push(...names.buckets);
        await writeLedger(run.drillsDir, run.ledger);
      },
      progress: (e) => run.progress({ phase: ENGINE_PHASE[e.phase], message: e.message, done: e.done, total: e.total }),
    });
  } finally {
    run.clock.splitRestore(restoreStart, Date.now());
  }
  run.adaptations = restore.adapted?.adaptations ?? [];
  run.gaps.push(...gapsFromAdaptations(run.adaptations));
  const sourceOf = (i: RestoreReport['items'][number]) => i.source ?? i.id;
  run.gaps.push(...gapsFromRestoreItems(restore.items, sourceOf));
  const failed = restore.items.filter((i) => i.outcome === 'failed');
  run.checks.push({
    category: 'restore',
    name: `restore applied every item (${restore.items.length})`,
    passed: restore.counts.failed === 0,
    detail: `created ${restore.counts.created}, skipped ${restore.counts.skipped}, failed ${restore.counts.failed}${
      failed.length
        ? `: ${failed
            .slice(0, 3)
            .map((i) => `${sourceOf(i)} (${i.message})`)
            .join('; ')}`
        : ''
    }`,
  });
  return restore;
}

/** What the checks look at: the plan, and the renames exactly as the restore reported them (queue URLs included). */
async function drillTargetOf(run: DrillRun, { reader, plan }: DrillPlan, restore: RestoreReport): Promise<DrillTarget> {
  run.kubeconfigFile = await writeDrillKubeconfig(
    run.options.kube.kubeConfig,
    run.contextName,
    run.namespaces[0],
    run.reportDir,
  );
  const queueUrls: Record<string, string> = {};
  for (const r of restore.renames) if (r.service === 'sqs' && r.targetUrl) queueUrls[r.from] = r.targetUrl;
  return {
    kube: run.kube,
    aws: run.aws,
    reader,
    plan: plan.kube,
    namespaceMap: plan.namespaceMap,
    rewrite: referenceRewriter(restore.renames),
    renamed: run.renamed,
    queueUrls,
    failedIds: new Set(restore.items.filter((i) => i.outcome === 'failed').map((i) => i.id)),
    adapt: run.adapt?.context,
    kubeconfigFile: run.kubeconfigFile,
    workspaceDir: resolve(run.options.workspaceDir),
    signal: run.signal,
    logger: run.logger,
  };
}

async function readinessStep(run: DrillRun, { plan, standIns }: DrillPlan): Promise<void> {
  const readiness = await run.clock.time('readiness', () =>
    waitForReadiness({
      kube: run.kube,
      namespaces: run.namespaces,
      bindable: () => undefined,
      timeoutMs: run.options.readyTimeoutMs ?? 90_000,
      sourceNamespace: (ns) => [...plan.namespaceMap].find(([, t]) => t === ns)?.[0] ?? ns,
      signal: run.signal,
      onWaiting: (w) =>
        run.progress({
          phase: 'readiness',
          message: `Waiting for ${w.length} to become ready: ${w.slice(0, 3).join(', ')}`,
        }),
    }),
  );
  for (const s of standIns) {
    const c = readiness.checks.find((x) => x.name.startsWith(`persistentvolumeclaims/${s.claim.name} `));
    if (c)
      c.detail = `${c.detail ?? ''} (stand-in volume ${String(s.volume.metadata!.name)}: class ${s.storageClass || '""'} has no provisioner; volume data is not part of a recovery point)`;
  }
  run.checks.push(...readiness.checks);
  run.gaps.push(...readiness.gaps);
}

/** The objects and the references they make, compared with the recovery point. */
async function checkKube(target: DrillTarget): Promise<CheckOutcome> {
  const out = emptyOutcome();
  mergeOutcome(out, await checkObjects(target));
  mergeOutcome(out, await checkReferences(target, target.reader.manifest.skipped));
  return out;
}

/** The checks after readiness; `started` (objects, AWS) began when the restore ended, so their time overlaps readiness. */
async function verifyStep(run: DrillRun, target: DrillTarget, started: Array<Promise<CheckOutcome>>): Promise<void> {
  const verified = await run.clock.time('checks', async () => {
    const out = emptyOutcome();
    run.progress({ phase: 'checks', message: 'Comparing objects and AWS resources with the recovery point' });
    for (const c of started) mergeOutcome(out, await c);
    if (run.options.checks?.length) {
      run.progress({ phase: 'checks', message: `Running ${run.options.checks.length} user check(s)` });
      mergeOutcome(out, await runUserChecks(target, run.options.checks, run.runId));
    }
    return out;
  });
  run.checks.push(...verified.checks);
  // A gap already reported as a failed create is not reported again as a mismatch.
  const created = new Set(run.gaps.filter((g) => g.kind === 'create-failed').map((g) => g.subject));
  run.gaps.push(...verified.gaps.filter((g) => !(g.kind === 'object-mismatch' && created.has(g.subject))));
}

/** Removes (or, on request, keeps) the drill target; returns the drill's status with cleanup errors counted. */
async function cleanupStep(run: DrillRun): Promise<DrillReport['status']> {
  const { ledger, cleanup: info } = run;
  let status = drillStatusOf(run.checks, run.gaps, run.stopped);
  const keep =
    status !== 'passed' && status !== 'cancelled' && run.options.keepOnFailure === true && ledger !== undefined;
  if (ledger) {
    await run.clock.time('cleanup', async () => {
      if (keep) {
        ledger.kept = true;
        await writeLedger(run.drillsDir, ledger).catch((e: unknown) => info.errors.push(describeError(e)));
        info.kept = true;
        return;
      }
      if (run.options.backgroundCleanup) {
        run.removeInBackground = ledger;
        info.inBackground = true;
        return;
      }
      run.progress({
        phase: 'cleanup',
        message: `Removing ${run.namespaces.join(', ')} and the drill's AWS resources`,
      });
      const result = await removeDrillTarget(ledger, { kube: run.kube, aws: run.aws, logger: run.logger });
      info.errors.push(...result.errors);
      if (result.errors.length === 0) {
        await removeLedger(run.drillsDir, run.runId);
        info.done = true;
      }
    });
  }
  if (!ledger && run.options.workDir) {
    // Stopped before its ledger: only the work directory (and the ledger that named it) exist.
    await rm(run.options.workDir, { recursive: true, force: true }).catch((e: unknown) =>
      info.errors.push(describeError(e)),
    );
    await removeLedger(run.drillsDir, run.runId).catch(() => undefined);
    info.done = info.errors.length === 0;
  }
  if (run.kubeconfigFile && !keep) await rm(run.kubeconfigFile, { force: true });
  if (info.errors.length && status === 'passed') status = 'failed';
  return status;
}

/**
 * Removes the target after the report is out: the report files are written again with the cleanup's outcome
 * and time. Errors are logged and leave the ledger for the next drill; they no longer change the status.
 */
async function backgroundCleanup(run: DrillRun, ledger: DrillLedger, report: DrillReport): Promise<void> {
  const started = Date.now();
  const info = report.cleanup;
  try {
    run.logger.info(
      `Drill ${run.runId}: removing ${run.namespaces.join(', ')} and the drill's AWS resources in the background`,
    );
    const result = await removeDrillTarget(ledger, { kube: run.kube, aws: run.aws, logger: run.logger });
    info.errors.push(...result.errors);
    if (result.errors.length === 0) {
      await removeLedger(run.drillsDir, run.runId);
      info.done = true;
    } else
      run.logger.warn(
        `Drill ${run.runId}: cleanup left ${result.errors.join('; ')}; the next drill removes what is left`,
      );
  } catch (e) {
    info.errors.push(describeError(e));
  } finally {
    run.aws?.destroy();
  }
  info.inBackground = false;
  report.phases = [
    ...report.phases.filter((p) => p.phase !== 'cleanup'),
    { phase: 'cleanup', startedAt: new Date(started).toISOString(), durationMs: Date.now() - started },
  ];
  report.totalMs = Date.now() - run.started;
  run.logger.info(`Drill ${run.runId}: cleanup ${info.done ? 'done' : 'incomplete'} in ${Date.now() - started} ms`);
  if (report.files) {
    await writeFile(report.files.json, JSON.stringify(report, null, 2) + '\n').catch(() => undefined);
    await writeFile(report.files.markdown, renderDrillMarkdown(report)).catch(() => undefined);
  }
}

async function finishReport(run: DrillRun, status: DrillReport['status']): Promise<DrillReport> {
  const finished = Date.now();
  const { kube, aws } = run;
  const report: DrillReport = {
    schemaVersion: 1,
    runId: run.runId,
    status,
    recoveryPoint: {
      path: run.options.recoveryPointLabel ?? resolve(run.options.recoveryPoint),
      id: run.rpId,
      createdAt: run.createdAt,
      sourceNamespaces: run.sourceNamespaces,
    },
    target: {
      context: kube.contextName,
      server: kube.server,
      namespace: run.namespaces.join(','),
      awsEndpoint: aws?.endpoint.url,
      awsPrefix: run.prefix,
      renamed: run.renamed,
    },
    startedAt: new Date(run.started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    recoveryTimeMs: run.clock.totalOf(RECOVERY_PHASES),
    totalMs: finished - run.started,
    phases: orderPhases(run.clock.phases),
    checks: run.checks,
    gaps: run.gaps,
    counts: countsOf(run.checks, run.gaps),
    cleanup: run.cleanup,
    ...(run.adapt ? { adapted: { reason: run.adapt.reason, adaptations: run.adaptations } } : {}),
    ...(run.beyond.length ? { beyondNamespaces: run.beyond } : {}),
    ...(run.error ? { error: run.error } : {}),
  };
  await writeReportFiles(report, run.reportDir, run.drillsDir, run.options.reportFile, run.logger);
  return report;
}

function orderPhases(phases: DrillReport['phases']): DrillReport['phases'] {
  const order = [...RECOVERY_PHASES, 'cleanup'];
  return [...phases].sort((a, b) => order.indexOf(a.phase) - order.indexOf(b.phase));
}

async function writeReportFiles(
  report: DrillReport,
  reportDir: string,
  drillsDir: string,
  extra: string | undefined,
  logger: Logger,
): Promise<void> {
  try {
    await mkdir(reportDir, { recursive: true });
    report.files = { json: join(reportDir, 'report.json'), markdown: join(reportDir, 'report.md') };
    await writeFile(report.files.json, JSON.stringify(report, null, 2) + '\n');
    await writeFile(report.files.markdown, renderDrillMarkdown(report));
    if (extra)
      await writeFile(
        extra,
        extra.endsWith('.json') ? JSON.stringify(report, null, 2) + '\n' : renderDrillMarkdown(report),
      );
    await appendDrillHistory(drillsDir, report);
  } catch (e) {
    logger.error(`Could not write the drill report: ${describeError(e)}`);
    throw new DrydockError(
      'failed',
      `The drill ran (${report.status}) but its report could not be written: ${describeError(e)}`,
    );
  }
}

/** Creates the scratch namespace with the recovery point's labels and annotations, plus the drill's own. */
async function createScratchNamespace(
  kube: TimedKubeClient,
  reader: SnapshotReader,
  source: string,
  target: string,
  runId: string,
  signal?: AbortSignal,
): Promise<void> {
  let labels: Record<string, string> = {};
  let annotations: Record<string, string> = {};
  const path = `resources/namespaces/cluster/${source}.json`;
  if (reader.has(path)) {
    const ns = await reader.readItem(path);
    labels = { ...(ns.metadata?.labels ?? {}) };
    annotations = { ...(ns.metadata?.annotations ?? {}) };
  }
  labels['kubernetes.io/metadata.name'] = target;
  labels[DRILL_LABEL] = runId;
  Object.assign(annotations, drillOwnerAnnotations());
  await kube.request(
    'POST',
    '/api/v1/namespaces',
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: target, labels, annotations } },
    { signal },
  );
}

/** Cluster-scoped items of the plan (other than namespaces) that the target does not have yet: the restore may create them. */
async function absentClusterObjects(
  plan: readonly PlannedItem[],
  kube: TimedKubeClient,
  signal?: AbortSignal,
): Promise<Array<{ path: string; name: string }>> {
  const out: Array<{ path: string; name: string }> = [];
  for (const item of plan) {
    if (item.targetNamespace !== undefined || item.groupResource === 'namespaces') continue;
    const path = resourcePath(item.type, undefined, item.name);
    try {
      await kube.request('GET', path, undefined, { signal });
    } catch (error) {
      if (KubeApiError.is(error) && error.statusCode === 404) out.push({ path, name: item.name });
      else throw error;
    }
  }
  return out;
}

/** A kubeconfig whose current context is the drill's, defaulting to the scratch namespace (for shell checks). */
async function writeDrillKubeconfig(
  kc: KubeConfig,
  context: string,
  namespace: string | undefined,
  dir: string,
): Promise<string> {
  const config = JSON.parse(kubeConfigForContext(kc, context).exportConfig()) as {
    contexts?: Array<{ name: string; context: Record<string, unknown> }>;
  };
  for (const c of config.contexts ?? []) if (c.name === context && namespace) c.context.namespace = namespace;
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'kubeconfig');
  await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}
