// The drill reads its recovery point once: one open (checksums, schema, key) drives the plan, the restore and
// every check; queue URLs come from the restore's report, not from looking the copies up by name.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { runDrill } from '../../../src/core/drill';
import { SnapshotReader } from '../../../src/core/snapshot';
import { uniqueName } from '../../support/env';
import {
  createFixtureNamespace,
  deleteNamespace,
  endpoint,
  kubeOptions,
  leftoversOf,
  liveEnv,
  takeRecoveryPoint,
  tempDir,
} from './drillEnv';

const env = liveEnv();
const dir = tempDir('drill-opens');
const queue = uniqueName('opens-q');
let ns: string;
let queueUrl: string;
let rp: string;

before(async () => {
  const { kube, aws } = await env;
  queueUrl = (await aws.sqs.send(new CreateQueueCommand({ QueueName: queue }))).QueueUrl!;
  for (let i = 0; i < 3; i++)
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `order ${i}` }));
  ns = await createFixtureNamespace(kube, 'drillfx-opens', [
    {
      path: '/api/v1/namespaces/{ns}/configmaps',
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'app-config' },
        data: { QUEUE_URL: queueUrl, QUEUE: queue },
      },
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
  ]);
  rp = await takeRecoveryPoint(dir, 'opens', {
    kube: { client: kube, namespaces: [ns] },
    aws: { clients: aws, queues: [queue], tables: [], buckets: [] },
  });
});

after(async () => {
  const { kube, aws } = await env;
  await deleteNamespace(kube, ns);
  await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
  aws.destroy();
  rmSync(dir, { recursive: true, force: true });
});

test('a drill opens its recovery point exactly once, and checks the queue copy by the URL the restore reported', async () => {
  const { kube, aws } = await env;
  const opened: string[] = [];
  const report = await runDrill({
    recoveryPoint: rp,
    workspaceDir: dir,
    kube: kubeOptions(),
    aws: { endpoint },
    readyTimeoutMs: 30_000,
    checks: [{ type: 'sqs', name: 'messages kept', sqs: { queue, minMessages: 3 } }],
    openRecoveryPoint: (source, options) => {
      opened.push(source);
      return SnapshotReader.open(source, options);
    },
  });
  assert.equal(
    report.status,
    'passed',
    `${report.error ?? ''} ${JSON.stringify(report.checks.filter((c) => !c.passed))}`,
  );
  assert.deepEqual(opened, [rp], 'one open for validation, plan, restore and every check');
  const userCheck = report.checks.find((c) => c.name === 'messages kept');
  assert.ok(userCheck?.passed, JSON.stringify(userCheck));
  assert.match(userCheck.detail ?? '', new RegExp(`^drill-.*-${queue} holds 3 message`));
  const awsCheck = report.checks.find(
    (c) => c.category === 'aws' && c.name.startsWith(`queue ${queue} restored as drill-`),
  );
  assert.ok(awsCheck?.passed, JSON.stringify(awsCheck));
  assert.deepEqual(await leftoversOf(kube, aws, report.runId), []);
});
