import * as vscode from 'vscode';
import { PHASE_LABELS, type DrillReport } from '../../core/drill/drillReport';
import type { DrillHistoryEntry } from '../../core/drill/drillHistory';
import type { Logger } from '../../core/log';
import { parseDrillReportWebviewMessage, type DrillReportHostMessage } from '../../protocol/drillReport';
import { webviewHtml, webviewOptions } from '../webviewHtml';

/** The single drill report panel: shows the latest (or chosen) drill, its phase timeline, checks, gaps and history. */
export class DrillReportPanel {
  static readonly viewType = 'drydock.drillReport';
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private current: { report: DrillReport; history: DrillHistoryEntry[] } | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly logger: Logger,
  ) {}

  show(report: DrillReport, history: DrillHistoryEntry[]): void {
    this.current = { report, history };
    if (this.panel) {
      this.panel.reveal();
      this.panel.title = this.title(report);
      if (this.ready) this.post({ type: 'show', report, history, phaseLabels: PHASE_LABELS });
      return;
    }
    const panel = vscode.window.createWebviewPanel(DrillReportPanel.viewType, this.title(report), vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    this.panel = panel;
    this.ready = false;
    const subs: vscode.Disposable[] = [];
    panel.webview.onDidReceiveMessage((raw: unknown) => void this.handle(raw), undefined, subs);
    panel.onDidDispose(() => {
      this.panel = undefined;
      for (const s of subs) s.dispose();
    }, undefined, subs);
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'drillReport', 'Drill report', ['drill-report.css']);
  }

  /** Whether the panel is open and its webview said it is ready (tests look at this). */
  get isReady(): boolean {
    return this.panel !== undefined && this.ready;
  }

  private title(report: DrillReport): string {
    return `Drill ${report.status}: ${report.recoveryPoint.id}`;
  }

  private post(m: DrillReportHostMessage): void {
    this.panel?.webview.postMessage(m).then(undefined, (e: unknown) => this.logger.debug(`Drill report did not take a message: ${(e as Error).message}`));
  }

  private async handle(raw: unknown): Promise<void> {
    const parsed = parseDrillReportWebviewMessage(raw);
    if (!parsed.ok) {
      this.logger.warn(`Drill report: ignored a malformed message: ${parsed.error}`);
      return;
    }
    const m = parsed.value;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.current) this.post({ type: 'show', ...this.current, phaseLabels: PHASE_LABELS });
        return;
      case 'openFile': {
        const file = m.which === 'json' ? this.current?.report.files?.json : this.current?.report.files?.markdown;
        if (!file) {
          this.post({ type: 'error', message: 'This drill wrote no report file.' });
          return;
        }
        try {
          const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
          if (m.which === 'markdown') await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
          else await vscode.window.showTextDocument(doc, { preview: false });
        } catch (error) {
          const message = `Could not open ${file}: ${(error as Error).message}`;
          this.logger.error(message);
          this.post({ type: 'error', message });
        }
        return;
      }
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
