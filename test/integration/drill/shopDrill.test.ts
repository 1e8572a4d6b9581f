import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { readDrillHistory, runDrill, drillsDirOf, RECOVERY_PHASES } from '../../../src/core/drill';
import { endpoint, kubeOptions, leftoversOf, liveEnv, manifestOf, takeRecoveryPoint, tempDir } from './drillEnv';

test('a drill of the sample workload (namespace shop and its queues, table and bucket) passes with every phase timed', async () => {
  const { kube, aws } = await liveEnv();
  const dir = tempDir('drill-shop');
  try {
    const rp = await takeRecoveryPoint(dir, 'shop-rp', {
      kube: { client: kube, namespaces: ['shop'] },
      aws: { clients: aws, autoDetect: true },
    });
    const recordedOrders = manifestOf(rp).aws.sqs.find((q) => q.name === 'shop-orders')?.messages;
    assert.ok(recordedOrders !== undefined, 'the recovery point holds shop-orders (referenced by shop-config)');
    const phasesSeen = new Set<string>();
    const report = await runDrill(
      {
        recoveryPoint: rp,
        workspaceDir: dir,
        kube: kubeOptions(),
        aws: { endpoint },
        readyTimeoutMs: 60_000,
        checks: [
          {
            type: 'jsonpath',
            name: 'two replicas',
            jsonpath: { object: 'deployment/web', path: '$.spec.replicas', equals: 2 },
          },
          { type: 'sqs', name: 'orders kept', sqs: { queue: 'shop-orders', minMessages: recordedOrders } },
          {
            type: 'run',
            name: 'config names the drill queue',
            run: 'test "$DRYDOCK_QUEUE_SHOP_ORDERS" = "drill-$DRYDOCK_DRILL_RUN_ID-shop-orders" && test -n "$KUBECONFIG"',
            timeoutSeconds: 10,
          },
        ],
      },
      { onProgress: (e) => phasesSeen.add(e.phase) },
    );
    const failed = report.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`);
    assert.equal(
      report.status,
      'passed',
      `failed checks: ${failed.join('\n')}\nerror: ${report.error}\ngaps: ${JSON.stringify(
        report.gaps.filter((g) => g.kind !== 'skipped-by-policy'),
        null,
        1,
      )}`,
    );
    for (const phase of RECOVERY_PHASES) {
      const p = report.phases.find((x) => x.phase === phase);
      assert.ok(p && p.durationMs > 0, `phase ${phase} is timed: ${JSON.stringify(report.phases)}`);
    }
    assert.equal(
      report.recoveryTimeMs,
      report.phases.filter((p) => p.phase !== 'cleanup').reduce((s, p) => s + p.durationMs, 0),
    );
    assert.ok(report.phases.some((p) => p.phase === 'cleanup'));
    assert.ok(phasesSeen.has('readiness') || phasesSeen.has('checks'));
    // Every kind of verification ran and is reported.
    for (const category of ['restore', 'objects', 'readiness', 'references', 'aws', 'user'])
      assert.ok(
        report.checks.some((c) => c.category === category),
        category,
      );
    assert.ok(report.checks.some((c) => c.name === 'deployments.apps/web Available' && c.passed));
    assert.ok(
      report.checks.some((c) => /table shop-products restored as drill-.*-shop-products/.test(c.name) && c.passed),
    );
    assert.deepEqual(Object.keys(report.target.renamed.queues).sort(), ['shop-orders', 'shop-orders-dlq']);
    assert.ok(
      report.gaps.some((g) => g.kind === 'skipped-by-policy' && g.subject.startsWith('pods/shop/')),
      'controller-owned pods are listed as skipped by policy',
    );
    assert.ok(report.gaps.some((g) => g.kind === 'field-stripped' && g.subject === 'services/shop/web'));
    assert.match(report.target.namespace, /^drill-shop-rp-\d{8}-\d{4}-[0-9a-z]{14}$/);
    // Report files and history.
    assert.ok(report.files && existsSync(report.files.json) && existsSync(report.files.markdown));
    assert.equal(JSON.parse(readFileSync(report.files.json, 'utf8')).status, 'passed');
    assert.match(readFileSync(report.files.markdown, 'utf8'), /^# Drill ✅ PASSED: shop-rp/);
    const history = await readDrillHistory(drillsDirOf(dir));
    assert.equal(history.at(-1)?.runId, report.runId);
    assert.equal(history.at(-1)?.status, 'passed');
    // Nothing left behind; the originals untouched.
    assert.ok(report.cleanup.done);
    assert.deepEqual(await leftoversOf(kube, aws, report.runId), []);
    assert.ok(
      !existsSync(`${drillsDirOf(dir)}/ledger/${report.runId}.json`),
      'the ledger of a cleaned-up drill is removed',
    );
    await kube.request('GET', '/apis/apps/v1/namespaces/shop/deployments/web');
  } finally {
    aws.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
