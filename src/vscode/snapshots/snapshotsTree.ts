import * as vscode from 'vscode';
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { listSnapshots, type SnapshotSummary } from '../../core/snapshot';
import type { Logger } from '../../core/log';
import { formatBytes } from '../../core/format';
import { ContextKey, setContextKey } from '../contextKeys';
import { veleroLocationsSetting } from '../velero/veleroLocations';
import {
  veleroBackupItem,
  veleroBackupNodes,
  veleroLocationItem,
  type VeleroTreeNode,
} from '../velero/veleroTreeNodes';

/** A recovery point in the Snapshots view, or one line of its contents, a Velero location or backup, or a message. */
export type SnapshotTreeNode =
  | { kind: 'snapshot'; summary: SnapshotSummary }
  | { kind: 'detail'; id: string; label: string; description?: string; icon: string; children?: SnapshotTreeNode[] }
  | VeleroTreeNode;

export const SnapshotContext = { snapshot: 'drydock.snapshot', invalidSnapshot: 'drydock.snapshot.invalid' } as const;

/** The Snapshots view: the recovery points in the snapshot folder, and what each holds (read from its manifest only). */
export class SnapshotsTreeProvider implements vscode.TreeDataProvider<SnapshotTreeNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly folder: () => string,
    private readonly logger: Logger,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  async getChildren(node?: SnapshotTreeNode): Promise<SnapshotTreeNode[]> {
    if (node?.kind === 'detail') return node.children ?? [];
    if (node?.kind === 'snapshot') return contentsOf(node.summary);
    if (node?.kind === 'veleroLocation') return veleroBackupNodes(node.setting, this.logger);
    if (node) return [];
    // Velero's backup storage locations (drydock.velero.locations) follow the local recovery points.
    const locations: SnapshotTreeNode[] = veleroLocationsSetting((m) => this.logger.warn(m)).map((setting) => ({
      kind: 'veleroLocation',
      setting,
    }));
    return [...(await this.localSnapshots()), ...locations];
  }

  private async localSnapshots(): Promise<SnapshotTreeNode[]> {
    const folder = this.folder();
    // No recovery point yet: the view stays empty for its welcome content.
    if (!existsSync(folder)) {
      setContextKey(ContextKey.snapshotsState, 'empty');
      return [];
    }
    try {
      const all = await listSnapshots(folder);
      all.sort((a, b) => (b.manifest?.createdAt ?? '').localeCompare(a.manifest?.createdAt ?? ''));
      setContextKey(ContextKey.snapshotsState, all.length ? 'ready' : 'empty');
      return all.map((summary) => ({ kind: 'snapshot', summary }));
    } catch (error) {
      this.logger.error(
        `Failed to list snapshots in ${folder}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return [{ kind: 'message', label: 'Failed to load snapshots — show log', error: true }];
    }
  }

  getTreeItem(node: SnapshotTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'snapshot': {
        const { summary } = node;
        const item = new vscode.TreeItem(path.basename(summary.path), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `snapshot:${summary.path}`;
        item.resourceUri = vscode.Uri.file(summary.path);
        if (summary.valid && summary.manifest) {
          const m = summary.manifest;
          const ns = m.source.kube?.namespaces.join(', ') ?? 'no namespace';
          item.description = `${ns} · ${new Date(m.createdAt).toLocaleString()}`;
          item.tooltip = new vscode.MarkdownString(
            `**${path.basename(summary.path)}**\n\n${m.counts.items} objects, ${m.counts.skipped} skipped, ${m.counts.secrets} secrets (${m.encryption.secrets === 'age' ? 'encrypted' : 'plain text'})\n\n` +
              `${m.counts.sqsMessages} SQS messages, ${m.counts.dynamodbItems} DynamoDB items, ${m.counts.s3Objects} S3 objects\n\nFrom ${m.source.kube?.context ?? '—'} / ${m.source.aws?.endpoint ?? '—'}`,
          );
          item.iconPath = new vscode.ThemeIcon('archive');
          item.contextValue = SnapshotContext.snapshot;
        } else {
          item.description = 'invalid';
          item.tooltip = summary.problem;
          item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
          item.contextValue = SnapshotContext.invalidSnapshot;
        }
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(
          node.label,
          node.children?.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        item.id = node.id;
        item.description = node.description;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
      case 'veleroLocation':
        return veleroLocationItem(node.setting);
      case 'veleroBackup':
        return veleroBackupItem(node.setting, node.listing);
      case 'message': {
        const item = new vscode.TreeItem(node.label);
        item.iconPath = new vscode.ThemeIcon(node.error ? 'error' : 'info');
        if (node.error) item.command = { command: 'drydock.showLog', title: 'Show Log' };
        return item;
      }
    }
  }
}

function contentsOf(summary: SnapshotSummary): SnapshotTreeNode[] {
  const m = summary.manifest;
  const base = `snapshot:${summary.path}`;
  if (!summary.valid || !m) return [{ kind: 'message', label: summary.problem ?? 'Invalid snapshot', error: true }];
  const out: SnapshotTreeNode[] = [];
  const kubeTypes = m.resources.filter((r) => r.count > 0).sort((a, b) => a.resource.localeCompare(b.resource));
  out.push({
    kind: 'detail',
    id: `${base}/kube`,
    label: 'Kubernetes',
    description: `${m.counts.items} objects in ${m.source.kube?.namespaces.join(', ') ?? '—'}`,
    icon: 'symbol-namespace',
    children: kubeTypes.map((r) => ({
      kind: 'detail' as const,
      id: `${base}/kube/${r.resource}.${r.group}`,
      label: r.group ? `${r.resource}.${r.group}` : r.resource,
      description: `${r.count}`,
      icon: r.namespaced ? 'symbol-class' : 'globe',
    })),
  });
  if (m.skipped.length) {
    out.push({
      kind: 'detail',
      id: `${base}/skipped`,
      label: 'Skipped',
      description: `${m.skipped.length}`,
      icon: 'circle-slash',
      children: m.skipped.map((s, i) => ({
        kind: 'detail' as const,
        id: `${base}/skipped/${i}`,
        label: `${s.resource}/${s.name}`,
        description: s.reason,
        icon: 'dash',
      })),
    });
  }
  const aws: SnapshotTreeNode[] = [
    ...m.aws.sqs.map((q) => ({
      kind: 'detail' as const,
      id: `${base}/sqs/${q.name}`,
      label: q.name,
      description: `${q.messages} messages`,
      icon: 'mail',
    })),
    ...m.aws.dynamodb.map((t) => ({
      kind: 'detail' as const,
      id: `${base}/ddb/${t.name}`,
      label: t.name,
      description: `${t.items} items`,
      icon: 'table',
    })),
    ...m.aws.s3.map((b) => ({
      kind: 'detail' as const,
      id: `${base}/s3/${b.name}`,
      label: b.name,
      description: `${b.objects} objects, ${formatBytes(b.bytes)}`,
      icon: 'package',
    })),
  ];
  if (aws.length)
    out.push({
      kind: 'detail',
      id: `${base}/aws`,
      label: 'AWS',
      description: m.source.aws?.endpoint,
      icon: 'cloud',
      children: aws,
    });
  return out;
}
