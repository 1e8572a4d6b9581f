import type * as vscode from 'vscode';
import type { Logger } from '../../../core/log';
import type { BrowserPanelState, PanelStateMessage } from '../../../protocol/panelState';
import { WebviewPanelHost } from '../../webviewPanelHost';

/** What a panel host drives: a controller that handles webview messages and cleans up. */
export interface PanelController {
  handle(raw: unknown): Promise<void>;
  dispose?(): Promise<void> | void;
}

/** One browser panel: its registry key, its page, what it keeps across a reload, and how to make its controller. */
export interface BrowserPanelSpec<H extends { type: string }> {
  /** One panel per key (a queue, a table, an object). */
  key: string;
  viewType: string;
  bundle: string;
  title: string;
  /** Sent to the webview when it is ready, which keeps it (`setState`) for the panel serializer. */
  state?: PanelStateMessage extends H ? BrowserPanelState : never;
  makeController: (post: (m: H) => void) => PanelController;
}

/**
 * One webview panel per key (a queue, a table, an object): showing it again reveals the open one.
 * Messages from the webview go to the controller; the controller posts back through the host's typed `post`.
 * A panel VS Code restores after a window reload comes back through `revive` (the panel serializers).
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

  show<H extends { type: string }>(spec: BrowserPanelSpec<H>): vscode.WebviewPanel {
    const existing = this.open.get(spec.key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const page = { bundle: spec.bundle, title: spec.title };
    return this.attach(WebviewPanelHost.create<H>(spec.viewType, page, this.extensionUri, this.logger), spec);
  }

  /** A panel restored after a reload: same page in the panel VS Code hands back, a new controller. */
  revive<H extends { type: string }>(panel: vscode.WebviewPanel, spec: BrowserPanelSpec<H>): vscode.WebviewPanel {
    const existing = this.open.get(spec.key);
    if (existing && existing !== panel) {
      panel.dispose(); // already open (shown before the restore got here): one panel per key
      existing.reveal();
      return existing;
    }
    const page = { bundle: spec.bundle, title: spec.title };
    return this.attach(WebviewPanelHost.adopt<H>(panel, page, this.extensionUri, this.logger), spec);
  }

  private attach<H extends { type: string }>(
    host: WebviewPanelHost<H>,
    spec: BrowserPanelSpec<H>,
  ): vscode.WebviewPanel {
    const controller = spec.makeController(host.post);
    const state = spec.state;
    host.onMessage((raw) => {
      // H includes PanelStateMessage whenever a state is given (the type of `state` says so).
      if (state && isReady(raw)) host.post({ type: 'panelState', state } satisfies PanelStateMessage as unknown as H);
      return controller.handle(raw);
    });
    host.onDispose(() => {
      if (this.open.get(spec.key) === host.panel) this.open.delete(spec.key);
      return controller.dispose?.();
    });
    this.open.set(spec.key, host.panel);
    return host.panel;
  }

  dispose(): void {
    for (const p of [...this.open.values()]) p.dispose();
  }
}

function isReady(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'ready';
}
