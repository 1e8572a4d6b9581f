import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';

/** One AWS-compatible endpoint (LocalStack, moto, …) and how to reach it. */
export interface AwsEndpoint {
  /** e.g. http://localhost:4566 */
  url: string;
  region: string;
  /** Where this endpoint came from: a setting, or an AWS profile with endpoint_url. */
  source?: { kind: 'setting' } | { kind: 'profile'; profile: string };
  /** Credentials; local emulators accept any. Defaults to the usual "test"/"test". */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface AwsClients {
  endpoint: AwsEndpoint;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  s3: S3Client;
  destroy(): void;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** SDK v3 clients for one endpoint. S3 uses path-style addressing, which every emulator serves. */
export function createAwsClients(endpoint: AwsEndpoint): AwsClients {
  const common = {
    endpoint: endpoint.url,
    region: endpoint.region,
    credentials: endpoint.credentials ?? LOCAL_CREDENTIALS,
    maxAttempts: 2,
  };
  const sqs = new SQSClient(common);
  const dynamodb = new DynamoDBClient(common);
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  return {
    endpoint,
    sqs,
    dynamodb,
    s3,
    destroy() {
      sqs.destroy();
      dynamodb.destroy();
      s3.destroy();
    },
  };
}
