import * as vscode from 'vscode';
import { ClusterExplorer } from '../../core/kube/clusterExplorer';
import type { Logger } from '../../core/log';
import { ClusterTreeProvider } from './clusterTreeProvider';
import { openObject } from './commands/openObject';
import { refreshDocument } from './commands/refreshDocument';
import { revealSecretData } from './commands/revealSecretData';
import { showEvents } from './commands/showEvents';
import { CommandId, OBJECT_SCHEME } from './contextValues';
import { ObjectDocumentProvider } from './objectDocuments';
import { affectsClusterSettings, extraLocalContextsSetting, kubeconfigPathsSetting } from './settings';

/** What the Local Clusters view exposes to the rest of the extension (and to extension-host tests). */
export interface ClusterExplorerApi {
  explorer: ClusterExplorer;
  tree: ClusterTreeProvider;
  documents: ObjectDocumentProvider;
}

/** Registers the Local Clusters view, its object documents and its commands. All of it is read-only. */
export function registerClusterExplorer(context: vscode.ExtensionContext, logger: Logger): ClusterExplorerApi {
  const explorer = new ClusterExplorer({
    logger,
    kubeconfigPaths: kubeconfigPathsSetting,
    extraLocalContexts: extraLocalContextsSetting,
    watch: true,
  });
  const tree = new ClusterTreeProvider(explorer);
  const documents = new ObjectDocumentProvider(explorer, logger);
  const unsubscribe = explorer.onDidChange((change) => {
    tree.applyChange(change);
    documents.refreshAffected(change);
  });
  context.subscriptions.push(
    { dispose: unsubscribe },
    { dispose: () => explorer.dispose() },
    tree,
    documents,
    vscode.window.createTreeView('drydock.clusters', { treeDataProvider: tree, showCollapseAll: true }),
    vscode.workspace.registerTextDocumentContentProvider(OBJECT_SCHEME, documents),
    vscode.commands.registerCommand(CommandId.refresh, () => tree.refresh()),
    vscode.commands.registerCommand(CommandId.openObject, openObject),
    vscode.commands.registerCommand(CommandId.showEvents, showEvents),
    vscode.commands.registerCommand(CommandId.revealSecret, revealSecretData),
    vscode.commands.registerCommand(CommandId.refreshDocument, (uri?: vscode.Uri) => refreshDocument(documents, uri)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsClusterSettings(e)) tree.refresh();
    }),
  );
  logger.debug('Local Clusters view registered');
  return { explorer, tree, documents };
}
