import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { findAwsReferences, type AwsReference } from '../../../src/core/adapt/awsReferenceParse';
import { findNamedReference, keyWords, serviceNamedByKey } from '../../../src/core/adapt/awsNamedReference';
import { awsReferenceAdapter, awsReferencesOf, localReplacement } from '../../../src/core/adapt/awsReferences';
import type { AdaptContext, LocalAwsTarget } from '../../../src/core/adapt/adaptation';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';
import { describeLocalCopies, localCopyNames, planLocalAwsCopies } from '../../../src/core/adapt/awsLocalCopies';
import { DrydockError } from '../../../src/core/errors';
import { corpusDir } from '../../support/env';

const target: LocalAwsTarget = {
  endpoints: { sqs: 'http://127.0.0.1:4567', dynamodb: 'http://127.0.0.1:5000/', s3: 'http://127.0.0.1:4567' },
  region: 'us-east-1',
  accountId: '000000000000',
  prefix: 'drill-x-',
  suffix: '',
};
const ctx = (aws: LocalAwsTarget | undefined): AdaptContext => ({
  cluster: {
    storageClasses: [],
    ingressClasses: [],
    priorityClasses: [],
    servedGroupResources: new Set(),
    nodeLabels: [],
  },
  storageClassMap: new Map(),
  aws,
});

const brief = (refs: AwsReference[]) =>
  refs.map((r) =>
    r.kind === 'resource'
      ? `${r.service}:${r.form}:${r.name}${r.region ? `@${r.region}` : ''}`
      : r.kind === 'endpoint'
        ? `${r.service}:endpoint`
        : `other:${r.what}`,
  );

/** Parses one string and rewrites it to the local target (what the adapter does to each value). */
function local(value: string): string {
  let out = '';
  let pos = 0;
  for (const ref of findAwsReferences(value)) {
    out += value.slice(pos, ref.start) + (localReplacement(ref, target) ?? ref.text);
    pos = ref.end;
  }
  return out + value.slice(pos);
}

test('SQS queue URLs of every regional form are queue references, FIFO names whole', () => {
  const cases: Array<[string, string, string]> = [
    [
      'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
      'sqs:queue-url:orders@eu-west-1',
      'http://127.0.0.1:4567/000000000000/drill-x-orders',
    ],
    [
      'https://sqs.us-east-1.amazonaws.com/80398EXAMPLE/MyQueue',
      'sqs:queue-url:MyQueue@us-east-1',
      'http://127.0.0.1:4567/000000000000/drill-x-MyQueue',
    ],
    [
      'https://eu-central-1.queue.amazonaws.com/123456789012/pay.fifo',
      'sqs:queue-url:pay.fifo@eu-central-1',
      'http://127.0.0.1:4567/000000000000/drill-x-pay.fifo',
    ],
    [
      'https://queue.amazonaws.com/123456789012/legacy_q',
      'sqs:queue-url:legacy_q@us-east-1',
      'http://127.0.0.1:4567/000000000000/drill-x-legacy_q',
    ],
    [
      'https://sqs-fips.us-west-2.amazonaws.com/123456789012/q1',
      'sqs:queue-url:q1@us-west-2',
      'http://127.0.0.1:4567/000000000000/drill-x-q1',
    ],
  ];
  for (const [url, parsed, rewritten] of cases) {
    assert.deepEqual(brief(findAwsReferences(url)), [parsed], url);
    assert.equal(local(url), rewritten, url);
  }
  // In a longer value: a query string and a second URL survive, each rewritten on its own.
  assert.equal(
    local(
      'QUEUES=https://sqs.eu-west-1.amazonaws.com/123456789012/a?Action=SendMessage, https://sqs.eu-west-1.amazonaws.com/123456789012/b',
    ),
    'QUEUES=http://127.0.0.1:4567/000000000000/drill-x-a?Action=SendMessage, http://127.0.0.1:4567/000000000000/drill-x-b',
  );
});

