// Local AWS copies with recorded settings (`--aws-from <snapshot>`): a Drydock recovery point holding a namespace
// whose ConfigMap and Secret point at real AWS, and the AWS resources of those names (a table with its own key
// schema, a FIFO queue with its own timeout) captured from the emulator. The copies planned from its Kubernetes
// items take the recorded settings instead of the inferred defaults; on moto, read back with the SDK.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { createAwsClients, type AwsClients } from '../../../src/core/aws/clients';
import type { LocalAwsTarget } from '../../../src/core/adapt/adaptation';
import { createLocalAwsCopies, localCopyNames, type LocalAwsCopyPlan } from '../../../src/core/adapt/awsLocalCopies';
import {
  knownAwsSettingsFrom,
  localCopyResults,
  planLocalAwsCopiesFor,
} from '../../../src/core/adapt/awsLocalCopyStep';
import { removeDrillTarget } from '../../../src/core/drill/drillCleanup';
import { awsDrillPrefix, newRunId } from '../../../src/core/drill/scratchNames';
import { silentLogger } from '../../../src/core/log';
import { createSnapshot, planKubeRestore, SnapshotReader } from '../../../src/core/snapshot';
import { planRestore } from '../../../src/core/snapshot/restorePlan';
import { KubeRawClient } from '../../../src/core/kube/rawClient';
import { loadKubeConfig } from '../../../src/core/kube/kubeconfig';
import { awsEndpointUrl, awsRegion, kubeconfigPath, uniqueName } from '../../support/env';
import { CONTEXT, createFixtureNamespace, deleteNamespace, tempDir } from '../drill/drillEnv';

const base = uniqueName('dd-awsfrom');
const names = { table: `${base}-orders`, queue: `${base}-jobs.fifo`, plainTable: `${base}-audit` };
const runId = newRunId();
const target: LocalAwsTarget = {
  endpoints: { sqs: awsEndpointUrl(), dynamodb: awsEndpointUrl(), s3: awsEndpointUrl() },
  region: awsRegion,
  accountId: '123456789012',
  prefix: awsDrillPrefix(runId),
  suffix: '',
};
const dir = tempDir('dd-awsfrom');
let aws: AwsClients;
let kube: KubeRawClient;
let ns = '';
let plan: LocalAwsCopyPlan | undefined;

