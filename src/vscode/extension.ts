import * as vscode from 'vscode';
import { createLogChannel } from './logChannel';
import { registerClusterExplorer, type ClusterExplorerApi } from './clusters/register';
import { registerAwsExplorer } from './aws/register';
import { registerSnapshots } from './snapshots/register';
import { registerDrills } from './drills/register';

/** What activate() returns: the extension's parts, for extension-host tests. */
export interface DrydockExports {
  clusters: ClusterExplorerApi;
  snapshots: ReturnType<typeof registerSnapshots>;
  drills: ReturnType<typeof registerDrills>;
}

/** Composition root: builds the pieces and wires them together; no logic lives here. */
export function activate(context: vscode.ExtensionContext): DrydockExports {
  const started = Date.now();
  const { channel, logger } = createLogChannel();
  context.subscriptions.push(channel);
  context.subscriptions.push(vscode.commands.registerCommand('drydock.showLog', () => channel.show()));

  const clusters = registerClusterExplorer(context, logger);
  registerAwsExplorer(context, logger);
  const snapshots = registerSnapshots(context, logger, clusters.explorer);
  const drills = registerDrills(context, logger, clusters.explorer);

  logger.info(`Drydock activated in ${Date.now() - started} ms`);
  return { clusters, snapshots, drills };
}

export function deactivate(): void {}
