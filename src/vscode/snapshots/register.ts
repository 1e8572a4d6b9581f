import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { SnapshotsTreeProvider, type SnapshotTreeNode } from './snapshotsTree';
import { snapshotFolder } from './snapshotFolder';
import { ReportDocuments, REPORT_SCHEME } from './reportDocuments';
import { snapshotNamespace, type NamespaceTarget, type SnapshotSelection } from './commands/snapshotNamespace';
import { restoreSnapshotCommand, restoreWithChoices, type RestoreChoices } from './commands/restoreSnapshot';
import type { RestoreReport } from '../../core/snapshot';
import { diffSnapshotCommand } from './commands/diffSnapshot';
import { deleteSnapshotCommand } from './commands/deleteSnapshot';
import { manageSnapshotKey } from './snapshotKey';
import { snapshotNamespaceNow } from './commands/snapshotNamespaceNow';
import type { ClusterExplorer } from '../../core/kube/clusterExplorer';
import { pickNamespace } from '../clusters/pickNamespace';
import { ContextKey, setContextKey } from '../contextKeys';
import { firstAwsClients } from './snapshotTargets';

const summaryOf = (node: SnapshotTreeNode | undefined) => (node?.kind === 'snapshot' ? node.summary : undefined);

/** Registers the Snapshots view, "Snapshot namespace…" and the restore, diff and delete commands. */
export function registerSnapshots(
  context: vscode.ExtensionContext,
  logger: Logger,
  explorer: ClusterExplorer,
): {
  reports: ReportDocuments;
  tree: SnapshotsTreeProvider;
  folder: () => string;
  testing: SnapshotTestingApi | undefined;
} {
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
    // Commands take the tree node only: no argument answers a question for the user.
    vscode.commands.registerCommand('drydock.snapshotNamespace', (node?: NamespaceTarget) =>
      snapshotNamespace(node, writeDeps()),
    ),
    vscode.commands.registerCommand('drydock.snapshotNamespaceNow', (node?: NamespaceTarget) =>
      snapshotNamespaceNow(node, {
        ...writeDeps(),
        pickNamespace: () => pickNamespace(explorer, 'Snapshot a namespace'),
      }),
    ),
    vscode.commands.registerCommand('drydock.restoreSnapshot', (node?: SnapshotTreeNode) =>
      restoreSnapshotCommand(summaryOf(node), deps),
    ),
    vscode.commands.registerCommand('drydock.diffSnapshot', (node?: SnapshotTreeNode) =>
      diffSnapshotCommand(summaryOf(node), deps),
    ),
    vscode.commands.registerCommand('drydock.deleteSnapshot', (node?: SnapshotTreeNode) =>
      deleteSnapshotCommand(summaryOf(node), () => tree.refresh()),
    ),
    vscode.commands.registerCommand('drydock.revealSnapshot', (node?: SnapshotTreeNode) => {
      const s = summaryOf(node);
      if (s) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(s.path));
    }),
    vscode.commands.registerCommand('drydock.snapshotKey', () => manageSnapshotKey(context.secrets)),
  );
  // Extension-host tests drive the engine with their answers through activate()'s exports, never through a
  // command argument; the seam is absent in production mode, so no other extension can use it.
  const testing: SnapshotTestingApi | undefined =
    context.extensionMode === vscode.ExtensionMode.Production
      ? undefined
      : {
          // The first endpoint of drydock.aws.endpoints (the quick pick asks when there are several).
          snapshot: (node, selection) =>
            snapshotNamespace(node, writeDeps(), () => Promise.resolve(selection), firstAwsClients),
          restore: (node, choices, allowBeyondNamespaces = false) => {
            const summary = summaryOf(node);
            return summary
              ? restoreWithChoices(
                  summary,
                  choices,
                  deps,
                  () => Promise.resolve({ restore: true, allowBeyondNamespaces }),
                  firstAwsClients,
                )
              : Promise.resolve(undefined);
          },
        };
  return { reports, tree, folder, testing };
}

/** For extension-host tests only (undefined in production mode): the commands with the user's answers given. */
export interface SnapshotTestingApi {
  snapshot(node: NamespaceTarget, selection: SnapshotSelection): Promise<string | undefined>;
  restore(
    node: SnapshotTreeNode,
    choices: RestoreChoices,
    allowBeyondNamespaces?: boolean,
  ): Promise<RestoreReport | undefined>;
}
