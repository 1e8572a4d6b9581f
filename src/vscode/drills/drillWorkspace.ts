import * as vscode from 'vscode';
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
import { parseDrillFile, type DrillFile } from '../../core/drill';

/** The folder whose `.drydock/` holds drill reports, history and the drill file. */
export function drillWorkspaceDir(context: vscode.ExtensionContext): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? context.globalStorageUri.fsPath;
}

/** `.drydock/drill.yaml` of the workspace, when there is one (its checks run in every drill started here). */
export async function readWorkspaceDrillFile(dir: string): Promise<DrillFile | undefined> {
  const file = path.join(dir, '.drydock', 'drill.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  return parseDrillFile(text, file);
}