before(async () => {
  aws = createAwsClients({ url: awsEndpointUrl(), region: awsRegion });
  kube = new KubeRawClient(loadKubeConfig([kubeconfigPath()]), CONTEXT);
  await aws.dynamodb.send(
    new CreateTableCommand({
      TableName: names.table,
      KeySchema: [
        { AttributeName: 'orderId', KeyType: 'HASH' },
        { AttributeName: 'createdAt', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'orderId', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'N' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await aws.sqs.send(
    new CreateQueueCommand({ QueueName: names.queue, Attributes: { FifoQueue: 'true', VisibilityTimeout: '120' } }),
  );
  ns = await createFixtureNamespace(kube, 'dd-awsfrom', [
    {
      path: '/api/v1/namespaces/{ns}/configmaps',
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'app' },
        data: {
          ORDERS_TABLE_ARN: `arn:aws:dynamodb:eu-west-1:210987654321:table/${names.table}`,
          AUDIT_TABLE: names.plainTable,
        },
      },
    },
    {
      path: '/api/v1/namespaces/{ns}/secrets',
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'app' },
        stringData: { JOBS: `https://sqs.eu-west-1.amazonaws.com/210987654321/${names.queue}` },
      },
    },
  ]);
});

after(async () => {
  if (plan)
    await removeDrillTarget(
      {
        runId,
        createdAt: new Date().toISOString(),
        pid: process.pid,
        host: 'test',
        aws: { endpoint: awsEndpointUrl(), region: awsRegion, ...localCopyNames(plan) },
      },
      { aws, logger: silentLogger },
    );
  await aws.dynamodb.send(new DeleteTableCommand({ TableName: names.table })).catch(() => undefined);
  const url = `${awsEndpointUrl()}/123456789012/${names.queue}`;
  await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
  if (ns) await deleteNamespace(kube, ns);
  aws?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('local AWS copies from a recovery point, with its recorded settings', () => {
  it('plans from the recovery point, takes recorded settings where it has them, and makes the copies', async () => {
    const snapshot = join(dir, 'prod.tar.gz');
    await createSnapshot({
      target: snapshot,
      kube: { client: kube, namespaces: [ns] },
      aws: { clients: aws, tables: [names.table], queues: [names.queue] },
      secrets: 'plain',
      toolVersion: 'test',
    });
    const reader = await SnapshotReader.open(snapshot);
    try {
      // A restore of its Kubernetes part only (as of a Velero backup), settings from the recovery point's AWS part.
      const items = planKubeRestore(reader, { namespaceMap: new Map([[ns, `${ns}-copy`]]) });
      const kubeOnly = { kube: items, aws: { queues: [], tables: [], buckets: [] } };
      plan = await planLocalAwsCopiesFor(reader, kubeOnly, target, await knownAwsSettingsFrom(reader));
      // A restore of both parts restores the recorded queue and table itself: only the other table needs a copy.
      const both = await planRestore(reader, { kube: { namespaceMap: new Map() }, aws: { prefix: target.prefix } });
      const rest = await planLocalAwsCopiesFor(reader, both, target);
      assert.deepEqual([rest.queues, rest.tables.map((t) => t.source), rest.buckets], [[], [names.plainTable], []]);
    } finally {
      await reader.close();
    }
    assert.deepEqual(
      plan.tables.map((t) => [t.source, t.settings]),
      [
        [names.plainTable, 'inferred'],
        [names.table, 'recorded'],
      ],
    );
    assert.deepEqual(
      plan.queues.map((q) => [q.source, q.settings]),
      [[names.queue, 'recorded']],
    );
    // A dry run reports what would be made.
    assert.deepEqual(
      localCopyResults(plan).map((r) => [r.id, r.outcome]),
      [
        [`sqs:${target.prefix}${names.queue}`, 'created'],
        [`dynamodb:${target.prefix}${names.plainTable}`, 'created'],
        [`dynamodb:${target.prefix}${names.table}`, 'created'],
      ],
    );

    const outcomes = await createLocalAwsCopies(plan, aws);
    const results = localCopyResults(plan, outcomes);
    assert.deepEqual(
      results.map((r) => [r.id, r.source, r.outcome]),
      [
        [`sqs:${target.prefix}${names.queue}`, `sqs:${names.queue}`, 'created'],
        [`dynamodb:${target.prefix}${names.plainTable}`, `dynamodb:${names.plainTable}`, 'created'],
        [`dynamodb:${target.prefix}${names.table}`, `dynamodb:${names.table}`, 'created'],
      ],
    );
    assert.match(results[1]!.message!, /key schema is unknown/);

    const recorded = (
      await aws.dynamodb.send(new DescribeTableCommand({ TableName: `${target.prefix}${names.table}` }))
    ).Table!;
    assert.deepEqual(recorded.KeySchema, [
      { AttributeName: 'orderId', KeyType: 'HASH' },
      { AttributeName: 'createdAt', KeyType: 'RANGE' },
    ]);
    const inferred = (
      await aws.dynamodb.send(new DescribeTableCommand({ TableName: `${target.prefix}${names.plainTable}` }))
    ).Table!;
    assert.deepEqual(inferred.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }]);
    const queue = outcomes.find((o) => o.service === 'sqs')!;
    const attributes = (
      await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['All'] }))
    ).Attributes!;
    assert.equal(attributes.FifoQueue, 'true');
    assert.equal(attributes.VisibilityTimeout, '120');
  });
});
