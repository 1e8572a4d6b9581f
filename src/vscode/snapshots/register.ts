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
import { describeError } from '../../core/errors';
import { showFailure } from '../logChannel';
import { firstAwsClients } from './snapshotTargets';
import { withOpenedVeleroBackup } from '../velero/openVeleroBackup';
import { veleroInspectText } from '../velero/inspectVeleroBackup';
import { pushSnapshotCommand } from '../velero/pushSnapshotCommand';

const summaryOf = (node: SnapshotTreeNode | undefined) => (node?.kind === 'snapshot' ? node.summary : undefined);
const veleroBackupOf = (node: SnapshotTreeNode | undefined) => (node?.kind === 'veleroBackup' ? node : undefined);

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
    vscode.commands.registerCommand('drydock.pushSnapshot', (node?: SnapshotTreeNode) =>
      pushSnapshotCommand(summaryOf(node), { logger, onPushed: () => tree.refresh() }),
    ),
    // A Velero backup (drydock.velero.locations) is opened for the one command, then its private copy is removed.
    vscode.commands.registerCommand('drydock.velero.inspect', async (node?: SnapshotTreeNode) => {
      const b = veleroBackupOf(node);
      if (!b) return;
      const opened = { explorer, version, purpose: 'Inspect', needsContext: false };
      await withOpenedVeleroBackup(b.setting, b.listing, opened, ({ summary, velero }) =>
        reports.open(`velero-${b.listing.name}.txt`, veleroInspectText(summary, velero)),
      ).then(undefined, (e: unknown) => veleroFailed('Inspect', b.listing.name, e));
    }),
    vscode.commands.registerCommand('drydock.velero.restore', async (node?: SnapshotTreeNode) => {
      const b = veleroBackupOf(node);
      if (!b) return;
      const opened = { explorer, version, purpose: 'Restore', needsContext: true };
      return withOpenedVeleroBackup(b.setting, b.listing, opened, ({ summary, keySource, context: target }) =>
        restoreSnapshotCommand(summary, { ...deps, opened: { keySource, context: target } }),
      ).then(undefined, (e: unknown) => veleroFailed('Restore', b.listing.name, e));
    }),
    vscode.commands.registerCommand('drydock.velero.diff', async (node?: SnapshotTreeNode) => {
      const b = veleroBackupOf(node);
      if (!b) return;
      const opened = { explorer, version, purpose: 'Compare', needsContext: true };
      await withOpenedVeleroBackup(b.setting, b.listing, opened, ({ summary, keySource, context: target }) =>
        diffSnapshotCommand(summary, { ...deps, opened: { keySource, context: target } }),
      ).then(undefined, (e: unknown) => veleroFailed('Diff', b.listing.name, e));
    }),
  );
  function veleroFailed(what: string, name: string, error: unknown): undefined {
    showFailure(logger, `${what} of Velero backup ${name} failed: ${describeError(error)}`);
    return undefined;
  }
  // Extension-host tests drive the engine with their answers through activate()'s exports, never through a
  // command argument; the seam is absent in production mode, so no other extension can use it.
  const testing: SnapshotTestingApi | undefined =
    context.extensionMode === vscode.ExtensionMode.Production
      ? undefined
      : {
          // The first endpoint of drydock.aws.endpoints (the quick pick asks when there are several).
          snapshot: (node, selection, askFifoDrain) =>
            snapshotNamespace(
              node,
              { ...writeDeps(), ...(askFifoDrain ? { askFifoDrain } : {}) },
              () => Promise.resolve(selection),
              firstAwsClients,
            ),
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
          veleroRestore: async (node, choices) => {
            const b = veleroBackupOf(node);
            if (!b) return undefined;
            const opened = { explorer, version, purpose: 'Restore', needsContext: true };
            return withOpenedVeleroBackup(b.setting, b.listing, opened, ({ summary, keySource, context: target }) =>
              restoreWithChoices(
                summary,
                { ...choices, context: target },
                { ...deps, opened: { keySource, context: target } },
                () => Promise.resolve({ restore: true, allowBeyondNamespaces: false }),
                firstAwsClients,
              ),
            );
          },
        };
  return { reports, tree, folder, testing };
}

/** For extension-host tests only (undefined in production mode): the commands with the user's answers given. */
export interface SnapshotTestingApi {
  /** `askFifoDrain` answers the FIFO drain question (which the command asks in a modal). */
  snapshot(
    node: NamespaceTarget,
    selection: SnapshotSelection,
    askFifoDrain?: (queue: string) => Promise<boolean>,
  ): Promise<string | undefined>;
  restore(
    node: SnapshotTreeNode,
    choices: RestoreChoices,
    allowBeyondNamespaces?: boolean,
  ): Promise<RestoreReport | undefined>;
  /** A Velero backup node restored into the local context (as the command picks it), with these choices. */
  veleroRestore(node: SnapshotTreeNode, choices: Omit<RestoreChoices, 'context'>): Promise<RestoreReport | undefined>;
}
