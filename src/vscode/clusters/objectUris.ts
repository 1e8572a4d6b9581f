import * as vscode from 'vscode';
import { formatObjectPath, parseObjectPath, type ObjectAddress } from '../../core/kube/objectAddress';
import type { ObjectNode } from '../../core/kube/explorerNodes';
import { OBJECT_SCHEME } from './contextValues';

/** The virtual document URI of an object's YAML or events; `reveal` shows a Secret's values. */
export function objectUri(
  node: Pick<ObjectNode, 'contextName' | 'namespace' | 'type' | 'name'>,
  view: ObjectAddress['view'],
  reveal = false,
): vscode.Uri {
  const address: ObjectAddress = {
    view,
    context: node.contextName,
    group: node.type.group,
    version: node.type.version,
    resource: node.type.resource,
    name: node.name,
  };
  if (node.namespace) address.namespace = node.namespace;
  return vscode.Uri.from({ scheme: OBJECT_SCHEME, path: formatObjectPath(address), query: reveal ? 'reveal=1' : '' });
}

export function addressOf(uri: vscode.Uri): { address: ObjectAddress; reveal: boolean } {
  return { address: parseObjectPath(uri.path), reveal: new URLSearchParams(uri.query).get('reveal') === '1' };
}
