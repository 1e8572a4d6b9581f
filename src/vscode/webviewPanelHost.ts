import * as vscode from 'vscode';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../core/log';
import type { Numbered } from '../protocol/requests';
import { webviewHtml, webviewOptions } from './webviewHtml';

export interface PanelPage {
  /** The webview bundle (`dist/webview/<bundle>.js`). */
  bundle: string;
  title: string;
  styles?: readonly string[];
}

/**
 * The one host for Drydock's webview panels: builds the page (strict CSP, nonce), passes each webview message
 * to `onMessage`, and gives the controller a typed `post`. A request the webview numbered (`requestId`) is
 * answered with the same id on everything posted while it is handled — also across awaits — so two
 * concurrent requests of one kind (two deletes) are told apart.
 */
export class WebviewPanelHost<HostMessage extends { type: string }> implements vscode.Disposable {
  private readonly requests = new NumberedRequests();
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly logger: Logger,
  ) {}

  /** A new panel. */
  static create<H extends { type: string }>(
    viewType: string,
    page: PanelPage,
    extensionUri: vscode.Uri,
    logger: Logger,
  ): WebviewPanelHost<H> {
    const panel = vscode.window.createWebviewPanel(
      viewType,
      page.title,
      vscode.ViewColumn.Active,
      webviewOptions(extensionUri),
    );
    return WebviewPanelHost.adopt<H>(panel, page, extensionUri, logger);
  }

  /** A panel VS Code restored after a reload (WebviewPanelSerializer): same page, new host. */
  static adopt<H extends { type: string }>(
    panel: vscode.WebviewPanel,
    page: PanelPage,
    extensionUri: vscode.Uri,
    logger: Logger,
  ): WebviewPanelHost<H> {
    const host = new WebviewPanelHost<H>(panel, logger);
    panel.webview.options = webviewOptions(extensionUri);
    panel.title = page.title;
    panel.webview.html = webviewHtml(panel.webview, extensionUri, page.bundle, page.title, page.styles ?? []);
    return host;
  }

  /** Routes webview messages to `handle` (which validates them); a numbered request's replies carry its id. */
  onMessage(handle: (raw: unknown) => Promise<void> | void): void {
    this.panel.webview.onDidReceiveMessage(
      (raw: unknown) =>
        void this.requests
          .handle(raw, handle)
          .catch((error: unknown) => this.logger.error(`${this.panel.title}: ${(error as Error).message}`)),
      undefined,
      this.subscriptions,
    );
  }

  /** Called once when the panel closes (by the person or by `dispose`). */
  onDispose(cleanup: () => Promise<void> | void): void {
    this.panel.onDidDispose(
      () => {
        this.disposed = true;
        for (const s of this.subscriptions.splice(0)) s.dispose();
        Promise.resolve(cleanup()).catch((error: unknown) =>
          this.logger.warn(`Closing ${this.panel.title}: ${(error as Error).message}`),
        );
      },
      undefined,
      this.subscriptions,
    );
  }

  /** Sends a message to the webview; inside a numbered request it carries that request's id. */
  readonly post = (message: HostMessage): void => {
    if (this.disposed) return;
    this.panel.webview
      .postMessage(this.requests.stamp(message))
      .then(undefined, (error: unknown) =>
        this.logger.debug(`Webview ${this.panel.title} did not take a message: ${(error as Error).message}`),
      );
  };

  dispose(): void {
    this.panel.dispose();
  }
}

/**
 * The request ids of one webview: `handle` runs a webview message's handler inside its request (when the webview
 * numbered it), and `stamp` gives everything posted meanwhile — also across awaits — that request's id.
 */
export class NumberedRequests {
  private readonly current = new AsyncLocalStorage<number>();

  handle(raw: unknown, handler: (raw: unknown) => Promise<void> | void): Promise<void> {
    const id = requestIdOf(raw);
    const run = () => Promise.resolve(handler(raw));
    return id === undefined ? run() : this.current.run(id, run);
  }

  stamp<M extends { type: string }>(message: M): Numbered<M> {
    const id = this.current.getStore();
    const stamped: Numbered<M> = id === undefined ? message : { ...message, requestId: id };
    return stamped;
  }
}

function requestIdOf(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as { requestId?: unknown }).requestId;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
