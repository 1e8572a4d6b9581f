// Finding and clicking rows of Drydock's tree views in code-server (virtualised lists: rows below the fold
// are not in the DOM until scrolled to).
import type { Locator, Page } from 'playwright-core';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Polls `check` until it returns a value other than undefined, or fails with `what` after `timeout` ms. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The tree of a view, by its title (e.g. "Local Clusters"). */
export function viewTree(page: Page, view: string): Locator {
  return page.locator(`.pane:has(.pane-header[aria-label^="${view}"]) .monaco-list[role="tree"]`).first();
}

/** The row of a view's tree whose label (not its description) is exactly `label`, scrolled into view. */
export async function row(page: Page, label: string, view = 'Local Clusters', timeout = 30_000): Promise<Locator> {
  const tree = viewTree(page, view);
  const r = tree
    .getByRole('treeitem')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) })
    .first();
  let direction = 1;
  return until(
    `tree row "${label}"`,
    async () => {
      if (await r.count()) {
        await r.scrollIntoViewIfNeeded();
        return r;
      }
      // Still loading children: wait. Otherwise scroll on (and back up at the bottom).
      if (await tree.locator('.codicon-tree-item-loading, .codicon-loading').count()) return undefined;
      const before = await tree
        .evaluate((el) => el.querySelector('.monaco-scrollable-element')?.scrollTop ?? 0)
        .catch(() => 0);
      await tree.hover();
      await page.mouse.wheel(0, direction * 300);
      const after = await tree
        .evaluate((el) => el.querySelector('.monaco-scrollable-element')?.scrollTop ?? 0)
        .catch(() => 0);
      if (after === before) direction = -direction;
      return undefined;
    },
    timeout,
  );
}

/** Clicks a collapsed row until VS Code reports it expanded. */
export async function expand(page: Page, label: string, view = 'Local Clusters'): Promise<Locator> {
  const r = await row(page, label, view);
  if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
  await until(
    `"${label}" to expand`,
    async () => ((await r.getAttribute('aria-expanded')) === 'true' ? true : undefined),
    10_000,
  );
  return r;
}

/** Collapses the other Drydock views so `keep` has the sidebar. */
export async function focusView(page: Page, keep: string): Promise<void> {
  for (const name of ['Local Clusters', 'Local AWS', 'Snapshots'].filter((n) => n !== keep)) {
    const header = page.locator('.pane-header', { hasText: name }).first();
    if ((await header.count()) && (await header.getAttribute('aria-expanded')) === 'true') await header.click();
  }
}

/** The document inside the active webview panel (a webview is two nested iframes). */
export function webviewFrame(page: Page) {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}
