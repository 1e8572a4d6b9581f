import * as vscode from 'vscode';
import { detectReferencedAwsResources } from '../../../core/snapshot';
import { listAwsInventory } from '../../../core/aws/inventory';
import { describeError } from '../../../core/errors';
import type { AwsClients } from '../../../core/aws/clients';
import type { KubeRawClient } from '../../../core/kube/rawClient';
import { withEngineProgress } from '../engineProgress';
import { kubeClientFor, pickAwsClients } from '../snapshotTargets';
import { writeNamespaceSnapshot, type SnapshotWriteDeps } from './writeNamespaceSnapshot';

export interface NamespaceTarget {
  contextName: string;
  namespace: string;
}

type AwsPick = vscode.QuickPickItem & { service: 'queues' | 'tables' | 'buckets'; name: string };

/** The AWS resources a snapshot takes, by name. */
export interface SnapshotSelection {
  queues: string[];
  tables: string[];
  buckets: string[];
}

/** Asks which AWS resources go in; undefined when the user cancelled. */
export type ChooseAwsResources = (
  aws: AwsClients,
  client: KubeRawClient,
  namespace: string,
) => Promise<SnapshotSelection | undefined>;

/**
 * "Snapshot namespace…": the namespace plus the AWS resources the user picks (those it references pre-selected).
 * The command always asks with the quick pick — no command argument skips it; extension-host tests pass their
 * selection through the extension's exports (only outside production mode).
 */
export async function snapshotNamespace(
  node: NamespaceTarget | undefined,
  deps: SnapshotWriteDeps,
  choose: ChooseAwsResources = pickAwsResources,
  pickAws: () => Promise<AwsClients | undefined> = () =>
    pickAwsClients('AWS endpoint whose resources go into the snapshot'),
): Promise<string | undefined> {
  if (!node?.namespace) {
    void vscode.window.showInformationMessage('Run "Snapshot namespace…" on a namespace in the Local Clusters view.');
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      "Snapshots write files with your cluster's data: trust this workspace first.",
    );
    return undefined;
  }
  const client = kubeClientFor(node.contextName);
  const aws = await pickAws();
  try {
    const selection = aws ? await choose(aws, client, node.namespace) : { queues: [], tables: [], buckets: [] };
    if (!selection) return undefined;
    return await writeNamespaceSnapshot(client, node.namespace, aws && { clients: aws, selection }, deps);
  } catch (error) {
    deps.logger.error(`Snapshot of ${node.namespace} failed: ${describeError(error)}`);
    void vscode.window
      .showErrorMessage(`Snapshot of ${node.namespace} failed: ${describeError(error)}`, 'Show Log')
      .then((a) => a && vscode.commands.executeCommand('drydock.showLog'));
    return undefined;
  } finally {
    aws?.destroy();
  }
}

/** The quick pick of AWS resources, those the namespace references pre-selected. */
async function pickAwsResources(
  aws: AwsClients,
  client: KubeRawClient,
  namespace: string,
): Promise<SnapshotSelection | undefined> {
  const selection: SnapshotSelection = { queues: [], tables: [], buckets: [] };
  const [inventory, referenced] = await withEngineProgress(`Looking up AWS resources ${namespace} uses`, (signal) =>
    Promise.all([listAwsInventory(aws, signal), detectReferencedAwsResources(client, [namespace], aws, signal)]),
  );
  const items: AwsPick[] = [
    ...inventory.queues.map((name) => ({ label: name, description: 'SQS queue', service: 'queues' as const, name })),
    ...inventory.tables.map((name) => ({
      label: name,
      description: 'DynamoDB table',
      service: 'tables' as const,
      name,
    })),
    ...inventory.buckets.map((name) => ({ label: name, description: 'S3 bucket', service: 'buckets' as const, name })),
  ];
  for (const item of items) {
    if (referenced[item.service].includes(item.name)) {
      item.picked = true;
      item.detail = `referenced by namespace ${namespace}`;
    }
  }
  if (!items.length) return selection;
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: `Snapshot ${namespace}: AWS resources to include`,
    placeHolder: 'Resources the namespace references are pre-selected',
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  for (const p of picked) selection[p.service].push(p.name);
  return selection;
}
