import * as vscode from 'vscode';
import type { Logger } from '../../../core/log';
import { webviewHtml, webviewOptions } from '../../webviewHtml';

/** What a panel host drives: a controller that handles webview messages and cleans up. */
export interface PanelController {
  handle(raw: unknown): Promise<void>;
  dispose?(): Promise<void> | void;
}

/**
 * One webview panel per key (a queue, a table, an object): showing it again reveals the open one.
 * Messages from the webview go to the controller; the controller posts back through `post`.
 */
export class BrowserPanels {
  private readonly open = new Map<string, vscode.WebviewPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly logger: Logger,
  ) {}

  /** The panels currently open, by key (tests look at them). */
  get keys(): string[] {
    return [...this.open.keys()];
  }

  show(key: string, viewType: string, bundle: string, title: string, makeController: (post: (m: unknown) => void) => PanelController): vscode.WebviewPanel {
    const existing = this.open.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    const post = (m: unknown) => {
      panel.webview.postMessage(m).then(undefined, (error: unknown) => this.logger.debug(`Webview ${title} did not take a message: ${(error as Error).message}`));
    };
    const controller = makeController(post);
    const subscriptions: vscode.Disposable[] = [];
    panel.webview.onDidReceiveMessage((m: unknown) => void controller.handle(m), undefined, subscriptions);
    panel.onDidDispose(
      () => {
        this.open.delete(key);
        for (const s of subscriptions) s.dispose();
        Promise.resolve(controller.dispose?.()).catch((error: unknown) => this.logger.warn(`Closing ${title}: ${(error as Error).message}`));
      },
      undefined,
      subscriptions,
    );
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, bundle, title);
    this.open.set(key, panel);
    return panel;
  }

  dispose(): void {
    for (const p of [...this.open.values()]) p.dispose();
  }
}
