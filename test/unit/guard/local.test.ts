import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import {
  addressLocality,
  contextLocality,
  isLoopbackHost,
  localContextReason,
  localEndpointReason,
  primeHostLocality,
  serverLocality,
} from '../../../src/core/guard/local';
import { assertKubeWritable } from '../../../src/core/snapshot/writeGuard';
import { DrydockError } from '../../../src/core/errors';

/** A non-loopback address of this machine, if it has one (container, VM bridge or LAN). */
const ownAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

test('loopback hosts, including the unspecified 0.0.0.0 and :: that k3d writes', () => {
  for (const h of [
    'localhost',
    '127.0.0.1',
    '127.1.2.3',
    '[::1]',
    '::1',
    'api.localhost',
    'localhost.localstack.cloud',
    '0.0.0.0',
    '::',
    '[::]',
  ]) {
    assert.equal(isLoopbackHost(h), true, h);
  }
  for (const h of ['10.0.0.1', '192.168.1.5', 'example.com', 'localhost.example.com', '128.0.0.1', '::2', '']) {
    assert.equal(isLoopbackHost(h), false, h);
  }
});

test('kube contexts: a local-tool name alone no longer makes a context local', () => {
  assert.equal(localContextReason('prod', 'https://127.0.0.1:6443'), 'loopback-server');
  assert.equal(localContextReason('k3d-x', 'https://0.0.0.0:6550'), 'loopback-server');
  assert.equal(localContextReason('kind-dev', 'https://10.255.1.2:6443'), undefined);
  assert.equal(localContextReason('k3d-x', undefined), undefined);
  assert.equal(localContextReason('minikube', 'https://203.0.113.9:8443'), undefined);
  assert.equal(
    localContextReason('kind-shared-dev', 'https://dev-box.example.invalid:6443'),
    undefined,
    'an unresolved host name is not local',
  );
  assert.equal(localContextReason('shared-dev', 'https://dev.example.com', ['shared-dev']), 'allowed-by-user');
  assert.match(
    contextLocality('kind-dev', 'https://10.255.1.2:6443').why,
    /10\.255\.1\.2 is not an address of this machine/,
  );
});

test('an address on one of this machine’s interfaces (a container or VM bridge) is local', () => {
  assert.equal(addressLocality('192.168.49.1', new Set(['192.168.49.1'])), 'this-machine');
  assert.equal(addressLocality('::ffff:192.168.49.1', new Set(['192.168.49.1'])), 'this-machine');
  assert.equal(addressLocality('192.168.49.2', new Set(['192.168.49.1'])), undefined);
  // And with this machine's real interfaces (every machine running these tests has one besides loopback).
  assert.ok(ownAddress, 'this machine has a non-loopback IPv4 address');
  assert.equal(localContextReason('minikube', `https://${ownAddress}:8443`), 'this-machine');
  assert.match(serverLocality(`https://${ownAddress}:8443`).why, /is an address of this machine/);
});

test('host names count by every address they resolve to', async () => {
  const table: Record<string, string[]> = {
    'kind.test': ['127.0.0.1'],
    'mixed.test': ['127.0.0.1', '203.0.113.7'],
    'remote.test': ['203.0.113.7'],
  };
  await primeHostLocality(
    Object.keys(table)
      .map((h) => `https://${h}:6443`)
      .concat('https://gone.test:1'),
    async (host) => {
      if (!table[host]) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return table[host];
    },
  );
  assert.equal(localContextReason('a', 'https://kind.test:6443'), 'loopback-server');
  assert.equal(localContextReason('kind-b', 'https://mixed.test:6443'), undefined);
  assert.match(serverLocality('https://mixed.test:6443').why, /resolves to 203\.0\.113\.7, not this machine/);
  assert.equal(localContextReason('kind-c', 'https://remote.test:6443'), undefined);
  assert.equal(localContextReason('kind-d', 'https://gone.test:1'), undefined);
  assert.match(serverLocality('https://gone.test:1').why, /does not resolve \(ENOTFOUND\)/);
  assert.throws(
    () => assertKubeWritable('kind-shared-dev', 'https://remote.test:6443'),
    (e: unknown) =>
      DrydockError.is(e, 'not-local') && /kind-shared-dev.*remote\.test resolves to 203\.0\.113\.7/.test(e.message),
  );
});

test('AWS endpoints: this machine only unless allowed', () => {
  assert.equal(localEndpointReason('http://localhost:4566'), 'loopback-server');
  assert.equal(localEndpointReason('https://sqs.us-east-1.amazonaws.com'), undefined);
  assert.equal(localEndpointReason('not a url'), undefined);
  assert.equal(localEndpointReason('http://10.0.0.2:4566', ['http://10.0.0.2:4566']), 'allowed-by-user');
});
