/** Loading the corpus into the real local environment and reading it back, for the corpus round trips. */
import { CreateTableCommand, waitUntilTableExists, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import type { KubeRawClient } from '../../../src/core/kube/rawClient';
import { KubeApiError } from '../../../src/core/kube/kubeApiError';
import { discoverResources, resourcePath, type ApiResourceType } from '../../../src/core/kube/discovery';
import type { AwsClients } from '../../../src/core/aws/clients';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';
import { itemToDynamoJson } from '../../../src/core/aws/dynamoJson';
import { putItems, sendMessages, createBucket } from './liveEnv';
import {
  toAttributeValue,
  type DynamoCorpusTable,
  type CorpusMessage,
  type CorpusS3Object,
  type DynamoJson,
} from './corpusData';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Type = Pick<ApiResourceType, 'group' | 'groupVersion' | 'resource' | 'namespaced' | 'kind' | 'version'>;

/** Resolves apiVersion + kind to the served resource (any served version, not only the preferred one). */
export class KindResolver {
  private readonly cache = new Map<string, Type[]>();
  constructor(private readonly kube: KubeRawClient) {}

  async resolve(apiVersion: string, kind: string): Promise<Type> {
    let list = this.cache.get(apiVersion);
    if (!list) {
      const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const res = await this.kube.request<{ resources: Array<{ name: string; kind: string; namespaced: boolean }> }>(
        'GET',
        base,
      );
      const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
      const version = apiVersion.includes('/') ? apiVersion.split('/')[1]! : apiVersion;
      list = res.resources
        .filter((r) => !r.name.includes('/'))
        .map((r) => ({
          group,
          version,
          groupVersion: apiVersion,
          resource: r.name,
          namespaced: r.namespaced,
          kind: r.kind,
        }));
      this.cache.set(apiVersion, list);
    }
    const t = list.find((r) => r.kind === kind);
    if (!t) throw new Error(`${apiVersion} ${kind} is not served`);
    return t;
  }
}

export async function createObject(
  kube: KubeRawClient,
  resolver: KindResolver,
  obj: KubeObject,
  namespace?: string,
): Promise<KubeObject> {
  const type = await resolver.resolve(obj.apiVersion!, obj.kind!);
  return kube.request<KubeObject>('POST', resourcePath(type, namespace), obj);
}

export async function waitCrdEstablished(kube: KubeRawClient, name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const crd = await kube.request<KubeObject>(
      'GET',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
    );
    const conditions =
      (crd.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
    if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} not Established after ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

export async function deleteCrd(kube: KubeRawClient, name: string, wait: boolean): Promise<void> {
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`;
  try {
    await kube.request('DELETE', path);
  } catch (error) {
    if (KubeApiError.is(error) && error.statusCode === 404) return;
    throw error;
  }
  if (!wait) return;
  for (let i = 0; i < 240; i++) {
    try {
      await kube.request('GET', path);
    } catch (error) {
      if (KubeApiError.is(error) && error.statusCode === 404) return;
      throw error;
    }
    await sleep(500);
  }
  throw new Error(`CRD ${name} still there after 120 s`);
}

export async function exists(kube: KubeRawClient, path: string): Promise<boolean> {
  try {
    await kube.request('GET', path);
    return true;
  } catch (error) {
    if (KubeApiError.is(error) && error.statusCode === 404) return false;
    throw error;
  }
}

export interface LiveItem {
  key: string;
  type: Type;
  obj: KubeObject;
}

/**
 * Every object in the namespaces, of every namespaced type that can be listed — read independently of the
 * engine, as the server returns it (with the apiVersion/kind a list leaves out). Events are left out.
 */
export async function listNamespaces(
  kube: KubeRawClient,
  namespaces: readonly string[],
): Promise<Map<string, LiveItem>> {
  const types = (await discoverResources(kube)).filter(
    (t) => t.namespaced && t.verbs.includes('list') && t.resource !== 'events',
  );
  const out = new Map<string, LiveItem>();
  await Promise.all(
    namespaces.flatMap((ns) =>
      types.map(async (type) => {
        for await (const raw of kube.listAll(resourcePath(type, ns))) {
          const obj = { apiVersion: type.groupVersion, kind: type.kind, ...(raw as object) } as KubeObject;
          const key = itemKey(type, ns, (obj.metadata as { name: string }).name);
          out.set(key, { key, type, obj });
        }
      }),
    ),
  );
  return out;
}

export const itemKey = (type: Pick<ApiResourceType, 'group' | 'resource'>, ns: string | undefined, name: string) =>
  `${type.group ? `${type.resource}.${type.group}` : type.resource}/${ns ? `${ns}/` : ''}${name}`;

/** Lists until the set of objects (and their resourceVersions, pods and events aside) stops changing. */
export async function settledListing(
  kube: KubeRawClient,
  namespaces: readonly string[],
  timeoutMs = 45_000,
): Promise<Map<string, LiveItem>> {
  const deadline = Date.now() + timeoutMs;
  const fingerprint = (m: Map<string, LiveItem>) =>
    [...m.values()]
      .filter(
        (i) =>
          !['pods', 'events.events.k8s.io', 'leases.coordination.k8s.io'].includes(
            `${i.type.resource}${i.type.group ? `.${i.type.group}` : ''}`,
          ),
      )
      .map((i) => i.key)
      .sort()
      .join('\n');
  let last = await listNamespaces(kube, namespaces);
  for (let stable = 0; stable < 2 && Date.now() < deadline;) {
    await sleep(2000);
    const next = await listNamespaces(kube, namespaces);
    stable = fingerprint(next) === fingerprint(last) ? stable + 1 : 0;
    last = next;
  }
  return last;
}

// ------------------------------------------------------------------ AWS

export async function createCorpusTable(aws: AwsClients, name: string, t: DynamoCorpusTable): Promise<void> {
  await aws.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: t.keySchema,
      AttributeDefinitions: t.attributeDefinitions,
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: t.globalSecondaryIndexes,
    }),
  );
  await waitUntilTableExists({ client: aws.dynamodb, maxWaitTime: 60 }, { TableName: name });
  await putItems(
    aws,
    name,
    t.items.map(
      (i) =>
        Object.fromEntries(Object.entries(i).map(([k, v]) => [k, toAttributeValue(v)])) as Record<
          string,
          AttributeValue
        >,
    ),
  );
}

/** An item as comparable text: DynamoDB JSON, sets as sorted sets (members deduplicated), keys sorted. */
export function canonicalItem(item: Record<string, DynamoJson>): string {
  const norm = (v: DynamoJson): unknown => {
    const [type, value] = Object.entries(v)[0]!;
    switch (type) {
      case 'B':
        return { B: Buffer.from(value as string, 'base64').toString('base64') };
      case 'SS':
      case 'NS':
        return { [type]: [...new Set(value as string[])].sort() };
      case 'BS':
        return { BS: [...new Set((value as string[]).map((s) => Buffer.from(s, 'base64').toString('base64')))].sort() };
      case 'M':
        return { M: JSON.parse(canonicalItem(value as Record<string, DynamoJson>)) };
      case 'L':
        return { L: (value as DynamoJson[]).map(norm) };
      default:
        return { [type]: value };
    }
  };
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(item)
        .sort()
        .map((k) => [k, norm(item[k]!)]),
    ),
  );
}

export function canonicalScan(items: Array<Record<string, AttributeValue>>): string[] {
  return items.map((i) => canonicalItem(itemToDynamoJson(i) as Record<string, DynamoJson>)).sort();
}

export async function createCorpusQueue(
  aws: AwsClients,
  name: string,
  fifo: boolean,
  messages: CorpusMessage[],
): Promise<string> {
  const url = (
    await aws.sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {},
        tags: { corpus: 'sqs' },
      }),
    )
  ).QueueUrl!;
  await sendMessages(
    aws,
    url,
    messages.map((m) => ({ body: m.body, attributes: m.attributes, group: m.group, dedup: m.dedup })),
  );
  return url;
}

/** A message as compare.ts's drainQueue reports it, from what the test sent. */
export function expectedMessage(
  m: CorpusMessage,
  fifo: boolean,
): { body: string; attributes: Record<string, string>; group?: string; dedup?: string } {
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.attributes))
    attributes[k] =
      `${v.DataType}:${v.StringValue ?? Buffer.from(v.BinaryValue ?? new Uint8Array()).toString('base64')}`;
  return { body: m.body, attributes, group: fifo ? m.group : undefined, dedup: fifo ? m.dedup : undefined };
}

export async function createCorpusBucket(aws: AwsClients, name: string, objects: CorpusS3Object[]): Promise<void> {
  await createBucket(
    aws,
    name,
    objects.map((o) => ({ key: o.key, body: o.body, contentType: o.contentType, metadata: o.metadata })),
  );
}
