import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueUrlCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import {
  CreateTableCommand,
  DeleteTableCommand,
  BatchWriteItemCommand,
  waitUntilTableExists,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  ListObjectVersionsCommand,
  HeadBucketCommand,
} from '@aws-sdk/client-s3';
import { loadKubeConfig } from '../../../src/core/kube/kubeconfig';
import { KubeRawClient } from '../../../src/core/kube/rawClient';
import { KubeApiError } from '../../../src/core/kube/kubeApiError';
import { createAwsClients, type AwsClients } from '../../../src/core/aws/clients';
import { awsEndpointUrl, awsRegion, kubeconfigPath, repoRoot } from '../../support/env';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';

/** The real local environment; a clear failure (never a silent skip) when it is not running. */
export async function liveEnv(): Promise<{ kube: KubeRawClient; aws: AwsClients }> {
  let kube: KubeRawClient;
  try {
    kube = new KubeRawClient(loadKubeConfig([kubeconfigPath()]), 'drydock-local');
    await kube.request('GET', '/version');
  } catch (error) {
    throw new Error(
      `The local environment is not running (${(error as Error).message}). Start it with \`npm run env:up\`.`,
      {
        cause: error,
      },
    );
  }
  const aws = createAwsClients({ url: awsEndpointUrl(), region: awsRegion });
  return { kube, aws };
}

export function fixture(name: string): string {
  return readFileSync(path.join(repoRoot, 'test', 'fixtures', 'snapshot', name), 'utf8');
}

/** The fixture workload with its placeholders filled. */
export function workloadObjects(vars: Record<string, string>): KubeObject[] {
  let text = fixture('workload.json');
  for (const [k, v] of Object.entries(vars)) text = text.split(`{{${k}}}`).join(v);
  return (JSON.parse(text) as { objects: KubeObject[] }).objects;
}

const PATHS: Record<string, string> = {
  ServiceAccount: '/api/v1/namespaces/{ns}/serviceaccounts',
  ConfigMap: '/api/v1/namespaces/{ns}/configmaps',
  Secret: '/api/v1/namespaces/{ns}/secrets',
  Service: '/api/v1/namespaces/{ns}/services',
  Role: '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles',
  RoleBinding: '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings',
  Deployment: '/apis/apps/v1/namespaces/{ns}/deployments',
  PodDisruptionBudget: '/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets',
};

export async function createNamespace(kube: KubeRawClient, ns: string, objects: KubeObject[]): Promise<void> {
  await kube.request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns, labels: { 'drydock-test': 'snapshot' } },
  });
  for (const obj of objects) {
    const p = PATHS[obj.kind!];
    if (!p) throw new Error(`no path for ${obj.kind}`);
    await kube.request('POST', p.replace('{ns}', ns), obj);
  }
  await waitForDeploymentsObserved(kube, ns);
}

/**
 * A settled source, as a user's namespace is: the deployment controller has seen every Deployment
 * (it writes the `deployment.kubernetes.io/revision` annotation before `status.observedGeneration`).
 * Without this, a snapshot taken in the first milliseconds lacks the annotation the restored copy later gets.
 */
export async function waitForDeploymentsObserved(kube: KubeRawClient, ns: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await kube.request<{ items: KubeObject[] }>('GET', `/apis/apps/v1/namespaces/${ns}/deployments`);
    const pending = list.items.filter((d) => {
      const status = (d.status ?? {}) as { observedGeneration?: number };
      return (status.observedGeneration ?? 0) < Number(d.metadata?.generation ?? 1);
    });
    if (pending.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `deployment controller never observed ${pending.map((d) => d.metadata?.name).join(', ')} in ${ns}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function deleteNamespace(kube: KubeRawClient, ns: string, wait = false): Promise<void> {
  try {
    await kube.request('DELETE', `/api/v1/namespaces/${ns}`);
  } catch (error) {
    if (KubeApiError.is(error) && error.statusCode === 404) return;
    throw error;
  }
  if (!wait) return;
  for (let i = 0; i < 240; i++) {
    try {
      await kube.request('GET', `/api/v1/namespaces/${ns}`);
    } catch (error) {
      if (KubeApiError.is(error) && error.statusCode === 404) return;
      throw error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`namespace ${ns} still terminating after 120 s`);
}

export async function queueUrl(aws: AwsClients, name: string): Promise<string | undefined> {
  try {
    return (await aws.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch {
    return undefined;
  }
}

export async function deleteQueue(aws: AwsClients, name: string): Promise<void> {
  const url = await queueUrl(aws, name);
  if (url) await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
}

export async function deleteTable(aws: AwsClients, name: string): Promise<void> {
  await aws.dynamodb.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
}

export async function deleteBucket(aws: AwsClients, name: string): Promise<void> {
  try {
    await aws.s3.send(new HeadBucketCommand({ Bucket: name }));
  } catch {
    return; // already gone
  }
  for (;;) {
    const page = await aws.s3.send(new ListObjectVersionsCommand({ Bucket: name }));
    const keys = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((c) => ({
      Key: c.Key!,
      VersionId: c.VersionId,
    }));
    if (!keys.length) break;
    await aws.s3.send(new DeleteObjectsCommand({ Bucket: name, Delete: { Objects: keys } }));
  }
  await aws.s3.send(new DeleteBucketCommand({ Bucket: name }));
}

export async function createQueue(
  aws: AwsClients,
  name: string,
  attributes: Record<string, string> = {},
  tags: Record<string, string> = {},
): Promise<string> {
  return (await aws.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes, tags }))).QueueUrl!;
}

export async function sendMessages(
  aws: AwsClients,
  url: string,
  entries: Array<{
    body: string;
    attributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>;
    group?: string;
    dedup?: string;
  }>,
): Promise<void> {
  for (let i = 0; i < entries.length; i += 10) {
    const res = await aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: entries.slice(i, i + 10).map((e, j) => ({
          Id: String(j),
          MessageBody: e.body,
          MessageAttributes: e.attributes,
          MessageGroupId: e.group,
          MessageDeduplicationId: e.dedup,
        })),
      }),
    );
    if (res.Failed?.length) throw new Error(`send failed: ${JSON.stringify(res.Failed)}`);
  }
}

export async function createTable(aws: AwsClients, name: string): Promise<void> {
  await aws.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'email', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-email',
          KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      Tags: [{ Key: 'team', Value: 'orders' }],
    }),
  );
  await waitUntilTableExists({ client: aws.dynamodb, maxWaitTime: 60 }, { TableName: name });
}

export async function putItems(
  aws: AwsClients,
  table: string,
  items: Array<Record<string, AttributeValue>>,
): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    await aws.dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
}

export async function createBucket(
  aws: AwsClients,
  name: string,
  objects: Array<{
    key: string;
    body: Uint8Array | string;
    contentType?: string;
    metadata?: Record<string, string>;
    tagging?: string;
  }>,
): Promise<void> {
  await aws.s3.send(new CreateBucketCommand({ Bucket: name }));
  for (const o of objects) {
    await aws.s3.send(
      new PutObjectCommand({
        Bucket: name,
        Key: o.key,
        Body: o.body,
        ContentType: o.contentType,
        Metadata: o.metadata,
        Tagging: o.tagging,
      }),
    );
  }
}
