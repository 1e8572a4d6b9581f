import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DrydockExports } from '../../src/vscode/extension';
import type { ExplorerNode } from '../../src/core/kube/explorerNodes';
import { silentLogger } from '../../src/core/log';
import { EndpointRegistry } from '../../src/vscode/aws/endpointRegistry';
import { AwsTreeProvider } from '../../src/vscode/aws/tree/AwsTreeProvider';
import type { AwsNode } from '../../src/vscode/aws/tree/nodes';

// A local environment that stops answering — its API server or moto frozen (SIGSTOP, as a paused VM or container
// looks) — shows one "not answering — Retry / Show Log" node within the request bound, never an endless spinner,
// and Retry lists again once it is back. The processes are the test environment's own (their pid files sit beside
// its kubeconfig); each is frozen for a few seconds only. The bound is DRYDOCK_IO_TIMEOUT_MS (30 s by default; 3 s
// here: the extension runs in this process and reads it per request).
describe('Frozen API server and emulator in the sidebar', function () {
  this.timeout(120_000);
  const BOUND_MS = 15_000;
  let api: DrydockExports;
  const stateDir = () => path.dirname(process.env.DRYDOCK_KUBECONFIG ?? '');
  const pidOf = (piece: string) =>
    (JSON.parse(readFileSync(path.join(stateDir(), 'pids', `${piece}.pid`), 'utf8')) as { pid: number }).pid;
  const signal = (piece: string, sig: NodeJS.Signals) => process.kill(pidOf(piece), sig);
  let previousTimeout: string | undefined;

  before(async () => {
    api = await vscode.extensions.getExtension<DrydockExports>('drydock.drydock')!.activate();
    assert.ok(process.env.DRYDOCK_KUBECONFIG, 'the harness names the environment (DRYDOCK_KUBECONFIG)');
    previousTimeout = process.env.DRYDOCK_IO_TIMEOUT_MS;
    process.env.DRYDOCK_IO_TIMEOUT_MS = '3000';
  });

  after(() => {
    if (previousTimeout === undefined) delete process.env.DRYDOCK_IO_TIMEOUT_MS;
    else process.env.DRYDOCK_IO_TIMEOUT_MS = previousTimeout;
    api.clusters.tree.refresh();
  });

  it('Local Clusters: a frozen API server is a "not answering" node under the context, then Retry lists namespaces', async () => {
    const tree = api.clusters.tree;
    const ctx = (await tree.getChildren()).find((n) => n.kind === 'context' && n.contextName === 'drydock-local');
    assert.ok(ctx, 'the drydock-local context');
    let nodes: ExplorerNode[];
    const started = Date.now();
    signal('kube-apiserver', 'SIGSTOP');
    try {
      tree.refresh();
      nodes = await tree.getChildren(ctx);
    } finally {
      signal('kube-apiserver', 'SIGCONT');
    }
    const ms = Date.now() - started;
    assert.ok(ms < BOUND_MS, `answered after ${ms} ms`);
    assert.equal(nodes.length, 1, nodes.map((n) => n.id).join(', '));
    const node = nodes[0]!;
    assert.ok(node.kind === 'message' && node.severity === 'unreachable', JSON.stringify(node));
    const item = tree.getTreeItem(node);
    assert.equal(item.description, 'not answering — Retry / Show Log');
    assert.equal(item.contextValue, 'drydock.message.unreachable', 'the inline Retry action hangs on this');
    assert.equal(item.command?.command, 'drydock.showLog', 'a click shows the log');
    const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
    assert.match(tooltip, /did not answer GET \/api\/v1\/namespaces/);
    let again: ExplorerNode[] = [];
    for (let i = 0; i < 20 && !again.some((n) => n.kind === 'namespace'); i++) {
      tree.refresh();
      again = await tree.getChildren(ctx);
      if (!again.some((n) => n.kind === 'namespace')) await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(
      again.some((n) => n.kind === 'namespace' && n.namespace === 'shop'),
      again.map((n) => n.id).join(', '),
    );
  });

  it('Local AWS: a frozen moto is one "Not answering — Retry / Show Log" node, then Retry lists its services', async () => {
    const endpointUrl = (process.env.DRYDOCK_AWS_ENDPOINT ?? 'http://localhost:4566').replace(/\/+$/, '');
    const registry = new EndpointRegistry(silentLogger);
    const tree = new AwsTreeProvider(registry, silentLogger);
    const label = (n: AwsNode) => {
      const l = tree.getTreeItem(n).label;
      return typeof l === 'string' ? l : (l?.label ?? '');
    };
    const endpointNode = async () => {
      const found = (await tree.getChildren(undefined)).find((n) => label(n) === endpointUrl);
      assert.ok(found, `the endpoint ${endpointUrl}`);
      return found;
    };
    try {
      const started = Date.now();
      let kids: AwsNode[];
      let description: unknown;
      signal('moto', 'SIGSTOP');
      try {
        tree.refresh();
        const node = await endpointNode();
        description = tree.getTreeItem(node).description;
        kids = await tree.getChildren(node);
      } finally {
        signal('moto', 'SIGCONT');
      }
      const ms = Date.now() - started;
      assert.ok(ms < BOUND_MS, `answered after ${ms} ms`);
      assert.equal(description, 'unreachable');
      assert.equal(kids.length, 1, kids.map(label).join(', '));
      assert.equal(label(kids[0]!), 'Not answering — Retry / Show Log');
      const tooltip = tree.getTreeItem(kids[0]!).tooltip;
      assert.match(typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''), new RegExp(endpointUrl.slice(7)));
      tree.refresh();
      const back = await tree.getChildren(await endpointNode());
      assert.ok(
        back.some((n) => /SQS/.test(label(n))),
        `after Retry: ${back.map(label).join(', ')}`,
      );
    } finally {
      tree.refresh();
      registry.dispose();
    }
  });
});
