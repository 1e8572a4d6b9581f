// Local AWS copies with recorded settings (`--aws-from <snapshot>`): a Drydock recovery point holding a namespace
// whose ConfigMap and Secret point at real AWS, and the AWS resources of those names (a table with its own key
// schema, a FIFO queue with its own timeout) captured from the emulator. The copies planned from its Kubernetes
// items take the recorded settings instead of the inferred defaults; on moto, read back with the SDK.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
} from '@aws-sdk/client-sqs';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { createAwsClients, type AwsClients } from '../../../src/core/aws/clients';
import { isQueueMissing } from '../../../src/core/aws/awsErrors';
import type { LocalAwsTarget } from '../../../src/core/adapt/adaptation';
import { localCopyNames, type LocalAwsCopyPlan } from '../../../src/core/adapt/awsLocalCopies';
import {
  knownAwsSettingsFrom,
  makeLocalAwsCopies,
  planLocalAwsCopiesFor,
} from '../../../src/core/adapt/awsLocalCopyStep';
import type { ItemResult } from '../../../src/core/snapshot/restoreResult';
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

const queueUrl = (name: string) =>
  aws.sqs.send(new GetQueueUrlCommand({ QueueName: name })).then(
    (r) => r.QueueUrl,
    (e: unknown) => {
      if (isQueueMissing(e)) return undefined;
      throw e;
    },
  );

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
    let results: ItemResult[];
    let dryRun: ItemResult[];
    try {
      // A restore of its Kubernetes part only (as of a Velero backup), settings from the recovery point's AWS part.
      const items = planKubeRestore(reader, { namespaceMap: new Map([[ns, `${ns}-copy`]]) });
      const kubeOnly = { kube: items, aws: { queues: [], tables: [], buckets: [] } };
      const known = await knownAwsSettingsFrom(reader);
      plan = await planLocalAwsCopiesFor(reader, kubeOnly, target, known);
      // A restore of both parts restores the recorded queue and table itself: only the other table needs a copy.
      const both = await planRestore(reader, { kube: { namespaceMap: new Map() }, aws: { prefix: target.prefix } });
      const rest = await planLocalAwsCopiesFor(reader, both, target);
      assert.deepEqual([rest.queues, rest.tables.map((t) => t.source), rest.buckets], [[], [names.plainTable], []]);
      // A dry run reports what would be made, and makes nothing.
      dryRun = (await makeLocalAwsCopies(reader, kubeOnly, target, aws, { known, dryRun: true })).results;
      assert.equal(await queueUrl(`${target.prefix}${names.queue}`), undefined);
      // The step: the names are handed over (a drill's ledger) before the first creation.
      let recordedFirst: string[] = [];
      results = (
        await makeLocalAwsCopies(reader, kubeOnly, target, aws, {
          known,
          beforeCreate: async (n) => {
            recordedFirst = [...n.queues, ...n.tables, ...n.buckets];
            assert.equal(await queueUrl(`${target.prefix}${names.queue}`), undefined);
          },
        })
      ).results;
      assert.deepEqual(recordedFirst.sort(), [...localCopyNames(plan).queues, ...localCopyNames(plan).tables].sort());
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
    assert.deepEqual(
      dryRun.map((r) => [r.id, r.outcome]),
      [
        [`sqs:${target.prefix}${names.queue}`, 'created'],
        [`dynamodb:${target.prefix}${names.plainTable}`, 'created'],
        [`dynamodb:${target.prefix}${names.table}`, 'created'],
      ],
    );
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
    const attributes = (
      await aws.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: await queueUrl(`${target.prefix}${names.queue}`),
          AttributeNames: ['All'],
        }),
      )
    ).Attributes!;
    assert.equal(attributes.FifoQueue, 'true');
    assert.equal(attributes.VisibilityTimeout, '120');
  });
});
