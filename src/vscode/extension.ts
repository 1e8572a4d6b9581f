import * as vscode from 'vscode';
import { createLogChannel } from './logChannel';
import { registerClusterExplorer } from './clusters/register';
import { registerAwsExplorer } from './aws/register';

/** Composition root: builds the pieces and wires them together; no logic lives here. */
export function activate(context: vscode.ExtensionContext): void {
  const started = Date.now();
  const { channel, logger } = createLogChannel();
  context.subscriptions.push(channel);
  context.subscriptions.push(vscode.commands.registerCommand('drydock.showLog', () => channel.show()));

  registerClusterExplorer(context, logger);
  registerAwsExplorer(context, logger);

  logger.info(`Drydock activated in ${Date.now() - started} ms`);
}

export function deactivate(): void {}
