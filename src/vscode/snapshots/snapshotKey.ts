import * as vscode from 'vscode';
import type { SecretKeySource } from '../../core/snapshot';
import { generateSnapshotIdentity, recipientOf } from '../../core/snapshot/secretCrypto';
import { readIdentityFile, writeIdentityFile } from '../../core/snapshot/identityFile';

const IDENTITY_ID = 'drydock.snapshotIdentity';
/** Snapshots made by earlier versions (and by the CLI with DRYDOCK_SNAPSHOT_PASSPHRASE) are protected by a passphrase. */
const PASSPHRASE_ID = 'drydock.snapshotPassphrase';

/**
 * The key for Secrets in snapshots made from VS Code: an age identity kept in VS Code's SecretStorage (the
 * OS keychain on desktop), created on first use — no passphrase, so no scrypt (about half a second and
 * 256 MB per snapshot). A passphrase stored for older snapshots is offered too when reading. Returns
 * 'plain' only when the user opted out of encryption.
 */
export async function snapshotKeySource(
  secrets: vscode.SecretStorage,
  forCreate: boolean,
): Promise<SecretKeySource | 'plain'> {
  if (forCreate && !vscode.workspace.getConfiguration('drydock.snapshots').get<boolean>('encryptSecrets', true))
    return 'plain';
  let identity = await secrets.get(IDENTITY_ID);
  if (!identity) {
    identity = await generateSnapshotIdentity();
    await secrets.store(IDENTITY_ID, identity);
  }
  const passphrase = forCreate ? undefined : await secrets.get(PASSPHRASE_ID);
  return passphrase ? { identity, passphrase } : { identity };
}

/** Saves the identity to a file for the CLI, imports one, or sets the passphrase of snapshots protected by one. */
export async function manageSnapshotKey(secrets: vscode.SecretStorage): Promise<void> {
  const choice = await vscode.window.showQuickPick(
    [
      {
        label: 'Save the key to a file…',
        id: 'save' as const,
        detail: 'For the CLI: DRYDOCK_SNAPSHOT_IDENTITY_FILE=<file>',
      },
      {
        label: 'Use a key file…',
        id: 'import' as const,
        detail: 'An age identity file (drydock snapshot keygen, age-keygen)',
      },
      {
        label: 'Set the passphrase…',
        id: 'passphrase' as const,
        detail: 'For snapshots made with DRYDOCK_SNAPSHOT_PASSPHRASE or older Drydock',
      },
    ],
    { placeHolder: "Snapshot key (kept in VS Code's secret storage)" },
  );
  try {
    if (choice?.id === 'save') {
      const source = await snapshotKeySource(secrets, false);
      if (source === 'plain' || !('identity' in source)) return;
      const uri = await vscode.window.showSaveDialog({
        title: 'Save the snapshot key (keep it private)',
        saveLabel: 'Save key',
        defaultUri: vscode.Uri.file('drydock-snapshots.key'),
      });
      if (!uri) return;
      const recipient = await writeIdentityFile(uri.fsPath, source.identity);
      void vscode.window.showInformationMessage(
        `Snapshot key saved to ${uri.fsPath} (owner-only; public key ${recipient}).`,
      );
    } else if (choice?.id === 'import') {
      const [uri] =
        (await vscode.window.showOpenDialog({
          title: 'An age identity file',
          canSelectMany: false,
          openLabel: 'Use this key',
        })) ?? [];
      if (!uri) return;
      const identity = await readIdentityFile(uri.fsPath);
      await secrets.store(IDENTITY_ID, identity);
      void vscode.window.showInformationMessage(
        `Snapshots now use the key ${await recipientOf(identity)}. Snapshots made with the previous key need that key (save it first if you still want them).`,
      );
    } else if (choice?.id === 'passphrase') {
      const value = await vscode.window.showInputBox({
        prompt: 'Passphrase of snapshots protected by one',
        password: true,
        ignoreFocusOut: true,
      });
      if (value) await secrets.store(PASSPHRASE_ID, value);
    }
  } catch (error) {
    void vscode.window.showErrorMessage((error as Error).message);
  }
}
