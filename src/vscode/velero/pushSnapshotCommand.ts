import * as vscode from 'vscode';
import * as path from 'node:path';
import { describeError } from '../../core/errors';
import type { Logger } from '../../core/log';
import type { SnapshotSummary } from '../../core/snapshot';
import { isValidBackupName, openBackupStore, pushSnapshot, type PushResult } from '../../core/velero';
import { withEngineProgress } from '../snapshots/engineProgress';
import { showFailure } from '../logChannel';
import { writeAllowList } from '../snapshots/snapshotTargets';
import { s3OptionsOf, veleroLocationsSetting } from './veleroLocations';

/**
 * "Push to Velero Location…": a local recovery point into a location of `drydock.velero.locations`, in Velero's
 * format (Velero lists and restores its Kubernetes part; Drydock's whole recovery point travels beside it).
 * Secrets stay encrypted in Drydock's copy and are left out of Velero's view (plain text needs the CLI's explicit
 * `--plain-secrets`). Asks where, under which name, and a modal yes; writes go through the local-only guard.
 */
export async function pushSnapshotCommand(
  summary: SnapshotSummary | undefined,
  deps: { logger: Logger; onPushed: () => void },
): Promise<PushResult | undefined> {
  if (!summary?.manifest) return undefined;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Pushing writes to a backup storage location: trust this workspace first.');
    return undefined;
  }
  const locations = veleroLocationsSetting((m) => deps.logger.warn(m));
  if (!locations.length) {
    const open = await vscode.window.showInformationMessage(
      'No Velero backup storage location is configured: add one to drydock.velero.locations (s3://bucket/prefix or a folder).',
      'Open Settings',
    );
    if (open) await vscode.commands.executeCommand('workbench.action.openSettings', 'drydock.velero.locations');
    return undefined;
  }
  const file = path.basename(summary.path);
  const picked =
    locations.length === 1
      ? locations[0]
      : (
          await vscode.window.showQuickPick(
            locations.map((l) => ({ label: l.location, description: l.endpoint, setting: l })),
            { title: `Push ${file} to`, ignoreFocusOut: true },
          )
        )?.setting;
  if (!picked) return undefined;
  const name = await vscode.window.showInputBox({
    title: `Push ${file} to ${picked.location}`,
    prompt: 'Backup name (Velero lists it under this name)',
    value: file
      .replace(/\.tar\.gz$/, '')
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-'),
    ignoreFocusOut: true,
    validateInput: (v) =>
      isValidBackupName(v) ? undefined : 'Lower-case letters, digits, "-" and "." (a Kubernetes object name).',
  });
  if (!name) return undefined;
  const secrets = summary.manifest.counts.secrets;
  const go = await vscode.window.showInformationMessage(
    `Push ${file} to ${picked.location} as ${name}?`,
    {
      modal: true,
      detail:
        `${summary.manifest.counts.items} objects for Velero; the whole recovery point (AWS part included) for Drydock.` +
        (secrets ? ` ${secrets} Secret(s) stay encrypted in Drydock's copy and are left out of Velero's view.` : ''),
    },
    'Push',
  );
  if (go !== 'Push') return undefined;
  try {
    const result = await withEngineProgress(`Pushing ${file} to ${picked.location}`, async (signal) => {
      const store = await openBackupStore(picked.location, s3OptionsOf(picked));
      try {
        return await pushSnapshot({ snapshot: summary.path, store, name, allow: writeAllowList(), signal });
      } finally {
        store.close();
      }
    });
    deps.logger.info(
      `Pushed ${file} to ${result.location} as ${result.name}: ${result.items} items; Secrets left out of Velero's view: ${result.secretsLeftOut.length}`,
    );
    void vscode.window.showInformationMessage(
      `Pushed ${file} to ${result.location} as ${result.name} (${result.items} objects${result.secretsLeftOut.length ? `; ${result.secretsLeftOut.length} Secret(s) only in Drydock's encrypted copy` : ''}).`,
    );
    deps.onPushed();
    return result;
  } catch (error) {
    showFailure(deps.logger, `Push of ${file} to ${picked.location} failed: ${describeError(error)}`);
    return undefined;
  }
}
