import * as vscode from 'vscode';
import type { Logger } from '../core/log';

/** The "Drydock" log channel, adapted to the engine's Logger. */
export function createLogChannel(): { channel: vscode.LogOutputChannel; logger: Logger } {
  const channel = vscode.window.createOutputChannel('Drydock', { log: true });
  const logger: Logger = {
    debug: (m, ...a) => channel.debug(m, ...a),
    info: (m, ...a) => channel.info(m, ...a),
    warn: (m, ...a) => channel.warn(m, ...a),
    error: (m, ...a) => channel.error(m, ...a),
  };
  return { channel, logger };
}

/** Logs a failure and shows it as an error with a "Show Log" button (the log has the details). */
export function showFailure(logger: Logger, text: string): void {
  logger.error(text);
  void vscode.window
    .showErrorMessage(text, 'Show Log')
    .then((a) => a && vscode.commands.executeCommand('drydock.showLog'));
}
