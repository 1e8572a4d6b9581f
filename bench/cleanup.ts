/**
 * Removes what an interrupted benchmark left — only names these benchmarks make (`bench-<kind>-<id>`, see
 * lib/env uniqueId) and namespaces labelled drydock-bench: other people's `bench-…` resources stay.
 */
import { DeleteTableCommand, paginateListTables } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { DeleteQueueCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { deleteNamespace, openBenchEnv } from './lib/env';

const OURS = /^bench-((kube|kr|ddb|s3|s3mem|sqs|velero|velero-s)-[a-z0-9]{9}(-[ok][0-9w])?|vr-[a-z0-9]{9}-\d+)$/;
import { deleteBucket } from './lib/s3';

async function main(): Promise<void> {
  const env = await openBenchEnv();
  const { kube, aws, log } = env;
  try {
    const namespaces = (await kube.list('/api/v1/namespaces', { query: { labelSelector: 'drydock-bench' } })).items
      .map((n) => (n as { metadata: { name: string } }).metadata.name)
      .filter((n) => OURS.test(n));
    for (const ns of namespaces) {
      log(`namespace ${ns}`);
      await deleteNamespace(kube, ns, false);
    }
    const crds = (await kube.list('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).items
      .map((c) => (c as { metadata: { name: string } }).metadata.name)
      .filter((n) => /^benchwidgets\.g[a-z0-9]{9}\.bench\.drydock\.dev$/.test(n));
    for (const crd of crds) {
      log(`CRD ${crd}`);
      await kube.request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd}`);
    }
    for await (const page of paginateListTables({ client: aws.dynamodb }, {})) {
      for (const t of page.TableNames ?? []) {
        if (!OURS.test(t)) continue;
        log(`table ${t}`);
        await aws.dynamodb.send(new DeleteTableCommand({ TableName: t }));
      }
    }
    for (const b of (await aws.s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
      if (!b.Name || !OURS.test(b.Name)) continue;
      log(`bucket ${b.Name}`);
      await deleteBucket(aws.s3, b.Name);
    }
    for (const url of (await aws.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'bench-' }))).QueueUrls ?? []) {
      if (!OURS.test(url.split('/').pop()!)) continue;
      log(`queue ${url}`);
      await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    }
    for (const ns of namespaces) await deleteNamespace(kube, ns, true);
  } finally {
    await env.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
