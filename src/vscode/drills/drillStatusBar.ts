import * as vscode from 'vscode';
import { formatMs, type DrillHistoryEntry } from '../../core/drill';

/** The status bar item with the last drill's result and recovery time; clicking it opens the report. */
export class DrillStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('drydock.lastDrill', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Drydock: last drill';
    this.item.command = 'drydock.openLastDrillReport';
  }

  show(last: DrillHistoryEntry | undefined): void {
    if (!last) {
      this.item.hide();
      return;
    }
    const passed = last.status === 'passed';
    this.item.text = `$(${passed ? 'pass' : 'error'}) Drill ${last.status} · ${formatMs(last.recoveryTimeMs)}`;
    this.item.tooltip = `Last drill: ${last.recoveryPoint} → ${last.namespace}, ${last.status} at ${new Date(last.startedAt).toLocaleString()} — recovery time ${formatMs(last.recoveryTimeMs)}, ${last.checks.passed} checks passed, ${last.checks.failed} failed. Click for the report.`;
    this.item.backgroundColor = passed ? undefined : new vscode.ThemeColor('statusBarItem.errorBackground');
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
