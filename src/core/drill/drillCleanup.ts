import { rm } from 'node:fs/promises';
import type { AwsClients } from '../aws/clients';
import { deleteTable } from '../aws/dynamodb';
import { listAwsInventory } from '../aws/inventory';
import { deleteBucketAndContents } from '../aws/s3';
import { deleteQueueNamed } from '../aws/sqs';
import { describeError } from '../errors';
import type { KubeRawClient } from '../kube/rawClient';
import { KubeApiError } from '../kube/kubeApiError';
import type { Logger } from '../log';
import { isRecord, type KubeObject } from '../snapshot/kubeObject';
import type { DrillLedger, LabelledDrillObject } from './ledger';
import { DRILL_HOST_ANNOTATION, DRILL_LABEL, DRILL_PID_ANNOTATION, runIdOfAwsName } from './scratchNames';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isNotFound = (e: unknown) => KubeApiError.is(e) && e.statusCode === 404;

export interface CleanupContext {
  kube?: KubeRawClient;
  aws?: AwsClients;
  logger: Logger;
  /** How long to wait for a deleted namespace to be gone. */
  namespaceGoneTimeoutMs?: number;
}

/** What a cleanup removed and what it could not; an error keeps the ledger so the next drill tries again. */
export interface CleanupOutcome {
  removed: string[];
  errors: string[];
}

/**
 * Removes everything a ledger lists: AWS resources first (they were created after the namespace), then
 * stand-in volumes, cluster-scoped objects the restore created, the namespaces, and the work directory.
 * Things already gone count as removed. Runs to the end whatever fails, collecting errors.
 */
export async function removeDrillTarget(ledger: DrillLedger, ctx: CleanupContext): Promise<CleanupOutcome> {
  const out: CleanupOutcome = { removed: [], errors: [] };
  const attempt = async (what: string, fn: () => Promise<boolean>) => {
    try {
      if (await fn()) out.removed.push(what);
    } catch (error) {
      out.errors.push(`${what}: ${describeError(error)}`);
    }
  };
  if (ledger.aws) {
    if (!ctx.aws)
      out.errors.push(`AWS resources of drill ${ledger.runId} at ${ledger.aws.endpoint}: no AWS client to remove them`);
    else {
      const aws = ctx.aws;
      for (const q of ledger.aws.queues) await attempt(`sqs:${q}`, () => deleteQueueNamed(aws.sqs, q));
      for (const t of ledger.aws.tables) await attempt(`dynamodb:${t}`, () => deleteTable(aws.dynamodb, t));
      for (const b of ledger.aws.buckets) await attempt(`s3:${b}`, () => deleteBucketAndContents(aws.s3, b));
    }
  }
  if (ledger.kube) {
    if (!ctx.kube)
      out.errors.push(
        `Kubernetes objects of drill ${ledger.runId} on ${ledger.kube.context}: no client to remove them`,
      );
    else {
      const kube = ctx.kube;
      for (const ns of ledger.kube.namespaces)
        await attempt(`namespace/${ns}`, () =>
          deleteNamespace(kube, ns, ledger.runId, ctx.namespaceGoneTimeoutMs ?? 120_000),
        );
      for (const pv of ledger.kube.persistentVolumes)
        await attempt(`persistentvolume/${pv}`, () =>
          deleteLabelled(kube, `/api/v1/persistentvolumes/${encodeURIComponent(pv)}`, ledger.runId),
        );
      for (const o of ledger.kube.clusterObjects)
        await attempt(o.path, () => deleteIfCreatedSince(kube, o.path, ledger.createdAt));
    }
  }
  if (ledger.workDir)
    await attempt(ledger.workDir, async () => (await rm(ledger.workDir!, { recursive: true, force: true }), true));
  return out;
}

/** Removes a labelled drill object found without a ledger, and the AWS resources named with its run id. */
export async function removeOrphan(o: LabelledDrillObject, ctx: CleanupContext): Promise<CleanupOutcome> {
  const out: CleanupOutcome = { removed: [], errors: [] };
  try {
    if (ctx.kube) {
      const removed =
        o.kind === 'Namespace'
          ? await deleteNamespace(ctx.kube, o.name, o.runId, ctx.namespaceGoneTimeoutMs ?? 120_000)
          : await deleteLabelled(ctx.kube, `/api/v1/persistentvolumes/${encodeURIComponent(o.name)}`, o.runId);
      if (removed) out.removed.push(`${o.kind.toLowerCase()}/${o.name}`);
    }
  } catch (error) {
    out.errors.push(`${o.kind}/${o.name}: ${describeError(error)}`);
  }
  return out;
}

