import * as vscode from 'vscode';
import type { QueueMessage, QueueSummary } from '../../../core/aws/sqs';
import type { EndpointSession } from '../endpointRegistry';
import { AwsContext } from './contextValues';
import type { QueueNode } from './nodes';

/** How many messages a queue node shows at first, and how many more each "more…" adds. */
export const QUEUE_MESSAGE_PAGE = 25;

const preview = (body: string, max = 60) => {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat || '(empty body)';
};

/** Shown by the time SQS stamped it when sent, e.g. 23:41:07. */
const sentAt = (m: QueueMessage) => {
  const t = Number(m.attributes.SentTimestamp);
  return Number.isFinite(t) && t > 0 ? new Date(t).toISOString().slice(11, 19) : undefined;
};

/** What a message row says after its preview: receive count, invisible/delayed, FIFO group. */
export function messageFlags(m: QueueMessage): string[] {
  const parts = [`received ${m.attributes.ApproximateReceiveCount ?? '0'}×`];
  if (m.visible === false) parts.push('invisible');
  if (m.delayed === true) parts.push('delayed');
  if (m.attributes.MessageGroupId) parts.push(`group ${m.attributes.MessageGroupId}`);
  return parts;
}

/** One message of a queue, listed without receiving it (LocalStack's peek). Clicking opens its detail. */
export class QueueMessageNode {
  readonly kind = 'queueMessage';
  constructor(
    readonly session: EndpointSession,
    readonly queue: QueueSummary,
    readonly message: QueueMessage,
  ) {}
  get id(): string {
    return `aws/${this.session.id}/sqs/${this.queue.name}/m/${this.message.messageId}`;
  }
  toTreeItem(): vscode.TreeItem {
    const m = this.message;
    const label = sentAt(m) ? `${sentAt(m)} ${m.messageId.slice(0, 8)}` : m.messageId.slice(0, 8);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = AwsContext.sqsMessage;
    item.iconPath = new vscode.ThemeIcon(m.visible === false ? 'eye-closed' : m.delayed ? 'watch' : 'mail');
    item.description = [preview(m.body), ...messageFlags(m)].join(' · ');
    const md = new vscode.MarkdownString();
    md.appendText(`Message ${m.messageId}\n${messageFlags(m).join(', ')}\n\n${preview(m.body, 400)}`);
    item.tooltip = md;
    item.accessibilityInformation = { label: `${label}, ${item.description}` };
    item.command = { command: 'drydock.aws.showQueueMessage', title: 'Show Message', arguments: [this] };
    return item;
  }
}

/** "more…": shows the next page of a queue's messages. */
export class MoreQueueMessagesNode {
  readonly kind = 'moreQueueMessages';
  constructor(
    /** The queue's node as the tree holds it (its change event must name the same object). */
    readonly queueNode: QueueNode,
    readonly shown: number,
    readonly total: number,
  ) {}
  get id(): string {
    return `${this.queueNode.id}/#more`;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('more…', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = AwsContext.info;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.description = `${this.shown} of ${this.total} shown`;
    item.command = { command: 'drydock.aws.moreQueueMessages', title: 'Show More Messages', arguments: [this] };
    return item;
  }
}

/**
 * Where listing would receive the messages (moto, AWS-compatible endpoints): one row that asks first, by opening
 * the message browser, whose consent banner explains what a receive does.
 */
export class ReceiveConsentNode {
  readonly kind = 'receiveConsent';
  constructor(
    /** The queue's node, passed to drydock.aws.openQueue. */
    readonly queueNode: QueueNode,
  ) {}
  get id(): string {
    return `${this.queueNode.id}/#consent`;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      'List messages… (this emulator can only receive them)',
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.contextValue = AwsContext.info;
    item.iconPath = new vscode.ThemeIcon('warning');
    item.tooltip =
      'This emulator cannot list messages without receiving them, which raises their receive counts. Opens the message browser, which asks first.';
    item.command = { command: 'drydock.aws.openQueue', title: 'Open Message Browser', arguments: [this.queueNode] };
    return item;
  }
}
