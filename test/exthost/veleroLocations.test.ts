import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DrydockExports } from '../../src/vscode/extension';
import { openBackupStore, pushSnapshot } from '../../src/core/velero';
import { KubeRawClient } from '../../src/core/kube/rawClient';
import { loadKubeConfig } from '../../src/core/kube/kubeconfig';

// drydock.velero.locations in the Snapshots view: a folder laid out as a Velero backup storage location with a
// recovery point Drydock pushed and one that holds only Velero's view (as a backup Velero made does), and a
// location that is not one. Listed with phase and namespaces, inspected, and restored as a copy.
describe('Velero locations in the Snapshots view', function () {
  this.timeout(300_000);
  let api: DrydockExports;
  const id = Date.now().toString(36);
  const bsl = mkdtempSync(path.join(os.tmpdir(), 'drydock-bsl-'));
  const notABsl = path.join(bsl, 'not-a-location');
  const pushed = `rp-${id}`;
  const veleroOnly = `rpv-${id}`;
  const copyNamespace = `shop-velero-${id}`;
  const config = () => vscode.workspace.getConfiguration('drydock.velero');
  const kube = () =>
    new KubeRawClient(
      loadKubeConfig([
        vscode.workspace.getConfiguration('drydock').get<string>('kubeconfig') || process.env.DRYDOCK_KUBECONFIG || '',
      ]),
      'drydock-local',
    );
  const backupNode = async (name: string) => {
    const roots = await api.snapshots.tree.getChildren();
    const location = roots.find((n) => n.kind === 'veleroLocation' && n.setting.location === bsl);
    assert.ok(location, `the location is listed among ${roots.length} root nodes`);
    const backups = await api.snapshots.tree.getChildren(location);
    const node = backups.find((n) => n.kind === 'veleroBackup' && n.listing.name === name);
    assert.ok(
      node,
      `${name} is listed: ${JSON.stringify(backups.map((b) => api.snapshots.tree.getTreeItem(b).label))}`,
    );
    return node;
  };

  before(async () => {
    const ext = vscode.extensions.getExtension<DrydockExports>('drydock.drydock');
    assert.ok(ext);
    api = await ext.activate();
    assert.ok(api.snapshots.testing, 'the test seam exists outside production mode');
    const snapshot = await api.snapshots.testing.snapshot(
      { contextName: 'drydock-local', namespace: 'shop' },
      { queues: [], tables: [], buckets: [] },
    );
    assert.ok(snapshot);
    const store = await openBackupStore(bsl);
    await pushSnapshot({ snapshot, store, name: pushed });
    await pushSnapshot({ snapshot, store, name: veleroOnly });
    store.close();
    // Only Velero's files: what a backup Velero made holds.
    for (const f of ['drydock-snapshot.tar.gz', 'drydock-manifest.json'])
      rmSync(path.join(bsl, 'backups', veleroOnly, f));
    await config().update('locations', [bsl, notABsl], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('locations', undefined, vscode.ConfigurationTarget.Global);
    await kube()
      .request('DELETE', `/api/v1/namespaces/${copyNamespace}`)
      .catch(() => undefined);
    rmSync(bsl, { recursive: true, force: true });
  });

  it('lists each location with its backups (phase, namespaces, who made it), and says why a location cannot be read', async () => {
    const drydockItem = api.snapshots.tree.getTreeItem(await backupNode(pushed));
    assert.equal(drydockItem.contextValue, 'drydock.veleroBackup');
    assert.match(String(drydockItem.description), /^Completed · .*shop.* · Drydock$/);
    const veleroItem = api.snapshots.tree.getTreeItem(await backupNode(veleroOnly));
    assert.equal(veleroItem.contextValue, 'drydock.veleroBackup');
    assert.doesNotMatch(String(veleroItem.description), /Drydock/);
    const roots = await api.snapshots.tree.getChildren();
    const broken = roots.find((n) => n.kind === 'veleroLocation' && n.setting.location === notABsl);
    assert.ok(broken);
    const [message] = await api.snapshots.tree.getChildren(broken);
    assert.ok(message && message.kind === 'message' && message.error);
    assert.match(message.label, /not a Velero backup storage location: it has no backups\/ folder/);
  });

  it('inspects a Velero backup: what Velero recorded, and what it holds', async () => {
    await vscode.commands.executeCommand('drydock.velero.inspect', await backupNode(veleroOnly));
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, new RegExp(`^Velero backup ${veleroOnly} from .*: phase Completed`));
    assert.match(text, /\d+ objects in shop/);
    assert.match(text, /deployments\.apps +\d/);
  });

  it("restores a backup with only Velero's view into a mapped namespace of the local cluster", async () => {
    const report = await api.snapshots.testing!.veleroRestore(await backupNode(veleroOnly), {
      namespaceMap: new Map([['shop', copyNamespace]]),
      prefix: '',
      existing: 'skip',
    });
    assert.ok(report, 'the restore ran');
    assert.equal(report.status, 'ok', JSON.stringify(report.counts));
    assert.ok(report.counts.created > 0);
    await kube().request('GET', `/apis/apps/v1/namespaces/${copyNamespace}/deployments/web`);
  });
});
