import * as vscode from 'vscode';
import type { ClusterExplorer } from '../../core/kube/clusterExplorer';
import type { NamespaceNode } from '../../core/kube/explorerNodes';

/**
 * Asks for a namespace of a local context (for commands run without a tree node, e.g. from a welcome view or
 * the walkthrough). Lists what the Local Clusters view lists; undefined when cancelled or there is none.
 */
export async function pickNamespace(explorer: ClusterExplorer, title: string): Promise<NamespaceNode | undefined> {
  const load = async (): Promise<NamespaceNode[]> => {
    const contexts = explorer.contexts().filter((c) => c.kind === 'context' && c.local);
    const lists = await Promise.all(
      contexts.map(async (c) => (await explorer.children(c)).filter((n): n is NamespaceNode => n.kind === 'namespace')),
    );
    return lists.flat();
  };
  const namespaces = await load();
  if (!namespaces.length) {
    void vscode.window.showInformationMessage(
      'No namespace of a local cluster to choose: see the Local Clusters view.',
    );
    return undefined;
  }
  const several = new Set(namespaces.map((n) => n.contextName)).size > 1;
  const picked = await vscode.window.showQuickPick(
    namespaces.map((n) => ({
      label: n.namespace,
      description: several ? n.contextName : n.description || undefined,
      node: n,
    })),
    // Opened from welcome buttons and the walkthrough, whose pages take the focus back as they re-render.
    { title, placeHolder: 'Namespace', ignoreFocusOut: true },
  );
  return picked?.node;
}
