import * as vscode from 'vscode';
import { describeError } from '../../../core/errors';
import { firstAwsClients, kubeClientFor } from '../snapshotTargets';
import type { NamespaceTarget } from './snapshotNamespace';
import { writeNamespaceSnapshot, type SnapshotWriteDeps } from './writeNamespaceSnapshot';

/**
 * "Snapshot" (one click): the namespace together with every AWS resource it references, from the first AWS
 * endpoint, with no questions ("Snapshot Namespace…" is the variant that asks). A snapshot writes only a local
 * file. Without a node (welcome view, walkthrough) it asks which namespace first.
 */
export async function snapshotNamespaceNow(
  node: NamespaceTarget | undefined,
  deps: SnapshotWriteDeps & { pickNamespace: () => Promise<NamespaceTarget | undefined> },
): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      "Snapshots write files with your cluster's data: trust this workspace first.",
    );
    return undefined;
  }
  const target = node?.namespace ? node : await deps.pickNamespace();
  if (!target) return undefined;
  const aws = await firstAwsClients();
  try {
    const client = kubeClientFor(target.contextName);
    return await writeNamespaceSnapshot(
      client,
      target.namespace,
      aws && { clients: aws, selection: { autoDetect: true } },
      deps,
    );
  } catch (error) {
    deps.logger.error(`Snapshot of ${target.namespace} failed: ${describeError(error)}`);
    void vscode.window
      .showErrorMessage(`Snapshot of ${target.namespace} failed: ${describeError(error)}`, 'Show Log')
      .then((a) => a && vscode.commands.executeCommand('drydock.showLog'));
    return undefined;
  } finally {
    aws?.destroy();
  }
}
