import type { KubeRawClient } from '../kube/rawClient';
import { discoverResources, qualifiedResource } from '../kube/discovery';
import { KubeApiError } from '../kube/kubeApiError';
import { isRecord, type KubeObject } from '../snapshot/kubeObject';
import type { TargetClusterFacts } from './adaptation';

const DEFAULT_SC = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];
const DEFAULT_IC = 'ingressclass.kubernetes.io/is-default-class';

/** Metadata only: listing Secrets must never bring their data into this process. */
const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

const nameOf = (o: unknown) => (isRecord(o) && isRecord(o.metadata) ? String(o.metadata.name) : '');
const isDefault = (o: unknown, keys: readonly string[]) =>
  isRecord(o) &&
  isRecord(o.metadata) &&
  isRecord(o.metadata.annotations) &&
  keys.some((k) => (o.metadata as { annotations: Record<string, unknown> }).annotations[k] === 'true');

async function listOrEmpty(
  client: KubeRawClient,
  path: string,
  signal?: AbortSignal,
  accept?: string,
): Promise<unknown[]> {
  try {
    const list = await client.request<{ items?: unknown[] }>('GET', path, undefined, { signal, accept });
    return Array.isArray(list?.items) ? list.items : [];
  } catch (error) {
    // A cluster without the API (no networking.k8s.io IngressClass on a very old server): nothing of that kind.
    if (KubeApiError.is(error) && (error.statusCode === 404 || error.statusCode === 403)) return [];
    throw error;
  }
}

/**
 * What production → local adaptations need to know about the target, read once before the first write: its
 * StorageClasses, IngressClasses and PriorityClasses (and the defaults), the types it serves, its nodes' labels
 * and taints, and the Services and Secrets (names only) in the namespaces the restore writes to.
 */
export async function readTargetFacts(
  client: KubeRawClient,
  opts: { namespaces: readonly string[]; signal?: AbortSignal },
): Promise<TargetClusterFacts> {
  const { signal } = opts;
  const [types, scs, ics, pcs, nodes, services] = await Promise.all([
    discoverResources(client, { signal }),
    listOrEmpty(client, '/apis/storage.k8s.io/v1/storageclasses', signal),
    listOrEmpty(client, '/apis/networking.k8s.io/v1/ingressclasses', signal),
    listOrEmpty(client, '/apis/scheduling.k8s.io/v1/priorityclasses', signal),
    listOrEmpty(client, '/api/v1/nodes', signal),
    listOrEmpty(client, '/api/v1/services', signal, METADATA_ONLY),
  ]);
  const secrets: string[] = [];
  for (const ns of opts.namespaces) {
    for (const s of await listOrEmpty(
      client,
      `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets`,
      signal,
      METADATA_ONLY,
    ))
      secrets.push(`${ns}/${nameOf(s)}`);
  }
  const nodeObjs = nodes.filter(isRecord) as KubeObject[];
  const taintKeys = new Set<string>();
  for (const n of nodeObjs) {
    const taints = isRecord(n.spec) && Array.isArray(n.spec.taints) ? n.spec.taints : [];
    for (const t of taints) if (isRecord(t) && typeof t.key === 'string') taintKeys.add(t.key);
  }
  return {
    storageClasses: scs.map(nameOf),
    defaultStorageClass: scs.map((s) => (isDefault(s, DEFAULT_SC) ? nameOf(s) : '')).find(Boolean),
    ingressClasses: ics.map(nameOf),
    defaultIngressClass: ics.map((s) => (isDefault(s, [DEFAULT_IC]) ? nameOf(s) : '')).find(Boolean),
    priorityClasses: pcs.map(nameOf),
    servedGroupResources: new Set(types.map((t) => qualifiedResource(t))),
    nodeLabels: nodeObjs.map((n) => ({ ...(n.metadata?.labels ?? {}) })),
    nodeTaintKeys: taintKeys,
    services: new Set(
      services.filter(isRecord).map((s) => `${String((s.metadata as { namespace?: string })?.namespace)}/${nameOf(s)}`),
    ),
    secrets: new Set(secrets),
  };
}
