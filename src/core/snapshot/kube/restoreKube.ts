import type { KubeRawClient } from '../../kube/rawClient';
import { resourcePath } from '../../kube/discovery';
import { KubeApiError } from '../../kube/kubeApiError';
import { describeError, DrydockError } from '../../errors';
import type { Logger } from '../../log';
import type { SnapshotReader } from '../archive/snapshotReader';
import { forEachLimited } from '../concurrency';
import { prettyCanonicalJson } from '../../canonicalJson';
import { jsonDiff } from '../jsonDiff';
import type { KubeObject } from '../kubeObject';
import { isRecord, metadataOf } from '../kubeObject';
import { throwIfAborted, type ProgressCallback } from '../progress';
import { mapReferenceStrings } from '../references';
import { dryRunResult, skippedExisting, type ExistingPolicy } from '../existingPolicy';
import type { ItemResult } from '../restoreResult';
import { sanitizeForRestore, type SanitizeContext } from '../sanitize';
import { actionFor } from '../actions/registry';
import type { AdaptContext, Adaptation } from '../../adapt/adaptation';
import { isMissingType } from '../../adapt/missingCrd';
import { adaptObject } from '../../adapt/registry';
import { itemId, sourceItemId, type PlannedItem } from './restorePlan';

export interface KubeRestoreOptions {
  client: KubeRawClient;
  existing: ExistingPolicy;
  dryRun: boolean;
  sanitize: SanitizeContext;
  /** Rewrites references to renamed AWS resources; identity when nothing is renamed. */
  rewrite?: (value: string) => string;
  onRewrite?: (id: string, count: number) => void;
  /** Production → local adaptations (undefined: restore exactly as Velero would). */
  adapt?: AdaptContext;
  /** Each item's adaptations, named by the item's source id. */
  onAdapt?: (adaptations: Adaptation[]) => void;
  signal?: AbortSignal;
  progress: ProgressCallback;
  logger: Logger;
  /** How long to wait for CRDs to become Established and deleted objects to go. */
  waitTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The object exactly as it will be sent: sanitised, namespace-mapped, references rewritten, then adapted for
 * the target (production → local) unless adaptations are off. Restore, dry run, diff and drill checks all
 * build an item through here, so they see the same object.
 */
export async function prepareItem(
  reader: SnapshotReader,
  item: PlannedItem,
  opts: Pick<KubeRestoreOptions, 'sanitize' | 'rewrite' | 'onRewrite' | 'adapt' | 'onAdapt'>,
): Promise<KubeObject> {
  const obj = sanitizeForRestore(await reader.readItem(item.path), opts.sanitize, item.groupResource);
  if (opts.rewrite) {
    const n = mapReferenceStrings(obj, opts.rewrite);
    if (n > 0) opts.onRewrite?.(itemId(item), n);
  }
  if (opts.adapt) {
    const subject = sourceItemId(item);
    const adaptations = adaptObject(obj, item.groupResource, opts.adapt).map((a) => ({ ...a, subject }));
    if (adaptations.length) opts.onAdapt?.(adaptations);
  }
  return obj;
}

/** A type the target does not serve and the restore does not define: its items fail at once, each reported. */
function missingTypeProblem(group: readonly PlannedItem[], opts: KubeRestoreOptions): string | undefined {
  const gr = group[0]!.groupResource;
  if (!opts.adapt || !isMissingType(gr, opts.adapt)) return undefined;
  opts.onAdapt?.(
    group.map((item) => ({
      kind: 'missing-crd' as const,
      subject: sourceItemId(item),
      gap: true,
      change: `not restored: no CustomResourceDefinition ${gr} here or in the recovery point (install its operator or CRD first)`,
    })),
  );
  return `the CustomResourceDefinition ${gr} is not on the target nor in the recovery point`;
}

/**
 * Writes of one type in flight at once. Creating 2,000 objects on a local API server took 10.5 s with 8 in flight,
 * 6.6 s with 16, 5.4 s with 32 and 10.9 s with 64 (bench/kube.ts, its sweep of bare creates).
 */
const ITEMS_IN_FLIGHT = 32;

/**
 * Applies the plan in order. Types are restored one after another (Velero's order matters); items of one
 * type in parallel. Every item gets a result; one failure never stops the rest.
 */
export async function restoreKube(
  reader: SnapshotReader,
  plan: readonly PlannedItem[],
  opts: KubeRestoreOptions,
): Promise<ItemResult[]> {
  const results: ItemResult[] = [];
  if (!opts.dryRun) await waitForTerminatingNamespaces(plan, opts);
  const groups: PlannedItem[][] = [];
  for (const item of plan) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.groupResource === item.groupResource) last.push(item);
    else groups.push([item]);
  }
  let done = 0;
  // Once the API server stops answering (frozen, killed), the rest is not tried: each would wait out its own
  // bound. They are reported failed with the cause, so the restore ends partial in about one bound.
  let unreachable: DrydockError | undefined;
  const attempt = async (item: PlannedItem): Promise<ItemResult> => {
    if (unreachable)
      return { system: 'kube', id: itemId(item), outcome: 'failed', message: `Not attempted: ${unreachable.message}` };
    try {
      return await restoreItem(reader, item, opts);
    } catch (error) {
      if (!DrydockError.is(error, 'unreachable')) throw error;
      unreachable ??= error;
      return { system: 'kube', id: itemId(item), outcome: 'failed', message: describeError(error) };
    }
  };
  for (const group of groups) {
    throwIfAborted(opts.signal);
    const first = group[0]!;
    let typeProblem = missingTypeProblem(group, opts);
    if (
      !typeProblem &&
      first.type.group.includes('.') &&
      first.groupResource !== 'customresourcedefinitions.apiextensions.k8s.io'
    ) {
      typeProblem = await waitForCrdEstablished(first.groupResource, opts);
    }
    await forEachLimited(group, ITEMS_IN_FLIGHT, async (item) => {
      throwIfAborted(opts.signal);
      const result: ItemResult = {
        ...(typeProblem
          ? { system: 'kube', id: itemId(item), outcome: 'failed', message: typeProblem }
          : await attempt(item)),
        source: sourceItemId(item),
      };
      results.push(result);
      opts.progress({ phase: 'restore', message: `${result.outcome} ${result.id}`, done: ++done, total: plan.length });
    });
  }
  return results;
}

