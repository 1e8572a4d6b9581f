import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDrillFile } from '../../../src/core/drill/drillFile';
import { DrydockError } from '../../../src/core/errors';

test('a complete drill file parses into typed checks with default names', () => {
  const f = parseDrillFile(`
namespace: shop
context: drydock-local
aws: { endpoint: http://localhost:4566, region: us-east-1, queues: [shop-orders], autoDetect: false }
readyTimeoutSeconds: 45
keepOnFailure: true
checks:
  - name: two replicas
    jsonpath: { object: deployment/web, path: $.spec.replicas, equals: 2 }
  - sqs: { queue: shop-orders, minMessages: 50 }
  - dynamodb: { table: shop-products, key: { sku: sku-0001, version: 3 } }
  - s3: { bucket: shop-assets, key: docs/welcome.txt, sha256: ${'a'.repeat(64)} }
  - run: kubectl get pods
    timeoutSeconds: 5
`);
  assert.equal(f.namespace, 'shop');
  assert.equal(f.readyTimeoutSeconds, 45);
  assert.equal(f.keepOnFailure, true);
  assert.deepEqual(f.aws, {
    endpoint: 'http://localhost:4566',
    region: 'us-east-1',
    queues: ['shop-orders'],
    autoDetect: false,
  });
  assert.deepEqual(
    f.checks.map((c) => c.type),
    ['jsonpath', 'sqs', 'dynamodb', 's3', 'run'],
  );
  assert.equal(f.checks[0]!.name, 'two replicas');
  assert.equal(f.checks[1]!.name, 'queue shop-orders holds ≥ 50 messages');
  const run = f.checks[4]!;
  assert.ok(run.type === 'run' && run.timeoutSeconds === 5 && run.run === 'kubectl get pods');
  const ddb = f.checks[2]!;
  assert.ok(ddb.type === 'dynamodb');
  assert.deepEqual(ddb.dynamodb.key, { sku: 'sku-0001', version: 3 });
});

test('an empty file is a drill with no user checks; sqs minMessages defaults to 1', () => {
  assert.deepEqual(parseDrillFile(''), { checks: [] });
  const f = parseDrillFile('checks: [ { sqs: { queue: q } } ]');
  assert.ok(f.checks[0]!.type === 'sqs' && f.checks[0]!.sqs.minMessages === 1);
});

test('every problem is listed with its place in one error', () => {
  const text = `
namespace: Not_A_Namespace
colour: blue
readyTimeoutSeconds: -1
checks:
  - jsonpath: { object: web, path: spec.replicas }
  - sqs: { queue: q }
    run: echo both
  - {}
  - dynamodb: { table: t, key: {} }
  - s3: { bucket: b, key: k, sha256: nothex }
  - jsonpath: { object: deployment/web, path: $.x, matches: "(" }
`;
  let error: unknown;
  try {
    parseDrillFile(text, 'drill.yaml');
  } catch (e) {
    error = e;
  }
  assert.ok(DrydockError.is(error, 'invalid-input'));
  const m = (error as Error).message;
  for (const expected of [
    'drill.yaml has 11 problem(s)',
    'namespace: must be a namespace name',
    'colour: unknown key',
    'readyTimeoutSeconds: must be a positive number',
    'checks[0].jsonpath.object: must be kind/name',
    'checks[0].jsonpath.path: must be a JSONPath starting with $',
    'checks[0].jsonpath: give exactly one of equals, matches, exists, atLeast',
    'checks[1]: has sqs and run; give exactly one check kind',
    'checks[2]: names no check kind',
    'checks[3].dynamodb.key: must map key attribute names',
    'checks[4].s3.sha256: must be 64 lower-case hex digits',
  ]) {
    assert.ok(m.includes(expected), `missing "${expected}" in:\n${m}`);
  }
  assert.match(m, /checks\[5\]\.jsonpath\.matches: is not a valid regular expression/);
});

test('YAML syntax errors and non-mappings are refused with the file name', () => {
  assert.throws(() => parseDrillFile('checks: [', 'x.yaml'), /x\.yaml is not valid YAML/);
  assert.throws(() => parseDrillFile('- a\n- b', 'x.yaml'), /x\.yaml must be a YAML mapping/);
});
