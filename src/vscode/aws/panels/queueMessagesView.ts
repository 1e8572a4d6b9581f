import * as vscode from 'vscode';
import type { Logger } from '../../../core/log';
import { webviewHtml, webviewOptions } from '../../webviewHtml';
import { NumberedRequests } from '../../webviewPanelHost';
import type { PanelController } from './browserPanel';

export const QUEUE_MESSAGES_VIEW = 'drydock.queueMessages';
const VISIBLE_KEY = 'drydock.queueMessagesView';

/**
 * The SQS message browser as a view (sidebar, or the panel if the user drags it there) instead of an editor tab:
 * the same bundle and controller as the tab, one queue at a time. Hidden until a queue is opened in it; then the
 * view is revealed and its webview is (re)loaded for that queue. The old queue's controller is disposed first, so
 * messages it received on moto are given back.
 */
export class QueueMessagesView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private controller: PanelController | undefined;
  private pending:
    { title: string; makeController: (post: (m: { type: string }) => void) => PanelController } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Replies carry the id of the request they answer, as in the browser panels (a row's delete finds its row). */
  private readonly requests = new NumberedRequests();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly logger: Logger,
  ) {}

  /** The queue shown now (tests look at it). */
  title: string | undefined;

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.onDidReceiveMessage(
      (m: unknown) =>
        void this.requests
          .handle(m, (raw) => this.controller?.handle(raw))
          .catch((error: unknown) => this.logger.error(`Queue Messages view: ${(error as Error).message}`)),
      undefined,
      this.subscriptions,
    );
    view.onDidDispose(
      () => {
        this.view = undefined;
        void this.closeController();
      },
      undefined,
      this.subscriptions,
    );
    if (this.pending) this.load(this.pending.title, this.pending.makeController);
  }

  async show(title: string, makeController: (post: (m: { type: string }) => void) => PanelController): Promise<void> {
    await vscode.commands.executeCommand('setContext', VISIBLE_KEY, true);
    this.pending = { title, makeController };
    if (this.view) this.load(title, makeController);
    await vscode.commands.executeCommand(`${QUEUE_MESSAGES_VIEW}.focus`);
  }

  private load(title: string, makeController: (post: (m: { type: string }) => void) => PanelController): void {
    const view = this.view!;
    void this.closeController();
    this.pending = undefined;
    this.title = title;
    view.title = 'Queue Messages';
    view.description = title;
    const post = (m: { type: string }) => {
      view.webview
        .postMessage(this.requests.stamp(m))
        .then(undefined, (error: unknown) =>
          this.logger.debug(`Queue Messages view did not take a message: ${(error as Error).message}`),
        );
    };
    this.controller = makeController(post);
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'sqsBrowser', title);
  }

  private async closeController(): Promise<void> {
    const c = this.controller;
    this.controller = undefined;
    await Promise.resolve(c?.dispose?.()).catch((error: unknown) =>
      this.logger.warn(`Closing the Queue Messages view: ${(error as Error).message}`),
    );
  }

  dispose(): void {
    void this.closeController();
    for (const s of this.subscriptions) s.dispose();
  }
}
