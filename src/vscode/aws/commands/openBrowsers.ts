import type { Logger } from '../../../core/log';
import { DynamoBrowserController } from '../browsers/dynamoBrowserController';
import { SqsBrowserController } from '../browsers/sqsBrowserController';
import type { EndpointRegistry } from '../endpointRegistry';
import type { BrowserPanels } from '../panels/browserPanel';
import type { QueueMessagesView } from '../panels/queueMessagesView';
import { vscodeBrowserUi } from '../panels/vscodeBrowserUi';
import type { QueueNode, TableNode } from '../tree/nodes';

/** drydock.aws.openQueue: the SQS message browser of a queue. */
export async function openQueue(
  node: QueueNode,
  panels: BrowserPanels,
  registry: EndpointRegistry,
  logger: Logger,
): Promise<void> {
  const { session, queue } = node;
  const emulator = await session.emulator.catch(() => ({ kind: 'aws-compatible' as const }));
  panels.show(
    `sqs|${session.id}|${queue.url}`,
    'drydock.sqsBrowser',
    'sqsBrowser',
    `Queue ${queue.name}`,
    (post) =>
      new SqsBrowserController(
        session.clients,
        queue.url,
        emulator,
        vscodeBrowserUi(registry, session.endpoint),
        post,
        logger,
      ),
  );
}

/** drydock.aws.openQueueInView: the same message browser in the Queue Messages view (sidebar or panel). */
export async function openQueueInView(
  node: QueueNode,
  view: QueueMessagesView,
  registry: EndpointRegistry,
  logger: Logger,
): Promise<void> {
  const { session, queue } = node;
  const emulator = await session.emulator.catch(() => ({ kind: 'aws-compatible' as const }));
  await view.show(
    `Queue ${queue.name}`,
    (post) =>
      new SqsBrowserController(
        session.clients,
        queue.url,
        emulator,
        vscodeBrowserUi(registry, session.endpoint),
        post,
        logger,
      ),
  );
}

/** drydock.aws.openTable: the DynamoDB item browser of a table. */
export function openTable(node: TableNode, panels: BrowserPanels, registry: EndpointRegistry, logger: Logger): void {
  const { session, table } = node;
  panels.show(
    `dynamodb|${session.id}|${table.name}`,
    'drydock.dynamoBrowser',
    'dynamoBrowser',
    `Table ${table.name}`,
    (post) =>
      new DynamoBrowserController(
        session.clients,
        table.name,
        vscodeBrowserUi(registry, session.endpoint),
        post,
        logger,
      ),
  );
}
