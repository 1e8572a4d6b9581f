import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { silentLogger } from '../../src/core/log';
import { EndpointRegistry } from '../../src/vscode/aws/endpointRegistry';
import { s3DocumentUri } from '../../src/vscode/aws/s3Documents';
import { AwsTreeProvider } from '../../src/vscode/aws/tree/AwsTreeProvider';
import type { AwsNode } from '../../src/vscode/aws/tree/nodes';

// The seeded sample workload (tools/localenv/seed.mjs).
const seed = {
  queue: 'shop-orders',
  dlq: 'shop-orders-dlq',
  table: 'shop-products',
  index: 'by-category',
  bucket: 'shop-assets',
  textKey: 'docs/welcome.txt',
  text: 'Welcome to the Drydock shop.',
};
const endpointUrl = (process.env.DRYDOCK_AWS_ENDPOINT ?? 'http://localhost:4566').replace(/\/+$/, '');

describe('Local AWS tree against the seeded emulator', () => {
  const registry = new EndpointRegistry(silentLogger);
  const tree = new AwsTreeProvider(registry, silentLogger);
  const label = (n: AwsNode) => {
    const l = tree.getTreeItem(n).label;
    return typeof l === 'string' ? l : (l?.label ?? '');
  };
  const child = async (parent: AwsNode | undefined, name: string) => {
    const kids = await tree.getChildren(parent);
    const found = kids.find((k) => label(k) === name);
    assert.ok(found, `"${name}" among ${kids.map(label).join(', ')}`);
    return found;
  };
  let endpoint: AwsNode;

  before(async () => {
    await vscode.extensions.getExtension('drydock.drydock')!.activate();
    const configured = vscode.workspace.getConfiguration('drydock.aws').get<string[]>('endpoints', []);
    if (!configured.map((u) => u.replace(/\/+$/, '')).includes(endpointUrl)) {
      await vscode.workspace
        .getConfiguration('drydock.aws')
        .update('endpoints', [endpointUrl], vscode.ConfigurationTarget.Global);
    }
  });
  after(() => {
    tree.dispose();
    registry.dispose();
  });

  it('shows the endpoint with the detected emulator and the three services', async () => {
    endpoint = await child(undefined, endpointUrl);
    assert.match(String(tree.getTreeItem(endpoint).description), /^moto · us-east-1$/);
    assert.deepEqual((await tree.getChildren(endpoint)).map(label), ['SQS', 'DynamoDB', 'S3']);
  });

  it('lists the queue with its counts and the dead-letter relation both ways', async () => {
    const sqs = await child(endpoint, 'SQS');
    const queue = tree.getTreeItem(await child(sqs, seed.queue));
    assert.match(String(queue.description), /\d+ visible/);
    assert.match(String(queue.description), new RegExp(`→ DLQ ${seed.dlq}`));
    assert.equal(queue.command?.command, 'drydock.aws.openQueue');
    const dlq = tree.getTreeItem(await child(sqs, seed.dlq));
    assert.match(String(dlq.description), new RegExp(`DLQ of ${seed.queue}`));
    assert.equal(dlq.contextValue, 'drydock.aws.queue.dlq');
  });

  it('lists the table with key, item count, index and billing mode', async () => {
    const table = tree.getTreeItem(await child(await child(endpoint, 'DynamoDB'), seed.table));
    assert.match(String(table.description), /^sku \(S\) · \d+ items · 1 index · on-demand$/);
  });

  it('walks the bucket by prefix down to an object with size and date, with stable ids', async () => {
    const bucket = await child(await child(endpoint, 'S3'), seed.bucket);
    const names = (await tree.getChildren(bucket)).map(label);
    for (const p of ['catalog/', 'docs/', 'images/', 'reports/'])
      assert.ok(names.includes(p), `${p} in ${names.join(', ')}`);
    const docs = await child(bucket, 'docs/');
    const welcome = tree.getTreeItem(await child(docs, 'welcome.txt'));
    assert.match(String(welcome.description), /^\d+ B · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const again = await child(await child(await child(endpoint, 'S3'), seed.bucket), 'docs/');
    assert.equal(tree.getTreeItem(again).id, tree.getTreeItem(docs).id);
  });

  it('opens a text object read-only through the drydock-s3 document provider', async () => {
    const sessions = await registry.list();
    const session = sessions.find((s) => s.endpoint.url === endpointUrl)!;
    const doc = await vscode.workspace.openTextDocument(s3DocumentUri(session.id, seed.bucket, seed.textKey));
    assert.ok(doc.getText().startsWith(seed.text));
  });

  it('opens the message browser for a queue as a webview panel', async () => {
    const queue = await child(await child(endpoint, 'SQS'), seed.queue);
    await vscode.commands.executeCommand('drydock.aws.openQueue', queue);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
    for (let i = 0; i < 50 && !tabs().includes(`Queue ${seed.queue}`); i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.ok(tabs().includes(`Queue ${seed.queue}`), `tabs: ${tabs().join(', ')}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('an unreachable endpoint is one plain node, not an error storm', async () => {
    const previous = vscode.workspace.getConfiguration('drydock.aws').get<string[]>('endpoints', []);
    await vscode.workspace
      .getConfiguration('drydock.aws')
      .update('endpoints', [...previous, 'http://127.0.0.1:9'], vscode.ConfigurationTarget.Global);
    try {
      tree.refresh();
      const dead = await child(undefined, 'http://127.0.0.1:9');
      assert.equal(tree.getTreeItem(dead).description, 'unreachable');
      const kids = await tree.getChildren(dead);
      assert.equal(kids.length, 1);
      // One node saying so, with Retry and Show Log, and the reason (naming the endpoint) in its tooltip.
      assert.equal(label(kids[0]!), 'Not answering — Retry / Show Log');
      const tooltip = tree.getTreeItem(kids[0]!).tooltip;
      assert.match(typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''), /127\.0\.0\.1:9/);
    } finally {
      await vscode.workspace
        .getConfiguration('drydock.aws')
        .update('endpoints', previous, vscode.ConfigurationTarget.Global);
      tree.refresh();
    }
  });
});
