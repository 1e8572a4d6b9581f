import * as vscode from 'vscode';
import * as path from 'node:path';
import { rm } from 'node:fs/promises';
import type { SnapshotSummary } from '../../../core/snapshot';

/** "Delete snapshot": after a modal confirmation. */
export async function deleteSnapshotCommand(
  summary: SnapshotSummary | undefined,
  onDeleted: () => void,
): Promise<void> {
  if (!summary) return;
  const name = path.basename(summary.path);
  const ok = await vscode.window.showWarningMessage(
    `Delete the snapshot ${name}?`,
    { modal: true, detail: summary.path },
    'Delete',
  );
  if (ok !== 'Delete') return;
  await rm(summary.path, { recursive: true, force: true });
  onDeleted();
}
