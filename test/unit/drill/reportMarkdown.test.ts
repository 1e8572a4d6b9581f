import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatMs, renderDrillMarkdown } from '../../../src/core/drill/reportMarkdown';
import { countsOf, type DrillReport } from '../../../src/core/drill/drillReport';

function report(over: Partial<DrillReport> = {}): DrillReport {
  const checks: DrillReport['checks'] = [
    {
      category: 'objects',
      name: 'configmaps: 1 object(s) present and equal after sanitising',
      passed: true,
      detail: '1/1',
    },
    {
      category: 'readiness',
      name: 'deployments.apps/web Available',
      passed: false,
      detail: '0/2 available after 30 s; pod web-1: Unschedulable: 0/1 nodes | match',
    },
  ];
  const gaps: DrillReport['gaps'] = [
    { kind: 'not-ready', subject: 'deployments.apps/shop/web', message: '0/2 available after 30 s' },
    { kind: 'skipped-by-policy', subject: 'pods/shop/web-1', message: 'owned by ReplicaSet/web-5' },
    {
      kind: 'unresolved-reference',
      subject: 'configmaps/shop/app-config',
      message: 'deployments.apps/shop/web names configmaps/shop/app-config',
    },
  ];
  return {
    schemaVersion: 1,
    runId: 'abc123def45678',
    status: 'failed',
    recoveryPoint: { path: '/rp/shop', id: 'shop', createdAt: '2026-11-22T04:00:00.000Z', sourceNamespaces: ['shop'] },
    target: {
      context: 'drydock-local',
      server: 'https://127.0.0.1:1',
      namespace: 'drill-shop-x',
      awsEndpoint: 'http://localhost:4566',
      awsPrefix: 'drill-abc-',
      renamed: { queues: {}, tables: {}, buckets: {} },
    },
    startedAt: '2026-11-22T04:01:00.000Z',
    finishedAt: '2026-11-22T04:01:40.000Z',
    recoveryTimeMs: 31_500,
    totalMs: 40_000,
    phases: [
      { phase: 'validate', startedAt: '', durationMs: 120 },
      { phase: 'aws-import', startedAt: '', durationMs: 900 },
      { phase: 'kube-apply', startedAt: '', durationMs: 480 },
      { phase: 'readiness', startedAt: '', durationMs: 30_000 },
      { phase: 'cleanup', startedAt: '', durationMs: 8_500 },
    ],
    checks,
    gaps,
    counts: countsOf(checks, gaps),
    cleanup: { done: true, kept: false, leftoversRemoved: ['namespace/drill-old'], errors: [] },
    ...over,
  };
}

test('the Markdown report has the verdict, every phase, failing checks first, and gaps grouped by kind', () => {
  const md = renderDrillMarkdown(report());
  assert.match(md, /^# Drill ❌ FAILED: shop\n/);
  assert.match(md, /Recovery time: \*\*31\.5 s\*\*/);
  for (const row of [
    '| Validate | 120 ms |',
    '| AWS import | 900 ms |',
    '| Kubernetes apply | 480 ms |',
    '| Readiness | 30.0 s |',
    '| Cleanup | 8.50 s |',
  ])
    assert.ok(md.includes(row), row);
  const failAt = md.indexOf('| **FAIL** | readiness |');
  const passAt = md.indexOf('| pass | objects |');
  assert.ok(failAt > 0 && passAt > failAt, 'failed checks are listed first');
  assert.ok(md.includes('nodes \\| match'), 'pipes in cluster text are escaped so the table holds');
  assert.ok(md.indexOf('### Not ready in time (1)') < md.indexOf('### Unresolved reference (1)'));
  assert.match(md, /<details><summary>Skipped by policy \(1, expected by design\)<\/summary>/);
  assert.ok(md.includes('Leftovers of earlier drills removed first: `namespace/drill-old`'));
});

test('a passed drill says so; a kept one says where it is; an error is shown', () => {
  assert.match(renderDrillMarkdown(report({ status: 'passed', gaps: [] })), /^# Drill ✅ PASSED/);
  const kept = renderDrillMarkdown(report({ cleanup: { done: false, kept: true, leftoversRemoved: [], errors: [] } }));
  assert.ok(kept.includes('Kept for inspection (namespace `drill-shop-x`)'));
  assert.ok(
    renderDrillMarkdown(report({ status: 'error', error: 'No snapshot at /x.' })).includes(
      '> **Stopped:** No snapshot at /x.',
    ),
  );
});

test('durations read naturally', () => {
  assert.equal(formatMs(12), '12 ms');
  assert.equal(formatMs(1234), '1.23 s');
  assert.equal(formatMs(61_000), '61.0 s');
});
