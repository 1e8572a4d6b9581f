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
  private readonly requests = new AsyncLocalStorage<number>();
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
      (raw: unknown) => {
        const id = requestIdOf(raw);
        const run = () => Promise.resolve(handle(raw));
        void (id === undefined ? run() : this.requests.run(id, run)).catch((error: unknown) =>
          this.logger.error(`${this.panel.title}: ${(error as Error).message}`),
        );
      },
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
    const id = this.requests.getStore();
    const m: Numbered<HostMessage> = id === undefined ? message : { ...message, requestId: id };
    this.panel.webview
      .postMessage(m)
      .then(undefined, (error: unknown) =>
        this.logger.debug(`Webview ${this.panel.title} did not take a message: ${(error as Error).message}`),
      );
  };

  dispose(): void {
    this.panel.dispose();
  }
}

function requestIdOf(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as { requestId?: unknown }).requestId;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