test('SQS non-matches: other domains, glued names, China and GovCloud partitions', () => {
  // Not AWS at all: nothing is found.
  for (const s of [
    'https://sqs.eu-west-1.amazonaws.com.evil.example/123456789012/orders',
    'https://sqs.eu-west-1.example.com/123456789012/orders',
    'http://localhost:4566/000000000000/orders',
    'sqs.eu-west-1.amazonaws',
    'the orders queue',
  ])
    assert.deepEqual(findAwsReferences(s), [], s);
  // AWS, but not a queue Drydock can copy: reported as other, never rewritten.
  for (const s of [
    'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/orders',
    'https://sqs.us-gov-west-1.amazonaws.com/123456789012/orders',
    'https://sqs.eu-west-1.amazonaws.com/123456789012/orders/extra',
    'https://sqs.eu-west-1.amazonaws.com/1234567890/short-account',
    'https://sqs.eu-west-1.amazonaws.com/123456789012/' + 'q'.repeat(81),
    'arn:aws-cn:sqs:cn-north-1:123456789012:orders',
    'arn:aws-us-gov:sqs:us-gov-west-1:123456789012:orders',
  ]) {
    const refs = findAwsReferences(s);
    assert.equal(refs.length, 1, s);
    assert.equal(refs[0]!.kind, 'other', s);
    assert.equal(local(s), s, s);
  }
  // A queue name is whole: orders is not orders-dlq.
  assert.deepEqual(brief(findAwsReferences('arn:aws:sqs:eu-west-1:123456789012:orders-dlq')), [
    'sqs:arn:orders-dlq@eu-west-1',
  ]);
});

test('ARNs: SQS, DynamoDB (index and stream tails kept), S3 (object keys kept); other services reported', () => {
  const cases: Array<[string, string[], string]> = [
    [
      'arn:aws:sqs:us-east-2:123456789012:my-queue',
      ['sqs:arn:my-queue@us-east-2'],
      'arn:aws:sqs:us-east-1:000000000000:drill-x-my-queue',
    ],
    [
      'arn:aws:sqs:eu-west-1:231436140809:Test.fifo',
      ['sqs:arn:Test.fifo@eu-west-1'],
      'arn:aws:sqs:us-east-1:000000000000:drill-x-Test.fifo',
    ],
    [
      'arn:aws:dynamodb:us-east-1:123456789012:table/Example-Table/stream/2016-12-01T00:00:00.000',
      ['dynamodb:arn:Example-Table@us-east-1'],
      'arn:aws:dynamodb:us-east-1:000000000000:table/drill-x-Example-Table/stream/2016-12-01T00:00:00.000',
    ],
    [
      'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/index/byCustomer',
      ['dynamodb:arn:Orders@eu-west-1'],
      'arn:aws:dynamodb:us-east-1:000000000000:table/drill-x-Orders/index/byCustomer',
    ],
    [
      'arn:aws:s3:::codebuild-123456789012-output-bucket/my-output-artifact.zip',
      ['s3:arn:codebuild-123456789012-output-bucket'],
      'arn:aws:s3:::drill-x-codebuild-123456789012-output-bucket/my-output-artifact.zip',
    ],
    ['arn:aws:s3:::mybucket', ['s3:arn:mybucket'], 'arn:aws:s3:::drill-x-mybucket'],
  ];
  for (const [arn, parsed, rewritten] of cases) {
    assert.deepEqual(brief(findAwsReferences(arn)), parsed, arn);
    assert.equal(local(arn), rewritten, arn);
  }
  assert.deepEqual(brief(findAwsReferences('arn:aws:sns:us-east-2:123456789012:sns-lambda')), ['other:SNS ARN']);
  assert.deepEqual(brief(findAwsReferences('arn:aws-cn:s3:::bucket')), ['other:s3 ARN of partition aws-cn']);
  // Glued to other text: not an ARN.
  assert.deepEqual(findAwsReferences('xarn:aws:sqs:us-east-2:123456789012:q'), []);
});

