import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { awsEndpointUrl, kubeconfigPath, repoRoot, uniqueName } from '../../support/env';

// The runner passes the cache it installed into (by default ~/.cache/drydock).
const cacheDir = () => process.env.DRYDOCK_CACHE ?? path.join(os.homedir(), '.cache', 'drydock');
const kubectlBin = () => {
  const dir = readdirSync(path.join(cacheDir())).find((d) => d.startsWith('k8s-'));
  assert.ok(dir, 'the Kubernetes binaries are built');
  return path.join(cacheDir(), dir, 'bin', 'kubectl');
};
const kubectl = (...args: string[]) => {
  const r = spawnSync(kubectlBin(), ['--kubeconfig', kubeconfigPath(), ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const awsCli = (...args: string[]) => {
  const r = spawnSync('/usr/bin/aws', ['--endpoint-url', awsEndpointUrl(), '--output', 'json', ...args], {
    encoding: 'utf8',
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' },
  });
  assert.equal(r.status, 0, `aws ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

test('the generated kubeconfig has the drydock-local context on 127.0.0.1 and a Ready node', () => {
  const config = readFileSync(kubeconfigPath(), 'utf8');
  assert.match(config, /name: drydock-local/);
  assert.match(config, /server: https:\/\/127\.0\.0\.1:\d+/);
  const nodes = JSON.parse(kubectl('get', 'nodes', '-o', 'json')).items;
  assert.ok(nodes.length >= 1);
  const ready = nodes[0].status.conditions.find((c: { type: string }) => c.type === 'Ready');
  assert.equal(ready.status, 'True');
  assert.match(kubectl('version', '-o', 'json'), /"gitVersion": "v1\.33\.\d+"/);
});

test('a Deployment created in the local cluster becomes Available with its pods Running', () => {
  const ns = uniqueName('env-deploy');
  kubectl('create', 'namespace', ns);
  try {
    kubectl('-n', ns, 'create', 'deployment', 'hello', '--image=registry.local/hello:1', '--replicas=3');
    kubectl('-n', ns, 'wait', '--for=condition=Available', '--timeout=90s', 'deployment/hello');
    const pods = JSON.parse(kubectl('-n', ns, 'get', 'pods', '-o', 'json')).items;
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p: { status: { phase: string } }) => p.status.phase === 'Running'));
  } finally {
    kubectl('delete', 'namespace', ns, '--wait=false');
  }
});

test('the AWS CLI lists the sample workload\'s queues, table and bucket on the local endpoint', () => {
  const queues: string[] = awsCli('sqs', 'list-queues').QueueUrls;
  assert.ok(queues.some((q) => q.endsWith('/shop-orders')), queues.join(', '));
  assert.ok(queues.some((q) => q.endsWith('/shop-orders-dlq')));
  assert.ok(awsCli('dynamodb', 'list-tables').TableNames.includes('shop-products'));
  assert.ok(awsCli('s3api', 'list-buckets').Buckets.some((b: { Name: string }) => b.Name === 'shop-assets'));
  const table = awsCli('dynamodb', 'describe-table', '--table-name', 'shop-products').Table;
  assert.equal(table.ItemCount ?? 500, 500);
  assert.equal(table.GlobalSecondaryIndexes[0].IndexName, 'by-category');
});

test('the sample namespace holds what the README promises', () => {
  const deploy = JSON.parse(kubectl('-n', 'shop', 'get', 'deployment', 'web', '-o', 'json'));
  assert.equal(deploy.spec.replicas, 2);
  assert.equal(deploy.status.availableReplicas, 2);
  assert.equal(kubectl('-n', 'shop', 'get', 'pvc', 'shop-data', '-o', 'jsonpath={.status.phase}'), 'Bound');
  const cm = JSON.parse(kubectl('-n', 'shop', 'get', 'configmap', 'shop-config', '-o', 'json'));
  assert.match(cm.data.ORDERS_QUEUE_URL, /\/shop-orders$/);
  assert.equal(cm.data.PRODUCTS_TABLE, 'shop-products');
  assert.equal(cm.data.ASSETS_BUCKET, 'shop-assets');
  kubectl('-n', 'shop', 'get', 'storefront', 'main');
  kubectl('-n', 'shop', 'get', 'secret', 'shop-credentials');
  kubectl('-n', 'shop', 'get', 'rolebinding', 'shop-web-reads-config');
});

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

test('a second instance: up twice changes nothing, down leaves no process of ours and no open port', { timeout: 300_000 }, async () => {
  const state = mkdtempSync(path.join(os.tmpdir(), 'drydock-env-test-'));
  // Below Linux's ephemeral range (32768+), where an outgoing connection could hold a port we want to listen on.
  const ports = { DRYDOCK_API_PORT: '26443', DRYDOCK_ETCD_PORT: '25790', DRYDOCK_ETCD_PEER_PORT: '25800', DRYDOCK_AWS_PORT: '4597', DRYDOCK_LOCALSTACK_PORT: '4598', DRYDOCK_KWOK_PORT: '10297' };
  const env = { ...process.env, ...ports, DRYDOCK_STATE: state, DRYDOCK_ETCD_DIR: state };
  const cli = (cmd: string) => spawnSync(process.execPath, [path.join(repoRoot, 'tools', 'localenv', 'cli.mjs'), cmd], { encoding: 'utf8', env });
  try {
    const first = cli('up');
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /started etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok, moto, localstack/);
    const pids = readdirSync(path.join(state, 'pids')).map((f) => JSON.parse(readFileSync(path.join(state, 'pids', f), 'utf8')).pid as number);
    assert.equal(pids.length, 7);

    const second = cli('up');
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /already running; nothing changed/);
    const pidsAfter = readdirSync(path.join(state, 'pids')).map((f) => JSON.parse(readFileSync(path.join(state, 'pids', f), 'utf8')).pid as number);
    assert.deepEqual(pidsAfter.sort(), pids.sort());
    assert.equal(cli('status').status, 0);

    const down = cli('down');
    assert.equal(down.status, 0, down.stderr);
    for (const pid of pids) assert.equal(existsSync(`/proc/${pid}`), false, `process ${pid} is gone`);
    for (const port of Object.values(ports)) assert.equal(await portOpen(Number(port)), false, `port ${port} is free`);
    assert.notEqual(cli('status').status, 0, 'status reports the environment as stopped');
  } finally {
    cli('down');
    rmSync(state, { recursive: true, force: true });
  }
});
