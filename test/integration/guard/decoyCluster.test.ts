import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createAwsClients, type AwsClients } from '../../../src/core/aws/clients';
import { DrydockError } from '../../../src/core/errors';
import { endpointLocality, primeHostLocality } from '../../../src/core/guard/local';
import { loadKubeConfig } from '../../../src/core/kube/kubeconfig';
import { KubeRawClient } from '../../../src/core/kube/rawClient';
import { ClusterExplorer } from '../../../src/core/kube/clusterExplorer';
import { createSnapshot, restoreSnapshot } from '../../../src/core/snapshot';
import { silentLogger } from '../../../src/core/log';
import { awsEndpointUrl, repoRoot, uniqueName } from '../../support/env';

/**
 * A decoy "shared dev cluster": an address on none of this machine's interfaces, inside a network namespace
 * this test creates (a veth pair; the host end carries only its own /30 address, never the decoy's), with a
 * listener that counts every TCP connection on the API server and AWS ports. A kubeconfig context named
 * `kind-shared-dev` points at it by a host name (added to /etc/hosts for the test), as does an AWS endpoint.
 * Every write command must be refused with zero connections to it.
 */
const tag = `dd${process.pid % 100000}`;
const netns = `drydock-decoy-${process.pid}`;
const subnet = 18 + (process.pid % 200);
const hostEnd = `198.51.${subnet}.1`;
const decoy = `198.51.${subnet}.2`;
const decoyHost = `shared-dev-${process.pid}.drydock-decoy.test`;
const hostsLine = `${decoy} ${decoyHost} # drydock decoy test ${process.pid}`;
const kubePort = 6443;
const awsPort = 4566;

let dir: string;
let countFile: string;
let listener: ChildProcess | undefined;
let kubeconfig: string;
let snapshot: string;
let aws: AwsClients;
let queue: string;

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} failed (this test needs root for ip netns): ${r.stderr || r.error?.message}`,
    );
}

function cleanupNetwork(): void {
  if (listener && listener.exitCode === null) listener.kill('SIGKILL');
  spawnSync('ip', ['netns', 'del', netns]);
  spawnSync('ip', ['link', 'del', `${tag}h`]);
  const hosts = readFileSync('/etc/hosts', 'utf8');
  if (hosts.includes(hostsLine))
    writeFileSync(
      '/etc/hosts',
      hosts
        .split('\n')
        .filter((l) => l !== hostsLine)
        .join('\n'),
    );
}

function connections(): number {
  return existsSync(countFile) ? readFileSync(countFile, 'utf8').split('\n').filter(Boolean).length : 0;
}

/** The drydock CLI on this Node (the test runs on Node 22+), its exit code and output. */
function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src', 'cli', 'main.ts'), ...args], {
    encoding: 'utf8',
    cwd: repoRoot,
    env: { ...process.env, DRYDOCK_IO_TIMEOUT_MS: '3000', ...env },
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'drydock-decoy-'));
  countFile = path.join(dir, 'connections');
  try {
    sh('ip', ['netns', 'add', netns]);
    sh('ip', ['link', 'add', `${tag}h`, 'type', 'veth', 'peer', 'name', `${tag}n`]);
    sh('ip', ['link', 'set', `${tag}n`, 'netns', netns]);
    sh('ip', ['addr', 'add', `${hostEnd}/30`, 'dev', `${tag}h`]);
    sh('ip', ['link', 'set', `${tag}h`, 'up']);
    sh('ip', ['netns', 'exec', netns, 'ip', 'addr', 'add', `${decoy}/30`, 'dev', `${tag}n`]);
    sh('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', `${tag}n`, 'up']);
    sh('ip', ['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
    const script = `
import socket, threading, sys
def serve(port):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', port)); s.listen(64)
    while True:
        c, a = s.accept()
        with open(sys.argv[1], 'a') as f: f.write('%d %s\\n' % (port, a[0]))
        c.close()
for p in (${kubePort}, ${awsPort}): threading.Thread(target=serve, args=(p,), daemon=True).start()
print('listening', flush=True)
threading.Event().wait()
`;
    listener = spawn('ip', ['netns', 'exec', netns, 'python3', '-c', script, countFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      listener!.stdout!.once('data', () => resolve());
      listener!.once('exit', (code) => reject(new Error(`decoy listener exited (${code})`)));
    });
    writeFileSync('/etc/hosts', readFileSync('/etc/hosts', 'utf8').replace(/\n?$/, '\n') + hostsLine + '\n');
  } catch (error) {
    cleanupNetwork();
    throw error;
  }
  kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: kind-shared-dev',
      '  cluster:',
      `    server: https://${decoyHost}:${kubePort}`,
      '    insecure-skip-tls-verify: true',
      'users:',
      '- name: dev',
      '  user:',
      '    token: decoy-token',
      'contexts:',
      '- name: kind-shared-dev',
      '  context:',
      '    cluster: kind-shared-dev',
      '    user: dev',
      'current-context: kind-shared-dev',
      '',
    ].join('\n'),
  );
  // A real recovery point to offer the write commands (AWS part only: made from the local emulator).
  aws = createAwsClients({ url: awsEndpointUrl(), region: 'us-east-1' });
  queue = uniqueName('dd-decoy');
  const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: queue }));
  await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'decoy' }));
  snapshot = path.join(dir, 'good.tar.gz');
  await createSnapshot({
    target: snapshot,
    aws: { clients: aws, queues: [queue] },
    secrets: 'plain',
    toolVersion: 'test',
  });
  await aws.sqs.send(new DeleteQueueCommand({ QueueUrl }));
});