test('S3: s3:// URIs, virtual-hosted and path-style URLs become the renamed local bucket', () => {
  const cases: Array<[string, string, string]> = [
    [
      's3://cluster-example-full-backup/',
      's3:s3-uri:cluster-example-full-backup',
      's3://drill-x-cluster-example-full-backup/',
    ],
    ['s3://bucket/path/to/folder)', 's3:s3-uri:bucket', 's3://drill-x-bucket/path/to/folder)'],
    ['s3a://data-lake/raw/x.parquet', 's3:s3-uri:data-lake', 's3a://drill-x-data-lake/raw/x.parquet'],
    [
      'https://my.bucket.s3.eu-west-1.amazonaws.com/k/e/y.png',
      's3:s3-url:my.bucket@eu-west-1',
      'http://127.0.0.1:4567/drill-x-my.bucket/k/e/y.png',
    ],
    ['https://assets.s3.amazonaws.com', 's3:s3-url:assets', 'http://127.0.0.1:4567/drill-x-assets'],
    [
      'https://assets.s3-us-west-2.amazonaws.com/a',
      's3:s3-url:assets@us-west-2',
      'http://127.0.0.1:4567/drill-x-assets/a',
    ],
    [
      'https://assets.s3.dualstack.eu-west-1.amazonaws.com/a',
      's3:s3-url:assets@eu-west-1',
      'http://127.0.0.1:4567/drill-x-assets/a',
    ],
    [
      'https://s3.eu-west-1.amazonaws.com/assets/img.png?versionId=3',
      's3:s3-url:assets@eu-west-1',
      'http://127.0.0.1:4567/drill-x-assets/img.png?versionId=3',
    ],
    ['https://s3.amazonaws.com/assets', 's3:s3-url:assets', 'http://127.0.0.1:4567/drill-x-assets'],
    [
      'https://s3-us-west-2.amazonaws.com/assets/a',
      's3:s3-url:assets@us-west-2',
      'http://127.0.0.1:4567/drill-x-assets/a',
    ],
  ];
  for (const [s, parsed, rewritten] of cases) {
    assert.deepEqual(brief(findAwsReferences(s)), [parsed], s);
    assert.equal(local(s), rewritten, s);
  }
  // Not buckets: upper case, an IP-shaped name, another scheme glued on, China's domain, a website endpoint.
  for (const s of ['s3://Upper/x', 's3://192.168.1.1/x', 'mys3://bucket', 's3://ab'])
    assert.deepEqual(findAwsReferences(s), [], s);
  for (const s of [
    'https://assets.s3.cn-north-1.amazonaws.com.cn/a',
    'https://assets.s3-website-us-east-1.amazonaws.com/',
  ]) {
    assert.deepEqual(
      findAwsReferences(s).map((r) => r.kind),
      ['other'],
      s,
    );
    assert.equal(local(s), s);
  }
});

test('bare service endpoints become the local endpoint; other AWS hosts are reported', () => {
  assert.equal(local('https://sqs.eu-west-1.amazonaws.com'), 'http://127.0.0.1:4567');
  assert.equal(local('https://dynamodb.us-east-1.amazonaws.com/'), 'http://127.0.0.1:5000/');
  assert.equal(local('https://s3.amazonaws.com'), 'http://127.0.0.1:4567');
  assert.deepEqual(brief(findAwsReferences('https://sns.eu-west-1.amazonaws.com/')), [
    'other:AWS host sns.eu-west-1.amazonaws.com',
  ]);
  assert.deepEqual(brief(findAwsReferences('https://dynamodb.cn-north-1.amazonaws.com.cn')), [
    'other:AWS host dynamodb.cn-north-1.amazonaws.com.cn',
  ]);
  assert.deepEqual(findAwsReferences('https://example.com/'), []);
});

test('names under keys: the documented rule', () => {
  assert.deepEqual(keyWords('ordersTableName'), ['orders', 'table', 'name']);
  assert.deepEqual(keyWords('DYNAMODB_TABLE'), ['dynamodb', 'table']);
  assert.deepEqual(keyWords('example.com/s3-bucket'), ['example', 'com', 's3', 'bucket']);
  const yes: Array<[string, string]> = [
    ['ORDERS_TABLE', 'dynamodb'],
    ['TABLE_NAME', 'dynamodb'],
    ['dynamodb.table', 'dynamodb'],
    ['ordersTableName', 'dynamodb'],
    ['USERS_TABLENAME', 'dynamodb'],
    ['S3_BUCKET', 's3'],
    ['assetsBucketName', 's3'],
    ['SQS_QUEUE', 'sqs'],
    ['sqsQueueName', 'sqs'],
  ];
  for (const [key, service] of yes) assert.equal(serviceNamedByKey(key), service, key);
  for (const key of [
    'TABLE_REGION',
    'TABLE_PREFIX',
    'PG_TABLE',
    'POSTGRES_TABLE_NAME',
    'IPTABLES',
    'ROUTING_TABLE',
    'GCS_BUCKET',
    'MINIO_BUCKET',
    'QUEUE_NAME',
    'CELERY_QUEUE',
    'TABLESPACE',
    'BUCKETS',
  ])
    assert.equal(serviceNamedByKey(key), undefined, key);
  assert.equal(findNamedReference('ORDERS_TABLE', 'prod-orders')?.name, 'prod-orders');
  assert.equal(findNamedReference('ORDERS_TABLE', 'prod-orders\n')?.name, 'prod-orders');
  assert.equal(findNamedReference('SQS_QUEUE', 'jobs.fifo')?.name, 'jobs.fifo');
  // Values that are not one valid name.
  for (const [key, value] of <Array<[string, string]>>[
    ['ORDERS_TABLE', 'true'],
    ['ORDERS_TABLE', '42'],
    ['ORDERS_TABLE', 'ab'],
    ['ORDERS_TABLE', 'two words'],
    ['S3_BUCKET', 'Upper_Case'],
    ['SQS_QUEUE', 'bad/name'],
  ])
    assert.equal(findNamedReference(key, value), undefined, `${key}=${value}`);
});

