import { describeError, DrydockError } from '../errors';
import type { Logger } from '../log';
import type { KubeConfig } from './clientNode';
import { ClusterChangeWatcher, type ResourceChange } from './changeWatcher';
import { formatAge, summarizeObject } from './describe';
import { discoverResources, qualifiedResource, resourcePath, type ApiResourceType } from './discovery';
import {
  contextNodeId,
  type ClusterScopeNode,
  type ContextNode,
  type ExplorerNode,
  type GroupNode,
  type MessageNode,
  type NamespaceNode,
  type ObjectNode,
  type ResourceTypeNode,
} from './explorerNodes';
import { listContexts, loadKubeConfig, primeKubeconfigServers, type KubeContextInfo } from './kubeconfig';
import { KubeRawClient } from './rawClient';
import { groupResourceTypes, pluralKind } from './resourceGroups';

export interface ClusterExplorerOptions {
  logger: Logger;
  /** Kubeconfig paths from settings; empty: `KUBECONFIG`, else `~/.kube/config`. */
  kubeconfigPaths?: () => string[];
  /** Contexts the user allows as local (setting `drydock.extraLocalContexts`). */
  extraLocalContexts?: () => string[];
  /** Watch what is shown and report changes (debounced). Off in tests that do not want it. */
  watch?: boolean;
  debounceMs?: number;
}

/** Changes in one context, reported after debouncing. */
export interface ExplorerChange {
  contextName: string;
  changes: ResourceChange[];
}

const NAMESPACES = 'namespaces';
const CRDS = 'customresourcedefinitions.apiextensions.k8s.io';
const LIST_CONCURRENCY = 8;

/**
 * The data behind the Local Clusters view: contexts → namespaces → groups → resource types → objects.
 * Never throws for a failed load: it returns a message node and logs the error. Only local contexts are
 * ever queried. Discovery is cached per context until `refresh()` or a CRD change.
 */
export class ClusterExplorer {
  private kubeConfig: KubeConfig | undefined;
  private contextInfos: KubeContextInfo[] = [];
  private readonly clients = new Map<string, KubeRawClient>();
  private readonly discovery = new Map<string, Promise<ApiResourceType[]>>();
  private readonly watchers = new Map<string, ClusterChangeWatcher>();
  private readonly listeners = new Set<(change: ExplorerChange) => void>();

  constructor(private readonly opts: ClusterExplorerOptions) {}

