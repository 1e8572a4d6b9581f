import { ReceiveMessageCommand, GetQueueAttributesCommand, DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import { paginateScan } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, GetObjectTaggingCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../../src/core/aws/clients';
import type { KubeRawClient } from '../../../src/core/kube/rawClient';
import { resourcePath } from '../../../src/core/kube/discovery';
import { SnapshotReader } from '../../../src/core/snapshot/archive/snapshotReader';
import { planKubeRestore } from '../../../src/core/snapshot/kube/restorePlan';
import { prepareItem } from '../../../src/core/snapshot/kube/restoreKube';
import { sanitizeForRestore } from '../../../src/core/snapshot/sanitize';
import { jsonDiff } from '../../../src/core/snapshot/jsonDiff';
import { itemToDynamoJson } from '../../../src/core/aws/dynamoJson';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';
import type { SecretKeySource } from '../../../src/core/snapshot/secretCrypto';

/** For every Kubernetes item of the snapshot: the differences between it (as restored) and the live object, both sanitised. */
export async function kubeDifferences(
  kube: KubeRawClient,
  snapshot: string,
  keySource: SecretKeySource | undefined,
  namespaceMap: Map<string, string>,
  rewrite?: (s: string) => string,
): Promise<{ compared: number; differences: string[] }> {
  const reader = await SnapshotReader.open(snapshot, { keySource });
  const differences: string[] = [];
  let compared = 0;
  try {
    for (const item of planKubeRestore(reader, { namespaceMap })) {
      const expected = await prepareItem(reader, item, { sanitize: { namespaceMap }, rewrite });
      const live = await kube.request<KubeObject>('GET', resourcePath(item.type, item.targetNamespace, item.name));
      const got = sanitizeForRestore(live, { namespaceMap: new Map() });
      // A Secret written with stringData comes back as data: compare what the server holds.
      const diff = jsonDiff(expected, got).filter((d) => !IGNORED.some((re) => re.test(d)));
      for (const d of diff) differences.push(`${item.path}: ${d}`);
      compared++;
    }
  } finally {
    await reader.close();
  }
  return { compared, differences };
}

/** Server-maintained fields that a fresh object gets anew. */
const IGNORED: RegExp[] = [];

export interface CapturedMessage {
  body: string;
  attributes: Record<string, string>;
  group?: string;
  dedup?: string;
}

/** Every message of a queue, read destructively (for a queue the test owns), sorted by body. */
export async function drainQueue(aws: AwsClients, url: string): Promise<CapturedMessage[]> {
  const out: CapturedMessage[] = [];
  for (let empty = 0; empty < 2;) {
    const res = await aws.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const ms = res.Messages ?? [];
    if (!ms.length) {
      empty++;
      continue;
    }
    empty = 0;
    for (const m of ms) {
      const attributes: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.MessageAttributes ?? {}))
        attributes[k] =
          `${v.DataType}:${v.StringValue ?? Buffer.from(v.BinaryValue ?? new Uint8Array()).toString('base64')}`;
      out.push({
        body: m.Body ?? '',
        attributes,
        group: m.Attributes?.MessageGroupId,
        dedup: m.Attributes?.MessageDeduplicationId,
      });
    }
    await aws.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: ms.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  return out.sort((a, b) => a.body.localeCompare(b.body));
}

export async function queueCounts(aws: AwsClients, url: string): Promise<{ visible: number; invisible: number }> {
  const a =
    (
      await aws.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      )
    ).Attributes ?? {};
  return { visible: Number(a.ApproximateNumberOfMessages), invisible: Number(a.ApproximateNumberOfMessagesNotVisible) };
}

export async function scanAll(aws: AwsClients, table: string): Promise<string[]> {
  const out: string[] = [];
  for await (const page of paginateScan({ client: aws.dynamodb }, { TableName: table }))
    for (const i of page.Items ?? []) out.push(JSON.stringify(sortKeys(itemToDynamoJson(i))));
  return out.sort();
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}

export async function bucketContents(
  aws: AwsClients,
  bucket: string,
): Promise<Array<{ key: string; sha: string; contentType?: string; metadata: Record<string, string>; tags: string }>> {
  const { createHash } = await import('node:crypto');
  const out = [];
  for await (const page of paginateListObjectsV2({ client: aws.s3 }, { Bucket: bucket })) {
    for (const c of page.Contents ?? []) {
      const res = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: c.Key! }));
      const bytes = await res.Body!.transformToByteArray();
      const tags = (await aws.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: c.Key! }))).TagSet ?? [];
      out.push({
        key: c.Key!,
        sha: createHash('sha256').update(bytes).digest('hex'),
        contentType: res.ContentType,
        metadata: res.Metadata ?? {},
        tags: tags
          .map((t) => `${t.Key}=${t.Value}`)
          .sort()
          .join('&'),
      });
    }
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}
