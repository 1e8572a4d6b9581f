import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ioTimeouts, type IoTimeouts } from '../io/timeouts';
import { boundedCalls } from './boundedCalls';

/** One AWS-compatible endpoint (LocalStack, moto, …) and how to reach it. */
export interface AwsEndpoint {
  /** e.g. http://localhost:4566 */
  url: string;
  region: string;
  /** Where this endpoint came from: a setting, or an AWS profile with endpoint_url. */
  source?: { kind: 'setting' } | { kind: 'profile'; profile: string };
  /** Credentials; local emulators accept any. Defaults to the usual "test"/"test". */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Another endpoint for some services (e.g. SQS and S3 on LocalStack, DynamoDB on moto at `url`). */
  services?: Partial<Record<AwsService, string>>;
}

export type AwsService = 'sqs' | 'dynamodb' | 's3';

/** Where one service of this endpoint is served: its own URL when set, else the endpoint's. */
export function serviceUrl(endpoint: AwsEndpoint, service: AwsService): string {
  return endpoint.services?.[service] ?? endpoint.url;
}

/** Every distinct URL the clients of this endpoint talk to (for the write guard). */
export function endpointUrls(endpoint: AwsEndpoint): string[] {
  return [...new Set([endpoint.url, ...Object.values(endpoint.services ?? {}).filter((u): u is string => !!u)])];
}

export interface AwsClients {
  endpoint: AwsEndpoint;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  s3: S3Client;
  destroy(): void;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * SDK v3 clients for one endpoint. S3 uses path-style addressing, which every emulator serves.
 * Every call is bounded (connect and answer timeouts, `DRYDOCK_IO_TIMEOUT_MS`), idempotent reads are
 * retried with backoff after a refused or broken connection, and a network failure becomes a
 * DrydockError naming the endpoint and the call ("… did not answer ListQueues within 30 s").
 */
export function createAwsClients(endpoint: AwsEndpoint, timeouts: IoTimeouts = ioTimeouts()): AwsClients {
  const requestHandler = () =>
    new NodeHttpHandler({
      connectionTimeout: timeouts.connectMs,
      requestTimeout: timeouts.requestMs,
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.requestMs,
    });
  const common = {
    region: endpoint.region,
    credentials: endpoint.credentials ?? LOCAL_CREDENTIALS,
    // Retries are ours (boundedCalls): only idempotent calls, never after a timeout.
    maxAttempts: 1,
  };
  const bounded = (service: AwsService) =>
    [
      boundedCalls(serviceUrl(endpoint, service), timeouts),
      { step: 'initialize', name: 'drydockBoundedCalls' },
    ] as const;
  // Each client is made on first use: constructing one loads its SDK bundle (dist/vendor/, 0.3–0.4 MB), and the
  // Local AWS view's first rows (the endpoints) need none.
  let sqs: SQSClient | undefined;
  let dynamodb: DynamoDBClient | undefined;
  let s3: S3Client | undefined;
  return {
    endpoint,
    get sqs() {
      if (!sqs) {
        sqs = new SQSClient({ ...common, endpoint: serviceUrl(endpoint, 'sqs'), requestHandler: requestHandler() });
        sqs.middlewareStack.add(...bounded('sqs'));
      }
      return sqs;
    },
    get dynamodb() {
      if (!dynamodb) {
        dynamodb = new DynamoDBClient({
          ...common,
          endpoint: serviceUrl(endpoint, 'dynamodb'),
          requestHandler: requestHandler(),
        });
        dynamodb.middlewareStack.add(...bounded('dynamodb'));
      }
      return dynamodb;
    },
    get s3() {
      if (!s3) {
        s3 = new S3Client({
          ...common,
          endpoint: serviceUrl(endpoint, 's3'),
          forcePathStyle: true,
          requestHandler: requestHandler(),
        });
        s3.middlewareStack.add(...bounded('s3'));
      }
      return s3;
    },
    destroy() {
      sqs?.destroy();
      dynamodb?.destroy();
      s3?.destroy();
    },
  };
}