  /** Called with the changes the watches saw. Returns an unsubscribe function. */
  onDidChange(listener: (change: ExplorerChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets the kubeconfig, clients, discovery and watches; the next call reads everything again. */
  refresh(): void {
    this.kubeConfig = undefined;
    this.clients.clear();
    this.discovery.clear();
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
  }

  dispose(): void {
    this.refresh();
    this.listeners.clear();
  }

  async children(node?: ExplorerNode, signal?: AbortSignal): Promise<ExplorerNode[]> {
    const parentId = node?.id ?? 'root';
    try {
      if (!node) {
        await primeKubeconfigServers(this.config()); // host names count by the addresses they resolve to
        return this.contexts();
      }
      switch (node.kind) {
        case 'context':
          return node.local ? await this.contextChildren(node, signal) : [];
        case 'clusterScope':
          return await this.groups(node.contextName, undefined, node.id, signal);
        case 'namespace':
          return await this.groups(node.contextName, node.namespace, node.id, signal);
        case 'group':
          return await this.resourceTypes(node, signal);
        case 'resourceType':
          return this.objects(node);
        case 'object':
        case 'message':
          return [];
      }
    } catch (error) {
      return [this.failure(parentId, error, node)];
    }
  }

  /** The kubeconfig's contexts, local ones first (in kubeconfig order). */
  contexts(): ExplorerNode[] {
    const kc = this.config();
    this.contextInfos = listContexts(kc, this.opts.extraLocalContexts?.() ?? []);
    const current = kc.getCurrentContext();
    const nodes: ContextNode[] = this.contextInfos.map((c) => ({
      kind: 'context',
      id: contextNodeId(c.name),
      contextName: c.name,
      server: c.server,
      local: c.local,
      why: c.why,
      current: c.name === current,
    }));
    if (!nodes.length) {
      return [
        {
          kind: 'message',
          id: 'root/msg/empty',
          severity: 'info',
          label: 'No contexts in the kubeconfig',
          detail: 'Set drydock.kubeconfig or KUBECONFIG',
        },
      ];
    }
    return [...nodes.filter((n) => n.local), ...nodes.filter((n) => !n.local)];
  }

  /** A client for a local context. Non-local contexts are refused: Drydock never talks to them from this view. */
  client(contextName: string): KubeRawClient {
    const existing = this.clients.get(contextName);
    if (existing) return existing;
    const kc = this.config();
    const info = listContexts(kc, this.opts.extraLocalContexts?.() ?? []).find((c) => c.name === contextName);
    if (!info) throw new DrydockError('not-found', `The kubeconfig has no context named "${contextName}".`);
    if (!info.local) {
      throw new DrydockError(
        'not-local',
        `Context "${contextName}" (${info.server}) is not a local cluster; add it to drydock.extraLocalContexts to browse it.`,
      );
    }
    const client = new KubeRawClient(kc, contextName);
    this.clients.set(contextName, client);
    return client;
  }

  /** The resource types of a context, discovered once per refresh (and again after a CRD change). */
  discover(contextName: string, signal?: AbortSignal): Promise<ApiResourceType[]> {
    let found = this.discovery.get(contextName);
    if (!found) {
      found = discoverResources(this.client(contextName), {
        signal,
        onGroupError: (gv, error) =>
          this.opts.logger.warn(`Discovery of ${gv} on context "${contextName}" failed: ${describeError(error)}`),
      });
      this.discovery.set(contextName, found);
      found.catch(() => this.discovery.delete(contextName));
    }
    return found;
  }

  private async contextChildren(node: ContextNode, signal?: AbortSignal): Promise<ExplorerNode[]> {
    const client = this.client(node.contextName);
    const list = await client.list('/api/v1/namespaces', { signal });
    this.watchType(node.contextName, {
      group: '',
      version: 'v1',
      groupVersion: 'v1',
      resource: NAMESPACES,
      kind: 'Namespace',
      namespaced: false,
      verbs: ['list', 'watch'],
    });
    const namespaces: NamespaceNode[] = (
      list.items as Array<{ metadata?: { name?: string }; status?: { phase?: string } }>
    )
      .filter((ns) => ns.metadata?.name)
      .map((ns): NamespaceNode => {
        const name = ns.metadata?.name ?? '';
        const phase = ns.status?.phase ?? '';
        return {
          kind: 'namespace',
          id: `${node.id}/ns/${name}`,
          contextName: node.contextName,
          namespace: name,
          description: phase === 'Active' ? '' : phase,
        };
      })
      .sort((a, b) => a.namespace.localeCompare(b.namespace));
    const clusterScope: ClusterScopeNode = {
      kind: 'clusterScope',
      id: `${node.id}/cluster`,
      contextName: node.contextName,
    };
    return [clusterScope, ...namespaces];
  }

  private async groups(
    contextName: string,
    namespace: string | undefined,
    parentId: string,
    signal?: AbortSignal,
  ): Promise<ExplorerNode[]> {
    const types = await this.discover(contextName, signal);
    const crdType = types.find((t) => qualifiedResource(t) === CRDS);
    if (crdType) this.watchType(contextName, crdType);
    return groupResourceTypes(types, namespace === undefined ? 'cluster' : 'namespaced')
      .filter((g) => g.types.length > 0)
      .map((g): GroupNode => ({
        kind: 'group',
        id: `${parentId}/g/${g.id}`,
        contextName,
        namespace,
        group: g.id,
        label: g.label,
        types: g.types,
      }));
  }

  private async resourceTypes(node: GroupNode, signal?: AbortSignal): Promise<ExplorerNode[]> {
    const client = this.client(node.contextName);
    const results = await mapLimit(node.types, LIST_CONCURRENCY, async (type) => {
      try {
        this.watchType(node.contextName, type);
        const list = await client.list(resourcePath(type, node.namespace), { signal });
        return { type, items: list.items };
      } catch (error) {
        if (DrydockError.is(error, 'unreachable') || DrydockError.is(error, 'cancelled')) throw error;
        return { type, error };
      }
    });
    const nodes: ExplorerNode[] = [];
    for (const r of results) {
      const id = `${node.id}/t/${qualifiedResource(r.type)}`;
      if ('error' in r) {
        nodes.push(this.failure(id, r.error, node, `${pluralKind(r.type.kind)}: failed to load — show log`));
      } else if (r.items.length) {
        nodes.push({
          kind: 'resourceType',
          id,
          contextName: node.contextName,
          namespace: node.namespace,
          type: r.type,
          label: pluralKind(r.type.kind),
          items: r.items,
        } satisfies ResourceTypeNode);
      }
    }
    if (!nodes.length)
      return [{ kind: 'message', id: `${node.id}/msg/empty`, severity: 'info', label: 'No resources' }];
    return nodes;
  }

  private objects(node: ResourceTypeNode): ExplorerNode[] {
    const now = Date.now();
    return node.items
      .map((item): ObjectNode => {
        const metadata = ((item as { metadata?: Record<string, unknown> }).metadata ?? {}) as {
          name?: string;
          uid?: string;
          creationTimestamp?: string;
        };
        const name = metadata.name ?? '';
        return {
          kind: 'object',
          id: `${node.id}/o/${name}`,
          contextName: node.contextName,
          namespace: node.namespace,
          type: node.type,
          name,
          uid: metadata.uid ?? '',
          summary: summarizeObject(node.type.kind, item),
          age: formatAge(metadata.creationTimestamp, now),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private watchType(contextName: string, type: ApiResourceType): void {
    if (!this.opts.watch) return;
    let watcher = this.watchers.get(contextName);
    if (!watcher) {
      watcher = new ClusterChangeWatcher(this.client(contextName), (changes) => this.changed(contextName, changes), {
        logger: this.opts.logger,
        debounceMs: this.opts.debounceMs,
      });
      this.watchers.set(contextName, watcher);
    }
    watcher.watch(type);
  }

  private changed(contextName: string, changes: ResourceChange[]): void {
    if (changes.some((c) => c.resource === CRDS)) this.discovery.delete(contextName);
    for (const l of this.listeners) l({ contextName, changes });
  }

  private failure(
    parentId: string,
    error: unknown,
    node: ExplorerNode | undefined,
    label = 'Failed to load — show log',
  ): MessageNode {
    const where = node && 'contextName' in node ? ` (context "${node.contextName}")` : '';
    if (DrydockError.is(error, 'unreachable')) {
      this.opts.logger.warn(describeError(error));
      const server =
        node && 'contextName' in node ? this.contextInfos.find((c) => c.name === node.contextName)?.server : undefined;
      return {
        kind: 'message',
        id: `${parentId}/msg/error`,
        severity: 'unreachable',
        label: `Cluster unreachable${server ? `: ${server}` : ''}`,
        detail: 'not answering — Retry / Show Log',
        reason: describeError(error),
      };
    }
    this.opts.logger.error(`Loading ${parentId}${where} failed: ${describeError(error)}`);
    return { kind: 'message', id: `${parentId}/msg/error`, severity: 'error', label, detail: shortReason(error) };
  }

  private config(): KubeConfig {
    this.kubeConfig ??= loadKubeConfig(this.opts.kubeconfigPaths?.() ?? []);
    return this.kubeConfig;
  }
}

/** Which shown nodes a batch of changes makes stale: groups holding the changed types, or the context for namespaces and CRDs. */
export function nodesAffectedBy(shown: Iterable<ExplorerNode>, change: ExplorerChange): ExplorerNode[] {
  const whole = change.changes.some((c) => c.resource === NAMESPACES || c.resource === CRDS);
  const result: ExplorerNode[] = [];
  for (const node of shown) {
    if (!('contextName' in node) || node.contextName !== change.contextName) continue;
    if (whole && node.kind === 'context') result.push(node);
    if (node.kind !== 'group') continue;
    const hit = change.changes.some(
      (c) =>
        node.types.some((t) => qualifiedResource(t) === c.resource) &&
        (c.namespace === undefined || c.namespace === node.namespace),
    );
    if (hit) result.push(node);
  }
  return result;
}

function shortReason(error: unknown): string {
  const text = describeError(error);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const queue = items.entries(); // shared by the workers: each takes the next item
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (const [i, item] of queue) results[i] = await fn(item);
  });
  await Promise.all(workers);
  return results;
}
