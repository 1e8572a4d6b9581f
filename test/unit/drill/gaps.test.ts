import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  gapsFromAdaptations,
  gapsFromRestoreItems,
  gapsFromSkipped,
  strippedFieldGap,
  strippedFieldPaths,
} from '../../../src/core/drill/gaps';
import { drillStatusOf, isFailingGap, type DrillCheck } from '../../../src/core/drill/drillReport';
import { sanitizeForRestore } from '../../../src/core/snapshot/sanitize';
import { renderDrillMarkdown } from '../../../src/core/drill/reportMarkdown';
import { countsOf, type DrillReport } from '../../../src/core/drill/drillReport';
import { parseReported, reportedAsSkipped } from '../../../src/core/velero/veleroBackupInfo';

test('items the snapshot skipped are informational skipped-by-policy gaps with the reason, once each', () => {
  const gaps = gapsFromSkipped([
    {
      resource: 'pods',
      group: '',
      namespace: 'shop',
      name: 'web-1',
      reason: 'owned by ReplicaSet/web-5, which recreates it',
    },
    {
      resource: 'replicasets',
      group: 'apps',
      namespace: 'shop',
      name: 'web-5',
      reason: 'owned by Deployment/web, which recreates it',
    },
    { resource: 'pods', group: '', namespace: 'shop', name: 'web-1', reason: 'duplicate' },
  ]);
  assert.deepEqual(gaps, [
    { kind: 'skipped-by-policy', subject: 'pods/shop/web-1', message: 'owned by ReplicaSet/web-5, which recreates it' },
    {
      kind: 'skipped-by-policy',
      subject: 'replicasets.apps/shop/web-5',
      message: 'owned by Deployment/web, which recreates it',
    },
  ]);
  assert.equal(gaps.some(isFailingGap), false);
});

test('failed restore items become create-failed gaps with the API message, under source names', () => {
  const gaps = gapsFromRestoreItems(
    [
      { system: 'kube', id: 'configmaps/drill-x/app', outcome: 'created' },
      {
        system: 'kube',
        id: 'gizmos.example.com/drill-x/g1',
        outcome: 'failed',
        message: 'the CustomResourceDefinition gizmos.example.com does not exist on the target',
      },
      {
        system: 'dynamodb',
        id: 'dynamodb:drill-r-products',
        outcome: 'failed',
        message: 'ValidationException: bad key',
      },
      { system: 'kube', id: 'secrets/drill-x/s', outcome: 'skipped', message: 'already exists' },
    ],
    (i) => i.id.replace('drill-x', 'shop').replace('drill-r-', ''),
  );
  assert.deepEqual(gaps, [
    {
      kind: 'create-failed',
      subject: 'gizmos.example.com/shop/g1',
      message: 'the CustomResourceDefinition gizmos.example.com does not exist on the target',
    },
    { kind: 'create-failed', subject: 'dynamodb:products', message: 'ValidationException: bad key' },
  ]);
  assert.ok(gaps.every(isFailingGap));
});

test('stripped fields are the sanitising differences, without server metadata, status or namespace moves', () => {
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'u',
      resourceVersion: '7',
      creationTimestamp: '2026-01-01T00:00:00Z',
      managedFields: [],
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.1.2',
      clusterIPs: ['10.96.1.2'],
      selector: { app: 'web' },
      ports: [{ port: 80 }],
    },
    status: { loadBalancer: {} },
  };
  const sanitized = sanitizeForRestore(service, { namespaceMap: new Map([['shop', 'drill-shop']]) });
  const paths = strippedFieldPaths(service, sanitized);
  assert.deepEqual(paths, ['.spec.clusterIP', '.spec.clusterIPs']);
  assert.deepEqual(strippedFieldGap('services/shop/web', paths), {
    kind: 'field-stripped',
    subject: 'services/shop/web',
    message: 'not restored as captured: .spec.clusterIP, .spec.clusterIPs',
  });
  assert.equal(strippedFieldGap('x', []), undefined);
});

