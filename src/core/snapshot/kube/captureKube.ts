import type { KubeRawClient } from '../../kube/rawClient';
import { discoverResources, resourcePath, type ApiResourceType } from '../../kube/discovery';
import { KubeApiError } from '../../kube/kubeApiError';
import { DrydockError } from '../../errors';
import type { Logger } from '../../log';
import type { SnapshotWriter } from '../archive/snapshotWriter';
import { forEachLimited } from '../concurrency';
import { groupResource, itemPath, preferredVersionPath, type ItemRef } from '../layout';
import type { CapturedResourceType, SnapshotManifest } from '../manifest';
import type { KubeObject } from '../kubeObject';
import { isRecord, metadataOf } from '../kubeObject';
import { throwIfAborted, type ProgressCallback } from '../progress';
import { skipReason } from '../skipRules';

export interface KubeCaptureOptions {
  client: KubeRawClient;
  namespaces: string[];
  /** ClusterRoleBindings with a subject in a captured namespace, and the ClusterRoles they bind. */
  includeClusterRbac?: boolean;
  /** Encrypts a Secret's JSON into the bytes stored for it; none: plain text (explicit opt-out). */
  encryptSecret?: (json: string) => Promise<Uint8Array>;
  /** Called with every kept object (for finding AWS references). */
  onObject?: (obj: KubeObject) => void;
  signal?: AbortSignal;
  progress: ProgressCallback;
  logger: Logger;
}

const REQUIRED_VERBS = ['list', 'create', 'get', 'delete'];
/** Object writes of one type in flight at once. */
const ITEMS_IN_FLIGHT = 16;
const CRD_TYPE: Omit<ApiResourceType, 'verbs'> = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  groupVersion: 'apiextensions.k8s.io/v1',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
};
const NAMESPACE_TYPE: Omit<ApiResourceType, 'verbs'> = {
  group: '',
  version: 'v1',
  groupVersion: 'v1',
  resource: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
};
const CLUSTER_ROLE_BINDING_TYPE: Omit<ApiResourceType, 'verbs'> = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  groupVersion: 'rbac.authorization.k8s.io/v1',
  resource: 'clusterrolebindings',
  kind: 'ClusterRoleBinding',
  namespaced: false,
};
const CLUSTER_ROLE_TYPE: Omit<ApiResourceType, 'verbs'> = {
  ...CLUSTER_ROLE_BINDING_TYPE,
  resource: 'clusterroles',
  kind: 'ClusterRole',
};

/** The namespaced types a snapshot captures: everything that can be listed, created, read and deleted. */
export function capturableTypes(types: readonly ApiResourceType[]): ApiResourceType[] {
  return types.filter((t) => t.namespaced && REQUIRED_VERBS.every((v) => t.verbs.includes(v)));
}

/**
 * Captures the namespaces' objects as the raw JSON the API server returned (list items get back the
 * apiVersion and kind a list leaves out), the Namespace objects, and the CRDs of captured custom resources.
 */
