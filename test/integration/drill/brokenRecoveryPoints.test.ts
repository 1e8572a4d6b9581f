// Deliberately broken recovery points: each drill must fail and name the right gap.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { runDrill, type DrillReport, type GapKind } from '../../../src/core/drill';
import { createCrd, deleteCrd } from '../kube/localCluster';
import { uniqueName } from '../../support/env';
import {
  brokenCopy,
  createFixtureNamespace,
  deleteNamespace,
  deployment,
  endpoint,
  kubeOptions,
  leftoversOf,
  liveEnv,
  takeRecoveryPoint,
  tempDir,
} from './drillEnv';

const env = liveEnv();
const dir = tempDir('drill-broken');
const namespaces: string[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
let appNs: string;
let appRp: string;

before(async () => {
  const { kube } = await env;
  appNs = await createFixtureNamespace(kube, 'drillfx-app', [
    {
      path: '/api/v1/namespaces/{ns}/configmaps',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { MODE: 'drill' } },
    },
    {
      path: '/api/v1/namespaces/{ns}/secrets',
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'app-secret' },
        type: 'Opaque',
        stringData: { TOKEN: 'not-a-real-token' },
      },
    },
    deployment('app', {
      containers: [
        {
          name: 'app',
          image: 'registry.local/drill/app:1',
          envFrom: [{ configMapRef: { name: 'app-config' } }],
          env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'app-secret', key: 'TOKEN' } } }],
        },
      ],
    }),
  ]);
  namespaces.push(appNs);
  appRp = await takeRecoveryPoint(dir, 'app', { kube: { client: kube, namespaces: [appNs] } });
});

after(async () => {
  const { kube, aws } = await env;
  for (const ns of namespaces) await deleteNamespace(kube, ns);
  for (const c of cleanups) await c().catch(() => undefined);
  aws.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function drill(recoveryPoint: string, extra: Partial<Parameters<typeof runDrill>[0]> = {}): Promise<DrillReport> {
  const { kube, aws } = await env;
  const report = await runDrill({
    recoveryPoint,
    workspaceDir: dir,
    kube: kubeOptions(),
    aws: { endpoint },
    readyTimeoutMs: 30_000,
    crdWaitTimeoutMs: 3_000,
    ...extra,
  });
  assert.deepEqual(await leftoversOf(kube, aws, report.runId), [], 'a failed drill leaves nothing behind');
  return report;
}

function assertGap(report: DrillReport, kind: GapKind, subject: string | RegExp, message?: RegExp): void {
  assert.equal(report.status, 'failed', report.error);
  const found = report.gaps.find(
    (g) =>
      g.kind === kind &&
      (typeof subject === 'string' ? g.subject === subject : subject.test(g.subject)) &&
      (!message || message.test(g.message)),
  );
  assert.ok(
    found,
    `expected a ${kind} gap for ${subject}; gaps: ${JSON.stringify(
      report.gaps.filter((g) => g.kind !== 'skipped-by-policy' && g.kind !== 'field-stripped'),
      null,
      1,
    )}`,
  );
}

const isEntry = (resource: string, name: string) => (path: string) =>
  path.startsWith(`resources/${resource}/`) && path.endsWith(`/${name}.json`);

test('the intact recovery point of the fixture workload passes (the broken ones below differ only by what they lack)', async () => {
  const r = await drill(appRp);
  assert.equal(r.status, 'passed', JSON.stringify(r.checks.filter((c) => !c.passed)));
});

test('a Deployment whose ConfigMap was excluded: unresolved reference to that ConfigMap', async () => {
  const rp = brokenCopy(appRp, join(dir, 'app-no-configmap'), { remove: isEntry('configmaps', 'app-config') });
  const r = await drill(rp);
  assertGap(
    r,
    'unresolved-reference',
    `configmaps/${appNs}/app-config`,
    /deployments\.apps\/.*\/app names configmaps\/.*\/app-config \(spec\.template\.spec\.containers\[app\]\.envFrom\)/,
  );
  assert.ok(r.checks.some((c) => c.category === 'references' && !c.passed));
});

test('a Deployment whose Secret was excluded: unresolved reference to that Secret', async () => {
  const rp = brokenCopy(appRp, join(dir, 'app-no-secret'), { remove: isEntry('secrets', 'app-secret') });
  const r = await drill(rp);
  assertGap(r, 'unresolved-reference', `secrets/${appNs}/app-secret`, /env\[TOKEN\]/);
});

test('a custom resource whose CRD is missing: create failed with the reason, and the definition named as unresolved', async () => {
  const { kube } = await env;
  const crd = await createCrd(kube, 'drillcrd');
  cleanups.push(() => deleteCrd(kube, crd.name));
  const ns = await createFixtureNamespace(kube, 'drillfx-cr', [
    {
      path: `/apis/${crd.group}/v1/namespaces/{ns}/${crd.plural}`,
      body: { apiVersion: `${crd.group}/v1`, kind: crd.kind, metadata: { name: 'g1' }, spec: { size: 3 } },
    },
  ]);
  namespaces.push(ns);
  const rp = await takeRecoveryPoint(dir, 'cr', { kube: { client: kube, namespaces: [ns] } });
  await deleteNamespace(kube, ns);
  await deleteCrd(kube, crd.name);
  const broken = brokenCopy(rp, join(dir, 'cr-no-crd'), {
    remove: (p) => p.startsWith('resources/customresourcedefinitions.apiextensions.k8s.io/'),
  });
  const r = await drill(broken);
  assertGap(
    r,
    'create-failed',
    `${crd.name}/${ns}/g1`,
    /CustomResourceDefinition .* does not exist|did not become Established/,
  );
  assertGap(r, 'unresolved-reference', `customresourcedefinitions.apiextensions.k8s.io/${crd.name}`);
});

test('a queue whose dead-letter queue is missing from the recovery point: unresolved reference on that queue', async () => {
  const { aws } = await env;
  const dlq = uniqueName('drillfx-dlq');
  const main = uniqueName('drillfx-orders');
  const dlqUrl = (await aws.sqs.send(new CreateQueueCommand({ QueueName: dlq }))).QueueUrl!;
  cleanups.push(() => aws.sqs.send(new DeleteQueueCommand({ QueueUrl: dlqUrl })));
  const dlqArn = (await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] })))
    .Attributes!.QueueArn!;
  const mainUrl = (
    await aws.sqs.send(
      new CreateQueueCommand({
        QueueName: main,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) },
      }),
    )
  ).QueueUrl!;
  cleanups.push(() => aws.sqs.send(new DeleteQueueCommand({ QueueUrl: mainUrl })));
  await aws.sqs.send(new SendMessageCommand({ QueueUrl: mainUrl, MessageBody: '{"order":1}' }));
  const rp = await takeRecoveryPoint(dir, 'queue', { aws: { clients: aws, queues: [main] } });
  const r = await drill(rp);
  assertGap(
    r,
    'unresolved-reference',
    `sqs:${main}`,
    new RegExp(`dead-letter queue ${dlq} is not in the recovery point`),
  );
});

