import * as vscode from 'vscode';
import type { ObjectNode } from '../../../core/kube/explorerNodes';
import { OBJECT_SCHEME } from '../contextValues';
import { objectUri } from '../objectUris';

/**
 * Opens a Secret with its values shown — only ever on this explicit command, from a Secret in the
 * tree or from its masked document.
 */
export async function revealSecretData(target?: ObjectNode | vscode.Uri): Promise<void> {
  let uri: vscode.Uri | undefined;
  if (target instanceof vscode.Uri) {
    uri = target.with({ query: 'reveal=1' });
  } else if (target && target.kind === 'object') {
    uri = objectUri(target, 'yaml', true);
  } else {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active?.scheme === OBJECT_SCHEME) uri = active.with({ query: 'reveal=1' });
  }
  if (!uri || uri.scheme !== OBJECT_SCHEME) {
    void vscode.window.showInformationMessage(
      'Select a Secret in Local Clusters (or open its YAML) to reveal its data.',
    );
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
}
