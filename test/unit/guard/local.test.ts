import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isLoopbackHost, localContextReason, localEndpointReason } from '../../../src/core/guard/local';

test('loopback hosts', () => {
  for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1', 'api.localhost', 'localhost.localstack.cloud']) {
    assert.equal(isLoopbackHost(h), true, h);
  }
  for (const h of ['10.0.0.1', '192.168.1.5', 'example.com', 'localhost.example.com', '128.0.0.1', '::2', '']) {
    assert.equal(isLoopbackHost(h), false, h);
  }
});

test('kube contexts: loopback servers and local-tool names are local, others are not unless allowed', () => {
  assert.equal(localContextReason('prod', 'https://127.0.0.1:6443'), 'loopback-server');
  assert.equal(localContextReason('kind-dev', 'https://10.1.2.3:6443'), 'local-tool-context');
  assert.equal(localContextReason('k3d-x', undefined), 'local-tool-context');
  assert.equal(localContextReason('minikube', 'https://192.168.49.2:8443'), 'local-tool-context');
  assert.equal(localContextReason('shared-dev', 'https://dev.example.com'), undefined);
  assert.equal(localContextReason('shared-dev', 'https://dev.example.com', ['shared-dev']), 'allowed-by-user');
  assert.equal(localContextReason('minikube-prod', 'https://10.0.0.1'), undefined);
});

test('AWS endpoints: loopback only unless allowed', () => {
  assert.equal(localEndpointReason('http://localhost:4566'), 'loopback-server');
  assert.equal(localEndpointReason('https://sqs.us-east-1.amazonaws.com'), undefined);
  assert.equal(localEndpointReason('not a url'), undefined);
  assert.equal(localEndpointReason('http://10.0.0.2:4566', ['http://10.0.0.2:4566']), 'allowed-by-user');
});