/** Every namespace and persistent volume carrying the drill label. */
export async function listLabelledDrillObjects(
  kube: KubeRawClient,
  signal?: AbortSignal,
): Promise<LabelledDrillObject[]> {
  const out: LabelledDrillObject[] = [];
  for (const [kind, path] of [
    ['Namespace', '/api/v1/namespaces'],
    ['PersistentVolume', '/api/v1/persistentvolumes'],
  ] as const) {
    for await (const raw of kube.listAll(path, { signal, query: { labelSelector: DRILL_LABEL } })) {
      if (!isRecord(raw) || !isRecord(raw.metadata)) continue;
      const meta = raw.metadata as KubeObject['metadata'] & { creationTimestamp?: string };
      const runId = meta?.labels?.[DRILL_LABEL];
      if (!meta?.name || !runId) continue;
      const pid = Number(meta.annotations?.[DRILL_PID_ANNOTATION]);
      out.push({
        kind,
        name: meta.name,
        runId,
        pid: Number.isInteger(pid) && pid > 0 ? pid : undefined,
        host: meta.annotations?.[DRILL_HOST_ANNOTATION],
        createdAt: meta.creationTimestamp,
      });
    }
  }
  return out;
}

/** Drill-prefixed AWS resources (`drill-<run id>-…`) whose run id is not in `keep`. */
export async function listOrphanAwsNames(
  aws: AwsClients,
  keep: ReadonlySet<string>,
): Promise<{ queues: string[]; tables: string[]; buckets: string[] }> {
  const orphan = (name: string) => {
    const run = runIdOfAwsName(name);
    return run !== undefined && !keep.has(run);
  };
  const { queues, tables, buckets } = await listAwsInventory(aws, undefined, { queueNamePrefix: 'drill-' });
  return { queues: queues.filter(orphan), tables: tables.filter(orphan), buckets: buckets.filter(orphan) };
}

async function deleteNamespace(kube: KubeRawClient, name: string, runId: string, timeoutMs: number): Promise<boolean> {
  const path = `/api/v1/namespaces/${encodeURIComponent(name)}`;
  if (!(await deleteLabelled(kube, path, runId))) return false;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await kube.request('GET', path);
    } catch (error) {
      if (isNotFound(error)) return true;
      throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`namespace ${name} is still terminating after ${Math.round(timeoutMs / 1000)} s (finalizers?)`);
    await sleep(500);
  }
}

/** Deletes the object only when it carries this drill's label: a drill never removes what it does not own. */
async function deleteLabelled(kube: KubeRawClient, path: string, runId: string): Promise<boolean> {
  let obj: KubeObject;
  try {
    obj = await kube.request<KubeObject>('GET', path);
  } catch (error) {
    if (isNotFound(error)) return true;
    throw error;
  }
  const label = obj.metadata?.labels?.[DRILL_LABEL];
  if (label !== runId)
    throw new Error(`${path} is not labelled ${DRILL_LABEL}=${runId} (found ${label ?? 'no label'}); left alone`);
  if (!obj.metadata?.['deletionTimestamp']) {
    await kube
      .request('DELETE', path, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' })
      .catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
  }
  return true;
}

/** A cluster-scoped object the restore may have created: removed only if it was created after the ledger. */
async function deleteIfCreatedSince(kube: KubeRawClient, path: string, since: string): Promise<boolean> {
  let obj: KubeObject;
  try {
    obj = await kube.request<KubeObject>('GET', path);
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
  const timestamp = obj.metadata?.['creationTimestamp'];
  const created = Date.parse(typeof timestamp === 'string' ? timestamp : '');
  // creationTimestamp has whole seconds.
  if (!(created >= Math.floor(Date.parse(since) / 1000) * 1000)) return false;
  await kube.request('DELETE', path).catch((error: unknown) => {
    if (!isNotFound(error)) throw error;
  });
  return true;
}
