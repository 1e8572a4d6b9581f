import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { endpointUrls, serviceUrl } from '../../../src/core/aws/clients';
import { isUnsupportedOperation } from '../../../src/core/aws/sqsMoveTask';
import { serviceEndpoints } from '../../../src/cli/serviceEndpoints';

test('per-service endpoints: each service where it is served, every URL for the write guard', () => {
  const e = {
    url: 'http://localhost:4566',
    region: 'us-east-1',
    services: { sqs: 'http://localhost:4567', s3: 'http://localhost:4567' },
  };
  assert.equal(serviceUrl(e, 'sqs'), 'http://localhost:4567');
  assert.equal(serviceUrl(e, 's3'), 'http://localhost:4567');
  assert.equal(serviceUrl(e, 'dynamodb'), 'http://localhost:4566');
  assert.deepEqual(endpointUrls(e), ['http://localhost:4566', 'http://localhost:4567']);
  assert.deepEqual(endpointUrls({ url: 'http://a', region: 'r' }), ['http://a']);
});

test('CLI --sqs-endpoint/--s3-endpoint/--dynamodb-endpoint: URLs only, none given is none', () => {
  assert.equal(serviceEndpoints({}), undefined);
  assert.deepEqual(
    serviceEndpoints({ 'sqs-endpoint': 'http://localhost:4567/', 's3-endpoint': 'http://localhost:4567' }),
    { sqs: 'http://localhost:4567', s3: 'http://localhost:4567' },
  );
  assert.throws(
    () => serviceEndpoints({ 'dynamodb-endpoint': 'localhost:4566' }),
    /--dynamodb-endpoint must be an http\(s\) URL/,
  );
});

test('a missing StartMessageMoveTask is told apart from other failures by error name and status', () => {
  // moto 5: HTTP 500 with an HTML page, which the SDK cannot parse as an AWS error.
  const html = Object.assign(new SyntaxError('Unexpected token <'), { $metadata: { httpStatusCode: 500 } });
  assert.equal(isUnsupportedOperation(html), true);
  assert.equal(isUnsupportedOperation({ name: 'InvalidAction', $metadata: { httpStatusCode: 400 } }), true);
  assert.equal(isUnsupportedOperation({ name: 'UnsupportedOperation', $metadata: { httpStatusCode: 400 } }), true);
  assert.equal(isUnsupportedOperation({ name: 'Whatever', $metadata: { httpStatusCode: 501 } }), true);
  // Real failures are not: they are reported, not silently replaced by the receive loop.
  assert.equal(isUnsupportedOperation({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }), false);
  assert.equal(
    isUnsupportedOperation({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } }),
    false,
  );
  assert.equal(isUnsupportedOperation({ name: 'InternalError', $metadata: { httpStatusCode: 500 } }), false);
});
