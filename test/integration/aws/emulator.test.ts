import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describeEmulator, detectEmulator } from '../../../src/core/aws/emulator';
import { DrydockError } from '../../../src/core/errors';
import { awsEndpointUrl } from '../../support/env';

test('detects moto at the local endpoint', async () => {
  const info = await detectEmulator(awsEndpointUrl());
  assert.equal(info.kind, 'moto');
  assert.equal(describeEmulator(info), 'moto');
});

test('an endpoint where nothing listens is reported unreachable, plainly', async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  await assert.rejects(
    detectEmulator(`http://127.0.0.1:${port}`),
    (e: unknown) => DrydockError.is(e, 'unreachable') && /Nothing answers at http:\/\/127\.0\.0\.1:\d+/.test(e.message),
  );
});
