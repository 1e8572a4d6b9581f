import { DrydockError } from '../errors';
import { resourcePath } from '../kube/discovery';
import { KubeApiError } from '../kube/kubeApiError';
import type { KubeRawClient } from '../kube/rawClient';
import type { SnapshotReader } from './archive/snapshotReader';
import { isRecord, type KubeObject } from './kubeObject';
import type { PlannedItem } from './kube/restorePlan';
import type { ExistingPolicy } from './existingPolicy';
import type { RestorePlan } from './restorePlan';

/**
 * A recovery point is untrusted input (it may come from someone else, or a Velero backup). What a restore
 * would create that reaches beyond its namespaces — cluster-scoped objects (ClusterRoles, ClusterRoleBindings,
 * admission webhooks, CRDs, PersistentVolumes, …) and RoleBindings that grant more than the namespace (a
 * ClusterRole such as cluster-admin, or subjects from other namespaces) — is listed before anything is written
 * and needs the user's explicit consent (`--allow-cluster-scoped`; in VS Code an extra confirmation).
 */
export interface BeyondNamespaceItem {
  /** `clusterrolebindings.rbac.authorization.k8s.io/ops-admin`, `rolebindings.rbac.authorization.k8s.io/shop/x`. */
  id: string;
  why: string;
}

const WHY_BY_RESOURCE: Record<string, string> = {
  'clusterrolebindings.rbac.authorization.k8s.io': 'grants permissions across the whole cluster',
  'clusterroles.rbac.authorization.k8s.io': 'defines cluster-wide permissions',
  'validatingwebhookconfigurations.admissionregistration.k8s.io':
    'an admission webhook: sees requests of the whole cluster',
  'mutatingwebhookconfigurations.admissionregistration.k8s.io':
    'an admission webhook: sees and changes requests of the whole cluster',
  'customresourcedefinitions.apiextensions.k8s.io': 'adds an API type to the whole cluster',
  persistentvolumes: 'a cluster-scoped volume (may point at host paths or other storage)',
  'apiservices.apiregistration.k8s.io': 'routes part of the cluster API to a service',
};

/** ClusterRoles that grant (nearly) everything in a namespace or beyond. */
const POWERFUL_CLUSTER_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'system:masters']);

function idOf(item: PlannedItem): string {
  return item.targetNamespace
    ? `${item.groupResource}/${item.targetNamespace}/${item.name}`
    : `${item.groupResource}/${item.name}`;
}

/** Why a RoleBinding grants more than its namespace, or undefined. */
function roleBindingReach(
  obj: KubeObject,
  namespace: string | undefined,
  sourceNamespaces: ReadonlySet<string>,
): string | undefined {
  const reasons: string[] = [];
  const roleRef = isRecord(obj.roleRef) ? obj.roleRef : {};
  if (roleRef.kind === 'ClusterRole') {
    const name = typeof roleRef.name === 'string' ? roleRef.name : '?';
    reasons.push(`binds the ClusterRole ${name}${POWERFUL_CLUSTER_ROLES.has(name) ? ' (full control)' : ''}`);
  }
  const subjects = Array.isArray(obj.subjects) ? obj.subjects.filter(isRecord) : [];
  for (const s of subjects) {
    if (
      s.kind === 'ServiceAccount' &&
      typeof s.namespace === 'string' &&
      s.namespace !== namespace &&
      !sourceNamespaces.has(s.namespace)
    ) {
      reasons.push(`grants to ServiceAccount ${s.namespace}/${String(s.name)} of another namespace`);
    }
    if (
      s.kind === 'Group' &&
      typeof s.name === 'string' &&
      (s.name === 'system:authenticated' ||
        s.name === 'system:unauthenticated' ||
        s.name.startsWith('system:serviceaccounts'))
    ) {
      reasons.push(`grants to the group ${s.name}`);
    }
  }
  return reasons.length ? reasons.join('; ') : undefined;
}

/**
 * Everything of the plan that reaches beyond its namespaces and that the restore would create or change:
 * with `existing: 'skip'`, an object already on the target is left alone and is not listed.
 */
export async function findBeyondNamespaces(
  reader: SnapshotReader,
  plan: RestorePlan,
  target: { client: KubeRawClient; existing: ExistingPolicy; signal?: AbortSignal } | undefined,
): Promise<BeyondNamespaceItem[]> {
  const out: BeyondNamespaceItem[] = [];
  const sourceNamespaces = new Set(plan.kube.flatMap((i) => (i.sourceNamespace ? [i.sourceNamespace] : [])));
  for (const item of plan.kube) {
    let why: string | undefined;
    if (item.targetNamespace === undefined && item.groupResource !== 'namespaces') {
      why = WHY_BY_RESOURCE[item.groupResource] ?? `a cluster-scoped ${item.type.kind}`;
    } else if (item.groupResource === 'rolebindings.rbac.authorization.k8s.io') {
      why = roleBindingReach(await reader.readItem(item.path), item.sourceNamespace, sourceNamespaces);
    }
    if (!why) continue;
    if (target && target.existing === 'skip' && (await exists(target.client, item, target.signal))) continue;
    out.push({ id: idOf(item), why });
  }
  return out;
}

async function exists(client: KubeRawClient, item: PlannedItem, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.request('GET', resourcePath(item.type, item.targetNamespace, item.name), undefined, { signal });
    return true;
  } catch (error) {
    if (KubeApiError.is(error) && error.statusCode === 404) return false;
    throw error;
  }
}

/** The refusal of a restore or drill that would reach beyond its namespaces without consent; it lists what. */
export class BeyondNamespacesRefused extends DrydockError {
  constructor(
    readonly items: readonly BeyondNamespaceItem[],
    again: 'restore' | 'drill',
  ) {
    super(
      'invalid-input',
      `This recovery point would create ${items.length} object(s) that reach beyond its namespaces; nothing was written:\n` +
        items.map((i) => `  ${i.id}: ${i.why}`).join('\n') +
        `\nA recovery point from elsewhere is untrusted input: check these, then ${again} again with --allow-cluster-scoped to create them.`,
    );
  }

  static isRefusal(value: unknown): value is BeyondNamespacesRefused {
    return value instanceof BeyondNamespacesRefused;
  }
}

/** Refuses (a usage error, nothing written) unless the user allowed what reaches beyond the namespaces. */
export function assertBeyondNamespacesAllowed(
  items: readonly BeyondNamespaceItem[],
  allowed: boolean,
  again: 'restore' | 'drill' = 'restore',
): void {
  if (!items.length || allowed) return;
  throw new BeyondNamespacesRefused(items, again);
}
