import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { AwsClients, AwsEndpoint } from '../aws/clients';
import type { KubeConfig } from '../kube/clientNode';
import { kubeConfigForContext } from '../kube/kubeconfig';
import { KubeApiError } from '../kube/kubeApiError';
import { resourcePath } from '../kube/discovery';
import { DrydockError, describeError } from '../errors';
import { silentLogger, type Logger } from '../log';
import { SnapshotReader } from '../snapshot/archive/snapshotReader';
import { planKubeRestore, type PlannedItem } from '../snapshot/kube/restorePlan';
import type { ProgressEvent } from '../snapshot/progress';
import { referenceRewriter, renamedAwsName, type AwsRename } from '../snapshot/references';
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
import { countsOf, drillStatusOf, RECOVERY_PHASES, type DrillCheck, type DrillGap, type DrillPhase, type DrillReport } from './drillReport';
import { emptyOutcome, mergeOutcome, type DrillTarget } from './drillTarget';
import { gapsFromRestoreItems, gapsFromSkipped, kubeSubject } from './gaps';
import { writeLedger, removeLedger, type DrillLedger } from './ledger';
import { cleanupLeftovers } from './leftoverCleanup';
import { markDrillDone, markDrillRunning, runningDrills } from './activeRuns';
import { PhaseClock, TimedKubeClient, timedAwsClients } from './phaseClock';
import { restoreIntoDrillTarget } from './restoreStep';
import { renderDrillMarkdown } from './reportMarkdown';
import { awsDrillPrefix, DRILL_HOST_ANNOTATION, DRILL_LABEL, DRILL_PID_ANNOTATION, newRunId, recoveryPointId, scratchNamespaceName } from './scratchNames';
import { planStandInVolumes } from './standInVolumes';

