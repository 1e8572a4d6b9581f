import * as vscode from 'vscode';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AwsEndpoint } from '../../../core/aws/clients';
import type { EndpointRegistry } from '../endpointRegistry';
import type { BrowserUi } from '../browsers/browserUi';
import { withAbortSignal } from '../../cancellation';

/** The editor side of a browser: modal dialogs, quick picks, save dialogs and cancellable progress. */
export function vscodeBrowserUi(registry: EndpointRegistry, endpoint: AwsEndpoint): BrowserUi {
  return {
    async confirm(message, detail, action) {
      return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
    },
    pick(title, options) {
      return Promise.resolve(vscode.window.showQuickPick([...options], { title, ignoreFocusOut: true }));
    },
    async saveFile(defaultName, filters) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
      const uri = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(folder, path.basename(defaultName)),
        filters,
      });
      return uri?.fsPath;
    },
    withProgress(title, task) {
      return Promise.resolve(
        vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title, cancellable: true },
          (progress, token) =>
            withAbortSignal(token, (signal) =>
              task(signal, (message, increment) => progress.report({ message, increment })),
            ),
        ),
      );
    },
    writeBlockedReason: () => registry.writeBlockedReason(endpoint),
  };
}
