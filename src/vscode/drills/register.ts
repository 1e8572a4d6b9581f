import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import type { Logger } from '../../core/log';
import { DrillRuns, drillsDirOf, readDrillHistory, type DrillReport } from '../../core/drill';
import { DrillReportPanel } from './drillReportPanel';
import { DrillStatusBar } from './drillStatusBar';
import { runDrillCommand } from './runDrillCommand';
import { drillWorkspaceDir } from './drillWorkspace';
import type { SnapshotTreeNode } from '../snapshots/snapshotsTree';
import type { NamespaceTarget } from '../snapshots/commands/snapshotNamespace';
import type { ClusterExplorer } from '../../core/kube/clusterExplorer';
import { pickNamespace } from '../clusters/pickNamespace';
import { ContextKey, setContextKey } from '../contextKeys';
import { installPrePushHookCommand } from './installHookCommand';
import { backupAddress, withOpenedVeleroBackup } from '../velero/openVeleroBackup';
import { describeError } from '../../core/errors';
import { showFailure } from '../logChannel';

/** Registers "Run Drill", the drill report panel, the drill history and the status bar item. */
export function registerDrills(
  context: vscode.ExtensionContext,
  logger: Logger,
  explorer: ClusterExplorer,
): { panel: DrillReportPanel } {
  const drillsDir = () => drillsDirOf(drillWorkspaceDir(context));
  // After a window reload the report panel comes back with the workspace's latest drill.
  const latestDrill = async () => {
    const history = await readDrillHistory(drillsDir());
    const last = history.at(-1);
    return last?.report
      ? { report: JSON.parse(await readFile(last.report, 'utf8')) as DrillReport, history }
      : undefined;
  };
  const panel = new DrillReportPanel(context.extensionUri, logger, latestDrill);
  const statusBar = new DrillStatusBar();
  const version = (context.extension.packageJSON as { version: string }).version;
  // The drills this window runs: two drills side by side never take each other's targets for leftovers.
  const runs = new DrillRuns();

  const showReport = async (report: DrillReport) => panel.show(report, await readDrillHistory(drillsDir()));
  const openLast = async () => {
    const history = await readDrillHistory(drillsDir());
    const last = history.at(-1);
    if (!last?.report) {
      void vscode.window.showInformationMessage(
        'No drill has run in this workspace yet. Run one from a snapshot or a namespace.',
      );
      return;
    }
    try {
      await showReport(JSON.parse(await readFile(last.report, 'utf8')) as DrillReport);
    } catch (error) {
      void vscode.window.showErrorMessage(
        `The last drill's report (${last.report}) could not be read: ${(error as Error).message}`,
      );
    }
  };

  void readDrillHistory(drillsDir()).then(
    (h) => statusBar.show(h.at(-1)),
    (e: unknown) => logger.warn(`Drill history: ${(e as Error).message}`),
  );

  const drillDeps = (awsEndpoint: 'first' | 'ask') => ({
    context,
    logger,
    version,
    awsEndpoint,
    runs,
    onFinished: async (report: DrillReport) => {
      setContextKey(ContextKey.ranDrill, true);
      statusBar.show((await readDrillHistory(drillsDir())).at(-1));
      await showReport(report);
    },
  });

  context.subscriptions.push(
    panel,
    vscode.window.registerWebviewPanelSerializer(DrillReportPanel.viewType, panel),
    statusBar,
    // "Run Drill…": asks for the AWS endpoint of the drill's copies when there are several.
    vscode.commands.registerCommand('drydock.runDrill', (node?: SnapshotTreeNode | NamespaceTarget) =>
      runDrillCommand(node, drillDeps('ask')),
    ),
    // "Run Drill": one click on a namespace or a snapshot (the namespace's referenced AWS resources, the first endpoint).
    // Without a node (walkthrough) it asks which namespace.
    vscode.commands.registerCommand('drydock.runDrillNow', async (node?: SnapshotTreeNode | NamespaceTarget) => {
      const target = node ?? (await pickNamespace(explorer, 'Run a drill of a namespace'));
      return target && runDrillCommand(target, drillDeps('first'));
    }),
    vscode.commands.registerCommand('drydock.installPrePushHook', () =>
      installPrePushHookCommand(context, logger, () =>
        pickNamespace(explorer, 'Namespace the pre-push drill snapshots and drills'),
      ),
    ),
    vscode.commands.registerCommand('drydock.openLastDrillReport', openLast),
    // "Run Drill" on a Velero backup: opened for the drill, into the local context the user picks.
    vscode.commands.registerCommand('drydock.velero.drill', async (node?: SnapshotTreeNode) => {
      if (node?.kind !== 'veleroBackup') return;
      const name = node.listing.name;
      const opened = { explorer, version, purpose: 'Drill', needsContext: true };
      return withOpenedVeleroBackup(node.setting, node.listing, opened, ({ summary, keySource, context: target }) =>
        runDrillCommand(
          { kind: 'snapshot', summary },
          {
            ...drillDeps('ask'),
            opened: { keySource, context: target, label: backupAddress(node.setting, name) },
          },
        ),
      ).then(undefined, (e: unknown) =>
        showFailure(logger, `Drill of Velero backup ${name} failed: ${describeError(e)}`),
      );
    }),
  );
  return { panel };
}
