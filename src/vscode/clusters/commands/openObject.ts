import * as vscode from 'vscode';
import type { ObjectNode } from '../../../core/kube/explorerNodes';
import { objectUri } from '../objectUris';

/** Opens an object's YAML in a read-only editor (Secret values masked). */
export async function openObject(node: ObjectNode): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(objectUri(node, 'yaml'));
  await vscode.window.showTextDocument(doc, { preview: true });
}
