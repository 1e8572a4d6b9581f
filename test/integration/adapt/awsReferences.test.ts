// Production → local for AWS, on the real emulators (SQS and S3 on LocalStack, DynamoDB on moto) and the real
// kube-apiserver: a ConfigMap, a Secret and a Deployment written the way a production namespace has them (real-AWS
// queue URLs, ARNs, S3 URIs and URLs, endpoints, a table name) are adapted; the local copies are made first; the
// adapted objects go through the API server, and every reference read back from it is resolved against the
// emulators with the SDK directly: each names a resource that exists, and nothing mentions amazonaws.com. The
// drill's cleanup (ledger → removeDrillTarget) removes the copies.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { GetQueueAttributesCommand, GetQueueUrlCommand, paginateListQueues } from '@aws-sdk/client-sqs';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createAwsClients, type AwsClients } from '../../../src/core/aws/clients';
import { KubeRawClient } from '../../../src/core/kube/rawClient';
import { loadKubeConfig } from '../../../src/core/kube/kubeconfig';
import type { AdaptContext, Adaptation, LocalAwsTarget } from '../../../src/core/adapt/adaptation';
import { awsReferenceAdapter } from '../../../src/core/adapt/awsReferences';
import {
  createLocalAwsCopies,
  localCopyNames,
  planLocalAwsCopies,
  type LocalAwsCopyPlan,
} from '../../../src/core/adapt/awsLocalCopies';
import { removeDrillTarget } from '../../../src/core/drill/drillCleanup';
import type { DrillLedger } from '../../../src/core/drill/ledger';
import { awsDrillPrefix, newRunId } from '../../../src/core/drill/scratchNames';
import { DrydockError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/log';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';
import { awsEndpointUrl, awsRegion, kubeconfigPath, uniqueName } from '../../support/env';
import { CONTEXT, deleteNamespace } from '../drill/drillEnv';
import { localstackUrl } from '../localstack/localstackEnv';

const runId = newRunId();
const prefix = awsDrillPrefix(runId);
const target: LocalAwsTarget = {
  endpoints: { sqs: localstackUrl(), s3: localstackUrl(), dynamodb: awsEndpointUrl() },
  region: awsRegion,
  accountId: '000000000000',
  prefix,
  suffix: '',
};
const ctx: AdaptContext = {
  cluster: {
    storageClasses: [],
    ingressClasses: [],
    priorityClasses: [],
    servedGroupResources: new Set(),
    nodeLabels: [],
  },
  storageClassMap: new Map(),
  aws: target,
};
const PROD = 'https://sqs.eu-west-1.amazonaws.com/123456789012';

/** The objects as a production namespace has them (source namespace `prod`). */
function productionObjects(): Array<{ path: string; gr: string; obj: KubeObject }> {
  return [
    {
      path: '/api/v1/namespaces/{ns}/configmaps',
      gr: 'configmaps',
      obj: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'app-config', namespace: 'prod' },
        data: {
          ORDERS_QUEUE_URL: `${PROD}/orders`,
          PAYMENTS_QUEUE_ARN: 'arn:aws:sqs:eu-west-1:123456789012:payments.fifo',
          ASSETS: 's3://prod-assets/images/',
          'app.yaml':
            'logo: https://prod-assets.s3.eu-west-1.amazonaws.com/images/logo.png\n' +
            'audit: arn:aws:dynamodb:eu-west-1:123456789012:table/prod-audit\n' +
            'legacy: https://queue.amazonaws.com/123456789012/legacy-jobs\n',
        },
      },
    },
    {
      path: '/api/v1/namespaces/{ns}/secrets',
      gr: 'secrets',
      obj: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'app-secret', namespace: 'prod' },
        type: 'Opaque',
        data: { DLQ_URL: Buffer.from(`${PROD}/orders-dlq`).toString('base64') },
      },
    },
    {
      path: '/apis/apps/v1/namespaces/{ns}/deployments',
      gr: 'deployments.apps',
      obj: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: 'web',
          namespace: 'prod',
          annotations: { 'example.com/reports': 'https://s3.eu-west-1.amazonaws.com/prod-reports/daily/' },
        },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [
                {
                  name: 'web',
                  image: 'registry.local/web:1',
                  env: [
                    { name: 'ORDERS_TABLE', value: 'prod-orders' },
                    { name: 'AWS_ENDPOINT_URL_SQS', value: 'https://sqs.eu-west-1.amazonaws.com' },
                    { name: 'AWS_ENDPOINT_URL_DYNAMODB', value: 'https://dynamodb.eu-west-1.amazonaws.com/' },
                    { name: 'ORDERS_URL', value: `${PROD}/orders` },
                  ],
                },
              ],
            },
          },
        },
      },
    },
  ];
}

