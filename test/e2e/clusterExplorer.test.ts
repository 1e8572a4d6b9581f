import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { openDrydock, openWorkbench } from '../support/workbench';
import { expand, focusView, row, until } from '../support/tree';

// The seeded sample workload (tools/localenv/seed.mjs): namespace `shop` with Deployment `web` of 2 replicas,
// in context `drydock-local` of the local environment's kubeconfig (code-server gets it as drydock.kubeconfig).

/** The editor's rendered lines, top to bottom (Monaco renders only what is on screen, spaces as nbsp). */
async function visibleLines(editor: Locator): Promise<string[]> {
  return editor.locator('.view-lines').evaluate((el) =>
    [...el.querySelectorAll<HTMLElement>('.view-line')]
      .map((line) => ({
        top: parseFloat(line.style.top || '0'),
        text: (line.textContent ?? '').replace(/\u00a0/g, ' '),
      }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  );
}

test(
  'Local Clusters: drydock-local → shop → Workloads → Deployments → web opens its YAML with replicas: 2',
  { timeout: 300_000 },
  async () => {
    const wb = await openWorkbench();
    try {
      const { page } = wb;
      await openDrydock(page);
      await focusView(page, 'Local Clusters');

      const context = await expand(page, 'drydock-local');
      assert.match(
        await context.locator('.label-description').innerText(),
        /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])/,
        'the context shows its loopback server',
      );
      await expand(page, 'shop');
      await expand(page, 'Workloads');
      const deployments = await expand(page, 'Deployments');
      assert.match(
        await deployments.locator('.label-description').innerText(),
        /^\d+$/,
        'the resource type shows its object count',
      );
      const web = await row(page, 'web');
      const description = await web.locator('.label-description').innerText();
      assert.match(
        description,
        /^2\/2 ready · \d+[smhd]$/,
        `the deployment row says how many replicas are ready, and its age: ${description}`,
      );
      await wb.screenshot('clusters-tree');

      await web.click();
      const editor = page.locator('.editor-instance .monaco-editor').first();
      await editor
        .locator('.view-lines')
        .getByText(/^\s*replicas:\s2$/)
        .first()
        .waitFor({ timeout: 30_000 });
      // spec.replicas, not status.replicas: the line right after `spec:`.
      const lines = await until('the YAML of web', async () => {
        const l = await visibleLines(editor);
        return l.some((x) => x.startsWith('kind: Deployment')) && l.includes('spec:') ? l : undefined;
      });
      assert.equal(lines[0], 'kind: Deployment');
      assert.ok(
        lines.includes('  name: web') && lines.includes('  namespace: shop'),
        `metadata of shop/web in:\n${lines.join('\n')}`,
      );
      assert.equal(lines[lines.indexOf('spec:') + 1], '  replicas: 2', `spec.replicas in:\n${lines.join('\n')}`);
      assert.match((await page.locator('.tabs-container .tab.active').innerText()).replace(/\s+/g, ''), /^web\.yaml/);
      await wb.screenshot('clusters-deployment-yaml');
    } catch (e) {
      await wb.screenshot('clusters-failure').catch(() => undefined);
      throw e;
    } finally {
      await wb.close();
    }
  },
);