function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      annotations: { 'example.com/events-queue': 'https://sqs.eu-west-1.amazonaws.com/123456789012/events' },
    },
    spec: {
      template: {
        metadata: { annotations: { 'example.com/assets': 's3://prod-assets/img' } },
        spec: {
          containers: [
            {
              name: 'app',
              env: [
                { name: 'ORDERS_URL', value: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders' },
                { name: 'ORDERS_TABLE', value: 'prod-orders' },
                { name: 'PAY_ARN', value: 'arn:aws:sqs:eu-west-1:123456789012:pay.fifo' },
                { name: 'TOPIC', value: 'arn:aws:sns:eu-west-1:123456789012:alerts' },
                { name: 'ROLE', value: 'arn:aws:iam::123456789012:role/web' },
                { name: 'PLAIN', value: 'hello' },
              ],
            },
          ],
        },
      },
    },
  };
}

test('the adapter rewrites env values and annotations in place and reports one adaptation per reference', () => {
  const obj = deployment();
  const out = awsReferenceAdapter(obj, 'deployments.apps', ctx(target));
  const env = (obj.spec as any).template.spec.containers[0].env as Array<{ name: string; value: string }>;
  const value = (name: string) => env.find((e) => e.name === name)!.value;
  assert.equal(value('ORDERS_URL'), 'http://127.0.0.1:4567/000000000000/drill-x-orders');
  assert.equal(value('ORDERS_TABLE'), 'drill-x-prod-orders');
  assert.equal(value('PAY_ARN'), 'arn:aws:sqs:us-east-1:000000000000:drill-x-pay.fifo');
  assert.equal(value('TOPIC'), 'arn:aws:sns:eu-west-1:123456789012:alerts');
  assert.equal(value('PLAIN'), 'hello');
  assert.equal(
    obj.metadata!.annotations!['example.com/events-queue'],
    'http://127.0.0.1:4567/000000000000/drill-x-events',
  );
  assert.equal((obj.spec as any).template.metadata.annotations['example.com/assets'], 's3://drill-x-prod-assets/img');
  assert.ok(out.every((a) => a.kind === 'aws-reference' && a.subject === 'deployments.apps/shop/web'));
  const changes = out.map((a) => a.change).sort();
  assert.equal(changes.length, 6, changes.join('\n'));
  assert.ok(
    changes.includes(
      'SQS queue https://sqs.eu-west-1.amazonaws.com/123456789012/orders → http://127.0.0.1:4567/000000000000/drill-x-orders (env ORDERS_URL (container app))',
    ),
    changes.join('\n'),
  );
  assert.ok(changes.some((c) => c.startsWith('DynamoDB table name prod-orders → drill-x-prod-orders')));
  assert.ok(changes.some((c) => c.startsWith('SNS ARN arn:aws:sns:eu-west-1:123456789012:alerts left as is')));
  // Identity is the workload-identity adaptation's: not reported here.
  assert.ok(!changes.some((c) => c.includes(':iam:')));
  // Nothing left that points at real AWS, apart from the reported SNS topic.
  assert.doesNotMatch(
    JSON.stringify(obj).replace('arn:aws:sns:eu-west-1:123456789012:alerts', ''),
    /amazonaws|eu-west-1/,
  );
});

test('without an AWS target the references are reported and nothing changes', () => {
  const obj = deployment();
  const before = JSON.stringify(obj);
  const out = awsReferenceAdapter(obj, 'deployments.apps', ctx(undefined));
  assert.equal(JSON.stringify(obj), before);
  assert.equal(out.length, 6);
  assert.ok(out.filter((a) => !a.change.includes('SNS')).every((a) => a.change.includes('no local AWS target')));
});