let kube: KubeRawClient;
let ls: AwsClients;
let moto: AwsClients;
let mixed: AwsClients;
let ns = '';
let plan: LocalAwsCopyPlan;
let ledger: DrillLedger;

before(async () => {
  kube = new KubeRawClient(loadKubeConfig([kubeconfigPath()]), CONTEXT);
  ls = createAwsClients({ url: localstackUrl(), region: awsRegion });
  moto = createAwsClients({ url: awsEndpointUrl(), region: awsRegion });
  mixed = createAwsClients({
    url: awsEndpointUrl(),
    region: awsRegion,
    services: { sqs: localstackUrl(), s3: localstackUrl() },
  });
  ns = uniqueName('dd-awsref');
  await kube.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
});

after(async () => {
  if (ledger) await removeDrillTarget(ledger, { aws: mixed, logger: silentLogger });
  if (ns) await deleteNamespace(kube, ns);
  for (const c of [ls, moto, mixed]) c?.destroy();
});

const queueNames = async (client: AwsClients, namePrefix: string) => {
  const out: string[] = [];
  for await (const page of paginateListQueues({ client: client.sqs }, { QueueNamePrefix: namePrefix }))
    out.push(...(page.QueueUrls ?? []));
  return out;
};

describe('AWS references of a production namespace → local emulator copies', () => {
  it('refuses a plan whose local names the emulator would refuse, before writing anything', async () => {
    const long = `drill-${'x'.repeat(70)}-`;
    assert.throws(
      () =>
        planLocalAwsCopies(
          productionObjects().map((o) => o.obj),
          { ...target, prefix: long },
        ),
      (e: unknown) =>
        DrydockError.is(e, 'invalid-input') &&
        /nothing was written/.test(e.message) &&
        e.message.includes(`sqs queue orders → "${long}orders"`) &&
        e.message.includes('s3 bucket prod-assets'),
    );
    assert.deepEqual(await queueNames(ls, long.slice(0, 20)), []);
    const buckets = (await ls.s3.send(new ListBucketsCommand({}))).Buckets ?? [];
    assert.ok(!buckets.some((b) => b.Name?.startsWith(long.slice(0, 20))));
  });

  it('plans one copy per referenced resource, with inferred settings said as such', () => {
    plan = planLocalAwsCopies(
      productionObjects().map((o) => o.obj),
      target,
    );
    assert.deepEqual(
      plan.queues.map((q) => q.source),
      ['legacy-jobs', 'orders', 'orders-dlq', 'payments.fifo'],
    );
    assert.deepEqual(
      plan.tables.map((t) => t.source),
      ['prod-audit', 'prod-orders'],
    );
    assert.deepEqual(
      plan.buckets.map((b) => b.source),
      ['prod-assets', 'prod-reports'],
    );
    assert.equal(plan.queues.find((q) => q.source === 'payments.fifo')!.target, `${prefix}payments.fifo`);
    assert.ok(plan.tables.every((t) => t.settings === 'inferred' && /key schema is unknown/.test(t.note)));
    ledger = {
      runId,
      createdAt: new Date().toISOString(),
      pid: process.pid,
      host: 'test',
      aws: { endpoint: awsEndpointUrl(), region: awsRegion, ...localCopyNames(plan) },
    };
  });

  it('creates the copies; a second run finds them', async () => {
    const outcomes = await createLocalAwsCopies(plan, mixed);
    assert.deepEqual(
      outcomes.filter((o) => o.outcome !== 'created'),
      [],
    );
    assert.equal(outcomes.length, 8);
    const again = await createLocalAwsCopies(plan, mixed);
    assert.deepEqual(new Set(again.map((o) => o.outcome)), new Set(['existing']));
  });

  it('adapted objects, as the API server stores them, point only at local resources that exist', async () => {
    const adaptations: Adaptation[] = [];
    const stored: KubeObject[] = [];
    for (const { path, gr, obj } of productionObjects()) {
      adaptations.push(...awsReferenceAdapter(obj, gr, ctx));
      obj.metadata!.namespace = ns;
      const created = await kube.request<KubeObject>('POST', path.replace('{ns}', ns), obj);
      stored.push(await kube.request<KubeObject>('GET', `${path.replace('{ns}', ns)}/${created.metadata!.name!}`));
    }
    assert.equal(adaptations.length, 12, adaptations.map((a) => `${a.subject}: ${a.change}`).join('\n'));
    assert.ok(adaptations.every((a) => a.kind === 'aws-reference' && a.change.includes(' → ')));
    const text = JSON.stringify(stored);
    assert.doesNotMatch(text, /amazonaws\.com|eu-west-1|123456789012/);

    const [cm, secret, deploy] = stored as [KubeObject, KubeObject, KubeObject];
    const data = cm.data as Record<string, string>;
    const env = Object.fromEntries(
      ((deploy.spec as any).template.spec.containers[0].env as Array<{ name: string; value: string }>).map((e) => [
        e.name,
        e.value,
      ]),
    );
    const queueArn = async (url: string) =>
      (await ls.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;

    // Queue URLs: the emulator answers for each, and it is the renamed queue.
    for (const [url, name] of [
      [data.ORDERS_QUEUE_URL!, 'orders'],
      [env.ORDERS_URL!, 'orders'],
      [Buffer.from((secret.data as Record<string, string>).DLQ_URL!, 'base64').toString(), 'orders-dlq'],
      [/legacy: (\S+)/.exec(data['app.yaml']!)![1]!, 'legacy-jobs'],
    ] as const) {
      assert.ok(url.startsWith(`${localstackUrl()}/`), url);
      assert.ok((await queueArn(url)).QueueArn!.endsWith(`:${prefix}${name}`), url);
    }
    // The queue ARN is the local queue's own ARN, and the FIFO queue is FIFO.
    const payUrl = (await ls.sqs.send(new GetQueueUrlCommand({ QueueName: `${prefix}payments.fifo` }))).QueueUrl!;
    const pay = await queueArn(payUrl);
    assert.equal(data.PAYMENTS_QUEUE_ARN, pay.QueueArn);
    assert.equal(pay.FifoQueue, 'true');

    // S3: the URI names a bucket that exists; the URLs serve an object put into the local bucket.
    const assets = /^s3:\/\/([^/]+)\/images\/$/.exec(data.ASSETS!)![1]!;
    await ls.s3.send(new HeadBucketCommand({ Bucket: assets }));
    await ls.s3.send(
      new PutObjectCommand({ Bucket: assets, Key: 'images/logo.png', Body: 'logo bytes', ContentType: 'image/png' }),
    );
    const logo = /logo: (\S+)/.exec(data['app.yaml']!)![1]!;
    const res = await fetch(logo);
    assert.equal(res.status, 200, logo);
    assert.equal(await res.text(), 'logo bytes');
    const reports = new URL((deploy.metadata!.annotations as Record<string, string>)['example.com/reports']!);
    assert.equal(reports.origin, new URL(localstackUrl()).origin);
    await ls.s3.send(new HeadBucketCommand({ Bucket: reports.pathname.split('/')[1]! }));

    // DynamoDB: the table name and the table ARN name tables moto has, with the documented default key.
    for (const table of [env.ORDERS_TABLE!, /table\/(\S+)/.exec(data['app.yaml']!)![1]!]) {
      const t = (await moto.dynamodb.send(new DescribeTableCommand({ TableName: table }))).Table!;
      assert.equal(t.TableName, table);
      assert.deepEqual(t.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }]);
    }
    // Endpoints: the local ones.
    assert.equal(env.AWS_ENDPOINT_URL_SQS, localstackUrl());
    assert.equal(env.AWS_ENDPOINT_URL_DYNAMODB, `${awsEndpointUrl().replace(/\/+$/, '')}/`);
  });

  it("the drill's cleanup removes every copy", async () => {
    const outcome = await removeDrillTarget(ledger, { aws: mixed, logger: silentLogger });
    assert.deepEqual(outcome.errors, []);
    assert.equal(outcome.removed.length, 8);
    assert.deepEqual(await queueNames(ls, prefix), []);
    const buckets = (await ls.s3.send(new ListBucketsCommand({}))).Buckets ?? [];
    assert.deepEqual(
      buckets.filter((b) => b.Name?.startsWith(prefix)),
      [],
    );
    for (const t of ledger.aws!.tables)
      await assert.rejects(moto.dynamodb.send(new DescribeTableCommand({ TableName: t })), {
        name: 'ResourceNotFoundException',
      });
  });
});
