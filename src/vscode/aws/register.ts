import * as vscode from 'vscode';
import type { Logger } from '../../core/log';

/** Registers the Local AWS view and its commands. */
export function registerAwsExplorer(context: vscode.ExtensionContext, logger: Logger): void {
  const emitter = new vscode.EventEmitter<void>();
  const provider: vscode.TreeDataProvider<string> = {
    onDidChangeTreeData: emitter.event,
    getTreeItem: (label) => new vscode.TreeItem(label),
    getChildren: () => [],
  };
  context.subscriptions.push(
    emitter,
    vscode.window.createTreeView('drydock.aws', { treeDataProvider: provider }),
    vscode.commands.registerCommand('drydock.refreshAws', () => emitter.fire()),
  );
  logger.debug('Local AWS view registered');
}
