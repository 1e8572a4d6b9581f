import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  findReferencedNames,
  mapReferenceStrings,
  referenceRewriter,
  renamedAwsName,
  referenceStrings,
} from '../../../src/core/snapshot/references';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';

const renames = [
  {
    service: 'sqs' as const,
    from: 'orders',
    to: 'copy-orders',
    identifiers: [
      { from: 'http://localhost:4566/123456789012/orders', to: 'http://127.0.0.1:4566/000000000000/copy-orders' },
    ],
  },
  { service: 'sqs' as const, from: 'orders-dlq', to: 'copy-orders-dlq' },
  { service: 'dynamodb' as const, from: 'orders.table', to: 'copy-orders.table' },
  { service: 's3' as const, from: 'orders-bucket', to: 'copy-orders-bucket' },
];

test('rewrites URLs, ARNs and names as whole tokens only', () => {
  const rw = referenceRewriter(renames);
  assert.equal(rw('http://localhost:4566/123456789012/orders'), 'http://127.0.0.1:4566/000000000000/copy-orders');
  assert.equal(rw('arn:aws:sqs:us-east-1:123456789012:orders'), 'arn:aws:sqs:us-east-1:123456789012:copy-orders');
  assert.equal(
    rw('arn:aws:sqs:us-east-1:123456789012:orders-dlq'),
    'arn:aws:sqs:us-east-1:123456789012:copy-orders-dlq',
  );
  assert.equal(
    rw('arn:aws:dynamodb:us-east-1:1:table/orders.table'),
    'arn:aws:dynamodb:us-east-1:1:table/copy-orders.table',
  );
  assert.equal(rw('s3://orders-bucket/key'), 's3://copy-orders-bucket/key');
  assert.equal(rw('orders'), 'copy-orders');
  assert.equal(
    rw('orders_v2 reorders orders-archive'),
    'orders_v2 reorders orders-archive',
    'names glued to other name characters are left alone',
  );
  assert.equal(rw('{"queue":"orders","dlq":"orders-dlq"}'), '{"queue":"copy-orders","dlq":"copy-orders-dlq"}');
  assert.equal(rw('nothing here'), 'nothing here');
});

test('FIFO queues keep .fifo last under a suffix', () => {
  assert.equal(renamedAwsName('sqs', 'jobs.fifo', 'p-', '-s'), 'p-jobs-s.fifo');
  assert.equal(renamedAwsName('dynamodb', 'jobs.fifo', 'p-', '-s'), 'p-jobs.fifo-s');
});

test('reference strings: ConfigMap data, Secret data (decoded) and stringData, env values anywhere; metadata untouched', () => {
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'orders' },
    data: { q: 'orders', other: 'x' },
  } as KubeObject;
  assert.equal(mapReferenceStrings(cm, referenceRewriter(renames)), 1);
  assert.deepEqual(cm, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'orders' },
    data: { q: 'copy-orders', other: 'x' },
  });

  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: {
      arn: Buffer.from('arn:aws:sqs:r:1:orders').toString('base64'),
      bin: Buffer.from([0xff, 0xfe, 0x00]).toString('base64'),
    },
    stringData: { b: 'orders-bucket' },
  } as KubeObject;
  mapReferenceStrings(secret, referenceRewriter(renames));
  const data = secret.data as Record<string, string>;
  assert.equal(Buffer.from(data.arn!, 'base64').toString(), 'arn:aws:sqs:r:1:copy-orders');
  assert.equal(data.bin, Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), 'binary secret values are left alone');
  assert.equal((secret.stringData as Record<string, string>).b, 'copy-orders-bucket');

  const dep = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'orders', labels: { app: 'orders' } },
    spec: {
      template: {
        spec: {
          initContainers: [{ env: [{ name: 'T', value: 'orders.table' }] }],
          containers: [
            {
              name: 'orders',
              args: ['orders'],
              env: [
                { name: 'Q', value: 'orders' },
                { name: 'R', valueFrom: { configMapKeyRef: { name: 'orders', key: 'q' } } },
              ],
            },
          ],
        },
      },
    },
  } as KubeObject;
  assert.deepEqual(referenceStrings(dep).sort(), ['orders', 'orders.table']);
  mapReferenceStrings(dep, referenceRewriter(renames));
  const spec = (dep.spec as any).template.spec;
  assert.equal(spec.containers[0].env[0].value, 'copy-orders');
  assert.equal(spec.initContainers[0].env[0].value, 'copy-orders.table');
  assert.equal(spec.containers[0].name, 'orders');
  assert.deepEqual(spec.containers[0].args, ['orders']);
  assert.equal(dep.metadata!.name, 'orders');
});

test('detection finds referenced names as tokens', () => {
  const found = findReferencedNames(
    ['QUEUE=http://localhost:4566/1/orders', 'bucket: orders-bucket-logs'],
    ['orders', 'orders-bucket', 'other'],
  );
  assert.deepEqual([...found], ['orders']);
});
