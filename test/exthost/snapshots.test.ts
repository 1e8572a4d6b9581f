import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteBucketCommand, DeleteObjectsCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { DrydockExports } from '../../src/vscode/extension';
import type { RestoreReport } from '../../src/core/snapshot';
import type { SnapshotTreeNode } from '../../src/vscode/snapshots/snapshotsTree';
import { createAwsClients } from '../../src/core/aws/clients';
import { KubeRawClient } from '../../src/core/kube/rawClient';
import { loadKubeConfig } from '../../src/core/kube/kubeconfig';

// Snapshot the sample namespace with its table and bucket from the extension, see it in the Snapshots
// view, restore it as a copy under a mapped namespace and prefixed AWS names, and check the copy.
describe('Snapshots view', function () {
  this.timeout(300_000);
  let api: DrydockExports;
  const id = Date.now().toString(36);
  const copyNamespace = `shop-copy-${id}`;
  const prefix = `c${id}-`;
  const kubeconfig = () =>
    vscode.workspace.getConfiguration('drydock').get<string>('kubeconfig') || process.env.DRYDOCK_KUBECONFIG || '';
  const endpoint = () =>
    vscode.workspace.getConfiguration('drydock.aws').get<string[]>('endpoints', [])[0] ?? 'http://localhost:4566';

  before(async () => {
    const ext = vscode.extensions.getExtension<DrydockExports>('drydock.drydock');
    assert.ok(ext);
    api = await ext.activate();
  });

  after(async () => {
    const kube = new KubeRawClient(loadKubeConfig([kubeconfig()]), 'drydock-local');
    await kube.request('DELETE', `/api/v1/namespaces/${copyNamespace}`).catch(() => undefined);
    const aws = createAwsClients({ url: endpoint(), region: 'us-east-1' });
    await aws.dynamodb.send(new DeleteTableCommand({ TableName: `${prefix}shop-products` })).catch(() => undefined);
    const bucket = `${prefix}shop-assets`;
    try {
      for await (const page of paginateListObjectsV2({ client: aws.s3 }, { Bucket: bucket })) {
        const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
        if (keys.length) await aws.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
      }
      await aws.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    } catch {
      /* not created */
    }
    aws.destroy();
  });

  it('snapshots shop with its table and bucket, and lists it with its contents', async () => {
    assert.ok(api.snapshots.testing, 'the test seam exists outside production mode');
    const target = await api.snapshots.testing.snapshot(
      { contextName: 'drydock-local', namespace: 'shop' },
      { queues: [], tables: ['shop-products'], buckets: ['shop-assets'] },
    );
    assert.ok(target, 'the command returns the snapshot path');
    assert.equal(path.dirname(target), api.snapshots.folder());
    const roots = await api.snapshots.tree.getChildren();
    const node = roots.find((n) => n.kind === 'snapshot' && n.summary.path === target) as
      Extract<SnapshotTreeNode, { kind: 'snapshot' }> | undefined;
    assert.ok(node, `the new snapshot is listed among ${roots.length}`);
    const m = node.summary.manifest;
    assert.ok(m && node.summary.valid);
    assert.deepEqual(m.source.kube?.namespaces, ['shop']);
    assert.equal(m.encryption.secrets, 'age', 'Secrets are encrypted with the key from SecretStorage');
    assert.match(m.encryption.recipient ?? '', /^age1[0-9a-z]+$/, 'to the age identity kept in SecretStorage');
    assert.equal(m.encryption.keyEntry, undefined, 'no passphrase-wrapped key entry (no scrypt)');
    assert.ok(m.counts.secrets > 0, 'the namespace has Secrets to encrypt');
    assert.equal(m.counts.dynamodbItems, 500);
    assert.equal(m.counts.s3Objects, 100);
    const item = api.snapshots.tree.getTreeItem(node);
    assert.equal(item.contextValue, 'drydock.snapshot');
    const contents = await api.snapshots.tree.getChildren(node);
    const kube = contents.find((c) => c.kind === 'detail' && c.label === 'Kubernetes');
    assert.ok(kube && kube.kind === 'detail');
    assert.ok(
      kube.children?.some((c) => c.kind === 'detail' && c.label === 'deployments.apps'),
      'deployments are in the snapshot',
    );
  });

  it('the commands take no answers from their arguments: an argument cannot skip the confirmation', async () => {
    // Before, a second argument skipped every question and restored at once. Now the command asks: with no
    // snapshot node it does nothing, and with one it stops at the first question, which no one answers here.
    const roots = await api.snapshots.tree.getChildren();
    const node = roots.find((n) => n.kind === 'snapshot');
    assert.ok(node);
    const pending = vscode.commands.executeCommand('drydock.restoreSnapshot', node, {
      context: 'drydock-local',
      namespaceMap: new Map([['shop', `${copyNamespace}-x`]]),
      prefix: 'x-',
      existing: 'skip',
    });
    const outcome = await Promise.race([
      pending.then(() => 'returned'),
      new Promise((r) => setTimeout(() => r('waiting for the user'), 3000)),
    ]);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(outcome, 'waiting for the user');
    const kube = new KubeRawClient(loadKubeConfig([kubeconfig()]), 'drydock-local');
    await assert.rejects(kube.request('GET', `/api/v1/namespaces/${copyNamespace}-x`), 'nothing was restored');
  });

  it('restores it as a copy whose references point only at the copied AWS resources', async () => {
    const roots = await api.snapshots.tree.getChildren();
    const node = roots.find(
      (n) => n.kind === 'snapshot' && n.summary.manifest?.source.kube?.namespaces.includes('shop'),
    );
    assert.ok(node);
    assert.ok(api.snapshots.testing);
    const report: RestoreReport | undefined = await api.snapshots.testing.restore(node, {
      context: 'drydock-local',
      namespaceMap: new Map([['shop', copyNamespace]]),
      prefix,
      existing: 'skip',
    });
    assert.ok(report, 'the restore returns its report');
    assert.equal(report.status, 'ok', JSON.stringify(report.items.filter((i) => i.outcome === 'failed')));
    assert.equal(report.dryRun, false);
    const kube = new KubeRawClient(loadKubeConfig([kubeconfig()]), 'drydock-local');
    const cm = await kube.request<{ data: Record<string, string> }>(
      'GET',
      `/api/v1/namespaces/${copyNamespace}/configmaps/shop-config`,
    );
    assert.equal(cm.data.PRODUCTS_TABLE, `${prefix}shop-products`);
    assert.equal(cm.data.ASSETS_BUCKET, `${prefix}shop-assets`);
    const deploy = await kube.request<{ spec: { replicas: number } }>(
      'GET',
      `/apis/apps/v1/namespaces/${copyNamespace}/deployments/web`,
    );
    assert.equal(deploy.spec.replicas, 2);
  });
});
