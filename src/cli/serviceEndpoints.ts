import type { AwsEndpoint } from '../core/aws/clients';

/**
 * `--sqs-endpoint`, `--s3-endpoint`, `--dynamodb-endpoint`: one service elsewhere than `--aws-endpoint`, e.g. SQS and S3
 * on LocalStack with DynamoDB on moto. Each must be an http(s) URL; every one is subject to the local-only guard.
 */
export const serviceEndpointOptions = {
  'sqs-endpoint': { type: 'string' },
  's3-endpoint': { type: 'string' },
  'dynamodb-endpoint': { type: 'string' },
} as const;

export const serviceEndpointUsage =
  '--sqs-endpoint URL --s3-endpoint URL --dynamodb-endpoint URL   one service at another endpoint';

/** The per-service URLs given, or undefined when none was; throws naming the option whose value is not a URL. */
export function serviceEndpoints(v: {
  'sqs-endpoint'?: string;
  's3-endpoint'?: string;
  'dynamodb-endpoint'?: string;
}): AwsEndpoint['services'] {
  const out: NonNullable<AwsEndpoint['services']> = {};
  for (const service of ['sqs', 's3', 'dynamodb'] as const) {
    const url = v[`${service}-endpoint`];
    if (url === undefined) continue;
    if (!/^https?:\/\/[^/\s]+/.test(url)) throw new Error(`--${service}-endpoint must be an http(s) URL, not "${url}"`);
    out[service] = url.replace(/\/+$/, '');
  }
  return Object.keys(out).length ? out : undefined;
}
