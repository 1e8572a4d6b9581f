import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  awsDrillPrefix,
  dnsSlug,
  isDns1123Label,
  isRunId,
  newRunId,
  recoveryPointId,
  runIdOfAwsName,
  scratchNamespaceName,
} from '../../../src/core/drill/scratchNames';

const at = new Date('2026-11-22T04:05:06Z');

test('the scratch namespace is drill-<recovery point>-<time>-<run id>', () => {
  assert.equal(scratchNamespaceName('shop-nightly', 'abc123def', at), 'drill-shop-nightly-20261122-0405-abc123def');
});

test('any recovery point id gives a DNS-1123 label of at most 63 characters', () => {
  const runId = newRunId(at);
  for (const id of [
    'Shop_Backup.2026-11-22T04:05:06Z.tar.gz',
    'x'.repeat(300),
    '---',
    '',
    'ÜBER/ß',
    'a-'.repeat(40),
    'UPPER case with spaces',
  ]) {
    const name = scratchNamespaceName(id, runId, at);
    assert.ok(isDns1123Label(name), `${JSON.stringify(id)} → ${name}`);
    assert.ok(name.length <= 63, name);
    assert.ok(name.endsWith(`-${runId}`), 'the run id is never cut off');
  }
  assert.equal(scratchNamespaceName('', 'abc123', at), 'drill-20261122-0405-abc123');
});

test('two drills of one recovery point in the same minute get different namespaces and prefixes', () => {
  const a = newRunId(at);
  const b = newRunId(at);
  assert.notEqual(a, b);
  assert.ok(isRunId(a) && isRunId(b));
  assert.notEqual(scratchNamespaceName('shop', a, at), scratchNamespaceName('shop', b, at));
  assert.notEqual(awsDrillPrefix(a), awsDrillPrefix(b));
});

test('run ids are found again in drill AWS names', () => {
  const id = newRunId(at);
  assert.equal(runIdOfAwsName(`${awsDrillPrefix(id)}shop-orders`), id);
  assert.equal(runIdOfAwsName('shop-orders'), undefined);
  assert.equal(
    runIdOfAwsName('drill-report-bucket'),
    undefined,
    'a name that only starts with drill- is not a drill copy',
  );
  assert.equal(
    runIdOfAwsName('drill-abcdefghijklmn-bucket'),
    undefined,
    'fourteen letters that do not decode to a recent time are not a run id',
  );
});

test('slugs and recovery point ids', () => {
  assert.equal(dnsSlug('Shop_Backup.tar.gz', 63), 'shop-backup');
  assert.equal(dnsSlug('abc-def', 4), 'abc', 'no trailing dash after truncation');
  assert.equal(recoveryPointId('/backups/shop-2026.tar.gz'), 'shop-2026');
  assert.equal(recoveryPointId('/backups/shop-dir/'), 'shop-dir');
});
