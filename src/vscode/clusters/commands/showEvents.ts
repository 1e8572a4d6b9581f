import * as vscode from 'vscode';
import type { ObjectNode } from '../../../core/kube/explorerNodes';
import { objectUri } from '../objectUris';

/** Opens the events of an object in a read-only editor. */
export async function showEvents(node: ObjectNode): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(objectUri(node, 'events'));
  await vscode.window.showTextDocument(doc, { preview: true });
}
