import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createAwsClients } from '../../../src/core/aws/clients';

// The SDK clients are made when first read (in the extension, making one loads its vendor bundle; bench/activation.ts
// shows the Local AWS view's first rows no longer do): one per service, kept, bounded, at its own service URL.
test('each SDK client is made once and kept, bounded and at its own service URL', async () => {
  const clients = createAwsClients({
    url: 'http://localhost:4566',
    region: 'us-east-1',
    services: { sqs: 'http://localhost:4567' },
  });
  try {
    assert.equal(clients.sqs, clients.sqs, 'the same SQS client each time');
    assert.equal(clients.s3, clients.s3, 'the same S3 client each time');
    assert.equal(clients.dynamodb, clients.dynamodb, 'the same DynamoDB client each time');
    for (const client of [clients.sqs, clients.dynamodb, clients.s3])
      assert.ok(client.middlewareStack.identify().some((m) => m.startsWith('drydockBoundedCalls')));
    const url = async (c: { config: { endpoint?: () => Promise<{ hostname: string; port?: number }> } }) => {
      const e = await c.config.endpoint!();
      return `${e.hostname}:${e.port}`;
    };
    assert.equal(await url(clients.sqs), 'localhost:4567');
    assert.equal(await url(clients.dynamodb), 'localhost:4566');
    assert.equal(await url(clients.s3), 'localhost:4566');
    assert.equal(clients.s3.config.forcePathStyle, true);
  } finally {
    clients.destroy();
  }
});

test('destroy() before any client was used does not throw', () => {
  const clients = createAwsClients({ url: 'http://localhost:4566', region: 'us-east-1' });
  assert.doesNotThrow(() => clients.destroy());
});
