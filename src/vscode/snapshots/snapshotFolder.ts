import * as vscode from 'vscode';
import * as path from 'node:path';

/** Where snapshots made from VS Code go: the setting, else `.drydock/snapshots` in the first workspace folder, else global storage. */
export function snapshotFolder(context: vscode.ExtensionContext): string {
  const configured = vscode.workspace.getConfiguration('drydock.snapshots').get<string>('folder', '');
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (configured) return path.isAbsolute(configured) || !ws ? configured : path.join(ws, configured);
  return ws ? path.join(ws, '.drydock', 'snapshots') : path.join(context.globalStorageUri.fsPath, 'snapshots');
}
