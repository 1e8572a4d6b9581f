import * as vscode from 'vscode';
import { listQueues } from '../../../core/aws/sqs';
import { listTables } from '../../../core/aws/dynamodb';
import { listBuckets, listLevel } from '../../../core/aws/s3';
import { DrydockError, describeError } from '../../../core/errors';
import type { Logger } from '../../../core/log';
import { ContextKey, setContextKey, type AwsState } from '../../contextKeys';
import type { EndpointRegistry } from '../endpointRegistry';
import { queueMessageChildren } from './queueMessageChildren';
import { QUEUE_MESSAGE_PAGE, type MoreQueueMessagesNode } from './queueMessageNodes';
import {
  BucketNode,
  EndpointNode,
  MessageNode,
  ObjectNode,
  PrefixNode,
  QueueNode,
  ServiceNode,
  TableNode,
  type AwsNode,
} from './nodes';

/** How many entries one S3 level shows before saying "more not shown". */
export const S3_LEVEL_LIMIT = 2000;

/** The Local AWS tree: endpoints → SQS / DynamoDB / S3 → queues, tables, buckets → prefixes → objects. */
export class AwsTreeProvider implements vscode.TreeDataProvider<AwsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AwsNode | undefined>();
  /** How many messages each expanded queue node shows (grows with "more…"). */
  private readonly queueMessagesShown = new Map<string, number>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly registry: EndpointRegistry,
    private readonly logger: Logger,
  ) {}

  /** Reloads everything: settings, profiles, emulator detection. Node ids are stable, so expansion survives. */
  refresh(node?: AwsNode): void {
    if (!node) this.registry.reset();
    this.changed.fire(node);
  }

  /** "more…" under a queue: the next page of its messages. */
  showMoreMessages(more: MoreQueueMessagesNode): void {
    this.queueMessagesShown.set(more.queueNode.id, more.shown + QUEUE_MESSAGE_PAGE);
    this.changed.fire(more.queueNode);
  }

  getTreeItem(node: AwsNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  async getChildren(node?: AwsNode): Promise<AwsNode[]> {
    const parentId = node?.id ?? 'aws';
    try {
      const children = await this.load(node);
      if (!node) {
        // No endpoint, or none that answers: the view stays empty for its welcome content.
        const state: AwsState = !children.length
          ? 'noEndpoints'
          : children.every((c) => c.kind === 'endpoint' && c.emulator.kind === 'unreachable')
            ? 'unreachable'
            : 'ready';
        setContextKey(ContextKey.awsState, state);
        if (state !== 'ready') return [];
      }
      return children.length || !node ? children : [new MessageNode(parentId, emptyLabel(node), 'empty')];
    } catch (error) {
      const reason = describeError(error);
      this.logger.error(`Local AWS: failed to load ${parentId}: ${reason}`);
      if (DrydockError.is(error, 'unreachable'))
        return [new MessageNode(parentId, 'Not answering — Retry / Show Log', 'unreachable', reason)];
      return [new MessageNode(parentId, 'Failed to load — show log', 'error', reason)];
    }
  }

  private async load(node: AwsNode | undefined): Promise<AwsNode[]> {
    if (!node) {
      const sessions = await this.registry.list();
      return Promise.all(
        sessions.map(async (s) => {
          try {
            return new EndpointNode(s, await s.emulator);
          } catch (error) {
            return new EndpointNode(s, { kind: 'unreachable', reason: describeError(error) });
          }
        }),
      );
    }
    switch (node.kind) {
      case 'endpoint':
        if (node.emulator.kind === 'unreachable')
          return [new MessageNode(node.id, 'Not answering — Retry / Show Log', 'unreachable', node.emulator.reason)];
        return (['sqs', 'dynamodb', 's3'] as const).map((s) => new ServiceNode(node.session, s));
      case 'service': {
        const { clients } = node.session;
        switch (node.service) {
          case 'sqs':
            return (await listQueues(clients.sqs)).map((q) => new QueueNode(node.session, q));
          case 'dynamodb':
            return (await listTables(clients.dynamodb)).map((t) => new TableNode(node.session, t));
          case 's3':
            return (await listBuckets(clients.s3)).map((b) => new BucketNode(node.session, b.name));
        }
        break;
      }
      case 'bucket':
      case 'prefix': {
        const level = await listLevel(node.session.clients.s3, node.bucket, node.prefix, {
          maxEntries: S3_LEVEL_LIMIT,
        });
        const children: AwsNode[] = [
          ...level.prefixes.map((p) => new PrefixNode(node.session, node.bucket, p)),
          ...level.objects.map((o) => new ObjectNode(node.session, node.bucket, o)),
        ];
        if (level.truncated)
          children.push(new MessageNode(node.id, `Only the first ${S3_LEVEL_LIMIT} entries are shown`, 'info'));
        return children;
      }
      case 'queue':
        return queueMessageChildren(node, this.queueMessagesShown.get(node.id) ?? QUEUE_MESSAGE_PAGE);
      case 'table':
      case 'object':
      case 'message':
      case 'queueMessage':
      case 'moreQueueMessages':
      case 'receiveConsent':
        return [];
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function emptyLabel(node: AwsNode): string {
  if (node.kind === 'service') return { sqs: 'No queues', dynamodb: 'No tables', s3: 'No buckets' }[node.service];
  if (node.kind === 'bucket' || node.kind === 'prefix') return 'Empty';
  return 'Nothing here';
}
