import type { KubeRawClient } from './rawClient';

/** One kind of object the API server serves, at its group's preferred version. */
export interface ApiResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  /** `v1` for core, else `group/version` (the `apiVersion` of its objects). */
  groupVersion: string;
  /** Plural resource name used in paths, e.g. `deployments`. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

export interface DiscoveryOptions {
  signal?: AbortSignal;
  /** Called for a group version that could not be read (e.g. an aggregated API that is down); the rest is still returned. */
  onGroupError?: (groupVersion: string, error: unknown) => void;
}

interface ApiResourceList {
  resources?: Array<{ name: string; kind: string; namespaced: boolean; verbs?: string[] }>;
}
interface ApiGroupList {
  groups?: Array<{
    name: string;
    preferredVersion?: { groupVersion: string; version: string };
    versions?: Array<{ groupVersion: string; version: string }>;
  }>;
}

// Aggregated discovery (GA in Kubernetes 1.30): every group, version and resource in one response for
// /api and one for /apis, instead of one request per group version. Servers without it answer with the
// classic lists, and discovery falls back to asking each group version.
const AGGREGATED_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

interface AggregatedDiscovery {
  kind?: string;
  items?: Array<{
    metadata?: { name?: string };
    versions?: Array<{
      version: string;
      freshness?: string;
      resources?: Array<{ resource: string; responseKind?: { kind?: string }; scope?: string; verbs?: string[] }>;
    }>;
  }>;
}

/**
 * Every resource type the server serves now — the preferred version of each group, no subresources.
 * Nothing is cached between calls, so CRDs installed a moment ago are seen.
 */
export async function discoverResources(
  client: KubeRawClient,
  opts: DiscoveryOptions = {},
): Promise<ApiResourceType[]> {
  const signal = opts.signal;
  const [core, groups] = await Promise.all([
    client.request<AggregatedDiscovery & { versions?: string[] }>('GET', '/api', undefined, {
      signal,
      accept: AGGREGATED_ACCEPT,
    }),
    client.request<AggregatedDiscovery & ApiGroupList>('GET', '/apis', undefined, {
      signal,
      accept: AGGREGATED_ACCEPT,
    }),
  ]);
  if (core?.kind === 'APIGroupDiscoveryList' && groups?.kind === 'APIGroupDiscoveryList')
    return fromAggregated([core, groups], opts);
  return perGroupVersion(client, core, groups, opts);
}

/** The same, the classic way: the group list, then one request per group version (servers before 1.30 without aggregated discovery). */
export async function discoverResourcesPerGroupVersion(
  client: KubeRawClient,
  opts: DiscoveryOptions = {},
): Promise<ApiResourceType[]> {
  const [core, groups] = await Promise.all([
    client.request<{ versions?: string[] }>('GET', '/api', undefined, { signal: opts.signal }),
    client.request<ApiGroupList>('GET', '/apis', undefined, { signal: opts.signal }),
  ]);
  return perGroupVersion(client, core, groups, opts);
}

function fromAggregated(lists: AggregatedDiscovery[], opts: DiscoveryOptions): ApiResourceType[] {
  const result: ApiResourceType[] = [];
  for (const g of lists.flatMap((l) => l.items ?? [])) {
    const group = g.metadata?.name ?? '';
    // Versions come in the server's order of preference.
    const preferred = g.versions?.[0];
    if (!preferred) continue;
    const groupVersion = group ? `${group}/${preferred.version}` : preferred.version;
    if (preferred.freshness === 'Stale') {
      opts.onGroupError?.(
        groupVersion,
        new Error(
          'the server could not refresh its discovery for this group version (an aggregated API that is down?)',
        ),
      );
      continue;
    }
    for (const r of preferred.resources ?? []) {
      if (!r.responseKind?.kind) continue;
      result.push({
        group,
        version: preferred.version,
        groupVersion,
        resource: r.resource,
        kind: r.responseKind.kind,
        namespaced: r.scope === 'Namespaced',
        verbs: r.verbs ?? [],
      });
    }
  }
  return result;
}

async function perGroupVersion(
  client: KubeRawClient,
  core: { versions?: string[] } | undefined,
  groups: ApiGroupList | undefined,
  opts: DiscoveryOptions,
): Promise<ApiResourceType[]> {
  const signal = opts.signal;
  const targets: Array<{ group: string; version: string; groupVersion: string; path: string }> = [];
  const coreVersion = core?.versions?.includes('v1') ? 'v1' : core?.versions?.[0];
  if (coreVersion)
    targets.push({ group: '', version: coreVersion, groupVersion: coreVersion, path: `/api/${coreVersion}` });
  for (const g of groups?.groups ?? []) {
    const preferred = g.preferredVersion ?? g.versions?.[0];
    if (!preferred) continue;
    targets.push({
      group: g.name,
      version: preferred.version,
      groupVersion: preferred.groupVersion,
      path: `/apis/${preferred.groupVersion}`,
    });
  }
  const lists = await Promise.all(
    targets.map(async (t) => {
      try {
        return { t, list: await client.request<ApiResourceList>('GET', t.path, undefined, { signal }) };
      } catch (error) {
        if (signal?.aborted) throw error;
        opts.onGroupError?.(t.groupVersion, error);
        return { t, list: undefined };
      }
    }),
  );
  const result: ApiResourceType[] = [];
  for (const { t, list } of lists) {
    for (const r of list?.resources ?? []) {
      if (r.name.includes('/')) continue;
      result.push({
        group: t.group,
        version: t.version,
        groupVersion: t.groupVersion,
        resource: r.name,
        kind: r.kind,
        namespaced: r.namespaced,
        verbs: r.verbs ?? [],
      });
    }
  }
  return result;
}

/** The list path of a resource type, in one namespace or across all. */
export function resourcePath(
  type: Pick<ApiResourceType, 'group' | 'groupVersion' | 'resource' | 'namespaced'>,
  namespace?: string,
  name?: string,
): string {
  const base = type.group === '' ? `/api/${type.groupVersion}` : `/apis/${type.groupVersion}`;
  const ns = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${type.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

/** `deployments.apps`, `pods` — the name kubectl uses for a resource type. */
export function qualifiedResource(type: Pick<ApiResourceType, 'group' | 'resource'>): string {
  return type.group ? `${type.resource}.${type.group}` : type.resource;
}
