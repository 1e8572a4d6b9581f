import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { BeyondNamespacesRefused } from '../../core/snapshot/beyondNamespaces';
import type { Logger } from '../../core/log';
import { loadKubeConfig } from '../../core/kube/kubeconfig';
import {
  runDrill,
  snapshotAndDrill,
  formatMs,
  type DrillProgressEvent,
  type DrillReport,
  type DrillRuns,
} from '../../core/drill';
import type { SnapshotTreeNode } from '../snapshots/snapshotsTree';
import type { NamespaceTarget } from '../snapshots/commands/snapshotNamespace';
import { snapshotKeySource } from '../snapshots/snapshotKey';
import { firstAwsClients, pickAwsClients, writeAllowList } from '../snapshots/snapshotTargets';
import { kubeconfigPathsSetting } from '../clusters/settings';
import { drillWorkspaceDir, readWorkspaceDrillFile } from './drillWorkspace';
import { withAbortSignal } from '../cancellation';
import type { SecretKeySource } from '../../core/snapshot/secretCrypto';

export interface DrillDeps {
  context: vscode.ExtensionContext;
  logger: Logger;
  version: string;
  /** `first`: the first AWS endpoint, no question (one-click "Run Drill"); `ask`: the user picks when there are several. */
  awsEndpoint: 'first' | 'ask';
  onFinished(report: DrillReport): Promise<void>;
  /** The drills this window runs (shared by every drill it starts). */
  runs: DrillRuns;
  /** A recovery point opened for this drill (a Velero backup): its Secrets' key and the local context picked. */
  opened?: { keySource?: SecretKeySource; context: string; label?: string };
}

/** "Run Drill": on a recovery point (Snapshots view) or on a live namespace (snapshot it first, then drill). */
export async function runDrillCommand(
  node: SnapshotTreeNode | NamespaceTarget | undefined,
  deps: DrillDeps,
): Promise<DrillReport | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'A drill writes a scratch namespace and AWS copies: trust this workspace first.',
    );
    return undefined;
  }
  const isSnapshot = node !== undefined && 'kind' in node && node.kind === 'snapshot';
  const isNamespace = node !== undefined && 'namespace' in node && typeof node.namespace === 'string';
  if (!isSnapshot && !isNamespace) {
    void vscode.window.showInformationMessage(
      'Run a drill from a snapshot in the Snapshots view, or from a namespace in Local Clusters.',
    );
    return undefined;
  }
  const workspaceDir = drillWorkspaceDir(deps.context);
  const paths = kubeconfigPathsSetting();
  const kubeConfig = loadKubeConfig(paths.length ? paths : undefined);
  const aws =
    deps.awsEndpoint === 'first'
      ? await firstAwsClients()
      : await pickAwsClients("AWS endpoint for the drill's copies");
  const endpoint = aws?.endpoint;
  aws?.destroy();
  try {
    const drillFile = await readWorkspaceDrillFile(workspaceDir);
    const base = {
      workspaceDir,
      aws: endpoint ? { endpoint } : undefined,
      allow: writeAllowList(),
      logger: deps.logger,
      runs: deps.runs,
      readyTimeoutMs: drillFile?.readyTimeoutSeconds ? drillFile.readyTimeoutSeconds * 1000 : undefined,
      keepOnFailure:
        drillFile?.keepOnFailure ??
        vscode.workspace.getConfiguration('drydock.drills').get<boolean>('keepOnFailure', false),
      // The report is final when the checks end; the scratch target goes in the background (the ledger finishes it
      // if the window closes first), so a drill takes about as long as its restore and checks.
      backgroundCleanup: true,
    };
    const label = isSnapshot ? node.summary.path.split('/').pop() : (node as NamespaceTarget).namespace;
    const drillOnce = (allowBeyondNamespaces: boolean) =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Drill of ${label}`, cancellable: true },
        (progress, token) => {
          const onProgress = (e: DrillProgressEvent) =>
            progress.report({ message: `${e.phase}: ${e.message}${e.total ? ` (${e.done ?? 0}/${e.total})` : ''}` });
          return withAbortSignal(token, async (signal) => {
            if (isSnapshot) {
              const summary = node.summary;
              const key = deps.opened?.keySource ?? (await snapshotKeySource(deps.context.secrets, false));
              return await runDrill(
                {
                  ...base,
                  recoveryPoint: summary.path,
                  recoveryPointLabel: deps.opened?.label,
                  kube: { kubeConfig, context: deps.opened?.context ?? summary.manifest?.source.kube?.context },
                  keySource: key === 'plain' ? undefined : key,
                  checks: drillFile?.checks,
                  allowBeyondNamespaces,
                },
                { signal, onProgress },
              );
            }
            const ns = node as NamespaceTarget;
            return await snapshotAndDrill(
              {
                ...base,
                kube: { kubeConfig, context: ns.contextName },
                drillFile: { ...(drillFile ?? { checks: [] }), namespace: ns.namespace, context: ns.contextName },
                toolVersion: deps.version,
              },
              { signal, onProgress },
            );
          });
        },
      );
    let report: DrillReport;
    try {
      report = await drillOnce(false);
    } catch (error) {
      // Refused before anything was written: what the recovery point would create beyond its namespaces needs
      // the same explicit yes as a restore.
      if (!BeyondNamespacesRefused.isRefusal(error) || !(await askBeyondNamespaces(String(label), error))) throw error;
      report = await drillOnce(true);
    }
    deps.logger.info(
      `Drill of ${label}: ${report.status} in ${formatMs(report.recoveryTimeMs)} (${report.counts.passed}/${report.counts.checks} checks, ${report.counts.failingGaps} missing)`,
    );
    await deps.onFinished(report);
    return report;
  } catch (error) {
    deps.logger.error(`Drill failed to run: ${describeError(error)}`);
    void vscode.window
      .showErrorMessage(`Drill failed to run: ${describeError(error)}`, 'Show Log')
      .then((a) => a && vscode.commands.executeCommand('drydock.showLog'));
    return undefined;
  }
}

/** The modal question for a recovery point that reaches beyond its namespaces (as the restore asks it). */
async function askBeyondNamespaces(label: string, refusal: BeyondNamespacesRefused): Promise<boolean> {
  const items = refusal.items;
  const shown = items.slice(0, 8).map((b) => `• ${b.id}: ${b.why}`);
  if (items.length > shown.length) shown.push(`… and ${items.length - shown.length} more`);
  const also = await vscode.window.showWarningMessage(
    `The drill of ${label} would also create ${items.length} object(s) beyond its namespaces.`,
    {
      modal: true,
      detail: `A recovery point from elsewhere is untrusted input. Check these before creating them:\n${shown.join('\n')}`,
    },
    'Create Them Too',
  );
  return also === 'Create Them Too';
}
