import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { SnapshotsTreeProvider, type SnapshotTreeNode } from './snapshotsTree';
import { snapshotFolder } from './snapshotFolder';
import { ReportDocuments, REPORT_SCHEME } from './reportDocuments';
import { snapshotNamespace, type NamespaceTarget, type SnapshotPreset } from './commands/snapshotNamespace';
import { restoreSnapshotCommand, type RestoreChoices } from './commands/restoreSnapshot';
import { diffSnapshotCommand } from './commands/diffSnapshot';
import { deleteSnapshotCommand } from './commands/deleteSnapshot';
import { manageSnapshotKey } from './snapshotKey';
import { snapshotNamespaceNow } from './commands/snapshotNamespaceNow';
import type { ClusterExplorer } from '../../core/kube/clusterExplorer';
import { pickNamespace } from '../clusters/pickNamespace';
import { ContextKey, setContextKey } from '../contextKeys';

const summaryOf = (node: SnapshotTreeNode | undefined) => (node?.kind === 'snapshot' ? node.summary : undefined);

/** Registers the Snapshots view, "Snapshot namespace…" and the restore, diff and delete commands. */
export function registerSnapshots(context: vscode.ExtensionContext, logger: Logger, explorer: ClusterExplorer): { reports: ReportDocuments; tree: SnapshotsTreeProvider; folder: () => string } {
  const folder = () => snapshotFolder(context);
  const tree = new SnapshotsTreeProvider(folder, logger);
  const reports = new ReportDocuments();
  const version = (context.extension.packageJSON as { version: string }).version;
  const deps = { secrets: context.secrets, logger, reports };
  const writeDeps = () => ({
    secrets: context.secrets,
    folder: folder(),
    logger,
    version,
    onCreated: () => {
      setContextKey(ContextKey.tookSnapshot, true);
      tree.refresh();
    },
  });
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder()), '*'));
  context.subscriptions.push(
    tree,
    watcher,
    watcher.onDidCreate(() => tree.refresh()),
    watcher.onDidDelete(() => tree.refresh()),
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    vscode.window.createTreeView('drydock.snapshots', { treeDataProvider: tree, showCollapseAll: true }),
    vscode.commands.registerCommand('drydock.refreshSnapshots', () => tree.refresh()),
    vscode.commands.registerCommand('drydock.snapshotNamespace', (node?: NamespaceTarget, preset?: SnapshotPreset) =>
      snapshotNamespace(node, writeDeps(), preset),
    ),
    vscode.commands.registerCommand('drydock.snapshotNamespaceNow', (node?: NamespaceTarget) =>
      snapshotNamespaceNow(node, { ...writeDeps(), pickNamespace: () => pickNamespace(explorer, 'Snapshot a namespace') }),
    ),
    vscode.commands.registerCommand('drydock.restoreSnapshot', (node?: SnapshotTreeNode, preset?: RestoreChoices) => restoreSnapshotCommand(summaryOf(node), deps, preset)),
    vscode.commands.registerCommand('drydock.diffSnapshot', (node?: SnapshotTreeNode) => diffSnapshotCommand(summaryOf(node), deps)),
    vscode.commands.registerCommand('drydock.deleteSnapshot', (node?: SnapshotTreeNode) => deleteSnapshotCommand(summaryOf(node), () => tree.refresh())),
    vscode.commands.registerCommand('drydock.revealSnapshot', (node?: SnapshotTreeNode) => {
      const s = summaryOf(node);
      if (s) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(s.path));
    }),
    vscode.commands.registerCommand('drydock.snapshotKey', () => manageSnapshotKey(context.secrets)),
  );
  return { reports, tree, folder };
}