export interface RunDrillOptions {
  /** The recovery point: a snapshot directory or `.tar.gz`. */
  recoveryPoint: string;
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
  allow?: WriteAllowList;
  /** Also written: the report as JSON (`.json`) or Markdown (anything else). */
  reportFile?: string;
  /** A directory this drill made (e.g. its own recovery point) to remove with the target. */
  workDir?: string;
  runId?: string;
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

/**
 * Restores a recovery point into a scratch namespace and drill-prefixed AWS resources, verifies it,
 * times every phase, reports what was missing and cleans up. Never throws for a drill that ran: a failed,
 * cancelled or broken drill is a report with that status and the reason in `error`. Throws only when the
 * target is refused by the local-only guard or the options are unusable (nothing was written then).
 */
export async function runDrill(options: RunDrillOptions, hooks: DrillHooks = {}): Promise<DrillReport> {
  const logger = options.logger ?? silentLogger;
  const { signal } = hooks;
  const progress = (e: DrillProgressEvent) => hooks.onProgress?.(e);
  const runId = options.runId ?? newRunId();
  const started = Date.now();
  const drillsDir = drillsDirOf(options.workspaceDir);
  const reportDir = join(drillsDir, runId);
  const clock = new PhaseClock();
  const contextName = options.kube.context ?? options.kube.kubeConfig.getCurrentContext();
  const kube = new TimedKubeClient(options.kube.kubeConfig, contextName, clock);
  assertKubeWritable(kube.contextName, kube.server, options.allow);
  if (options.aws) assertAwsWritable(options.aws.endpoint.url, options.allow);
  const aws: AwsClients | undefined = options.aws ? timedAwsClients(options.aws.endpoint, clock) : undefined;
  const prefix = awsDrillPrefix(runId);
  const rpId = recoveryPointId(options.recoveryPoint);
  const checks: DrillCheck[] = [];
  const gaps: DrillGap[] = [];
  const renamed: DrillReport['target']['renamed'] = { queues: {}, tables: {}, buckets: {} };
  const cleanupInfo: DrillReport['cleanup'] = { done: false, kept: false, leftoversRemoved: [], errors: [] };
  let namespaces: string[] = [];
  let stopped: 'cancelled' | 'error' | undefined;
  let error: string | undefined;
  let ledger: DrillLedger | undefined;
  let reader: SnapshotReader | undefined;
  let kubeconfigFile: string | undefined;
  let createdAt: string | undefined;
  let sourceNamespaces: string[] = [];
  markDrillRunning(runId);
  try {
    progress({ phase: 'prepare', message: 'Removing leftovers of earlier drills' });
    const leftovers = await cleanupLeftovers({ drillsDir, kube, aws, logger, selfRuns: runningDrills(), signal });
    cleanupInfo.leftoversRemoved.push(...leftovers.removed);
    for (const e of leftovers.errors) logger.warn(`Leftover cleanup: ${e}`);

    // Validate: open (checksums, schema, passphrase), plan, and decide every name before anything is written.
    const validated = await clock.time('validate', async () => {
      progress({ phase: 'validate', message: `Validating ${options.recoveryPoint}` });
      const r = await SnapshotReader.open(options.recoveryPoint, { keySource: options.keySource, signal });
      reader = r;
      if (r.manifest.counts.secrets > 0 && !r.canReadSecrets) {
        throw new DrydockError('invalid-input', "This recovery point's secrets are encrypted: give its passphrase (DRYDOCK_SNAPSHOT_PASSPHRASE).");
      }
      createdAt = r.manifest.createdAt;
      sourceNamespaces = r.manifest.source.kube?.namespaces ?? [];
      const now = new Date(started);
      const namespaceMap = new Map<string, string>();
      for (const ns of sourceNamespaces) namespaceMap.set(ns, scratchNamespaceName(sourceNamespaces.length > 1 ? `${rpId}-${ns}` : rpId, runId, now));
      const plan = planKubeRestore(r, { namespaceMap });
      for (const q of r.manifest.aws.sqs) renamed.queues[q.name] = renamedAwsName('sqs', q.name, prefix);
      for (const t of r.manifest.aws.dynamodb) renamed.tables[t.name] = renamedAwsName('dynamodb', t.name, prefix);
      for (const b of r.manifest.aws.s3) renamed.buckets[b.name] = renamedAwsName('s3', b.name, prefix);
      if (!aws && (r.manifest.aws.sqs.length || r.manifest.aws.dynamodb.length || r.manifest.aws.s3.length)) {
        throw new DrydockError('invalid-input', 'This recovery point has AWS resources: give the local AWS endpoint to restore them into (--aws-endpoint).');
      }
      const standIns = options.standInVolumes === false ? [] : await planStandInVolumes(r, plan, kube, runId, signal);
      const clusterObjects = await absentClusterObjects(plan, kube, signal);
      return { namespaceMap, plan, standIns, clusterObjects };
    });
    const { namespaceMap, plan, standIns, clusterObjects } = validated;
    namespaces = [...namespaceMap.values()];
    gaps.push(...gapsFromSkipped(reader!.manifest.skipped));

    // The ledger lists everything the drill may create, before it creates any of it.
    ledger = {
      runId,
      createdAt: new Date().toISOString(),
      pid: process.pid,
      host: hostname(),
      kube: { context: kube.contextName, server: kube.server, namespaces, persistentVolumes: standIns.map((s) => String(s.volume.metadata!.name)), clusterObjects },
      ...(aws ? { aws: { endpoint: aws.endpoint.url, region: aws.endpoint.region, queues: Object.values(renamed.queues), tables: Object.values(renamed.tables), buckets: Object.values(renamed.buckets) } } : {}),
      ...(options.workDir ? { workDir: resolve(options.workDir) } : {}),
    };
    await writeLedger(drillsDir, ledger);

    await clock.time('kube-apply', async () => {
      for (const [source, target] of namespaceMap) await createScratchNamespace(kube, reader!, source, target, runId, signal);
      for (const s of standIns) await kube.request('POST', '/api/v1/persistentvolumes', s.volume, { signal });
    });

    progress({ phase: 'validate', message: 'Restoring the recovery point into the drill target' });
    const restoreStart = Date.now();
    clock.watchRestore();
    let restore: RestoreReport;
    try {
      restore = await restoreIntoDrillTarget({
        source: options.recoveryPoint,
        keySource: options.keySource,
        kube: { client: kube, namespaceMap },
        aws: aws ? { clients: aws, prefix } : undefined,
        allow: options.allow,
        signal,
        logger,
        waitTimeoutMs: options.crdWaitTimeoutMs ?? 15_000,
        progress: (e) => progress({ phase: ENGINE_PHASE[e.phase], message: e.message, done: e.done, total: e.total }),
      });
    } finally {
      clock.splitRestore(restoreStart, Date.now());
    }
    const failedIds = new Set(restore.items.filter((i) => i.outcome === 'failed').map((i) => i.id));
    const toSource = (id: string, system: string) => {
      if (system !== 'kube') {
        const [svc, name] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
        const all = { ...renamed.queues, ...renamed.tables, ...renamed.buckets };
        return `${svc}:${Object.keys(all).find((k) => all[k] === name) ?? name}`;
      }
      const parts = id.split('/');
      if (parts.length === 3) return kubeSubject(parts[0]!, [...namespaceMap].find(([, t]) => t === parts[1])?.[0] ?? parts[1], parts[2]!);
      return id;
    };
    gaps.push(...gapsFromRestoreItems(restore.items, (i) => toSource(i.id, i.system)));
    checks.push({
      category: 'restore',
      name: `restore applied every item (${restore.items.length})`,
      passed: restore.counts.failed === 0,
      detail: `created ${restore.counts.created}, skipped ${restore.counts.skipped}, failed ${restore.counts.failed}${restore.counts.failed ? `: ${restore.items.filter((i) => i.outcome === 'failed').slice(0, 3).map((i) => `${toSource(i.id, i.system)} (${i.message})`).join('; ')}` : ''}`,
    });

    const rewrite = await drillRewriter(aws, reader!, renamed);
    kubeconfigFile = await writeDrillKubeconfig(options.kube.kubeConfig, contextName, namespaces[0], reportDir);
    const target: DrillTarget = { kube, aws, reader: reader!, plan, namespaceMap, rewrite, renamed, failedIds, kubeconfigFile, workspaceDir: resolve(options.workspaceDir), signal, logger };

    const readiness = await clock.time('readiness', () =>
      waitForReadiness({
        kube,
        namespaces,
        bindable: () => undefined,
        timeoutMs: options.readyTimeoutMs ?? 90_000,
        sourceNamespace: (ns) => [...namespaceMap].find(([, t]) => t === ns)?.[0] ?? ns,
        signal,
        onWaiting: (w) => progress({ phase: 'readiness', message: `Waiting for ${w.length} to become ready: ${w.slice(0, 3).join(', ')}` }),
      }),
    );
    for (const s of standIns) {
      const c = readiness.checks.find((x) => x.name.startsWith(`persistentvolumeclaims/${s.claim.name} `));
      if (c) c.detail = `${c.detail ?? ''} (stand-in volume ${String(s.volume.metadata!.name)}: class ${s.storageClass || '""'} has no provisioner; volume data is not part of a recovery point)`;
    }
    checks.push(...readiness.checks);
    gaps.push(...readiness.gaps);

    const verified = await clock.time('checks', async () => {
      const out = emptyOutcome();
      progress({ phase: 'checks', message: 'Comparing objects with the recovery point' });
      mergeOutcome(out, await checkObjects(target));
      progress({ phase: 'checks', message: 'Resolving references' });
      mergeOutcome(out, await checkReferences(target, reader!.manifest.skipped));
      progress({ phase: 'checks', message: 'Comparing AWS resources' });
      mergeOutcome(out, await checkAws(target));
      if (options.checks?.length) {
        progress({ phase: 'checks', message: `Running ${options.checks.length} user check(s)` });
        mergeOutcome(out, await runUserChecks(target, options.checks, runId));
      }
      return out;
    });
    checks.push(...verified.checks);
    // A gap already reported as a failed create is not reported again as a mismatch.
    const created = new Set(gaps.filter((g) => g.kind === 'create-failed').map((g) => g.subject));
    gaps.push(...verified.gaps.filter((g) => !(g.kind === 'object-mismatch' && created.has(g.subject))));
  } catch (e) {
    stopped = DrydockError.is(e, 'cancelled') || signal?.aborted ? 'cancelled' : 'error';
    error = stopped === 'cancelled' ? 'Cancelled.' : describeError(e);
    if (stopped === 'error') logger.error(`Drill ${runId} stopped: ${error}`);
  } finally {
    await reader?.close().catch(() => undefined);
  }

  let status = drillStatusOf(checks, gaps, stopped);
  const keep = status !== 'passed' && status !== 'cancelled' && options.keepOnFailure === true && ledger !== undefined;
  if (ledger) {
    await clock.time('cleanup', async () => {
      if (keep) {
        ledger!.kept = true;
        await writeLedger(drillsDir, ledger!).catch((e: unknown) => cleanupInfo.errors.push(describeError(e)));
        cleanupInfo.kept = true;
        return;
      }
      progress({ phase: 'cleanup', message: `Removing ${namespaces.join(', ')} and the drill's AWS resources` });
      const result = await removeDrillTarget(ledger!, { kube, aws, logger });
      cleanupInfo.errors.push(...result.errors);
      if (result.errors.length === 0) {
        await removeLedger(drillsDir, runId);
        cleanupInfo.done = true;
      }
    });
  }
  if (!ledger && options.workDir) {
    // Stopped before its ledger: only the work directory (and the ledger that named it) exist.
    await rm(options.workDir, { recursive: true, force: true }).catch((e: unknown) => cleanupInfo.errors.push(describeError(e)));
    await removeLedger(drillsDir, runId).catch(() => undefined);
    cleanupInfo.done = cleanupInfo.errors.length === 0;
  }
  if (kubeconfigFile && !keep) await rm(kubeconfigFile, { force: true });
  aws?.destroy();
  markDrillDone(runId);
  if (cleanupInfo.errors.length && status === 'passed') status = 'failed';

  const finished = Date.now();
  const report: DrillReport = {
    schemaVersion: 1,
    runId,
    status,
    recoveryPoint: { path: resolve(options.recoveryPoint), id: rpId, createdAt, sourceNamespaces },
    target: { context: kube.contextName, server: kube.server, namespace: namespaces.join(','), awsEndpoint: aws?.endpoint.url, awsPrefix: prefix, renamed },
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    recoveryTimeMs: clock.totalOf(RECOVERY_PHASES),
    totalMs: finished - started,
    phases: orderPhases(clock.phases),
    checks,
    gaps,
    counts: countsOf(checks, gaps),
    cleanup: cleanupInfo,
    ...(error ? { error } : {}),
  };
  await writeReportFiles(report, reportDir, drillsDir, options.reportFile, logger);
  return report;
}

function orderPhases(phases: DrillReport['phases']): DrillReport['phases'] {
  const order = [...RECOVERY_PHASES, 'cleanup'];
  return [...phases].sort((a, b) => order.indexOf(a.phase) - order.indexOf(b.phase));
}

async function writeReportFiles(report: DrillReport, reportDir: string, drillsDir: string, extra: string | undefined, logger: Logger): Promise<void> {
  try {
    await mkdir(reportDir, { recursive: true });
    report.files = { json: join(reportDir, 'report.json'), markdown: join(reportDir, 'report.md') };
    await writeFile(report.files.json, JSON.stringify(report, null, 2) + '\n');
    await writeFile(report.files.markdown, renderDrillMarkdown(report));
    if (extra) await writeFile(extra, extra.endsWith('.json') ? JSON.stringify(report, null, 2) + '\n' : renderDrillMarkdown(report));
    await appendDrillHistory(drillsDir, report);
  } catch (e) {
    logger.error(`Could not write the drill report: ${describeError(e)}`);
    throw new DrydockError('failed', `The drill ran (${report.status}) but its report could not be written: ${describeError(e)}`);
  }
}

/** Creates the scratch namespace with the recovery point's labels and annotations, plus the drill's own. */
async function createScratchNamespace(kube: TimedKubeClient, reader: SnapshotReader, source: string, target: string, runId: string, signal?: AbortSignal): Promise<void> {
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
  annotations[DRILL_PID_ANNOTATION] = String(process.pid);
  annotations[DRILL_HOST_ANNOTATION] = hostname();
  await kube.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: target, labels, annotations } }, { signal });
}

