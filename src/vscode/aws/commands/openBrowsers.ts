import type * as vscode from 'vscode';
import type { EmulatorInfo } from '../../../core/aws/emulator';
import { queueNameFromUrl } from '../../../core/aws/sqs';
import type { Logger } from '../../../core/log';
import type { DynamoHostMessage } from '../../../protocol/dynamoBrowser';
import type { SqsHostMessage } from '../../../protocol/sqsBrowser';
import { DynamoBrowserController } from '../browsers/dynamoBrowserController';
import { SqsBrowserController } from '../browsers/sqsBrowserController';
import type { EndpointRegistry, EndpointSession } from '../endpointRegistry';
import type { BrowserPanels, BrowserPanelSpec } from '../panels/browserPanel';
import type { QueueMessagesView } from '../panels/queueMessagesView';
import { vscodeBrowserUi } from '../panels/vscodeBrowserUi';
import type { QueueNode, TableNode } from '../tree/nodes';

/** The panel types of the AWS browsers (each has a panel serializer: they come back after a window reload). */
export const BROWSER_VIEW_TYPES = {
  sqs: 'drydock.sqsBrowser',
  dynamodb: 'drydock.dynamoBrowser',
  s3: 'drydock.s3Preview',
} as const;

/** The emulator at an endpoint, or a generic AWS-compatible one when detection failed. */
export function emulatorOf(session: EndpointSession): Promise<EmulatorInfo> {
  return session.emulator.catch(() => ({ kind: 'aws-compatible' as const }));
}

/** The SQS message browser panel of a queue (opened from the tree, or restored after a reload). */
export function queuePanelSpec(
  session: EndpointSession,
  queueUrl: string,
  emulator: EmulatorInfo,
  registry: EndpointRegistry,
  logger: Logger,
): BrowserPanelSpec<SqsHostMessage> {
  return {
    key: `sqs|${session.id}|${queueUrl}`,
    viewType: BROWSER_VIEW_TYPES.sqs,
    bundle: 'sqsBrowser',
    title: `Queue ${queueNameFromUrl(queueUrl)}`,
    state: { kind: 'sqs', endpointId: session.id, queueUrl },
    makeController: (post) =>
      new SqsBrowserController(
        session.clients,
        queueUrl,
        emulator,
        vscodeBrowserUi(registry, session.endpoint),
        post,
        logger,
      ),
  };
}

/** The DynamoDB item browser panel of a table (opened from the tree, or restored after a reload). */
export function tablePanelSpec(
  session: EndpointSession,
  table: string,
  registry: EndpointRegistry,
  logger: Logger,
): BrowserPanelSpec<DynamoHostMessage> {
  return {
    key: `dynamodb|${session.id}|${table}`,
    viewType: BROWSER_VIEW_TYPES.dynamodb,
    bundle: 'dynamoBrowser',
    title: `Table ${table}`,
    state: { kind: 'dynamodb', endpointId: session.id, table },
    makeController: (post) =>
      new DynamoBrowserController(session.clients, table, vscodeBrowserUi(registry, session.endpoint), post, logger),
  };
}

/** drydock.aws.openQueue: the SQS message browser of a queue. */
export async function openQueue(
  node: QueueNode,
  panels: BrowserPanels,
  registry: EndpointRegistry,
  logger: Logger,
): Promise<vscode.WebviewPanel> {
  const { session, queue } = node;
  return panels.show(queuePanelSpec(session, queue.url, await emulatorOf(session), registry, logger));
}

/** drydock.aws.openQueueInView: the same message browser in the Queue Messages view (sidebar or panel). */
export async function openQueueInView(
  node: QueueNode,
  view: QueueMessagesView,
  registry: EndpointRegistry,
  logger: Logger,
): Promise<void> {
  const { session, queue } = node;
  const spec = queuePanelSpec(session, queue.url, await emulatorOf(session), registry, logger);
  await view.show(spec.title, spec.makeController);
}

/** drydock.aws.openTable: the DynamoDB item browser of a table. */
export function openTable(
  node: TableNode,
  panels: BrowserPanels,
  registry: EndpointRegistry,
  logger: Logger,
): vscode.WebviewPanel {
  return panels.show(tablePanelSpec(node.session, node.table.name, registry, logger));
}
