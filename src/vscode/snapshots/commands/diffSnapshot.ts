import * as vscode from 'vscode';
import * as path from 'node:path';
import {
  SnapshotReader,
  itemDiffTexts,
  itemId,
  planKubeRestore,
  restoreSnapshot,
  type SnapshotSummary,
} from '../../../core/snapshot';
import { describeError } from '../../../core/errors';
import { adaptReason, prepareAdaptation } from '../../../core/adapt/prepareAdaptation';
import { withEngineProgress } from '../engineProgress';
import { kubeClientFor } from '../snapshotTargets';
import { snapshotKeySource } from '../snapshotKey';
import { reportSummaryLine, type RestoreDeps } from './restoreSnapshot';

/** "Diff against live": a dry run in place, then the chosen object in VS Code's diff editor (snapshot ↔ live). */
export async function diffSnapshotCommand(summary: SnapshotSummary | undefined, deps: RestoreDeps): Promise<void> {
  const m = summary?.manifest;
  if (!summary || !m?.source.kube) return;
  const name = path.basename(summary.path);
  try {
    const keySource = deps.opened?.keySource ?? (await snapshotKeySource(deps.secrets, false));
    const client = kubeClientFor(deps.opened?.context ?? m.source.kube.context);
    const report = await withEngineProgress(`Comparing ${name} with live`, (signal, progress) =>
      restoreSnapshot({
        source: summary.path,
        keySource: keySource === 'plain' ? undefined : keySource,
        kube: { client },
        dryRun: true,
        signal,
        progress,
        logger: deps.logger,
      }),
    );
    const picks = report.items
      .filter((i) => i.system === 'kube' && (i.outcome === 'created' || (i.changes?.length ?? 0) > 0))
      .map((i) => ({
        label: i.id,
        description: i.outcome === 'created' ? 'missing in the cluster' : `${i.changes?.length} changed fields`,
        detail: i.changes?.slice(0, 6).join(', '),
        id: i.id,
      }));
    const aws = report.items
      .filter((i) => i.system !== 'kube')
      .map(
        (i) =>
          `${i.id}: ${i.outcome}${i.count !== undefined ? ` (${i.count})` : ''}${i.message ? ` — ${i.message}` : ''}`,
      );
    if (picks.length === 0) {
      void vscode.window.showInformationMessage(
        `${name} matches the live cluster (${reportSummaryLine(report)}).${aws.length ? ` AWS: ${aws.join('; ')}` : ''}`,
      );
      return;
    }
    const pick = await vscode.window.showQuickPick([{ label: 'Show the whole comparison report', id: '' }, ...picks], {
      title: `${name}: differences from live`,
      matchOnDetail: true,
    });
    if (!pick) return;
    if (!pick.id) {
      await deps.reports.open(`diff-${name}.json`, JSON.stringify(report, null, 2));
      return;
    }
    const reader = await SnapshotReader.open(summary.path, {
      keySource: keySource === 'plain' ? undefined : keySource,
    });
    try {
      const plan = planKubeRestore(reader, { namespaceMap: new Map() });
      const item = plan.find((i) => itemId(i) === pick.id);
      if (!item) return;
      // The object as the restore would send it: adapted for this cluster when the restore would adapt it.
      const adapt = adaptReason('auto', reader, client)
        ? await prepareAdaptation(reader, plan, client, { namespaceMap: new Map() })
        : undefined;
      const texts = await itemDiffTexts(reader, item, { client, sanitize: { namespaceMap: new Map() }, adapt });
      const left = deps.reports.put(`${item.name}.snapshot.json`, texts.snapshot);
      const right = deps.reports.put(`${item.name}.live.json`, texts.live ?? '');
      await vscode.commands.executeCommand(
        'vscode.diff',
        left,
        right,
        `${item.name}: snapshot ↔ live${texts.live === undefined ? ' (missing)' : ''}`,
      );
    } finally {
      await reader.close();
    }
  } catch (error) {
    deps.logger.error(`Diff of ${name} failed: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Diff of ${name} failed: ${describeError(error)}`);
  }
}