test('a service without a local endpoint is left as is and said so', () => {
  const obj = deployment();
  const out = awsReferenceAdapter(
    obj,
    'deployments.apps',
    ctx({ ...target, endpoints: { sqs: target.endpoints.sqs } }),
  );
  const env = (obj.spec as any).template.spec.containers[0].env as Array<{ name: string; value: string }>;
  assert.equal(env.find((e) => e.name === 'ORDERS_TABLE')!.value, 'prod-orders');
  assert.ok(
    out.some((a) =>
      a.change.startsWith('DynamoDB table name prod-orders left as is: the local AWS target has no DynamoDB endpoint'),
    ),
  );
});

test('Secrets: data decoded, rewritten and encoded again; stringData; ConfigMap data', () => {
  const url = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders';
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'shop' },
    data: { QUEUE: Buffer.from(url).toString('base64'), BIN: Buffer.from([0xff, 0xfe, 0x00]).toString('base64') },
    stringData: { BUCKET_NAME: 'prod-assets' },
  };
  const out = awsReferenceAdapter(secret, 'secrets', ctx(target));
  assert.equal(
    Buffer.from((secret.data as Record<string, string>).QUEUE!, 'base64').toString(),
    'http://127.0.0.1:4567/000000000000/drill-x-orders',
  );
  assert.equal((secret.data as Record<string, string>).BIN, Buffer.from([0xff, 0xfe, 0x00]).toString('base64'));
  assert.equal((secret.stringData as Record<string, string>).BUCKET_NAME, 'drill-x-prod-assets');
  assert.deepEqual(
    out.map((a) => a.subject),
    ['secrets/shop/s', 'secrets/shop/s'],
  );
  // The Secret's values are not in the report: only the names.
  assert.deepEqual(
    out.map((a) => a.change),
    [
      'SQS queue orders (Secret value not shown) → drill-x-orders (data.QUEUE)',
      'S3 bucket name prod-assets (Secret value not shown) → drill-x-prod-assets (stringData.BUCKET_NAME)',
    ],
  );
  const cm: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'shop' },
    data: { 'app.yaml': `queue: ${url}\nbucket: s3://prod-assets/x\n` },
  };
  awsReferenceAdapter(cm, 'configmaps', ctx(target));
  assert.equal(
    (cm.data as Record<string, string>)['app.yaml'],
    'queue: http://127.0.0.1:4567/000000000000/drill-x-orders\nbucket: s3://drill-x-prod-assets/x\n',
  );
});

test('corpus: every SQS, DynamoDB and S3 ARN and SQS queue URL in the real AWS samples is found', (t) => {
  const dir = corpusDir();
  if (!dir) {
    t.diagnostic(
      'SKIPPED: the shared corpus (../shared/corpus) is not present in this clone; the shapes above cover the rules.',
    );
    return;
  }
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(json|rst|md|ya?ml)$/.test(name)) files.push(p);
    }
  };
  walk(join(dir, 'aws'));
  walk(join(dir, 'k8s'));
  let seen = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const expected = [
      ...text.matchAll(
        /arn:aws:(sqs|dynamodb):[a-z0-9-]+:\d{12}:(?:table\/)?[A-Za-z0-9_.-]+|arn:aws:s3:::[a-z0-9.-]+|https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com\/[A-Za-z0-9]{12}\/[A-Za-z0-9_-]+/g,
      ),
    ].map((m) => m[0]);
    const found = findAwsReferences(text).filter((r) => r.kind === 'resource');
    for (const e of expected) {
      seen++;
      assert.ok(
        found.some((r) => e.startsWith(r.text) || r.text.startsWith(e)),
        `${file}: ${e} not found as a resource reference`,
      );
    }
  }
  t.diagnostic(`${seen} references in ${files.length} corpus files`);
  assert.ok(seen >= 10, `only ${seen} references in the corpus`);
});

