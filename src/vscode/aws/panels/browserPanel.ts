import type * as vscode from 'vscode';
import type { Logger } from '../../../core/log';
import { WebviewPanelHost } from '../../webviewPanelHost';

/** What a panel host drives: a controller that handles webview messages and cleans up. */
export interface PanelController {
  handle(raw: unknown): Promise<void>;
  dispose?(): Promise<void> | void;
}

/**
 * One webview panel per key (a queue, a table, an object): showing it again reveals the open one.
 * Messages from the webview go to the controller; the controller posts back through the host's typed `post`.
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

  show<H extends { type: string }>(
    key: string,
    viewType: string,
    bundle: string,
    title: string,
    makeController: (post: (m: H) => void) => PanelController,
  ): vscode.WebviewPanel {
    const existing = this.open.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const host = WebviewPanelHost.create<H>(viewType, { bundle, title }, this.extensionUri, this.logger);
    const controller = makeController(host.post);
    host.onMessage((m) => controller.handle(m));
    host.onDispose(() => {
      this.open.delete(key);
      return controller.dispose?.();
    });
    this.open.set(key, host.panel);
    return host.panel;
  }

  dispose(): void {
    for (const p of [...this.open.values()]) p.dispose();
  }
}
