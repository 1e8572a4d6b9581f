import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseBrowserPanelState } from '../../../src/protocol/panelState';

// What a browser panel saved with setState comes back to the serializer from the webview: untrusted input.
const endpointId = 'setting|http://localhost:4566|us-east-1';

test('panel state: the three descriptors are read back as typed values', () => {
  const sqs = { kind: 'sqs', endpointId, queueUrl: 'http://localhost:4566/000000000000/shop-orders' };
  assert.deepEqual(parseBrowserPanelState(sqs, 'sqs'), { ok: true, value: sqs });
  const fifo = { kind: 'sqs', endpointId, queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/pay.fifo' };
  assert.deepEqual(parseBrowserPanelState(fifo), { ok: true, value: fifo });
  const table = { kind: 'dynamodb', endpointId, table: 'shop-products' };
  assert.deepEqual(parseBrowserPanelState(table, 'dynamodb'), { ok: true, value: table });
  const object = { kind: 's3', endpointId, bucket: 'shop-assets', key: 'img/logo one.png' };
  assert.deepEqual(parseBrowserPanelState(object, 's3'), { ok: true, value: object });
});

test('panel state: extra fields are dropped, not carried into the reopened panel', () => {
  const parsed = parseBrowserPanelState({ kind: 'dynamodb', endpointId, table: 'shop-products', items: [1, 2] });
  assert.deepEqual(parsed, { ok: true, value: { kind: 'dynamodb', endpointId, table: 'shop-products' } });
});

test('panel state: a descriptor of another kind is refused in this panel', () => {
  const parsed = parseBrowserPanelState({ kind: 'dynamodb', endpointId, table: 'shop-products' }, 'sqs');
  assert.equal(parsed.ok, false);
  assert.match(!parsed.ok ? parsed.error : '', /dynamodb state in a sqs panel/);
});

test('panel state: anything malformed is refused with the reason', () => {
  const cases: [unknown, RegExp][] = [
    [undefined, /no saved state/],
    [null, /no saved state/],
    ['sqs', /no saved state/],
    [[], /no saved state/],
    [{ kind: 'lambda', endpointId }, /unknown kind/],
    [{ kind: 'sqs', queueUrl: 'http://localhost:4566/0/q' }, /endpointId/],
    [{ kind: 'sqs', endpointId: 5, queueUrl: 'http://localhost:4566/0/q' }, /endpointId/],
    [{ kind: 'sqs', endpointId: 'x'.repeat(2049), queueUrl: 'http://localhost:4566/0/q' }, /endpointId/],
    [{ kind: 'sqs', endpointId }, /queueUrl/],
    [{ kind: 'sqs', endpointId, queueUrl: 'not a url' }, /not a URL/],
    [{ kind: 'sqs', endpointId, queueUrl: 'file:///etc/passwd' }, /http/],
    [{ kind: 'sqs', endpointId, queueUrl: 'http://user:pw@localhost:4566/0/q' }, /credentials/],
    [{ kind: 'sqs', endpointId, queueUrl: 'http://localhost:4566/0/' }, /queue name/],
    [{ kind: 'sqs', endpointId, queueUrl: 'http://localhost:4566/q' }, /queue name/],
    [{ kind: 'sqs', endpointId, queueUrl: 'http://localhost:4566/0/a%2Fb' }, /queue name/],
    [{ kind: 'dynamodb', endpointId }, /table/],
    [{ kind: 'dynamodb', endpointId, table: 'ab' }, /table/],
    [{ kind: 'dynamodb', endpointId, table: 'x/y z' }, /table/],
    [{ kind: 'dynamodb', endpointId, table: 't'.repeat(256) }, /table/],
    [{ kind: 's3', endpointId, bucket: 'Shop_Assets', key: 'a' }, /bucket/],
    [{ kind: 's3', endpointId, bucket: 'shop-assets' }, /key/],
    [{ kind: 's3', endpointId, bucket: 'shop-assets', key: '' }, /key/],
    [{ kind: 's3', endpointId, bucket: 'shop-assets', key: 'k'.repeat(1025) }, /key/],
  ];
  for (const [raw, reason] of cases) {
    const parsed = parseBrowserPanelState(raw);
    assert.equal(parsed.ok, false, `refused: ${JSON.stringify(raw)}`);
    assert.match(!parsed.ok ? parsed.error : '', reason, JSON.stringify(raw));
  }
});
