import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { openQueue, openQueueInView, openTable } from './commands/openBrowsers';
import {
  deleteS3Object,
  downloadS3Object,
  openObject,
  uploadS3Objects,
  type S3CommandDeps,
} from './commands/s3Objects';
import { EndpointRegistry } from './endpointRegistry';
import { BrowserPanels } from './panels/browserPanel';
import { BrowserPanelSerializer } from './panels/browserPanelSerializer';
import { S3_SCHEME, S3DocumentProvider } from './s3Documents';
import { AwsTreeProvider } from './tree/AwsTreeProvider';
import { QUEUE_MESSAGES_VIEW, QueueMessagesView } from './panels/queueMessagesView';
import { QueueMessageDocuments, SQS_MESSAGE_SCHEME } from './tree/queueMessageDocuments';
import type { MoreQueueMessagesNode, QueueMessageNode } from './tree/queueMessageNodes';
import type { BucketNode, ObjectNode, PrefixNode, QueueNode, TableNode } from './tree/nodes';

/** Registers the Local AWS view, its browsers and its commands. */
export function registerAwsExplorer(context: vscode.ExtensionContext, logger: Logger): void {
  const registry = new EndpointRegistry(logger);
  const tree = new AwsTreeProvider(registry, logger);
  const panels = new BrowserPanels(context.extensionUri, logger);
  const documents = new S3DocumentProvider(registry, logger);
  const messagesView = new QueueMessagesView(context.extensionUri, logger);
  const messageDocuments = new QueueMessageDocuments();
  const s3: S3CommandDeps = { registry, panels, documents, logger, refresh: (node) => tree.refresh(node) };

  const guard =
    <T>(name: string, run: (node: T) => unknown) =>
    async (node: T) => {
      if (!node) return void vscode.window.showInformationMessage(`Choose an item in the Local AWS view to ${name}.`);
      try {
        await run(node);
      } catch (error) {
        logger.error(`Local AWS: ${name} failed: ${(error as Error).message}`);
        void vscode.window.showErrorMessage(`Could not ${name}: ${(error as Error).message}`);
      }
    };

  // The browser panels come back after a window reload (each webview keeps which endpoint and queue/table/object).
  const serializers = (['sqs', 'dynamodb', 's3'] as const).map(
    (kind) => new BrowserPanelSerializer(kind, { panels, registry, logger, refresh: () => tree.refresh() }),
  );

  context.subscriptions.push(
    registry,
    tree,
    panels,
    ...serializers.map((s) => vscode.window.registerWebviewPanelSerializer(s.viewType, s)),
    documents,
    vscode.window.createTreeView('drydock.aws', { treeDataProvider: tree, showCollapseAll: true }),
    vscode.workspace.registerTextDocumentContentProvider(S3_SCHEME, documents),
    vscode.commands.registerCommand('drydock.refreshAws', () => tree.refresh()),
    vscode.commands.registerCommand(
      'drydock.aws.openQueue',
      guard<QueueNode>('open the queue', (n) => openQueue(n, panels, registry, logger)),
    ),
    messagesView,
    messageDocuments,
    vscode.window.registerWebviewViewProvider(QUEUE_MESSAGES_VIEW, messagesView, {
      webviewOptions: { retainContextWhenHidden: true },
    }),
    vscode.workspace.registerTextDocumentContentProvider(SQS_MESSAGE_SCHEME, messageDocuments),
    vscode.commands.registerCommand(
      'drydock.aws.openQueueInView',
      guard<QueueNode>('open the queue', (n) => openQueueInView(n, messagesView, registry, logger)),
    ),
    vscode.commands.registerCommand(
      'drydock.aws.showQueueMessage',
      guard<QueueMessageNode>('show the message', (n) => messageDocuments.show(n)),
    ),
    vscode.commands.registerCommand(
      'drydock.aws.moreQueueMessages',
      guard<MoreQueueMessagesNode>('show more messages', (n) => tree.showMoreMessages(n)),
    ),
    vscode.commands.registerCommand(
      'drydock.aws.openTable',
      guard<TableNode>('open the table', (n) => openTable(n, panels, registry, logger)),
    ),
    vscode.commands.registerCommand(
      'drydock.aws.openObject',
      guard<ObjectNode>('open the object', (n) => openObject(n, s3)),
    ),
    vscode.commands.registerCommand(
      'drydock.aws.downloadObject',
      guard<ObjectNode>('download the object', (n) => downloadS3Object(n, s3)),
    ),
    vscode.commands.registerCommand(
      'drydock.aws.uploadObjects',
      guard<BucketNode | PrefixNode>('upload', (n) => uploadS3Objects(n, s3)),
    ),
    vscode.commands.registerCommand(
      'drydock.aws.deleteObject',
      guard<ObjectNode>('delete the object', (n) => deleteS3Object(n, s3)),
    ),
    vscode.commands.registerCommand('drydock.aws.refreshObject', () => {
      const uri = vscode.window.activeTextEditor?.document.uri;
      if (uri?.scheme === S3_SCHEME) documents.refresh(uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('drydock.aws')) tree.refresh();
    }),
  );
  logger.debug('Local AWS view registered');
}
