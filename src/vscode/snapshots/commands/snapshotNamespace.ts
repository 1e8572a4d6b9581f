import * as vscode from 'vscode';
import { detectReferencedAwsResources } from '../../../core/snapshot';
import { listAwsInventory } from '../../../core/aws/inventory';
import { describeError } from '../../../core/errors';
import { withEngineProgress } from '../engineProgress';
import { kubeClientFor, pickAwsClients } from '../snapshotTargets';
import { writeNamespaceSnapshot, type SnapshotWriteDeps } from './writeNamespaceSnapshot';

export interface NamespaceTarget {
  contextName: string;
  namespace: string;
}

type AwsPick = vscode.QuickPickItem & { service: 'queues' | 'tables' | 'buckets'; name: string };

/** Choices given up front (by another command or a test) instead of asked in quick picks. */
export interface SnapshotPreset {
  queues: string[];
  tables: string[];
  buckets: string[];
}

/** "Snapshot namespace…": the namespace plus the AWS resources the user picks (those it references pre-selected). */
export async function snapshotNamespace(
  node: NamespaceTarget | undefined,
  deps: SnapshotWriteDeps,
  preset?: SnapshotPreset,
): Promise<string | undefined> {
  if (!node?.namespace) {
    void vscode.window.showInformationMessage('Run "Snapshot namespace…" on a namespace in the Local Clusters view.');
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Snapshots write files with your cluster\'s data: trust this workspace first.');
    return undefined;
  }
  const client = kubeClientFor(node.contextName);
  const aws = await pickAwsClients('AWS endpoint whose resources go into the snapshot');
  try {
    const selection: SnapshotPreset = preset ?? { queues: [], tables: [], buckets: [] };
    if (aws && !preset) {
      const [inventory, referenced] = await withEngineProgress(`Looking up AWS resources ${node.namespace} uses`, (signal) =>
        Promise.all([listAwsInventory(aws, signal), detectReferencedAwsResources(client, [node.namespace], aws, signal)]),
      );
      const items: AwsPick[] = [
        ...inventory.queues.map((name) => ({ label: name, description: 'SQS queue', service: 'queues' as const, name })),
        ...inventory.tables.map((name) => ({ label: name, description: 'DynamoDB table', service: 'tables' as const, name })),
        ...inventory.buckets.map((name) => ({ label: name, description: 'S3 bucket', service: 'buckets' as const, name })),
      ];
      for (const item of items) {
        if (referenced[item.service].includes(item.name)) {
          item.picked = true;
          item.detail = `referenced by namespace ${node.namespace}`;
        }
      }
      if (items.length) {
        const picked = await vscode.window.showQuickPick(items, {
          canPickMany: true,
          title: `Snapshot ${node.namespace}: AWS resources to include`,
          placeHolder: 'Resources the namespace references are pre-selected',
          ignoreFocusOut: true,
        });
        if (!picked) return undefined;
        for (const p of picked) selection[p.service].push(p.name);
      }
    }
    return await writeNamespaceSnapshot(client, node.namespace, aws && { clients: aws, selection }, deps);
  } catch (error) {
    deps.logger.error(`Snapshot of ${node.namespace} failed: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Snapshot of ${node.namespace} failed: ${describeError(error)}`, 'Show Log').then((a) => a && vscode.commands.executeCommand('drydock.showLog'));
    return undefined;
  } finally {
    aws?.destroy();
  }
}
