import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { openDrydock, openWorkbench } from '../support/workbench';
import { expand, focusView, row, until, webviewFrame } from '../support/tree';

// A user runs a drill of the sample namespace from the Local Clusters tree: Drydock snapshots `shop` (with the
// AWS resources it references), restores it into a scratch namespace and drill-prefixed copies, verifies, times,
// cleans up, and shows the report webview with the phase timeline and the checks.
test(
  'Run Drill on namespace shop shows a passing report with its phases and checks',
  { timeout: 600_000 },
  async () => {
    const wb = await openWorkbench();
    try {
      const { page } = wb;
      await openDrydock(page);
      await focusView(page, 'Local Clusters');
      await expand(page, 'drydock-local');
      // A tree refresh (watches) can re-render the row under the pointer and close its menu: right-click again.
      const item = page.locator('.context-view .action-menu-item', { hasText: /^Run Drill$/ }).first();
      await until(
        'the Run Drill item in the namespace context menu',
        async () => {
          if (!(await item.isVisible())) {
            await page.keyboard.press('Escape');
            await (await row(page, 'shop')).click({ button: 'right' });
            await item.waitFor({ timeout: 3_000 }).catch(() => undefined);
          }
          return (await item.isVisible()) ? true : undefined;
        },
        60_000,
      );
      await item.hover();
      await page.keyboard.press('Enter');

      const tab = page.locator('.tabs-container .tab', { hasText: /^Drill (passed|failed|error|cancelled)/ }).first();
      await tab.waitFor({ timeout: 480_000 });
      const frame = webviewFrame(page);
      await frame.locator('h1', { hasText: /^Drill / }).waitFor({ timeout: 60_000 });
      const heading = await frame.locator('h1').first().innerText();
      const checks = await frame.locator('table.checks tbody tr').allInnerTexts();
      assert.equal(
        heading,
        'Drill passed',
        `the drill passes; failing checks:\n${checks.filter((c) => c.startsWith('✗')).join('\n')}`,
      );
      const labels = await frame.locator('svg.timeline text.timeline-label').allTextContents();
      for (const phase of ['Validate', 'Kubernetes apply', 'AWS import', 'Readiness', 'Checks'])
        assert.ok(labels.includes(phase), `phase ${phase} in the timeline: ${labels.join(', ')}`);
      assert.ok(checks.length > 5, `checks are listed one by one (${checks.length})`);
      assert.ok(
        checks.some((c) => /deployments\.apps\/web/.test(c)),
        'the deployment has its own check',
      );
      assert.match(await frame.locator('.drill-figures').innerText(), /recovery time/);
      // The status bar shows the last drill.
      await until('the drill status bar item', async () =>
        (await page.locator('.statusbar-item', { hasText: /Drill passed/ }).count()) ? true : undefined,
      );
      await wb.screenshot('drill-report');
    } catch (e) {
      await wb.screenshot('drill-failure').catch(() => undefined);
      throw e;
    } finally {
      await wb.close();
    }
  },
);
