import * as vscode from 'vscode';
import * as path from 'node:path';
import { deleteObject, downloadObject, objectViewKind, uploadFile } from '../../../core/aws/s3';
import { describeError } from '../../../core/errors';
import type { Logger } from '../../../core/log';
import { S3PreviewController } from '../browsers/s3PreviewController';
import { BROWSER_VIEW_TYPES } from './openBrowsers';
import type { S3PreviewHostMessage } from '../../../protocol/s3Preview';
import type { EndpointRegistry, EndpointSession } from '../endpointRegistry';
import type { BrowserPanels, BrowserPanelSpec } from '../panels/browserPanel';
import { vscodeBrowserUi } from '../panels/vscodeBrowserUi';
import { s3DocumentUri, type S3DocumentProvider } from '../s3Documents';
import type { BucketNode, ObjectNode, PrefixNode } from '../tree/nodes';

export interface S3CommandDeps {
  registry: EndpointRegistry;
  panels: BrowserPanels;
  documents: S3DocumentProvider;
  logger: Logger;
  /** Refreshes a tree node (after upload or delete). */
  refresh(node?: BucketNode | PrefixNode): void;
}

/** The S3 image preview panel of an object (opened from the tree, or restored after a reload). */
export function imagePanelSpec(
  session: EndpointSession,
  bucket: string,
  key: string,
  deps: Pick<S3CommandDeps, 'registry' | 'logger' | 'refresh'>,
): BrowserPanelSpec<S3PreviewHostMessage> {
  return {
    key: `s3|${session.id}|${bucket}|${key}`,
    viewType: BROWSER_VIEW_TYPES.s3,
    bundle: 's3Preview',
    title: key.split('/').pop() || key,
    state: { kind: 's3', endpointId: session.id, bucket, key },
    makeController: (post) =>
      new S3PreviewController(
        session.clients,
        bucket,
        key,
        vscodeBrowserUi(deps.registry, session.endpoint),
        post,
        deps.logger,
        () => deps.refresh(),
      ),
  };
}

/** Text and JSON open in a read-only editor, images in a preview, anything else is offered for download. */
export async function openObject(node: ObjectNode, deps: S3CommandDeps): Promise<void> {
  const { session, bucket, object } = node;
  const kind = objectViewKind(object.key);
  if (kind === 'image') {
    deps.panels.show(imagePanelSpec(session, bucket, object.key, deps));
    return;
  }
  if (kind === 'binary' && object.size > 0) {
    const choice = await vscode.window.showInformationMessage(
      `${object.key} does not look like text or an image.`,
      'Open as Text',
      'Download…',
    );
    if (choice === 'Download…') return downloadS3Object(node, deps);
    if (choice !== 'Open as Text') return;
  }
  try {
    const doc = await vscode.workspace.openTextDocument(s3DocumentUri(session.id, bucket, object.key));
    await vscode.window.showTextDocument(doc, { preview: true });
  } catch (error) {
    void vscode.window.showErrorMessage(`Could not open ${object.key}: ${describeError(error)}`);
  }
}

export async function downloadS3Object(node: ObjectNode, deps: S3CommandDeps): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = node.object.key.split('/').pop() || 'object';
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    title: `Download s3://${node.bucket}/${node.object.key}`,
  });
  if (!target) return;
  try {
    const bytes = await vscodeBrowserUi(deps.registry, node.session.endpoint).withProgress(
      `Downloading ${name}`,
      (signal) => downloadObject(node.session.clients.s3, node.bucket, node.object.key, target.fsPath, signal),
    );
    deps.logger.info(`S3: downloaded s3://${node.bucket}/${node.object.key} (${bytes} bytes) to ${target.fsPath}`);
  } catch (error) {
    deps.logger.error(`S3: download of s3://${node.bucket}/${node.object.key} failed: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Download failed: ${describeError(error)}`);
  }
}

export async function uploadS3Objects(node: BucketNode | PrefixNode, deps: S3CommandDeps): Promise<void> {
  const blocked = deps.registry.writeBlockedReason(node.session.endpoint);
  if (blocked) return void vscode.window.showWarningMessage(blocked);
  const files = await vscode.window.showOpenDialog({
    canSelectMany: true,
    openLabel: 'Upload',
    title: `Upload to s3://${node.bucket}/${node.prefix}`,
  });
  if (!files?.length) return;
  try {
    await vscodeBrowserUi(deps.registry, node.session.endpoint).withProgress(
      `Uploading to s3://${node.bucket}/${node.prefix}`,
      async (signal, report) => {
        for (const [i, f] of files.entries()) {
          signal.throwIfAborted();
          const key = node.prefix + path.basename(f.fsPath);
          report(`${i + 1} of ${files.length}: ${key}`, 100 / files.length);
          await uploadFile(node.session.clients.s3, node.bucket, key, f.fsPath, { signal });
          deps.logger.info(`S3: uploaded ${f.fsPath} to s3://${node.bucket}/${key}`);
        }
      },
    );
  } catch (error) {
    deps.logger.error(`S3: upload to s3://${node.bucket}/${node.prefix} failed: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Upload failed: ${describeError(error)}`);
  }
  deps.refresh(node);
}

export async function deleteS3Object(node: ObjectNode, deps: S3CommandDeps): Promise<void> {
  const blocked = deps.registry.writeBlockedReason(node.session.endpoint);
  if (blocked) return void vscode.window.showWarningMessage(blocked);
  const ok = await vscode.window.showWarningMessage(
    `Delete s3://${node.bucket}/${node.object.key}?`,
    { modal: true, detail: 'This cannot be undone.' },
    'Delete',
  );
  if (ok !== 'Delete') return;
  try {
    await deleteObject(node.session.clients.s3, node.bucket, node.object.key);
    deps.logger.info(`S3: deleted s3://${node.bucket}/${node.object.key}`);
  } catch (error) {
    deps.logger.error(`S3: delete of s3://${node.bucket}/${node.object.key} failed: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Delete failed: ${describeError(error)}`);
  }
  deps.refresh();
}