/** Cluster-scoped items of the plan (other than namespaces) that the target does not have yet: the restore may create them. */
async function absentClusterObjects(plan: readonly PlannedItem[], kube: TimedKubeClient, signal?: AbortSignal): Promise<Array<{ path: string; name: string }>> {
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

/** The same rewriting the restore applied: names, and each queue's URL to its drill copy's URL. */
async function drillRewriter(aws: AwsClients | undefined, reader: SnapshotReader, renamed: DrillReport['target']['renamed']): Promise<(value: string) => string> {
  const renames: AwsRename[] = [];
  for (const q of reader.manifest.aws.sqs) {
    const to = renamed.queues[q.name]!;
    const identifiers: Array<{ from: string; to: string }> = [];
    if (aws) {
      const url = await aws.sqs.send(new GetQueueUrlCommand({ QueueName: to })).then((r) => r.QueueUrl, () => undefined);
      if (url && url !== q.url) identifiers.push({ from: q.url, to: url });
    }
    renames.push({ service: 'sqs', from: q.name, to, identifiers });
  }
  for (const t of reader.manifest.aws.dynamodb) renames.push({ service: 'dynamodb', from: t.name, to: renamed.tables[t.name]! });
  for (const b of reader.manifest.aws.s3) renames.push({ service: 's3', from: b.name, to: renamed.buckets[b.name]! });
  return referenceRewriter(renames);
}

/** A kubeconfig whose current context is the drill's, defaulting to the scratch namespace (for shell checks). */
async function writeDrillKubeconfig(kc: KubeConfig, context: string, namespace: string | undefined, dir: string): Promise<string> {
  const config = JSON.parse(kubeConfigForContext(kc, context).exportConfig()) as { contexts?: Array<{ name: string; context: Record<string, unknown> }> };
  for (const c of config.contexts ?? []) if (c.name === context && namespace) c.context.namespace = namespace;
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'kubeconfig');
  await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}
