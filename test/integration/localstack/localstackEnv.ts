import { createAwsClients, type AwsClients } from '../../../src/core/aws/clients';
import { awsRegion } from '../../support/env';

/**
 * The local environment's LocalStack (community 4.14.0 on the host, SQS and S3), which `tools/localenv` starts
 * beside moto and exports as DRYDOCK_LOCALSTACK_ENDPOINT. Not set means the suite was not started through the
 * environment: every test here fails with this message rather than being skipped.
 */
export function localstackUrl(): string {
  const url = process.env.DRYDOCK_LOCALSTACK_ENDPOINT;
  if (!url) {
    throw new Error(
      'DRYDOCK_LOCALSTACK_ENDPOINT is not set: run these tests through `node tools/localenv/cli.mjs test integration` (it starts LocalStack), or start it with `node tools/localenv/cli.mjs up` and export DRYDOCK_LOCALSTACK_ENDPOINT=http://localhost:4567.',
    );
  }
  return url.replace(/\/+$/, '');
}

export function localstackClients(): AwsClients {
  return createAwsClients({ url: localstackUrl(), region: awsRegion, source: { kind: 'setting' } });
}
