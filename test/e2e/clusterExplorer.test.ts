import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { openDrydock, openWorkbench } from '../support/workbench';

// The seeded sample workload (tools/localenv/seed.mjs): namespace `shop` with Deployment `web` of 2 replicas,
// in context `drydock-local` of the local environment's kubeconfig (code-server gets it as drydock.kubeconfig).

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Polls `check` until it returns a value other than undefined, or fails with `what` after `timeout` ms. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function clustersTree(page: Page): Locator {
  return page.locator('.pane:has(.pane-header[aria-label^="Local Clusters"]) .monaco-list[role="tree"]').first();
}

/**
 * The row of the Local Clusters tree whose label (not its description) is exactly `label`, waited for.
 * The tree is virtualised: a row below the fold is not in the DOM, so the tree is scrolled until it is.
 */
async function row(page: Page, label: string, timeout = 30_000): Promise<Locator> {
  const tree = clustersTree(page);
  const r = tree.getByRole('treeitem').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) }).first();
  let direction = 1;
  return until(`tree row "${label}"`, async () => {
    if (await r.count()) {
      await r.scrollIntoViewIfNeeded();
      return r;
    }
    // Still loading children: wait. Otherwise scroll on (and back up at the bottom).
    if (await tree.locator('.codicon-tree-item-loading, .codicon-loading').count()) return undefined;
    const before = await tree.evaluate((el) => el.querySelector('.monaco-scrollable-element')?.scrollTop ?? 0).catch(() => 0);
    await tree.hover();
    await page.mouse.wheel(0, direction * 300);
    const after = await tree.evaluate((el) => el.querySelector('.monaco-scrollable-element')?.scrollTop ?? 0).catch(() => 0);
    if (after === before) direction = -direction;
    return undefined;
  }, timeout);
}

/** Clicks a collapsed row until VS Code reports it expanded. */
async function expand(page: Page, label: string): Promise<Locator> {
  const r = await row(page, label);
  if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
  await until(`"${label}" to expand`, async () => ((await r.getAttribute('aria-expanded')) === 'true' ? true : undefined), 10_000);
  return r;
}

/** The editor's rendered lines, top to bottom (Monaco renders only what is on screen, spaces as nbsp). */
async function visibleLines(editor: Locator): Promise<string[]> {
  return editor.locator('.view-lines').evaluate((el) =>
    [...el.querySelectorAll<HTMLElement>('.view-line')]
      .map((line) => ({ top: parseFloat(line.style.top || '0'), text: (line.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  );
}

test('Local Clusters: drydock-local → shop → Workloads → Deployments → web opens its YAML with replicas: 2', { timeout: 300_000 }, async () => {
  const wb = await openWorkbench();
  try {
    const { page } = wb;
    await openDrydock(page);
    // Give Local Clusters the sidebar: collapse the other views.
    for (const name of ['Local AWS', 'Snapshots']) {
      const header = page.locator('.pane-header', { hasText: name }).first();
      if ((await header.count()) && (await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }

    const context = await expand(page, 'drydock-local');
    assert.match(await context.locator('.label-description').innerText(), /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])/, 'the context shows its loopback server');
    await expand(page, 'shop');
    await expand(page, 'Workloads');
    const deployments = await expand(page, 'Deployments');
    assert.match(await deployments.locator('.label-description').innerText(), /^\d+$/, 'the resource type shows its object count');
    const web = await row(page, 'web');
    const description = await web.locator('.label-description').innerText();
    assert.match(description, /^2\/2 ready · \d+[smhd]$/, `the deployment row says how many replicas are ready, and its age: ${description}`);
    await wb.screenshot('clusters-tree');

    await web.click();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').getByText(/^\s*replicas:\s2$/).first().waitFor({ timeout: 30_000 });
    // spec.replicas, not status.replicas: the line right after `spec:`.
    const lines = await until('the YAML of web', async () => {
      const l = await visibleLines(editor);
      return l.some((x) => x.startsWith('kind: Deployment')) && l.includes('spec:') ? l : undefined;
    });
    assert.equal(lines[0], 'kind: Deployment');
    assert.ok(lines.includes('  name: web') && lines.includes('  namespace: shop'), `metadata of shop/web in:\n${lines.join('\n')}`);
    assert.equal(lines[lines.indexOf('spec:') + 1], '  replicas: 2', `spec.replicas in:\n${lines.join('\n')}`);
    assert.match((await page.locator('.tabs-container .tab.active').innerText()).replace(/\s+/g, ''), /^web\.yaml/);
    await wb.screenshot('clusters-deployment-yaml');
  } catch (e) {
    await wb.screenshot('clusters-failure').catch(() => undefined);
    throw e;
  } finally {
    await wb.close();
  }
});