test('a drill passes only with every check passed and no failing gap', () => {
  const ok: DrillCheck = { category: 'objects', name: 'a', passed: true };
  const bad: DrillCheck = { category: 'readiness', name: 'b', passed: false };
  const info = { kind: 'skipped-by-policy' as const, subject: 'pods/x', message: 'owned' };
  const failing = { kind: 'aws-mismatch' as const, subject: 'sqs:q', message: 'holds 1, recorded 2' };
  assert.equal(drillStatusOf([ok], [info]), 'passed');
  assert.equal(drillStatusOf([ok, bad], []), 'failed');
  assert.equal(drillStatusOf([ok], [failing]), 'failed', 'a failing gap fails the drill even when every check passed');
  assert.equal(drillStatusOf([], []), 'failed', 'a drill that checked nothing never passes');
  assert.equal(drillStatusOf([ok], [], 'cancelled'), 'cancelled');
  assert.equal(drillStatusOf([ok], [], 'error'), 'error');
});

test('what Velero reported lacking is a not-in-backup gap, first and open in the report; report-only adaptations are not-adapted gaps', () => {
  const reported = reportedAsSkipped(
    parseReported({
      volumeInfo: [
        {
          pvcName: 'data',
          pvcNamespace: 'shop',
          pvName: 'pv-1',
          skipped: true,
          skippedReason: 'volumeSnapshot: no applicable volumesnapshotter found;',
        },
      ],
    }),
  );
  const gaps = [
    ...gapsFromSkipped([
      { resource: 'pods', group: '', namespace: 'shop', name: 'web-1', reason: 'owned by ReplicaSet/web-5' },
      ...reported,
    ]),
    ...gapsFromAdaptations([
      { kind: 'storage-class', subject: 'persistentvolumeclaims/shop/data', change: 'gp3 → standard' },
      {
        kind: 'missing-crd',
        subject: 'widgets.example.com/shop/w',
        change: 'no CRD widgets.example.com here',
        gap: true,
      },
    ]),
  ];
  assert.equal(gaps[0]?.kind, 'not-in-backup');
  assert.equal(gaps[0]?.subject, 'persistentvolumeclaims/shop/data');
  assert.match(gaps[0]?.message ?? '', /^Velero: .*no applicable volumesnapshotter/);
  assert.deepEqual(
    gaps.filter((g) => g.kind !== 'not-in-backup').map((g) => [g.kind, g.subject]),
    [
      ['skipped-by-policy', 'pods/shop/web-1'],
      ['not-adapted', 'widgets.example.com/shop/w'],
    ],
  );
  assert.equal(gaps.some(isFailingGap), false);
  const checks: DrillCheck[] = [{ category: 'objects', name: 'x', passed: true }];
  const report: DrillReport = {
    schemaVersion: 1,
    runId: 'r',
    status: 'passed',
    recoveryPoint: { path: 's3://bucket/backups/b1', id: 'b1', sourceNamespaces: ['shop'] },
    target: {
      context: 'c',
      server: 's',
      namespace: 'n',
      awsPrefix: 'p',
      renamed: { queues: {}, tables: {}, buckets: {} },
    },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    recoveryTimeMs: 1000,
    totalMs: 1000,
    phases: [],
    checks,
    gaps,
    counts: countsOf(checks, gaps),
    cleanup: { done: true, kept: false, leftoversRemoved: [], errors: [] },
  };
  const md = renderDrillMarkdown(report);
  // Shown open (a heading, not folded away as "expected by design"), before the policy's skips.
  assert.match(md, /### Not in the backup \(its own report\) \(1, reported: the drill does not fail on these\)/);
  assert.match(md, /### Could not be adapted for this cluster \(1,/);
  assert.ok(md.indexOf('Not in the backup') < md.indexOf('Skipped by policy'));
});