test('planning the local copies: one per name, FIFO and tables inferred and said so, services without endpoint left out', () => {
  const objects: KubeObject[] = [
    deployment(),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'shop' },
      data: {
        SAME_NAME_OTHER_REGION: 'https://sqs.us-west-2.amazonaws.com/210987654321/orders',
        CN: 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/china-only',
      },
    },
  ];
  const plan = planLocalAwsCopies(objects, target);
  assert.deepEqual(
    plan.queues.map((q) => [q.source, q.target, q.attributes.FifoQueue ?? 'standard']),
    [
      ['events', 'drill-x-events', 'standard'],
      ['orders', 'drill-x-orders', 'standard'],
      ['pay.fifo', 'drill-x-pay.fifo', 'true'],
    ],
  );
  assert.equal(plan.queues[2]!.attributes.ContentBasedDeduplication, 'true');
  assert.ok(plan.queues.every((q) => q.settings === 'inferred'));
  assert.deepEqual(
    plan.tables.map((t) => [t.target, t.input.KeySchema]),
    [['drill-x-prod-orders', [{ AttributeName: 'pk', KeyType: 'HASH' }]]],
  );
  assert.deepEqual(
    plan.buckets.map((b) => b.target),
    ['drill-x-prod-assets'],
  );
  assert.deepEqual(localCopyNames(plan), {
    queues: ['drill-x-events', 'drill-x-orders', 'drill-x-pay.fifo'],
    tables: ['drill-x-prod-orders'],
    buckets: ['drill-x-prod-assets'],
  });
  assert.match(
    describeLocalCopies(plan).join('\n'),
    /DynamoDB table prod-orders → drill-x-prod-orders \(inferred: the key schema is unknown/,
  );

  const sqsOnly = planLocalAwsCopies([deployment()], { ...target, endpoints: { sqs: target.endpoints.sqs } });
  assert.deepEqual([sqsOnly.tables, sqsOnly.buckets], [[], []]);
});

test('planning refuses local names the emulator would refuse, naming each', () => {
  const prefix = 'Drill_'.repeat(14);
  assert.throws(
    () => planLocalAwsCopies([deployment()], { ...target, prefix }),
    (e: unknown) =>
      DrydockError.is(e, 'invalid-input') &&
      e.message.includes(`sqs queue orders → "${prefix}orders" is 90 characters long`) &&
      e.message.includes(`s3 bucket prod-assets → "${prefix}prod-assets"`) &&
      !e.message.includes('dynamodb table') &&
      /nothing was written/.test(e.message),
  );
});

test('a name the restore already renamed (its own AWS part) keeps its name; only the host becomes local', () => {
  assert.equal(
    local('https://sqs.eu-west-1.amazonaws.com/123456789012/drill-x-orders'),
    'http://127.0.0.1:4567/000000000000/drill-x-orders',
  );
  assert.equal(
    local('arn:aws:sqs:eu-west-1:123456789012:drill-x-pay.fifo'),
    'arn:aws:sqs:us-east-1:000000000000:drill-x-pay.fifo',
  );
  // Any other name is renamed.
  assert.equal(local('arn:aws:sqs:eu-west-1:123456789012:drill'), 'arn:aws:sqs:us-east-1:000000000000:drill-x-drill');
});

test('corpus: real Kubernetes manifests and live dumps hold no AWS reference, and none is made up', (t) => {
  const dir = corpusDir();
  if (!dir) {
    t.diagnostic(
      'SKIPPED: the shared corpus (../shared/corpus) is not present in this clone; the shapes above cover the rules.',
    );
    return;
  }
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(json|ya?ml)$/.test(name)) files.push(p);
    }
  };
  // CRD schemas (large, and no place for a reference) are left out to keep this a unit test.
  for (const name of readdirSync(join(dir, 'k8s'))) if (name !== 'crds') walk(join(dir, 'k8s', name));
  let objects = 0;
  const visit = (o: unknown, file: string) => {
    if (!o || typeof o !== 'object') return;
    const obj = o as KubeObject & { items?: unknown[] };
    if (Array.isArray(obj.items)) for (const i of obj.items) visit(i, file);
    if (typeof obj.kind !== 'string') return;
    objects++;
    assert.deepEqual(
      awsReferencesOf(obj).map((r) => r.text),
      [],
      `${file}: ${obj.kind}/${obj.metadata?.name}`,
    );
  };
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.json')) visit(JSON.parse(text), file);
    else for (const doc of parseAllDocuments(text)) if (!doc.errors.length) visit(doc.toJS(), file);
  }
  t.diagnostic(`${objects} objects in ${files.length} corpus files`);
  assert.ok(objects >= 100, `only ${objects} objects`);
});
