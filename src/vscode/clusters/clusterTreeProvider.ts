import * as vscode from 'vscode';
import { nodesAffectedBy, type ClusterExplorer, type ExplorerChange } from '../../core/kube/clusterExplorer';
import type { ExplorerNode } from '../../core/kube/explorerNodes';
import { ContextKey, setContextKey, type ClustersState } from '../contextKeys';
import { treeItemFor } from './treeItems';

/**
 * The Local Clusters tree. Data comes from the engine's ClusterExplorer; this class only maps nodes to
 * TreeItems and decides what to refresh. Node ids are stable, so expansion survives refreshes.
 */
export class ClusterTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The latest instance of every node handed to VS Code, by id (VS Code refreshes by instance). */
  private readonly shown = new Map<string, ExplorerNode>();

  constructor(private readonly explorer: ClusterExplorer) {}

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return treeItemFor(node);
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    const children = await this.explorer.children(node);
    if (!node) {
      // No kubeconfig (or no contexts) and no local context leave the view empty for its welcome content.
      const state = rootState(children);
      setContextKey(ContextKey.clustersState, state);
      if (state !== 'ready') return [];
    } else if (node.kind === 'context' && children.some((c) => c.kind === 'namespace')) {
      setContextKey(ContextKey.sawCluster, true);
    }
    for (const child of children) this.shown.set(child.id, child);
    return children;
  }

  /** Everything again: the kubeconfig, discovery, lists. */
  refresh(): void {
    this.explorer.refresh();
    this.shown.clear();
    this.changed.fire(undefined);
  }

  /** Refreshes only the nodes a batch of watched changes makes stale. */
  applyChange(change: ExplorerChange): void {
    const targets = nodesAffectedBy(this.shown.values(), change);
    const contexts = targets.filter((t) => t.kind === 'context').map((t) => `${t.id}/`);
    for (const target of targets) {
      if (contexts.some((prefix) => target.id.startsWith(prefix))) continue; // its context refreshes anyway
      this.changed.fire(target);
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** What the root of the view shows: the welcome content's cases, or the contexts. */
function rootState(children: ExplorerNode[]): ClustersState {
  const [only] = children;
  if (children.length === 1 && only?.kind === 'message' && only.id === 'root/msg/empty') return 'noKubeconfig';
  const contexts = children.filter((c) => c.kind === 'context');
  if (contexts.length && contexts.every((c) => !c.local)) return 'noLocalContext';
  return 'ready';
}
