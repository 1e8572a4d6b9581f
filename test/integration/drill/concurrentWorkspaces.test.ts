import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runDrill } from '../../../src/core/drill';
import { kubeconfigPath, repoRoot } from '../../support/env';
import { CONTEXT, kubeOptions, liveEnv, takeRecoveryPoint, tempDir } from './drillEnv';

const cli = join(repoRoot, 'dist', 'cli.js');

test("another workspace's `drill --cleanup` during a drill leaves the drill's stand-in volume alone", async () => {
  const { kube, aws } = await liveEnv();
  const dir = tempDir('drill-concurrent');
  const other = tempDir('drill-other-workspace');
  try {
    // shop's claim shop-data has class "manual", which nothing provisions: the drill gives it a stand-in volume.
    const rp = await takeRecoveryPoint(dir, 'shop-rp', { kube: { client: kube, namespaces: ['shop'] } });
    const log = join(dir, 'other-cleanup.log');
    // The drill itself runs the other process (a user check, after readiness): its own target is live meanwhile.
    const report = await runDrill({
      recoveryPoint: rp,
      workspaceDir: dir,
      kube: kubeOptions(),
      readyTimeoutMs: 60_000,
      checks: [
        {
          type: 'run',
          name: 'another workspace removes its leftovers',
          run: `"${process.execPath}" "${cli}" drill --cleanup --workspace "${other}" --kubeconfig "${kubeconfigPath()}" --context ${CONTEXT} --no-aws > "${log}" 2>&1`,
          timeoutSeconds: 60,
        },
      ],
    });
    const standIn = `persistentvolume/drill-${report.runId}-1`;
    const cleanupOutput = readFileSync(log, 'utf8');
    assert.ok(
      !cleanupOutput.includes(standIn),
      `the other workspace's cleanup took the running drill's ${standIn} for an orphan:\n${cleanupOutput}`,
    );
    assert.equal(
      report.status,
      'passed',
      `failed: ${JSON.stringify(
        report.checks.filter((c) => !c.passed),
        null,
        1,
      )}\nerror: ${report.error}\ncleanup output: ${cleanupOutput}`,
    );
    assert.ok(report.checks.some((c) => c.name === 'persistentvolumeclaims/shop-data Bound' && c.passed));
  } finally {
    aws.destroy();
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  }
});
