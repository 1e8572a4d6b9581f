// Context values of the Local Clusters tree items; package.json's menus match on these exact strings.

export const ContextValue = {
  context: 'drydock.context',
  /** A context that is not local: shown with a lock, never queried. */
  lockedContext: 'drydock.context.locked',
  clusterScope: 'drydock.clusterScope',
  /** Other features hang namespace commands on this (the node is a NamespaceNode: contextName + namespace). */
  namespace: 'drydock.namespace',
  group: 'drydock.group',
  resourceType: 'drydock.resourceType',
  object: 'drydock.object',
  secretObject: 'drydock.object.secret',
  message: 'drydock.message',
  /** A server that did not answer: inline Retry and Show Log. */
  unreachable: 'drydock.message.unreachable',
} as const;

/** The URI scheme of read-only object documents (YAML and events). */
export const OBJECT_SCHEME = 'drydock-kube';

export const CommandId = {
  refresh: 'drydock.refreshClusters',
  openObject: 'drydock.clusters.openObject',
  showEvents: 'drydock.clusters.showEvents',
  revealSecret: 'drydock.clusters.revealSecretData',
  refreshDocument: 'drydock.clusters.refreshDocument',
  showLog: 'drydock.showLog',
} as const;
