import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DrydockError } from '../../../src/core/errors';
import { KubeConfig } from '../../../src/core/kube/clientNode';
import { KubeRawClient } from '../../../src/core/kube/rawClient';

function configFor(server: string, extra: Record<string, unknown> = {}): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: false, ...extra }],
    users: [{ name: 'u', token: 'not-a-real-token' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
}

test('an unreachable API server is a DrydockError "unreachable" that names the server', async () => {
  const client = new KubeRawClient(configFor('https://127.0.0.1:1'), 'ctx');
  await assert.rejects(client.request('GET', '/version'), (e: unknown) => {
    assert.ok(DrydockError.is(e, 'unreachable'), `got ${String(e)}`);
    assert.match(e.message, /https:\/\/127\.0\.0\.1:1/);
    assert.doesNotMatch(e.message, /not-a-real-token/);
    return true;
  });
});

test('an unknown context and a cluster without a server are errors a person can act on', () => {
  assert.throws(
    () => new KubeRawClient(configFor('https://127.0.0.1:1'), 'nope'),
    (e: unknown) => DrydockError.is(e, 'not-found') && /nope/.test(e.message),
  );
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: '' });
  assert.throws(
    () => new KubeRawClient(kc),
    (e: unknown) => DrydockError.is(e, 'invalid-input'),
  );
});

test('a plain-http server without skipTLSVerify is refused with the credentials error, not sent', async () => {
  const client = new KubeRawClient(configFor('http://127.0.0.1:1'), 'ctx');
  await assert.rejects(
    client.request('GET', '/version'),
    (e: unknown) => DrydockError.is(e, 'invalid-input') && /HTTP protocol is not allowed/.test(e.message),
  );
});

test('an aborted request is "cancelled"', async () => {
  const client = new KubeRawClient(configFor('https://127.0.0.1:1'), 'ctx');
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(client.request('GET', '/version', undefined, { signal: controller.signal }), (e: unknown) =>
    DrydockError.is(e, 'cancelled'),
  );
});
