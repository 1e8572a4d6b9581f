import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseSqsWebviewMessage } from '../../../src/protocol/sqsBrowser';
import { parseDynamoWebviewMessage } from '../../../src/protocol/dynamoBrowser';
import { parseS3PreviewWebviewMessage } from '../../../src/protocol/s3Preview';

test('SQS browser: well-formed messages are accepted as typed values', () => {
  assert.deepEqual(parseSqsWebviewMessage({ type: 'ready' }), { ok: true, value: { type: 'ready' } });
  assert.deepEqual(parseSqsWebviewMessage({ type: 'delete', messageId: 'abc' }), {
    ok: true,
    value: { type: 'delete', messageId: 'abc' },
  });
  const send = parseSqsWebviewMessage({
    type: 'send',
    message: { body: 'hi', attributes: [{ name: 'k', dataType: 'String', value: 'v' }], delaySeconds: 5, groupId: '' },
  });
  assert.deepEqual(send, {
    ok: true,
    value: {
      type: 'send',
      message: {
        body: 'hi',
        attributes: [{ name: 'k', dataType: 'String', value: 'v' }],
        delaySeconds: 5,
        groupId: undefined,
        deduplicationId: undefined,
      },
    },
  });
});

test('SQS browser: anything else is refused', () => {
  for (const bad of [
    null,
    'ready',
    [],
    { type: 'drop' },
    { type: 'delete' },
    { type: 'delete', messageId: 5 },
    { type: 'send' },
    { type: 'send', message: { body: 1, attributes: [] } },
    { type: 'send', message: { body: 'x', attributes: [{ name: 'k' }] } },
    { type: 'send', message: { body: 'x', attributes: [], delaySeconds: 1.5 } },
    {
      type: 'send',
      message: { body: 'x', attributes: new Array(11).fill({ name: 'a', dataType: 'String', value: '' }) },
    },
  ]) {
    assert.equal(parseSqsWebviewMessage(bad).ok, false, JSON.stringify(bad));
  }
});

test('DynamoDB browser: messages and their refusals', () => {
  assert.deepEqual(
    parseDynamoWebviewMessage({
      type: 'query',
      query: { partitionValue: 'p', sortOperator: 'begins_with', sortValue: 'a', indexName: 'gsi1' },
    }),
    {
      ok: true,
      value: {
        type: 'query',
        query: {
          indexName: 'gsi1',
          partitionValue: 'p',
          sortOperator: 'begins_with',
          sortValue: 'a',
          sortValue2: undefined,
          descending: false,
        },
      },
    },
  );
  assert.deepEqual(parseDynamoWebviewMessage({ type: 'put', text: '{}', format: 'plain-json' }), {
    ok: true,
    value: { type: 'put', text: '{}', format: 'plain-json', replaceIndex: undefined },
  });
  assert.deepEqual(parseDynamoWebviewMessage({ type: 'export', scope: 'table', format: 'dynamodb-json' }), {
    ok: true,
    value: { type: 'export', scope: 'table', format: 'dynamodb-json' },
  });
  assert.deepEqual(parseDynamoWebviewMessage({ type: 'delete', index: 2, key: '[["pk",{"S":"a"}]]' }), {
    ok: true,
    value: { type: 'delete', index: 2, key: '[["pk",{"S":"a"}]]' },
  });
  for (const bad of [
    { type: 'delete', index: 0, key: 7 },
    { type: 'delete', index: 0, key: 'k'.repeat(16_385) },
    { type: 'query', query: { partitionValue: 'p', sortOperator: 'LIKE' } },
    { type: 'put', text: '{}', format: 'yaml' },
    { type: 'delete', index: -1 },
    { type: 'setPageSize', pageSize: 0 },
    { type: 'export', scope: 'all', format: 'plain-json' },
    { type: 'scan', indexName: 3 },
  ]) {
    assert.equal(parseDynamoWebviewMessage(bad).ok, false, JSON.stringify(bad));
  }
});

test('S3 preview: only its three messages', () => {
  assert.equal(parseS3PreviewWebviewMessage({ type: 'download' }).ok, true);
  assert.equal(parseS3PreviewWebviewMessage({ type: 'upload' }).ok, false);
});
