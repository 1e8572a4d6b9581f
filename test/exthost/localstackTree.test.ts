import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { silentLogger } from '../../src/core/log';
import { EndpointRegistry } from '../../src/vscode/aws/endpointRegistry';
import { AwsTreeProvider } from '../../src/vscode/aws/tree/AwsTreeProvider';
import type { AwsNode } from '../../src/vscode/aws/tree/nodes';
import { QUEUE_MESSAGE_PAGE } from '../../src/vscode/aws/tree/queueMessageNodes';

// LocalStack beside moto (tools/localenv): shop-orders is seeded on both (tools/localenv/seedLocalstack.mjs).
const motoUrl = (process.env.DRYDOCK_AWS_ENDPOINT ?? 'http://localhost:4566').replace(/\/+$/, '');
const localstackUrl = (process.env.DRYDOCK_LOCALSTACK_ENDPOINT ?? 'http://localhost:4567').replace(/\/+$/, '');

/** Receive count of every message of a LocalStack queue, read through the peek (which changes none). */
async function receiveCounts(queue: string): Promise<string> {
  const qurl = `${localstackUrl}/000000000000/${queue}`;
  const res = await fetch(
    `${localstackUrl}/_aws/sqs/messages?QueueUrl=${encodeURIComponent(qurl)}&ShowInvisible=true&ShowDelayed=true`,
    { headers: { accept: 'application/json' } },
  );
  const text = await res.text();
  return [...text.matchAll(/"MessageId": ?"([^"]+)"[\s\S]*?"ApproximateReceiveCount", ?"Value": ?"(\d+)"/g)]
    .map((m) => `${m[1]}=${m[2]}`)
    .sort()
    .join(',');
}

describe('Local AWS tree: queue messages in the sidebar (LocalStack beside moto)', () => {
  const registry = new EndpointRegistry(silentLogger);
  const tree = new AwsTreeProvider(registry, silentLogger);
  const config = () => vscode.workspace.getConfiguration('drydock.aws');
  let previous: string[] = [];
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

  before(async () => {
    await vscode.extensions.getExtension('drydock.drydock')!.activate();
    previous = config().get<string[]>('endpoints', []);
    await config().update('endpoints', [motoUrl, localstackUrl], vscode.ConfigurationTarget.Global);
    tree.refresh();
  });
  after(async () => {
    await config().update('endpoints', previous, vscode.ConfigurationTarget.Global);
    tree.dispose();
    registry.dispose();
  });

  it('a LocalStack queue expands to its messages, newest first, with "more…", and nothing is received', async () => {
    const before = await receiveCounts('shop-orders');
    const endpoint = await child(undefined, localstackUrl);
    assert.match(String(tree.getTreeItem(endpoint).description), /^LocalStack 4\.14\.0 community · us-east-1$/);
    const queue = await child(await child(endpoint, 'SQS'), 'shop-orders');
    assert.equal(tree.getTreeItem(queue).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const kids = await tree.getChildren(queue);
    const messages = kids.filter((k) => k.kind === 'queueMessage');
    assert.equal(messages.length, QUEUE_MESSAGE_PAGE);
    const more = kids.at(-1)!;
    assert.equal(more.kind, 'moreQueueMessages');
    assert.match(String(tree.getTreeItem(more).description), new RegExp(`^${QUEUE_MESSAGE_PAGE} of \\d+ shown$`));
    const sent = messages.map((m) => (m.kind === 'queueMessage' ? Number(m.message.attributes.SentTimestamp) : 0));
    assert.deepEqual(
      sent,
      [...sent].sort((a, b) => b - a),
      'newest first',
    );
    const item = tree.getTreeItem(messages[0]!);
    assert.match(String(item.description), /orderId.* · received \d+×/);
    assert.equal(item.command?.command, 'drydock.aws.showQueueMessage');

    if (more.kind === 'moreQueueMessages') tree.showMoreMessages(more);
    const next = (await tree.getChildren(queue)).filter((k) => k.kind === 'queueMessage');
    assert.ok(next.length > QUEUE_MESSAGE_PAGE, `${next.length} after more…`);

    await vscode.commands.executeCommand('drydock.aws.showQueueMessage', messages[0]);
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'drydock-sqs-message');
    assert.match(doc.getText(), /"orderId"/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(await receiveCounts('shop-orders'), before, 'no receive count changed');
  });

  it('on moto the queue has one row that asks first, by opening the browser', async () => {
    const queue = await child(await child(await child(undefined, motoUrl), 'SQS'), 'shop-orders');
    const kids = await tree.getChildren(queue);
    assert.equal(kids.length, 1);
    assert.equal(kids[0]!.kind, 'receiveConsent');
    const item = tree.getTreeItem(kids[0]!);
    assert.equal(item.command?.command, 'drydock.aws.openQueue');
    assert.match(label(kids[0]!), /can only receive/);
  });
});
