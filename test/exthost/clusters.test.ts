import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DrydockExports } from '../../src/vscode/extension';
import type { ExplorerNode } from '../../src/core/kube/explorerNodes';
import { ContextValue, OBJECT_SCHEME } from '../../src/vscode/clusters/contextValues';

// The harness sets drydock.kubeconfig to the local environment's kubeconfig.
describe('Local Clusters view', () => {
  let api: DrydockExports;

  before(async () => {
    const ext = vscode.extensions.getExtension<DrydockExports>('drydock.drydock');
    assert.ok(ext, 'extension drydock.drydock is installed');
    api = await ext.activate();
    assert.ok(api?.clusters?.tree, 'activate() returns the clusters tree');
    // The harness writes drydock.kubeconfig into the user settings, which a remote extension host sometimes
    // receives late (or, for this machine-overridable setting, not at all). Then set it as a user would.
    const config = () => vscode.workspace.getConfiguration('drydock').get<string>('kubeconfig');
    const waitFor = async (ms: number) => {
      const deadline = Date.now() + ms;
      while (!config() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    };
    await waitFor(5_000);
    if (!config() && process.env.DRYDOCK_KUBECONFIG) {
      await vscode.workspace
        .getConfiguration('drydock')
        .update('kubeconfig', process.env.DRYDOCK_KUBECONFIG, vscode.ConfigurationTarget.Global);
      await waitFor(5_000);
    }
    assert.ok(config(), "drydock.kubeconfig names the local environment's kubeconfig");
  });

  async function find(
    parent: ExplorerNode | undefined,
    match: (n: ExplorerNode) => boolean,
    what: string,
  ): Promise<ExplorerNode> {
    const children = await api.clusters.tree.getChildren(parent);
    const found = children.find(match);
    assert.ok(found, `${what} among ${children.map((c) => c.id).join(', ')}`);
    return found;
  }

  it('shows the drydock-local context and the shop namespace', async () => {
    const ctx = await find(
      undefined,
      (n) => n.kind === 'context' && n.contextName === 'drydock-local',
      'drydock-local',
    );
    const ctxItem = api.clusters.tree.getTreeItem(ctx);
    assert.equal(ctxItem.label, 'drydock-local');
    assert.equal(ctxItem.contextValue, ContextValue.context);
    const shop = await find(ctx, (n) => n.kind === 'namespace' && n.namespace === 'shop', 'shop');
    const shopItem = api.clusters.tree.getTreeItem(shop);
    assert.equal(shopItem.contextValue, 'drydock.namespace');
    assert.equal(shopItem.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.deepEqual(shop.kind === 'namespace' && [shop.contextName, shop.namespace], ['drydock-local', 'shop']);
  });

  it('opens the web Deployment as read-only YAML with replicas: 2', async () => {
    const ctx = await find(
      undefined,
      (n) => n.kind === 'context' && n.contextName === 'drydock-local',
      'drydock-local',
    );
    const shop = await find(ctx, (n) => n.kind === 'namespace' && n.namespace === 'shop', 'shop');
    const workloads = await find(shop, (n) => n.kind === 'group' && n.group === 'workloads', 'Workloads');
    const deployments = await find(
      workloads,
      (n) => n.kind === 'resourceType' && n.type.resource === 'deployments',
      'Deployments',
    );
    const web = await find(deployments, (n) => n.kind === 'object' && n.name === 'web', 'web');
    const item = api.clusters.tree.getTreeItem(web);
    assert.match(String(item.description), /^\d\/2 ready/);
    assert.ok(item.command, 'clicking opens the YAML');
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor opened');
    assert.equal(editor.document.uri.scheme, OBJECT_SCHEME);
    assert.match(editor.document.getText(), /^ {2}replicas: 2$/m);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
