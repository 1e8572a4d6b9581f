import * as vscode from 'vscode';
import type { QueueMessageNode } from './queueMessageNodes';

export const SQS_MESSAGE_SCHEME = 'drydock-sqs-message';

/**
 * Read-only documents showing one message (as listed, without receiving it): body (pretty-printed when it is
 * JSON), system attributes and message attributes. Plain text in an editor: nothing from the queue becomes HTML.
 */
export class QueueMessageDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '// This message is no longer listed: expand its queue again.';
  }

  async show(node: QueueMessageNode): Promise<void> {
    const m = node.message;
    let body: unknown = m.body;
    try {
      body = JSON.parse(m.body);
    } catch {
      /* not JSON: shown as the string it is */
    }
    const { visible, delayed } = m;
    const text = JSON.stringify(
      {
        queue: node.queue.name,
        messageId: m.messageId,
        visible,
        delayed,
        body,
        attributes: m.attributes,
        messageAttributes: m.messageAttributes,
        md5OfBody: m.md5OfBody,
      },
      null,
      2,
    );
    const uri = vscode.Uri.from({ scheme: SQS_MESSAGE_SCHEME, path: `/${node.queue.name}/${m.messageId}.json` });
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
