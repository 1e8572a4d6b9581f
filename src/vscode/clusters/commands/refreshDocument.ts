import * as vscode from 'vscode';
import { OBJECT_SCHEME } from '../contextValues';
import type { ObjectDocumentProvider } from '../objectDocuments';

/** Reloads an object document (the one in the active editor unless a URI is given). */
export function refreshDocument(documents: ObjectDocumentProvider, uri?: vscode.Uri): void {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (target?.scheme === OBJECT_SCHEME) documents.refresh(target);
}
