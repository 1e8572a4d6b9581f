import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DrydockError } from '../../../src/core/errors';
import { renamedAwsName } from '../../../src/core/snapshot/references';
import type { RestorePlan } from '../../../src/core/snapshot/restorePlan';
import {
  assertPlanNamesValid,
  bucketNameProblem,
  namespaceNameProblem,
  planNameProblems,
  queueNameProblem,
  tableNameProblem,
} from '../../../src/core/snapshot/targetNames';

/** A plan as planRestore makes it, for one namespace and one queue, table and bucket under a prefix/suffix. */
function plan(opts: {
  namespace?: string;
  prefix?: string;
  suffix?: string;
  queue?: string;
  table?: string;
  bucket?: string;
}): RestorePlan {
  const { prefix = '', suffix = '', namespace = 'shop' } = opts;
  const queue = opts.queue ?? 'shop-orders';
  const table = opts.table ?? 'shop-products';
  const bucket = opts.bucket ?? 'shop-assets';
  const fifo = queue.endsWith('.fifo');
  return {
    namespaceMap: new Map([['shop', namespace]]),
    kube: [
      {
        path: 'resources/namespaces/cluster/shop.json',
        groupResource: 'namespaces',
        type: {
          resource: 'namespaces',
          group: '',
          version: 'v1',
          kind: 'Namespace',
          namespaced: false,
          count: 1,
          groupVersion: 'v1',
        },
        sourceName: 'shop',
        name: namespace,
      },
      {
        path: 'resources/configmaps/namespaces/shop/c.json',
        groupResource: 'configmaps',
        type: {} as never,
        sourceNamespace: 'shop',
        sourceName: 'c',
        targetNamespace: namespace,
        name: 'c',
      },
    ],
    aws: {
      queues: [
        {
          service: 'sqs',
          source: queue,
          target: renamedAwsName('sqs', queue, prefix, suffix),
          record: { attributes: fifo ? { FifoQueue: 'true' } : {} } as never,
          count: 0,
        },
      ],
      tables: [
        {
          service: 'dynamodb',
          source: table,
          target: renamedAwsName('dynamodb', table, prefix, suffix),
          record: {} as never,
          count: 0,
        },
      ],
      buckets: [
        {
          service: 's3',
          source: bucket,
          target: renamedAwsName('s3', bucket, prefix, suffix),
          record: {} as never,
          count: 0,
        },
      ],
    },
  };
}

test('valid plans pass: plain, prefixed, FIFO with .fifo kept last', () => {
  assert.deepEqual(planNameProblems(plan({})), []);
  assert.deepEqual(planNameProblems(plan({ namespace: 'shop-copy', prefix: 'copy-', suffix: '-2' })), []);
  assert.deepEqual(planNameProblems(plan({ queue: 'orders.fifo', prefix: 'drill-abc-' })), []);
  assert.equal(renamedAwsName('sqs', 'orders.fifo', 'p-', '-s'), 'p-orders-s.fifo');
});

test('--aws-prefix "a/b" is refused for the queue, the table and the bucket at once, as a usage error', () => {
  const p = plan({ prefix: 'a/b' });
  const problems = planNameProblems(p);
  assert.deepEqual(
    problems.map((x) => `${x.what}:${x.target}`),
    ['sqs queue:a/bshop-orders', 'dynamodb table:a/bshop-products', 's3 bucket:a/bshop-assets'],
  );
  assert.throws(
    () => assertPlanNamesValid(p),
    (e: unknown) =>
      DrydockError.is(e, 'invalid-input') &&
      /3 names .* nothing was written/s.test(e.message) &&
      /a\/bshop-orders/.test(e.message),
  );
});

/** Crafted derived names, each of which its target would refuse. */
const crafted: Array<[string, Parameters<typeof plan>[0], string]> = [
  ['namespace too long', { namespace: 'x'.repeat(64) }, 'namespace'],
  ['namespace upper case', { namespace: 'Shop' }, 'namespace'],
  ['namespace ends with -', { namespace: 'shop-' }, 'namespace'],
  ['namespace with a dot', { namespace: 'shop.copy' }, 'namespace'],
  ['queue over 80 characters', { prefix: 'p'.repeat(70) }, 'sqs queue'],
  ['FIFO queue over 80 with .fifo', { queue: 'q'.repeat(70) + '.fifo', prefix: 'x'.repeat(6) }, 'sqs queue'],
  ['FIFO queue: suffix with a dot', { queue: 'orders.fifo', suffix: '.v2' }, 'sqs queue'],
  ['queue: space in prefix', { prefix: 'my copy-' }, 'sqs queue'],
  ['table: too long', { table: 't'.repeat(251), prefix: 'copy-' }, 'dynamodb table'],
  ['table: colon', { prefix: 'a:b-' }, 'dynamodb table'],
  ['bucket: upper-case prefix', { prefix: 'Copy-' }, 's3 bucket'],
  ['bucket: over 63', { bucket: 'b'.repeat(60), prefix: 'copy-' }, 's3 bucket'],
  ['bucket: underscore', { prefix: 'copy_' }, 's3 bucket'],
  ['bucket: starts with -', { prefix: '-' }, 's3 bucket'],
  ['bucket: adjacent periods', { prefix: 'a..' }, 's3 bucket'],
  ['bucket: IP address', { bucket: '10.0.0', suffix: '.1' }, 's3 bucket'],
  ['bucket: reserved xn-- prefix', { prefix: 'xn--' }, 's3 bucket'],
  ['bucket: reserved -s3alias suffix', { suffix: '-s3alias' }, 's3 bucket'],
];

for (const [name, opts, what] of crafted) {
  test(`refused before any write: ${name}`, () => {
    const problems = planNameProblems(plan(opts));
    assert.ok(
      problems.some((p) => p.what === what),
      `${name}: ${JSON.stringify(problems)}`,
    );
    assert.throws(
      () => assertPlanNamesValid(plan(opts)),
      (e: unknown) => DrydockError.is(e, 'invalid-input'),
    );
  });
}

test('the single-name rules', () => {
  assert.equal(namespaceNameProblem('a'.repeat(63)), undefined);
  assert.match(namespaceNameProblem('') ?? '', /empty/);
  assert.equal(queueNameProblem('q'.repeat(75) + '.fifo', true), undefined);
  assert.match(queueNameProblem('orders', true) ?? '', /must end in "\.fifo"/);
  assert.equal(tableNameProblem('a.b-c_D'), undefined);
  assert.match(tableNameProblem('ab') ?? '', /3 to 255/);
  assert.equal(bucketNameProblem('my.bucket-1'), undefined);
  assert.match(bucketNameProblem('ab') ?? '', /3 to 63/);
});
