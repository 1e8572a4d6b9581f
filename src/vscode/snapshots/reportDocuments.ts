import * as vscode from 'vscode';

export const REPORT_SCHEME = 'drydock-report';

/** Read-only in-memory documents for restore reports, previews and diff sides. */
export class ReportDocuments implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.path) ?? '';
  }

  /** Stores text under a readable name and returns its URI. */
  put(name: string, text: string): vscode.Uri {
    const key = `/${++this.counter}/${name}`;
    this.docs.set(key, text);
    return vscode.Uri.from({ scheme: REPORT_SCHEME, path: key });
  }

  async open(name: string, text: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.put(name, text));
    await vscode.window.showTextDocument(doc, { preview: false });
  }
}