after(() => {
  cleanupNetwork();
  aws?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

test('the decoy is reachable, so a connection to it would be counted', async () => {
  const before = connections();
  await new Promise<void>((resolve, reject) => {
    const s = net.connect({ host: decoyHost, port: kubePort }, () => s.end());
    s.on('close', () => resolve());
    s.on('error', reject);
  });
  for (let i = 0; i < 50 && connections() === before; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(connections(), before + 1);
  assert.ok(
    !Object.values(os.networkInterfaces())
      .flat()
      .some((a) => a?.address === decoy),
    'the decoy address is on none of this machine’s interfaces',
  );
});

test('every write command is refused with zero connections to a context named kind-shared-dev on a remote address', async () => {
  const start = connections();
  const drillFile = path.join(dir, 'drill.yaml');
  writeFileSync(drillFile, `namespace: shop\ncontext: kind-shared-dev\n`);
  const awsDecoy = `http://${decoyHost}:${awsPort}`;
  const commands: Array<[string, string[]]> = [
    ['restore (kube)', ['restore', snapshot, '--kubeconfig', kubeconfig, '--context', 'kind-shared-dev', '--no-aws']],
    [
      'restore into a copy',
      [
        'restore',
        snapshot,
        '--kubeconfig',
        kubeconfig,
        '--namespace-map',
        'shop:shop-copy',
        '--aws-endpoint',
        awsDecoy,
      ],
    ],
    ['restore (aws)', ['restore', snapshot, '--no-kube', '--aws-endpoint', awsDecoy]],
    [
      'drill a recovery point',
      ['drill', snapshot, '--kubeconfig', kubeconfig, '--workspace', dir, '--aws-endpoint', awsDecoy],
    ],
    [
      'drill a live namespace (--config)',
      ['drill', '--config', drillFile, '--kubeconfig', kubeconfig, '--workspace', dir, '--no-aws'],
    ],
    ['drill --cleanup', ['drill', '--cleanup', '--kubeconfig', kubeconfig, '--workspace', dir, '--no-aws']],
  ];
  for (const [name, args] of commands) {
    const r = cli(args);
    assert.equal(r.status, 5, `${name}: exit ${r.status}\n${r.stderr}`);
    assert.match(r.stderr, /not a local cluster|not on this machine/, name);
    assert.match(
      r.stderr,
      new RegExp(`${decoyHost.replace(/\./g, '\\.')} resolves to ${decoy.replace(/\./g, '\\.')}`),
      `${name} says why`,
    );
  }
  assert.equal(connections(), start, `the decoy received ${connections() - start} connection(s)`);
});

test('the engine and the explorer refuse it too: restore, send guard, browsing', async () => {
  const start = connections();
  const kc = loadKubeConfig([kubeconfig]);
  await primeHostLocality([`https://${decoyHost}:${kubePort}`, `http://${decoyHost}:${awsPort}`]);
  const client = new KubeRawClient(kc, 'kind-shared-dev');
  await assert.rejects(restoreSnapshot({ source: snapshot, kube: { client } }), (e: unknown) =>
    DrydockError.is(e, 'not-local'),
  );
  const decoyAws = createAwsClients({ url: `http://${decoyHost}:${awsPort}`, region: 'us-east-1' });
  try {
    await assert.rejects(restoreSnapshot({ source: snapshot, aws: { clients: decoyAws } }), (e: unknown) =>
      DrydockError.is(e, 'not-local'),
    );
  } finally {
    decoyAws.destroy();
  }
  // Sending, editing and deleting in the AWS view ask the same guard (EndpointRegistry.writeBlockedReason).
  assert.equal(endpointLocality(`http://${decoyHost}:${awsPort}`).reason, undefined);
  const explorer = new ClusterExplorer({ kubeconfigPaths: () => [kubeconfig], logger: silentLogger, watch: false });
  const roots = await explorer.children();
  const ctx = roots.find((n) => n.kind === 'context');
  assert.ok(ctx && ctx.kind === 'context');
  assert.equal(ctx.local, undefined, 'shown locked');
  assert.match(ctx.why ?? '', /resolves to 198\.51\.\d+\.2, not this machine/);
  assert.deepEqual(await explorer.children(ctx), [], 'never browsed');
  assert.throws(
    () => explorer.client('kind-shared-dev'),
    (e: unknown) => DrydockError.is(e, 'not-local'),
  );
  explorer.dispose();
  assert.equal(connections(), start, `the decoy received ${connections() - start} connection(s)`);
});