async function restoreItem(reader: SnapshotReader, item: PlannedItem, opts: KubeRestoreOptions): Promise<ItemResult> {
  const id = itemId(item);
  const { client, signal } = opts;
  let obj: KubeObject;
  try {
    obj = await prepareItem(reader, item, opts);
  } catch (error) {
    return { system: 'kube', id, outcome: 'failed', message: describeError(error) };
  }
  const collection = resourcePath(item.type, item.targetNamespace);
  const path = resourcePath(item.type, item.targetNamespace, item.name);
  try {
    if (opts.dryRun) return await dryRunItem(item, obj, opts);
    try {
      await client.request('POST', collection, obj, { signal });
      return { system: 'kube', id, outcome: 'created' };
    } catch (error) {
      if (!(KubeApiError.is(error) && error.statusCode === 409 && error.reason === 'AlreadyExists')) throw error;
    }
    switch (opts.existing) {
      case 'skip':
        return skippedExisting('kube', id);
      case 'update': {
        const live = await client.request<KubeObject>('GET', path, undefined, { signal });
        await client.request('PUT', path, forUpdate(obj, live, item.groupResource), { signal });
        return { system: 'kube', id, outcome: 'updated' };
      }
      case 'recreate':
        await client.request(
          'DELETE',
          path,
          { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
          { signal },
        );
        await waitGone(path, opts);
        await client.request('POST', collection, obj, { signal });
        return { system: 'kube', id, outcome: 'recreated' };
    }
  } catch (error) {
    if (DrydockError.is(error, 'unreachable')) throw error; // restoreKube stops trying the rest
    return { system: 'kube', id, outcome: 'failed', message: describeError(error) };
  }
}

/** An update keeps what the live object owns and cannot change: its resourceVersion, and what its kind's action keeps (a Service's cluster IPs). */
export function forUpdate(obj: KubeObject, live: KubeObject, groupResource: string): KubeObject {
  const next = structuredClone(obj);
  metadataOf(next).resourceVersion = metadataOf(live).resourceVersion;
  actionFor(groupResource)?.forUpdate?.(next, live);
  return next;
}

async function dryRunItem(item: PlannedItem, obj: KubeObject, opts: KubeRestoreOptions): Promise<ItemResult> {
  const id = itemId(item);
  let live: KubeObject;
  try {
    live = await opts.client.request<KubeObject>(
      'GET',
      resourcePath(item.type, item.targetNamespace, item.name),
      undefined,
      { signal: opts.signal },
    );
  } catch (error) {
    if (KubeApiError.is(error) && error.statusCode === 404) return dryRunResult('kube', id, false, opts.existing);
    throw error;
  }
  const liveSanitized = sanitizeForRestore(live, { namespaceMap: new Map() }, item.groupResource);
  return dryRunResult('kube', id, true, opts.existing, { changes: jsonDiff(obj, liveSanitized) });
}

/** Both sides of one item as canonical JSON, for a diff editor: the snapshot (as it would be sent) and the live object. */
export async function itemDiffTexts(
  reader: SnapshotReader,
  item: PlannedItem,
  opts: Pick<KubeRestoreOptions, 'client' | 'sanitize' | 'rewrite' | 'adapt' | 'signal'>,
): Promise<{ snapshot: string; live?: string }> {
  const obj = await prepareItem(reader, item, opts);
  try {
    const live = await opts.client.request<KubeObject>(
      'GET',
      resourcePath(item.type, item.targetNamespace, item.name),
      undefined,
      { signal: opts.signal },
    );
    return {
      snapshot: prettyCanonicalJson(obj),
      live: prettyCanonicalJson(sanitizeForRestore(live, { namespaceMap: new Map() }, item.groupResource)),
    };
  } catch (error) {
    if (KubeApiError.is(error) && error.statusCode === 404) return { snapshot: prettyCanonicalJson(obj) };
    throw error;
  }
}

async function waitGone(path: string, opts: KubeRestoreOptions): Promise<void> {
  const deadline = Date.now() + (opts.waitTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    try {
      await opts.client.request('GET', path, undefined, { signal: opts.signal });
    } catch (error) {
      if (KubeApiError.is(error) && error.statusCode === 404) return;
      throw error;
    }
    await sleep(250);
  }
  throw new Error(
    `${path} was deleted but is still there after ${(opts.waitTimeoutMs ?? 60_000) / 1000} s (finalizers?)`,
  );
}

/** Undefined when the CRD is Established (or the type is not a CRD); otherwise why its items cannot be restored. */
async function waitForCrdEstablished(groupResource: string, opts: KubeRestoreOptions): Promise<string | undefined> {
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${groupResource}`;
  const deadline = Date.now() + (opts.waitTimeoutMs ?? 60_000);
  for (;;) {
    try {
      const crd = await opts.client.request<KubeObject>('GET', path, undefined, { signal: opts.signal });
      const conditions = isRecord(crd.status) && Array.isArray(crd.status.conditions) ? crd.status.conditions : [];
      if (conditions.some((c) => isRecord(c) && c.type === 'Established' && c.status === 'True')) return undefined;
    } catch (error) {
      if (!(KubeApiError.is(error) && error.statusCode === 404)) return describeError(error);
      if (opts.dryRun) return undefined;
      // Not a CRD at all (aggregated API or built-in with a dotted group): nothing to wait for.
      if (groupResource.endsWith('.k8s.io')) return undefined;
      if (Date.now() >= deadline) return `the CustomResourceDefinition ${groupResource} does not exist on the target`;
    }
    if (opts.dryRun) return undefined;
    if (Date.now() >= deadline)
      return `the CustomResourceDefinition ${groupResource} did not become Established within ${(opts.waitTimeoutMs ?? 60_000) / 1000} s`;
    await sleep(200);
  }
}

async function waitForTerminatingNamespaces(plan: readonly PlannedItem[], opts: KubeRestoreOptions): Promise<void> {
  const targets = new Set(plan.filter((i) => i.groupResource === 'namespaces').map((i) => i.name));
  const deadline = Date.now() + (opts.waitTimeoutMs ?? 60_000) * 2;
  for (const ns of targets) {
    for (;;) {
      let live: KubeObject | undefined;
      try {
        live = await opts.client.request<KubeObject>('GET', `/api/v1/namespaces/${encodeURIComponent(ns)}`, undefined, {
          signal: opts.signal,
        });
      } catch (error) {
        if (KubeApiError.is(error) && error.statusCode === 404) break;
        throw error;
      }
      if (!metadataOf(live).deletionTimestamp || Date.now() > deadline) break;
      opts.progress({ phase: 'restore', message: `Waiting for namespace ${ns} to finish terminating` });
      await sleep(500);
    }
  }
}