export async function captureKube(
  writer: SnapshotWriter,
  manifest: SnapshotManifest,
  opts: KubeCaptureOptions,
): Promise<void> {
  const { client, signal } = opts;
  opts.progress({ phase: 'discover', message: 'Discovering resource types' });
  const types = capturableTypes(
    await discoverResources(client, {
      signal,
      onGroupError: (gv, e) => opts.logger.warn(`Skipping API group ${gv}: ${(e as Error).message}`),
    }),
  );
  const counts = new Map<string, { type: Omit<ApiResourceType, 'verbs'>; count: number }>();
  const count = (type: Omit<ApiResourceType, 'verbs'>) => {
    const key = groupResource(type.resource, type.group);
    const entry = counts.get(key) ?? { type, count: 0 };
    entry.count++;
    counts.set(key, entry);
  };

  const writeItem = async (type: Omit<ApiResourceType, 'verbs'>, obj: KubeObject, namespace?: string) => {
    const name = metadataOf(obj).name!;
    const ref: ItemRef = { resource: type.resource, group: type.group, namespace, name };
    const json = JSON.stringify(obj);
    const encrypt = type.group === '' && type.resource === 'secrets' && opts.encryptSecret !== undefined;
    const data = encrypt ? await opts.encryptSecret!(json) : json;
    await writer.writeEntry([itemPath(ref, encrypt), preferredVersionPath(ref, type.version, encrypt)], data);
    if (type.group === '' && type.resource === 'secrets') manifest.counts.secrets++;
    manifest.counts.items++;
    count(type);
  };

  for (const ns of opts.namespaces) {
    let nsObj: KubeObject;
    try {
      nsObj = await client.request<KubeObject>('GET', `/api/v1/namespaces/${encodeURIComponent(ns)}`, undefined, {
        signal,
      });
    } catch (error) {
      if (KubeApiError.is(error) && error.statusCode === 404)
        throw new DrydockError('not-found', `Namespace "${ns}" does not exist in context "${client.contextName}".`);
      throw error;
    }
    await writeItem(NAMESPACE_TYPE, nsObj);
  }

  // Per namespace: the Services with a selector, whose Endpoints the controller maintains (read once, on demand).
  const selectorServices = new Map<string, Promise<Set<string>>>();
  const servicesWithSelector = (ns: string) => {
    let p = selectorServices.get(ns);
    if (!p) {
      p = (async () => {
        const names = new Set<string>();
        for await (const svc of client.listAll(`/api/v1/namespaces/${encodeURIComponent(ns)}/services`, { signal })) {
          if (
            !isRecord(svc) ||
            !isRecord(svc.spec) ||
            !isRecord(svc.spec.selector) ||
            Object.keys(svc.spec.selector).length === 0
          )
            continue;
          const name = isRecord(svc.metadata) ? svc.metadata.name : undefined;
          if (typeof name === 'string') names.add(name);
        }
        return names;
      })();
      selectorServices.set(ns, p);
    }
    return p;
  };

  const customGroups = new Map<string, ApiResourceType>();
  let done = 0;
  // Secrets first: the first one makes the snapshot's key, and a passphrase's scrypt then runs on the
  // thread pool while the other types are listed.
  const isSecrets = (t: ApiResourceType) => (t.group === '' && t.resource === 'secrets' ? 0 : 1);
  const ordered = [...types].sort((a, b) => isSecrets(a) - isSecrets(b));
  const jobs = opts.namespaces.flatMap((ns) => ordered.map((type) => ({ ns, type })));
  await forEachLimited(jobs, 8, async ({ ns, type }) => {
    throwIfAborted(signal);
    const gr = groupResource(type.resource, type.group);
    const skipCtx = gr === 'endpoints' ? { servicesWithSelector: await servicesWithSelector(ns) } : {};
    // Items are written while the list goes on, a bounded number at a time (file writes overlap on disk).
    const writing = new Set<Promise<void>>();
    let settled: PromiseSettledResult<void>[];
    try {
      for await (const raw of client.listAll(resourcePath(type, ns), { signal })) {
        if (!isRecord(raw)) continue;
        const obj = { apiVersion: type.groupVersion, kind: type.kind, ...raw } as KubeObject;
        const name = metadataOf(obj).name;
        if (!name) continue;
        const reason = skipReason(gr, obj, skipCtx);
        if (reason) {
          manifest.skipped.push({ resource: type.resource, group: type.group, namespace: ns, name, reason });
          continue;
        }
        const w = writeItem(type, obj, ns);
        writing.add(w);
        void w.then(
          () => writing.delete(w),
          () => undefined,
        );
        if (writing.size >= ITEMS_IN_FLIGHT) await Promise.race(writing);
        opts.onObject?.(obj);
        if (type.group.includes('.')) customGroups.set(gr, type);
      }
    } finally {
      // Every write has settled before this type counts as done (or before the listing's error propagates).
      settled = await Promise.allSettled(writing);
    }
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    opts.progress({ phase: 'kube', message: `${gr} in ${ns}`, done: ++done, total: jobs.length });
  });

  // CRDs of the custom resources that were captured, as cluster-scoped dependencies.
  for (const [gr, type] of customGroups) {
    try {
      const crd = await client.request<KubeObject>(
        'GET',
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${gr}`,
        undefined,
        { signal },
      );
      await writeItem(CRD_TYPE, crd);
    } catch (error) {
      if (KubeApiError.is(error) && error.statusCode === 404) {
        opts.logger.debug(`${gr} (${type.kind}) is not served by a CRD; no definition captured.`);
        continue;
      }
      throw error;
    }
  }

  if (opts.includeClusterRbac) await captureClusterRbac(opts, writeItem);

  manifest.resources = [...counts.values()]
    .map(({ type, count: c }): CapturedResourceType => ({
      group: type.group,
      version: type.version,
      resource: type.resource,
      kind: type.kind,
      namespaced: type.namespaced,
      count: c,
    }))
    .sort((a, b) => groupResource(a.resource, a.group).localeCompare(groupResource(b.resource, b.group)));
  manifest.counts.skipped = manifest.skipped.length;
}

async function captureClusterRbac(
  opts: KubeCaptureOptions,
  writeItem: (type: Omit<ApiResourceType, 'verbs'>, obj: KubeObject) => Promise<void>,
): Promise<void> {
  const roles = new Set<string>();
  for await (const raw of opts.client.listAll('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    signal: opts.signal,
  })) {
    if (!isRecord(raw)) continue;
    const subjects = Array.isArray(raw.subjects) ? raw.subjects : [];
    if (!subjects.some((s) => isRecord(s) && typeof s.namespace === 'string' && opts.namespaces.includes(s.namespace)))
      continue;
    const obj = {
      apiVersion: CLUSTER_ROLE_BINDING_TYPE.groupVersion,
      kind: CLUSTER_ROLE_BINDING_TYPE.kind,
      ...raw,
    } as KubeObject;
    await writeItem(CLUSTER_ROLE_BINDING_TYPE, obj);
    const ref = isRecord(raw.roleRef) ? raw.roleRef : {};
    if (ref.kind === 'ClusterRole' && typeof ref.name === 'string') roles.add(ref.name);
  }
  for (const name of roles) {
    try {
      const role = await opts.client.request<KubeObject>(
        'GET',
        `/apis/rbac.authorization.k8s.io/v1/clusterroles/${encodeURIComponent(name)}`,
        undefined,
        { signal: opts.signal },
      );
      await writeItem(CLUSTER_ROLE_TYPE, role);
    } catch (error) {
      if (!(KubeApiError.is(error) && error.statusCode === 404)) throw error;
    }
  }
}
