import * as vscode from 'vscode';
import { PHASE_LABELS, type DrillReport } from '../../core/drill/drillReport';
import type { DrillHistoryEntry } from '../../core/drill/drillHistory';
import type { Logger } from '../../core/log';
import { parseDrillReportWebviewMessage, type DrillReportHostMessage } from '../../protocol/drillReport';
import { WebviewPanelHost } from '../webviewPanelHost';

/** The report to show when a panel comes back after a reload: the latest drill of the workspace. */
export type LatestDrill = () => Promise<{ report: DrillReport; history: DrillHistoryEntry[] } | undefined>;

/**
 * The single drill report panel: shows the latest (or chosen) drill, its phase timeline, checks, gaps and
 * history. It survives a window reload: VS Code hands the restored panel to `deserializeWebviewPanel`, which
 * shows the workspace's latest drill in it again.
 */
export class DrillReportPanel implements vscode.WebviewPanelSerializer {
  static readonly viewType = 'drydock.drillReport';
  private host: WebviewPanelHost<DrillReportHostMessage> | undefined;
  private ready = false;
  private current: { report: DrillReport; history: DrillHistoryEntry[] } | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly logger: Logger,
    private readonly latest?: LatestDrill,
  ) {}

  show(report: DrillReport, history: DrillHistoryEntry[]): void {
    this.current = { report, history };
    if (this.host) {
      this.host.panel.reveal();
      this.host.panel.title = this.title(report);
      if (this.ready) this.host.post({ type: 'show', report, history, phaseLabels: PHASE_LABELS });
      return;
    }
    this.attach(
      WebviewPanelHost.create<DrillReportHostMessage>(
        DrillReportPanel.viewType,
        this.page(this.title(report)),
        this.extensionUri,
        this.logger,
      ),
    );
  }

  /** A drill report panel restored after a reload. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    if (this.host) {
      panel.dispose(); // one report panel at a time
      return;
    }
    this.current = await this.latest?.().catch((error: unknown) => {
      this.logger.warn(`Drill report: the latest drill could not be read again: ${(error as Error).message}`);
      return undefined;
    });
    this.attach(
      WebviewPanelHost.adopt<DrillReportHostMessage>(
        panel,
        this.page(this.current ? this.title(this.current.report) : 'Drill report'),
        this.extensionUri,
        this.logger,
      ),
    );
  }

  private attach(host: WebviewPanelHost<DrillReportHostMessage>): void {
    this.host = host;
    this.ready = false;
    host.onMessage((raw) => this.handle(raw));
    host.onDispose(() => {
      this.host = undefined;
    });
  }

  private page(title: string) {
    return { bundle: 'drillReport', title, styles: ['drill-report.css'] };
  }

  /** Whether the panel is open and its webview said it is ready (tests look at this). */
  get isReady(): boolean {
    return this.host !== undefined && this.ready;
  }

  private title(report: DrillReport): string {
    return `Drill ${report.status}: ${report.recoveryPoint.id}`;
  }

  private post(m: DrillReportHostMessage): void {
    this.host?.post(m);
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
        else
          this.post({
            type: 'error',
            message: 'No drill report to show: run a drill, or open the last one (Drydock: Open Last Drill Report).',
          });
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
    this.host?.dispose();
  }
}
