import { qualifiedResource, type ApiResourceType } from './discovery';

/** The groups the Local Clusters view sorts resource types into. */
export type ExplorerGroupId = 'workloads' | 'config' | 'network' | 'storage' | 'access' | 'custom';

export const EXPLORER_GROUPS: ReadonlyArray<{ id: ExplorerGroupId; label: string }> = [
  { id: 'workloads', label: 'Workloads' },
  { id: 'config', label: 'Config' },
  { id: 'network', label: 'Network' },
  { id: 'storage', label: 'Storage' },
  { id: 'access', label: 'Access' },
  { id: 'custom', label: 'Custom Resources' },
];

/** Built-in resource types by group, in the order they are shown. Types not named here are not shown (events, leases, …). */
const BUILT_IN: Record<Exclude<ExplorerGroupId, 'custom'>, string[]> = {
  workloads: [
    'deployments.apps',
    'statefulsets.apps',
    'daemonsets.apps',
    'replicasets.apps',
    'pods',
    'jobs.batch',
    'cronjobs.batch',
    'horizontalpodautoscalers.autoscaling',
    'replicationcontrollers',
    'nodes',
  ],
  config: [
    'configmaps',
    'secrets',
    'resourcequotas',
    'limitranges',
    'poddisruptionbudgets.policy',
    'priorityclasses.scheduling.k8s.io',
    'runtimeclasses.node.k8s.io',
    'mutatingwebhookconfigurations.admissionregistration.k8s.io',
    'validatingwebhookconfigurations.admissionregistration.k8s.io',
  ],
  network: [
    'services',
    'ingresses.networking.k8s.io',
    'ingressclasses.networking.k8s.io',
    'networkpolicies.networking.k8s.io',
    'endpointslices.discovery.k8s.io',
  ],
  storage: [
    'persistentvolumeclaims',
    'persistentvolumes',
    'storageclasses.storage.k8s.io',
    'volumeattachments.storage.k8s.io',
    'csidrivers.storage.k8s.io',
  ],
  access: [
    'serviceaccounts',
    'roles.rbac.authorization.k8s.io',
    'rolebindings.rbac.authorization.k8s.io',
    'clusterroles.rbac.authorization.k8s.io',
    'clusterrolebindings.rbac.authorization.k8s.io',
  ],
};

/** API groups that Kubernetes itself serves; resource types of any other group are custom resources. */
const BUILT_IN_API_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'apiextensions.k8s.io',
  'admissionregistration.k8s.io',
  'apiregistration.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'node.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storagemigration.k8s.io',
  'metrics.k8s.io',
]);

const POSITION = new Map<string, { group: ExplorerGroupId; order: number }>();
for (const [group, names] of Object.entries(BUILT_IN) as Array<[ExplorerGroupId, string[]]>) {
  names.forEach((name, order) => POSITION.set(name, { group, order }));
}
// Custom resource definitions themselves sit with the custom resources (cluster scope).
POSITION.set('customresourcedefinitions.apiextensions.k8s.io', { group: 'custom', order: -1 });

/** Which group a resource type is shown in, or undefined when the view does not show it. */
export function explorerGroupOf(type: ApiResourceType): ExplorerGroupId | undefined {
  if (!type.verbs.includes('list')) return undefined;
  const known = POSITION.get(qualifiedResource(type));
  if (known) return known.group;
  return BUILT_IN_API_GROUPS.has(type.group) ? undefined : 'custom';
}

/**
 * Resource types of one scope (namespaced, or cluster-wide) sorted into the view's groups, in the
 * groups' order; built-ins in a fixed order, custom resources by kind then group. Empty groups are kept.
 */
export function groupResourceTypes(
  types: readonly ApiResourceType[],
  scope: 'namespaced' | 'cluster',
): Array<{ id: ExplorerGroupId; label: string; types: ApiResourceType[] }> {
  const inScope = types.filter((t) => t.namespaced === (scope === 'namespaced'));
  return EXPLORER_GROUPS.map(({ id, label }) => {
    const members = inScope.filter((t) => explorerGroupOf(t) === id);
    members.sort((a, b) => {
      const pa = POSITION.get(qualifiedResource(a))?.order ?? Number.MAX_SAFE_INTEGER;
      const pb = POSITION.get(qualifiedResource(b))?.order ?? Number.MAX_SAFE_INTEGER;
      return pa - pb || a.kind.localeCompare(b.kind) || a.group.localeCompare(b.group);
    });
    return { id, label, types: members };
  });
}

/** A plural label for a kind: `Deployments`, `Ingresses`, `NetworkPolicies`. */
export function pluralKind(kind: string): string {
  if (/(s|x|z|ch|sh)$/.test(kind)) return `${kind}es`;
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  return `${kind}s`;
}
