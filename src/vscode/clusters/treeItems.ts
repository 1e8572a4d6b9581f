import * as vscode from 'vscode';
import type { ExplorerNode, ObjectNode } from '../../core/kube/explorerNodes';
import type { ExplorerGroupId } from '../../core/kube/resourceGroups';
import { CommandId, ContextValue } from './contextValues';

const GROUP_ICONS: Record<ExplorerGroupId, string> = {
  workloads: 'layers',
  config: 'settings-gear',
  network: 'plug',
  storage: 'database',
  access: 'shield',
  custom: 'extensions',
};

/** The TreeItem that shows a node of the Local Clusters tree. */
export function treeItemFor(node: ExplorerNode): vscode.TreeItem {
  const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
  switch (node.kind) {
    case 'context': {
      if (!node.local) {
        const item = new vscode.TreeItem(node.contextName, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon('lock');
        item.description = 'not local — not browsed';
        item.tooltip = `${node.server || 'no server'}\nNot local: ${node.why ?? 'not on this machine'}\n\nDrydock only browses and writes to clusters on this machine (by address, whatever the context is called). Add "${node.contextName}" to the drydock.extraLocalContexts setting if it is one.`;
        item.contextValue = ContextValue.lockedContext;
        return item;
      }
      const item = new vscode.TreeItem(node.contextName, collapsed);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('server-environment');
      item.description = node.current ? `${node.server} · current` : node.server;
      item.tooltip = `${node.contextName}\n${node.server}\nLocal: ${node.why ?? node.local}`;
      item.contextValue = ContextValue.context;
      return item;
    }
    case 'clusterScope':
      return withId(
        new vscode.TreeItem('Cluster', collapsed),
        node.id,
        'globe',
        ContextValue.clusterScope,
        'Cluster-scoped resources',
      );
    case 'namespace': {
      const item = withId(
        new vscode.TreeItem(node.namespace, collapsed),
        node.id,
        'symbol-namespace',
        ContextValue.namespace,
      );
      item.description = node.description || undefined;
      return item;
    }
    case 'group':
      return withId(new vscode.TreeItem(node.label, collapsed), node.id, GROUP_ICONS[node.group], ContextValue.group);
    case 'resourceType': {
      const item = withId(
        new vscode.TreeItem(node.label, collapsed),
        node.id,
        'symbol-class',
        ContextValue.resourceType,
      );
      item.description = String(node.items.length);
      item.tooltip = `${node.type.kind} (${node.type.groupVersion}, ${node.type.resource})`;
      return item;
    }
    case 'object':
      return objectItem(node);
    case 'message': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = node.detail;
      item.contextValue = ContextValue.message;
      if (node.severity === 'info') {
        item.iconPath = new vscode.ThemeIcon('info');
      } else {
        item.iconPath = new vscode.ThemeIcon(
          node.severity === 'unreachable' ? 'debug-disconnect' : 'error',
          new vscode.ThemeColor('errorForeground'),
        );
        item.tooltip = `${node.reason ?? node.detail ?? ''}\n\nClick to open the Drydock log; Retry (inline) loads it again.`;
        item.command = { command: CommandId.showLog, title: 'Show Log' };
        if (node.severity === 'unreachable') item.contextValue = ContextValue.unreachable;
      }
      return item;
    }
  }
}

function objectItem(node: ObjectNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = [node.summary.description, node.age].filter(Boolean).join(' · ');
  item.contextValue = node.type.kind === 'Secret' ? ContextValue.secretObject : ContextValue.object;
  item.iconPath = objectIcon(node);
  const where = node.namespace ? `${node.namespace}/` : '';
  item.tooltip = new vscode.MarkdownString(undefined, false);
  item.tooltip.appendText(
    `${node.type.kind} ${where}${node.name}\n\n${node.type.groupVersion} · ${node.summary.description || 'no status'} · age ${node.age}`,
  );
  item.command = { command: CommandId.openObject, title: 'Open YAML', arguments: [node] };
  return item;
}

function objectIcon(node: ObjectNode): vscode.ThemeIcon {
  switch (node.summary.health) {
    case 'ok':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'progressing':
      return new vscode.ThemeIcon('sync', new vscode.ThemeColor('testing.iconQueued'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    default:
      return new vscode.ThemeIcon(node.type.kind === 'Secret' ? 'key' : 'symbol-field');
  }
}

function withId(
  item: vscode.TreeItem,
  id: string,
  icon: string,
  contextValue: string,
  tooltip?: string,
): vscode.TreeItem {
  item.id = id;
  item.iconPath = new vscode.ThemeIcon(icon);
  item.contextValue = contextValue;
  if (tooltip) item.tooltip = tooltip;
  return item;
}
