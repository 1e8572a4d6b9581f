import type { LocalReason } from '../guard/local';
import type { ApiResourceType } from './discovery';
import type { ObjectSummary } from './describe';
import type { ExplorerGroupId } from './resourceGroups';

/** A node of the Local Clusters tree as plain data (the VS Code layer turns it into a TreeItem). */
export type ExplorerNode =
  ContextNode | ClusterScopeNode | NamespaceNode | GroupNode | ResourceTypeNode | ObjectNode | MessageNode;

interface Base {
  /** Stable across refreshes, unique in the tree: expansion state hangs on it. */
  id: string;
}

export interface ContextNode extends Base {
  kind: 'context';
  contextName: string;
  server: string;
  /** Why it counts as local; undefined: not local, shown locked and never queried. */
  local: LocalReason | undefined;
  /** Why it counts as local or not, in words (the tooltip says it). */
  why?: string;
  current: boolean;
}

/** Cluster-scoped resources of a context (nodes, persistent volumes, CRDs, cluster roles, …). */
export interface ClusterScopeNode extends Base {
  kind: 'clusterScope';
  contextName: string;
}

export interface NamespaceNode extends Base {
  kind: 'namespace';
  contextName: string;
  namespace: string;
  /** e.g. `Terminating`; '' when Active. */
  description: string;
}

export interface GroupNode extends Base {
  kind: 'group';
  contextName: string;
  /** Undefined under the cluster-scope node. */
  namespace: string | undefined;
  group: ExplorerGroupId;
  label: string;
  types: ApiResourceType[];
}

export interface ResourceTypeNode extends Base {
  kind: 'resourceType';
  contextName: string;
  namespace: string | undefined;
  type: ApiResourceType;
  /** e.g. `Deployments`. */
  label: string;
  /** The objects, as listed when the group was loaded (raw JSON). */
  items: unknown[];
}

export interface ObjectNode extends Base {
  kind: 'object';
  contextName: string;
  namespace: string | undefined;
  type: ApiResourceType;
  name: string;
  uid: string;
  summary: ObjectSummary;
  /** `5m`, `3d`. */
  age: string;
}

export interface MessageNode extends Base {
  kind: 'message';
  severity: 'info' | 'error' | 'unreachable';
  label: string;
  /** A short reason (the full error is in the log). */
  detail?: string;
  /** The whole error, for a tooltip. */
  reason?: string;
}

export function contextNodeId(contextName: string): string {
  return `ctx/${encodeURIComponent(contextName)}`;
}
