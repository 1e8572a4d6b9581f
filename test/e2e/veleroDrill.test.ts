import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { liveEnv } from '../integration/drill/drillEnv';
import { makeProductionBackup, type ProductionBackup } from '../fixtures/production/productionBackup';
import { awsEndpointUrl, awsRegion, uniqueName } from '../support/env';
import { openDrydock, openWorkbench, type Workbench } from '../support/workbench';
import { expand, focusView, row, until, webviewFrame } from '../support/tree';

// Issue #11, tried as a user would: the team's Velero bucket is in drydock.velero.locations; REAL Velero backed up a
// production-like (EKS) namespace into it; this laptop has none of that cluster's classes, CRD or webhook. "Run
// Drill" on the backup in the Snapshots view must end in a report that names every adaptation and every gap.
const u = Date.now().toString(36);
const bucket = uniqueName('velero-e2e');
const backupName = uniqueName('orders-nightly');
let scene: ProductionBackup | undefined;
let wb: Workbench | undefined;

before(async () => {
  const { kube } = await liveEnv();
  // The laptop's class is its default here: without a class map, a missing class maps to the default one.
  scene = await makeProductionBackup(kube, { u, bucket, backupName, defaultClass: true });
  wb = await openWorkbench({
    settings: {
      'drydock.velero.locations': [{ location: `s3://${bucket}`, endpoint: awsEndpointUrl(), region: awsRegion }],
    },
  });
  await openDrydock(wb.page);
});

after(async () => {
  await wb?.close();
  await scene?.cleanup();
});

test(
  'Run Drill on a Velero backup of a production namespace: the report names each adaptation and each gap',
  { timeout: 600_000 },
  async () => {
    const { page } = wb!;
    const { prodNs, fixture, localClass } = scene!;
    try {
      await focusView(page, 'Snapshots');
      await expand(page, `s3://${bucket}`, 'Snapshots');
      const backup = await row(page, backupName, 'Snapshots', 60_000);
      assert.match(await backup.innerText(), new RegExp(`(Completed|PartiallyFailed) · .*${prodNs}`));
      await backup.click({ button: 'right' });
      const item = page.locator('.context-view .action-menu-item', { hasText: /^Run Drill…$/ }).first();
      await item.hover();
      await page.keyboard.press('Enter');

      // The questions, as they come: which local context (asked only when there are several), which AWS endpoint
      // gets the drill's local copies (the first: moto), then — the webhook configuration is cluster-scoped — whether
      // to create what reaches beyond the namespace.
      const dialog = page.locator('.monaco-dialog-box');
      const pick = page.locator('.quick-input-widget:visible');
      await until(
        'the question about objects beyond the namespace',
        async () => {
          if (await dialog.isVisible()) return true;
          if (await pick.isVisible()) {
            const context = pick.locator('.monaco-list-row', { hasText: 'drydock-local' });
            if (await context.count()) await context.first().click();
            else await page.keyboard.press('Enter'); // the endpoint: the first listed, moto
          }
          return undefined;
        },
        180_000,
      );
      assert.match(await dialog.innerText(), /validatingwebhookconfigurations/);
      await dialog.getByRole('button', { name: 'Create Them Too' }).click();

      const tab = page.locator('.tabs-container .tab', { hasText: /^Drill (passed|failed|error|cancelled)/ }).first();
      await tab.waitFor({ timeout: 480_000 });
      const frame = webviewFrame(page);
      const adapted = frame.locator('h2', { hasText: /^Adapted for this cluster \(\d+\)$/ });
      await adapted.waitFor({ timeout: 60_000 });
      const report = await frame.locator('body').innerText();
      // The recovery point is named as the user knows it (the backup), not by a private temporary copy.
      assert.match(report, new RegExp(`Recovery point ${backupName} → namespace drill-`));
      assert.match(report, /Adapted because the recovery point is a Velero backup/);
      const { storageClass, ingressClass, priorityClass, crd } = fixture.names;
      for (const expected of [
        new RegExp(`persistentvolumeclaims/${prodNs}/orders-data[\\s\\S]*${storageClass} → ${localClass}`),
        /LoadBalancer → NodePort/,
        new RegExp(`no IngressClass ${ingressClass} here`),
        /nodeSelector eks\.amazonaws\.com\/nodegroup=orders-ng removed/,
        new RegExp(`priorityClassName ${priorityClass} removed`),
        /imagePullSecrets ecr-pull removed/,
        /eks\.amazonaws\.com\/role-arn=arn:aws:iam::123456789012:role\/orders-api removed/,
        new RegExp(`no CustomResourceDefinition ${crd.replace(/\./g, '\\.')}`),
        /sqs\.eu-west-1\.amazonaws\.com\/123456789012\/orders → http:\/\//,
      ])
        assert.match(report, expected);
      // The custom resource without its CRD is a gap of the drill, not a silent success.
      assert.match(
        report,
        new RegExp(`externalsecrets\\.${fixture.names.crdGroup.replace(/\./g, '\\.')}/${prodNs}/orders-db`),
      );
      // An adapted object is compared with its adapted form: the webhook configuration is no mismatch.
      assert.doesNotMatch(report, /object-mismatch\tvalidatingwebhookconfigurations/);
      // The picture for the README: the report alone (sidebar hidden), from its "Adapted for this cluster" section.
      await page.keyboard.press('Control+B');
      await adapted.evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await page.mouse.move(1400, 880);
      await wb!.screenshot('drill-velero-adapted');
    } catch (e) {
      await wb!.screenshot('velero-drill-failure').catch(() => undefined);
      throw e;
    }
  },
);
