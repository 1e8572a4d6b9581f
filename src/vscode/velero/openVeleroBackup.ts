import * as vscode from 'vscode';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterExplorer } from '../../core/kube/clusterExplorer';
import { inspectSnapshot, type SnapshotSummary } from '../../core/snapshot';
import type { SecretKeySource } from '../../core/snapshot/secretCrypto';
import {
  openBackupStore,
  pullSnapshot,
  resolveRecoveryPoint,
  type OpenedVeleroBackup,
  type VeleroBackupListing,
} from '../../core/velero';
import { withEngineProgress } from '../snapshots/engineProgress';
import { s3OptionsOf, type VeleroLocationSetting } from './veleroLocations';

/** A backup opened for one command: the recovery point the engine reads, and the context to write into. */
export interface OpenedBackupTarget {
  summary: SnapshotSummary;
  /** Velero's own backup (undefined for one Drydock pushed: its full recovery point is used instead). */
  velero?: OpenedVeleroBackup;
  /** The key its Secrets open with; undefined: the user's own snapshot key (a recovery point Drydock pushed). */
  keySource?: SecretKeySource;
  /** The local context the user picked (a Velero backup names no context of this machine). */
  context: string;
}

/** `s3://bucket/prefix/backups/<name>` or `<folder>/backups/<name>`. */
export function backupAddress(setting: VeleroLocationSetting, name: string): string {
  return `${setting.location.replace(/\/+$/, '')}/backups/${name}`;
}

/**
 * Asks for the local context to restore or drill into, then opens the backup under a cancellable progress — a
 * recovery point Drydock pushed is downloaded whole (its AWS part and encrypted Secrets included), a backup Velero
 * made is downloaded, validated and converted — runs `use`, and removes the private copy afterwards.
 * Undefined when the user cancels.
 */
export async function withOpenedVeleroBackup<T>(
  setting: VeleroLocationSetting,
  listing: Pick<VeleroBackupListing, 'name' | 'drydock'>,
  deps: { explorer: ClusterExplorer; version: string; purpose: string; needsContext: boolean },
  use: (target: OpenedBackupTarget) => Promise<T>,
): Promise<T | undefined> {
  const { name } = listing;
  const context = deps.needsContext ? await pickLocalContext(deps.explorer, `${deps.purpose} ${name} into`) : '';
  if (context === undefined) return undefined;
  if (listing.drydock) {
    const dir = await mkdtemp(join(tmpdir(), 'drydock-pull-'));
    try {
      const file = join(dir, `${name}.tar.gz`);
      const summary = await withEngineProgress(`Downloading ${name}`, async (signal) => {
        const store = await openBackupStore(setting.location, s3OptionsOf(setting));
        try {
          await pullSnapshot(store, name, file, signal);
        } finally {
          store.close();
        }
        return inspectSnapshot(file, signal);
      });
      return await use({ summary, context });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const resolved = await withEngineProgress(`Opening Velero backup ${name}`, (signal) =>
    resolveRecoveryPoint(backupAddress(setting, name), {
      toolVersion: deps.version,
      s3: s3OptionsOf(setting),
      signal,
    }),
  );
  try {
    const velero = resolved.velero;
    if (!velero) throw new Error(`${backupAddress(setting, name)} is not a Velero backup`);
    const summary: SnapshotSummary = { path: velero.path, format: 'directory', valid: true, manifest: velero.manifest };
    return await use({ summary, velero, keySource: velero.keySource, context });
  } finally {
    await resolved.close();
  }
}

/** The local contexts (as Local Clusters shows them); asks when there are several. */
async function pickLocalContext(explorer: ClusterExplorer, title: string): Promise<string | undefined> {
  const names = explorer
    .contexts()
    .flatMap((c) => (c.kind === 'context' && c.local ? [{ name: c.contextName, current: c.current }] : []));
  if (!names.length) {
    void vscode.window.showInformationMessage('No local cluster to write into: see the Local Clusters view.');
    return undefined;
  }
  if (names.length === 1) return names[0]!.name;
  const picked = await vscode.window.showQuickPick(
    names.map((n) => ({ label: n.name, description: n.current ? 'current' : undefined })),
    { title, placeHolder: 'Local context', ignoreFocusOut: true },
  );
  return picked?.label;
}
