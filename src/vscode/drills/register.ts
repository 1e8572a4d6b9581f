import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import type { Logger } from '../../core/log';
import { drillsDirOf, readDrillHistory, type DrillReport } from '../../core/drill';
import { DrillReportPanel } from './drillReportPanel';
import { DrillStatusBar } from './drillStatusBar';
import { runDrillCommand } from './runDrillCommand';
import { drillWorkspaceDir } from './drillWorkspace';
import type { SnapshotTreeNode } from '../snapshots/snapshotsTree';
import type { NamespaceTarget } from '../snapshots/commands/snapshotNamespace';

/** Registers "Run Drill", the drill report panel, the drill history and the status bar item. */
export function registerDrills(context: vscode.ExtensionContext, logger: Logger): { panel: DrillReportPanel } {
  const panel = new DrillReportPanel(context.extensionUri, logger);
  const statusBar = new DrillStatusBar();
  const version = (context.extension.packageJSON as { version: string }).version;
  const drillsDir = () => drillsDirOf(drillWorkspaceDir(context));

  const showReport = async (report: DrillReport) => panel.show(report, await readDrillHistory(drillsDir()));
  const openLast = async () => {
    const history = await readDrillHistory(drillsDir());
    const last = history.at(-1);
    if (!last?.report) {
      void vscode.window.showInformationMessage('No drill has run in this workspace yet. Run one from a snapshot or a namespace.');
      return;
    }
    try {
      await showReport(JSON.parse(await readFile(last.report, 'utf8')) as DrillReport);
    } catch (error) {
      void vscode.window.showErrorMessage(`The last drill's report (${last.report}) could not be read: ${(error as Error).message}`);
    }
  };

  void readDrillHistory(drillsDir()).then((h) => statusBar.show(h.at(-1)), (e: unknown) => logger.warn(`Drill history: ${(e as Error).message}`));

  context.subscriptions.push(
    panel,
    statusBar,
    vscode.commands.registerCommand('drydock.runDrill', (node?: SnapshotTreeNode | NamespaceTarget) =>
      runDrillCommand(node, {
        context,
        logger,
        version,
        onFinished: async (report) => {
          statusBar.show((await readDrillHistory(drillsDir())).at(-1));
          await showReport(report);
        },
      }),
    ),
    vscode.commands.registerCommand('drydock.openLastDrillReport', openLast),
  );
  return { panel };
}
