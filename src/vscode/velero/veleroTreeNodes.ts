import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { Logger } from '../../core/log';
import { listVeleroBackups, type VeleroBackupListing } from '../../core/velero';
import { s3OptionsOf, type VeleroLocationSetting } from './veleroLocations';

/** A Velero backup storage location in the Snapshots view, and one of its backups. */
export type VeleroTreeNode =
  | { kind: 'veleroLocation'; setting: VeleroLocationSetting }
  | { kind: 'veleroBackup'; setting: VeleroLocationSetting; listing: VeleroBackupListing }
  | { kind: 'message'; label: string; error?: boolean };

export const VeleroContext = {
  location: 'drydock.veleroLocation',
  backup: 'drydock.veleroBackup',
  unrestorable: 'drydock.veleroBackup.unrestorable',
} as const;

/** The backups of a location, newest first; a location that cannot be read is one error node (the log has why). */
export async function veleroBackupNodes(setting: VeleroLocationSetting, logger: Logger): Promise<VeleroTreeNode[]> {
  try {
    const listing = await listVeleroBackups(setting.location, s3OptionsOf(setting));
    if (listing.foreignTopLevel.length)
      logger.warn(
        `Velero location ${listing.location}: top-level ${listing.foreignTopLevel.join(', ')} is not Velero's (Velero marks such a location Unavailable)`,
      );
    if (!listing.backups.length) return [{ kind: 'message', label: 'No backups in this location' }];
    return listing.backups.map((b) => ({ kind: 'veleroBackup', setting, listing: b }));
  } catch (error) {
    logger.error(`Cannot list Velero backups in ${setting.location}: ${describeError(error)}`);
    return [
      { kind: 'message', label: `Cannot read ${setting.location}: ${describeError(error)} — show log`, error: true },
    ];
  }
}

export function veleroLocationItem(setting: VeleroLocationSetting): vscode.TreeItem {
  const item = new vscode.TreeItem(setting.location, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `velero:${setting.location}`;
  item.description = 'Velero';
  item.tooltip = `Velero backup storage location ${setting.location}${setting.endpoint ? ` at ${setting.endpoint}` : ''}`;
  item.iconPath = new vscode.ThemeIcon('cloud');
  item.contextValue = VeleroContext.location;
  return item;
}

export function veleroBackupItem(setting: VeleroLocationSetting, b: VeleroBackupListing): vscode.TreeItem {
  const item = new vscode.TreeItem(b.name, vscode.TreeItemCollapsibleState.None);
  item.id = `velero:${setting.location}/${b.name}`;
  const i = b.info;
  const namespaces = i?.includedNamespaces.length ? i.includedNamespaces.join(', ') : 'all namespaces';
  const warnings = b.reported ? b.reported.warnings : (i?.warnings ?? 0);
  const errors = b.reported ? b.reported.errors : (i?.errors ?? 0);
  item.description = [
    i?.phase ?? '?',
    age(i?.startTimestamp),
    namespaces,
    errors ? `${errors} error(s)` : '',
    warnings ? `${warnings} warning(s)` : '',
    b.drydock ? 'Drydock' : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const lines = [
    `**${b.name}** (${b.drydock ? 'pushed by Drydock' : 'made by Velero'})`,
    `Phase ${i?.phase ?? '?'}, started ${i?.startTimestamp ?? '?'}; namespaces: ${namespaces}`,
    `Items ${i?.itemsBackedUp ?? '?'}/${i?.totalItems ?? '?'}; ${errors} error(s), ${warnings} warning(s)`,
  ];
  if (b.reported?.skippedVolumes)
    lines.push(`${b.reported.skippedVolumes} volume(s) whose data Velero did not back up`);
  if (b.problem) lines.push(`Cannot be restored: ${b.problem}`);
  const tooltip = new vscode.MarkdownString();
  for (const l of lines) tooltip.appendText(l + '\n\n');
  item.tooltip = tooltip;
  item.iconPath = b.problem
    ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
    : new vscode.ThemeIcon(warnings || errors ? 'warning' : 'archive');
  item.contextValue = b.problem ? VeleroContext.unrestorable : VeleroContext.backup;
  return item;
}

function age(iso: string | undefined): string {
  if (!iso) return '';
  const ms = Date.now() - new Date(iso).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '';
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  return h < 48 ? `${h} h ago` : `${Math.round(h / 24)} days ago`;
}
