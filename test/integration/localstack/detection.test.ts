import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { describeEmulator, detectEmulator } from '../../../src/core/aws/emulator';
import { sqsPeekEndpoint } from '../../../src/core/aws/sqsPeekSupport';
import { awsEndpointUrl, awsRegion } from '../../support/env';
import { localstackUrl } from './localstackEnv';

// An AWS-compatible endpoint that is neither LocalStack nor moto: answers every request the way S3-compatible
// stores do when a path is not theirs (403 with an XML error), like MinIO or a real AWS endpoint would.
let generic: Server;
let genericUrl = '';
before(async () => {
  generic = createServer((_req, res) => {
    res.writeHead(403, { 'content-type': 'application/xml' });
    res.end(
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
    );
  });
  await new Promise<void>((r) => generic.listen(0, '127.0.0.1', r));
  genericUrl = `http://127.0.0.1:${(generic.address() as { port: number }).port}`;
});
after(() => new Promise<void>((r) => generic.close(() => r())));

test('LocalStack is detected with its version and edition, as the tree describes it', async () => {
  const info = await detectEmulator(localstackUrl());
  assert.equal(info.kind, 'localstack');
  if (info.kind !== 'localstack') return;
  assert.equal(info.version, '4.14.0');
  assert.equal(info.edition, 'community');
  assert.equal(
    info.services.sqs !== undefined && info.services.sqs !== 'disabled',
    true,
    `sqs is ${info.services.sqs}`,
  );
  assert.equal(info.services.s3 !== undefined && info.services.s3 !== 'disabled', true, `s3 is ${info.services.s3}`);
  assert.equal(info.services.dynamodb, 'disabled', 'DynamoDB is not started on LocalStack here (it stays on moto)');
  // Community needs no license: is_license_activated=false must not read as a problem.
  assert.equal(describeEmulator(info), 'LocalStack 4.14.0 community');
});

test('moto beside it is still moto, and a generic endpoint is AWS-compatible', async () => {
  assert.equal((await detectEmulator(awsEndpointUrl())).kind, 'moto');
  const info = await detectEmulator(genericUrl);
  assert.equal(info.kind, 'aws-compatible');
  assert.equal(describeEmulator(info), 'AWS-compatible');
});

test('only LocalStack offers the side-effect-free listing, per service endpoint', async () => {
  assert.equal(await sqsPeekEndpoint({ url: localstackUrl(), region: awsRegion }), localstackUrl());
  assert.equal(await sqsPeekEndpoint({ url: awsEndpointUrl(), region: awsRegion }), undefined);
  assert.equal(await sqsPeekEndpoint({ url: genericUrl, region: awsRegion }), undefined);
  // DynamoDB on moto, SQS on LocalStack: the SQS endpoint decides.
  assert.equal(
    await sqsPeekEndpoint({ url: awsEndpointUrl(), region: awsRegion, services: { sqs: localstackUrl() } }),
    localstackUrl(),
  );
});
