import * as vscode from 'vscode';
import { describeEmulator, type EmulatorInfo } from '../../../core/aws/emulator';
import { endpointLabel } from '../../../core/aws/endpoints';
import type { QueueSummary } from '../../../core/aws/sqs';
import type { TableSummary } from '../../../core/aws/dynamodb';
import type { ObjectSummary } from '../../../core/aws/s3';
import type { EndpointSession } from '../endpointRegistry';
import { AwsContext } from './contextValues';
import { formatBytes } from '../../../core/format';
import type { MoreQueueMessagesNode, QueueMessageNode, ReceiveConsentNode } from './queueMessageNodes';

/** A node of the Local AWS tree: data plus how it looks. Children are loaded by the provider. */
export type AwsNode =
  | EndpointNode
  | ServiceNode
  | QueueNode
  | TableNode
  | BucketNode
  | PrefixNode
  | ObjectNode
  | MessageNode
  | QueueMessageNode
  | MoreQueueMessagesNode
  | ReceiveConsentNode;

export type AwsService = 'sqs' | 'dynamodb' | 's3';

export class EndpointNode {
  readonly kind = 'endpoint';
  constructor(
    readonly session: EndpointSession,
    /** The emulator, or the reason nothing answers. */
    readonly emulator: EmulatorInfo | { kind: 'unreachable'; reason: string },
  ) {}
  get id(): string {
    return `aws/${this.session.id}`;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(endpointLabel(this.session.endpoint), vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.contextValue = AwsContext.endpoint;
    item.iconPath = new vscode.ThemeIcon(this.emulator.kind === 'unreachable' ? 'debug-disconnect' : 'cloud');
    item.description =
      this.emulator.kind === 'unreachable'
        ? 'unreachable'
        : `${describeEmulator(this.emulator)} · ${this.session.endpoint.region}`;
    item.tooltip =
      this.emulator.kind === 'unreachable'
        ? this.emulator.reason
        : `${this.session.endpoint.url} — ${describeEmulator(this.emulator)}, region ${this.session.endpoint.region}`;
    return item;
  }
}

const SERVICE_LABEL: Record<AwsService, string> = { sqs: 'SQS', dynamodb: 'DynamoDB', s3: 'S3' };
const SERVICE_ICON: Record<AwsService, string> = { sqs: 'mail', dynamodb: 'database', s3: 'archive' };

export class ServiceNode {
  readonly kind = 'service';
  constructor(
    readonly session: EndpointSession,
    readonly service: AwsService,
  ) {}
  get id(): string {
    return `aws/${this.session.id}/${this.service}`;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(SERVICE_LABEL[this.service], vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = AwsContext.service(this.service);
    item.iconPath = new vscode.ThemeIcon(SERVICE_ICON[this.service]);
    return item;
  }
}

function queueDescription(q: QueueSummary): string {
  const parts = [`${q.visible} visible`];
  if (q.inFlight) parts.push(`${q.inFlight} in flight`);
  if (q.delayed) parts.push(`${q.delayed} delayed`);
  if (q.fifo) parts.push('FIFO');
  if (q.deadLetterSourceUrls.length)
    parts.push(`DLQ of ${q.deadLetterSourceUrls.map((u) => u.split('/').pop()).join(', ')}`);
  else if (q.redrive) parts.push(`→ DLQ ${q.redrive.deadLetterTargetArn.split(':').pop()}`);
  return parts.join(' · ');
}

export class QueueNode {
  readonly kind = 'queue';
  constructor(
    readonly session: EndpointSession,
    readonly queue: QueueSummary,
  ) {}
  get id(): string {
    return `aws/${this.session.id}/sqs/${this.queue.name}`;
  }
  toTreeItem(): vscode.TreeItem {
    const q = this.queue;
    // Expands to its messages (listed without a receive where the emulator can; elsewhere a row that asks first).
    const item = new vscode.TreeItem(q.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = q.deadLetterSourceUrls.length ? AwsContext.deadLetterQueue : AwsContext.queue;
    item.iconPath = new vscode.ThemeIcon(q.deadLetterSourceUrls.length ? 'inbox' : 'mail');
    item.description = queueDescription(q);
    const md = new vscode.MarkdownString();
    md.appendText(`${q.url}\n\n`);
    md.appendText(`Visible ${q.visible}, in flight ${q.inFlight}, delayed ${q.delayed}\n`);
    md.appendText(
      `Visibility timeout ${q.visibilityTimeoutSeconds ?? '?'} s, retention ${q.retentionSeconds ?? '?'} s${q.fifo ? ', FIFO' : ''}\n`,
    );
    if (q.redrive)
      md.appendText(
        `Dead-letter queue: ${q.redrive.deadLetterTargetArn.split(':').pop()} after ${q.redrive.maxReceiveCount} receives\n`,
      );
    item.tooltip = md;
    item.command = { command: 'drydock.aws.openQueue', title: 'Open Message Browser', arguments: [this] };
    return item;
  }
}

export class TableNode {
  readonly kind = 'table';
  constructor(
    readonly session: EndpointSession,
    readonly table: TableSummary,
  ) {}
  get id(): string {
    return `aws/${this.session.id}/dynamodb/${this.table.name}`;
  }
  toTreeItem(): vscode.TreeItem {
    const t = this.table;
    const item = new vscode.TreeItem(t.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = AwsContext.table;
    item.iconPath = new vscode.ThemeIcon('table');
    const key = t.key.map((k) => `${k.name} (${k.type})`).join(' + ');
    const parts = [key, `${t.itemCount ?? '?'} items`];
    if (t.indexes.length) parts.push(`${t.indexes.length} index${t.indexes.length > 1 ? 'es' : ''}`);
    parts.push(t.billingMode === 'PAY_PER_REQUEST' ? 'on-demand' : 'provisioned');
    item.description = parts.join(' · ');
    const md = new vscode.MarkdownString();
    md.appendText(`Key: ${key}\nItems: ${t.itemCount ?? '?'} (approximate)\nBilling: ${t.billingMode}\n`);
    for (const i of t.indexes)
      md.appendText(`${i.kind} ${i.name}: ${i.key.map((k) => k.name).join(' + ')} (${i.projection})\n`);
    item.tooltip = md;
    item.command = { command: 'drydock.aws.openTable', title: 'Open Item Browser', arguments: [this] };
    return item;
  }
}

export class BucketNode {
  readonly kind = 'bucket';
  constructor(
    readonly session: EndpointSession,
    readonly bucket: string,
  ) {}
  readonly prefix = '';
  get id(): string {
    return `aws/${this.session.id}/s3/${this.bucket}`;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.bucket, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = AwsContext.bucket;
    item.iconPath = new vscode.ThemeIcon('repo');
    return item;
  }
}

export class PrefixNode {
  readonly kind = 'prefix';
  constructor(
    readonly session: EndpointSession,
    readonly bucket: string,
    readonly prefix: string,
  ) {}
  get id(): string {
    return `aws/${this.session.id}/s3/${this.bucket}/${this.prefix}`;
  }
  toTreeItem(): vscode.TreeItem {
    const name = this.prefix.slice(0, -1).split('/').pop() + '/';
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = AwsContext.prefix;
    item.iconPath = vscode.ThemeIcon.Folder;
    return item;
  }
}

export class ObjectNode {
  readonly kind = 'object';
  constructor(
    readonly session: EndpointSession,
    readonly bucket: string,
    readonly object: ObjectSummary,
  ) {}
  get id(): string {
    return `aws/${this.session.id}/s3/${this.bucket}/${this.object.key}`;
  }
  toTreeItem(): vscode.TreeItem {
    const name = this.object.key.split('/').pop() || this.object.key;
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = AwsContext.object;
    item.resourceUri = vscode.Uri.parse(`drydock-s3-icon:/${encodeURIComponent(name)}`); // file icon by extension
    item.iconPath = vscode.ThemeIcon.File;
    const date = this.object.lastModified ? this.object.lastModified.toISOString().replace('T', ' ').slice(0, 19) : '';
    item.description = [formatBytes(this.object.size), date].filter(Boolean).join(' · ');
    item.tooltip = `s3://${this.bucket}/${this.object.key}\n${this.object.size} bytes${date ? `\nModified ${date} UTC` : ''}`;
    item.accessibilityInformation = { label: `${name}, ${item.description}` }; // not the icon URI
    item.command = { command: 'drydock.aws.openObject', title: 'Open Object', arguments: [this] };
    return item;
  }
}

/** An informational, empty-list or error row. Errors point at the log instead of raising toasts. */
export class MessageNode {
  readonly kind = 'message';
  constructor(
    readonly parentId: string,
    readonly label: string,
    readonly severity: 'info' | 'empty' | 'error' | 'unreachable',
    readonly detail?: string,
  ) {}
  get id(): string {
    return `${this.parentId}/#${this.severity}`;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue =
      this.severity === 'error'
        ? AwsContext.error
        : this.severity === 'unreachable'
          ? AwsContext.unreachable
          : AwsContext.info;
    item.iconPath =
      this.severity === 'unreachable'
        ? new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('errorForeground'))
        : new vscode.ThemeIcon(this.severity === 'error' ? 'error' : 'info');
    item.tooltip = this.detail;
    if (this.severity === 'error' || this.severity === 'unreachable') {
      item.description = this.detail;
      item.command = { command: 'drydock.showLog', title: 'Show Log' };
    }
    return item;
  }
}
