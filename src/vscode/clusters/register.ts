import * as vscode from 'vscode';
import type { Logger } from '../../core/log';

/** Registers the Local Clusters view and its commands. */
export function registerClusterExplorer(context: vscode.ExtensionContext, logger: Logger): void {
  const emitter = new vscode.EventEmitter<void>();
  const provider: vscode.TreeDataProvider<string> = {
    onDidChangeTreeData: emitter.event,
    getTreeItem: (label) => new vscode.TreeItem(label),
    getChildren: () => [],
  };
  context.subscriptions.push(
    emitter,
    vscode.window.createTreeView('drydock.clusters', { treeDataProvider: provider }),
    vscode.commands.registerCommand('drydock.refreshClusters', () => emitter.fire()),
  );
  logger.debug('Local Clusters view registered');
}
