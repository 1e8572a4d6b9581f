import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { SecretKeySource } from '../../core/snapshot';

const SECRET_ID = 'drydock.snapshotPassphrase';

/**
 * The passphrase that encrypts Secrets in snapshots made from VS Code, kept in VS Code's SecretStorage
 * (the OS keychain on desktop) and created on first use. Returns 'plain' only when the user opted out.
 */
export async function snapshotKeySource(secrets: vscode.SecretStorage, forCreate: boolean): Promise<SecretKeySource | 'plain'> {
  if (forCreate && !vscode.workspace.getConfiguration('drydock.snapshots').get<boolean>('encryptSecrets', true)) return 'plain';
  let passphrase = await secrets.get(SECRET_ID);
  if (!passphrase) {
    passphrase = randomBytes(32).toString('base64url');
    await secrets.store(SECRET_ID, passphrase);
  }
  return { passphrase };
}

/** Lets the user see/copy the passphrase (to restore with the CLI) or set the one a snapshot was made with. */
export async function manageSnapshotPassphrase(secrets: vscode.SecretStorage): Promise<void> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Copy the passphrase to the clipboard', id: 'copy' as const, detail: 'For DRYDOCK_SNAPSHOT_PASSPHRASE when restoring with the CLI.' },
      { label: 'Set the passphrase…', id: 'set' as const, detail: 'To restore snapshots made elsewhere with another passphrase.' },
    ],
    { placeHolder: 'Snapshot passphrase (kept in VS Code\'s secret storage)' },
  );
  if (choice?.id === 'copy') {
    const source = await snapshotKeySource(secrets, false);
    if (source !== 'plain' && 'passphrase' in source) await vscode.env.clipboard.writeText(source.passphrase);
    void vscode.window.showInformationMessage('Snapshot passphrase copied to the clipboard.');
  } else if (choice?.id === 'set') {
    const value = await vscode.window.showInputBox({ prompt: 'Snapshot passphrase', password: true, ignoreFocusOut: true });
    if (value) await secrets.store(SECRET_ID, value);
  }
}