test('a table with missing items: AWS mismatch naming how many are missing', async () => {
  const { aws } = await env;
  const table = uniqueName('drillfx-table');
  await aws.dynamodb.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
  cleanups.push(() => aws.dynamodb.send(new DeleteTableCommand({ TableName: table })));
  await waitUntilTableExists({ client: aws.dynamodb, maxWaitTime: 60 }, { TableName: table });
  await aws.dynamodb.send(
    new BatchWriteItemCommand({
      RequestItems: {
        [table]: Array.from({ length: 20 }, (_, i) => ({
          PutRequest: { Item: { id: { S: `item-${i}` }, n: { N: String(i) } } },
        })),
      },
    }),
  );
  const rp = await takeRecoveryPoint(dir, 'table', { aws: { clients: aws, tables: [table] } });
  const items = `aws/dynamodb/${table}/items.jsonl`;
  const broken = brokenCopy(rp, join(dir, 'table-missing-items'), {
    rewrite: { [items]: (text) => text.split('\n').filter(Boolean).slice(5).join('\n') + '\n' },
  });
  const r = await drill(broken);
  assertGap(r, 'aws-mismatch', `dynamodb:${table}`, /holds 15 item\(s\), recorded 20 \(5 missing\)/);
});

test("a workload that never becomes ready: not ready in time, with the scheduler's reason", async () => {
  const { kube } = await env;
  const ns = await createFixtureNamespace(kube, 'drillfx-stuck', [
    deployment('stuck', { nodeSelector: { 'drydock.dev/no-such-node': 'true' } }),
  ]);
  namespaces.push(ns);
  const rp = await takeRecoveryPoint(dir, 'stuck', { kube: { client: kube, namespaces: [ns] } });
  const r = await drill(rp, { readyTimeoutMs: 10_000 });
  assertGap(
    r,
    'not-ready',
    `deployments.apps/${ns}/stuck`,
    /0\/1 available.* after 10 s; pod stuck-.*Unschedulable: .*didn.t match Pod.s node affinity\/selector/,
  );
  const readiness = r.phases.find((p) => p.phase === 'readiness');
  assert.ok(readiness && readiness.durationMs >= 10_000, 'readiness waited for its timeout');
});
