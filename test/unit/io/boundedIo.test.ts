import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { ListQueuesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createAwsClients } from '../../../src/core/aws/clients';
import { DrydockError } from '../../../src/core/errors';
import { KubeConfig } from '../../../src/core/kube/clientNode';
import { KubeRawClient } from '../../../src/core/kube/rawClient';

/**
 * Servers that behave like a frozen (SIGSTOPped) process — the kernel accepts the connection, nothing
 * ever answers — or a dying one that resets every connection. Each counts the connections it got.
 */
async function tcpServer(
  onConnection: (socket: net.Socket) => void,
): Promise<{ url: string; port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const silent = () => tcpServer(() => undefined);
const resetting = () => tcpServer((socket) => socket.resetAndDestroy());

async function timed<T>(p: Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await p;
    return { error: undefined, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

test('a frozen AWS endpoint ends an SDK call within the bound, naming the endpoint and the call', async () => {
  const server = await silent();
  const clients = createAwsClients({ url: server.url, region: 'us-east-1' }, { connectMs: 500, requestMs: 800 });
  try {
    const { error, ms } = await timed(clients.sqs.send(new ListQueuesCommand({})));
    assert.ok(DrydockError.is(error, 'unreachable'), `got ${String(error)}`);
    assert.match(
      error.message,
      new RegExp(`${server.url.replace(/\./g, '\\.')} did not answer ListQueues within 0\\.8 s`),
    );
    assert.ok(ms < 3000, `took ${ms} ms`);
    assert.equal(server.connections(), 1, 'a timed-out call is not retried');
  } finally {
    clients.destroy();
    await server.close();
  }
});

test('DRYDOCK_IO_TIMEOUT_MS bounds the clients made with default timeouts', async () => {
  const server = await silent();
  const saved = process.env.DRYDOCK_IO_TIMEOUT_MS;
  process.env.DRYDOCK_IO_TIMEOUT_MS = '700';
  const clients = createAwsClients({ url: server.url, region: 'us-east-1' });
  try {
    const { error, ms } = await timed(
      clients.dynamodb.send(new (await import('@aws-sdk/client-dynamodb')).ListTablesCommand({})),
    );
    assert.ok(DrydockError.is(error, 'unreachable'), `got ${String(error)}`);
    assert.match(error.message, /did not answer ListTables within 0\.7 s/);
    assert.ok(ms < 3000, `took ${ms} ms`);
  } finally {
    if (saved === undefined) delete process.env.DRYDOCK_IO_TIMEOUT_MS;
    else process.env.DRYDOCK_IO_TIMEOUT_MS = saved;
    clients.destroy();
    await server.close();
  }
});

test('cancelling reaches an in-flight AWS call', async () => {
  const server = await silent();
  const clients = createAwsClients({ url: server.url, region: 'us-east-1' }, { connectMs: 30_000, requestMs: 30_000 });
  try {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const { error, ms } = await timed(clients.sqs.send(new ListQueuesCommand({}), { abortSignal: controller.signal }));
    assert.ok(DrydockError.is(error, 'cancelled'), `got ${String(error)}`);
    assert.ok(ms < 2000, `took ${ms} ms`);
  } finally {
    clients.destroy();
    await server.close();
  }
});

test('idempotent calls are retried after a reset connection; a send is not', async () => {
  const server = await resetting();
  const clients = createAwsClients({ url: server.url, region: 'us-east-1' }, { connectMs: 1000, requestMs: 2000 });
  try {
    const list = await timed(clients.sqs.send(new ListQueuesCommand({})));
    assert.ok(DrydockError.is(list.error, 'unreachable'), `got ${String(list.error)}`);
    assert.match(list.error.message, /Cannot reach the AWS endpoint .* for ListQueues/);
    assert.equal(server.connections(), 3, 'ListQueues: one attempt and two retries');
    const send = await timed(
      clients.sqs.send(new SendMessageCommand({ QueueUrl: `${server.url}/000000000000/q`, MessageBody: 'x' })),
    );
    assert.ok(DrydockError.is(send.error, 'unreachable'), `got ${String(send.error)}`);
    assert.equal(server.connections(), 4, 'SendMessage is sent once');
  } finally {
    clients.destroy();
    await server.close();
  }
});

test('a frozen Kubernetes API server ends a request within DRYDOCK_IO_TIMEOUT_MS, naming the server and the request', async () => {
  const server = await silent();
  const saved = process.env.DRYDOCK_IO_TIMEOUT_MS;
  process.env.DRYDOCK_IO_TIMEOUT_MS = '800';
  try {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `https://127.0.0.1:${server.port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'frozen', cluster: 'c', user: 'u' }],
      currentContext: 'frozen',
    });
    const client = new KubeRawClient(kc, 'frozen');
    const { error, ms } = await timed(client.request('GET', '/api/v1/namespaces'));
    assert.ok(DrydockError.is(error, 'unreachable'), `got ${String(error)}`);
    assert.match(
      error.message,
      /127\.0\.0\.1:\d+ \(context "frozen"\) did not answer GET \/api\/v1\/namespaces: no answer within 0\.8 s/,
    );
    assert.ok(ms < 3000, `took ${ms} ms`);
  } finally {
    if (saved === undefined) delete process.env.DRYDOCK_IO_TIMEOUT_MS;
    else process.env.DRYDOCK_IO_TIMEOUT_MS = saved;
    await server.close();
  }
});
