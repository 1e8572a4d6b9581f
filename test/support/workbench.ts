// Real VS Code (code-server) in headless Chromium, for end-to-end tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './env';
// The environment tools are plain ESM JavaScript; tsx loads them.
import { startCodeServer, type CodeServer } from '../../tools/localenv/codeServer.mjs';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export const screenshotDir = path.join(repoRoot, 'artifacts', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.DRYDOCK_CHROMIUM ?? '/usr/bin/chromium',
    args: chromiumArgs,
    headless: true,
  });
}

export interface Workbench {
  server: CodeServer;
  browser: Browser;
  page: Page;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts code-server with Drydock installed, opens a workspace in Chromium and waits for the workbench. */
export async function openWorkbench(
  opts: { settings?: Record<string, unknown>; workspace?: string } = {},
): Promise<Workbench> {
  const server = await startCodeServer({ settings: opts.settings, workspace: opts.workspace });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}`, { timeout: 120_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    const b = browser;
    return {
      server,
      browser: b,
      page,
      async screenshot(name: string) {
        fs.mkdirSync(screenshotDir, { recursive: true });
        const file = path.join(screenshotDir, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      async close() {
        await b.close().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw e;
  }
}

/** Opens the Drydock container in the activity bar. */
export async function openDrydock(page: Page): Promise<void> {
  await page.locator('[aria-label^="Drydock"]').first().click();
  await page.waitForSelector('.pane-header[aria-label^="Local Clusters"], .pane-header:has-text("Local Clusters")', {
    timeout: 30_000,
  });
}

/** Clicks the tree row with the given label (exact text of its label) and returns it. */
export async function clickTreeItem(page: Page, label: string | RegExp, opts: { timeout?: number } = {}) {
  const row = page.getByRole('treeitem', { name: label }).first();
  await row.waitFor({ timeout: opts.timeout ?? 30_000 });
  await row.click();
  return row;
}

/**
 * Runs a command from the palette as a user does: open it, type the command, press Enter on its row. The palette
 * closes when it loses the focus — a webview that is still loading can take it — so a try whose palette closed, or
 * lost the focus, before its row showed is made again. `focus` puts the focus back on the workbench first (e.g. a
 * click on the active tab).
 */
export async function runCommand(page: Page, title: string, focus?: () => Promise<void>): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first();
  const shown = (what: { waitFor(o: { timeout: number }): Promise<unknown> }) =>
    what.waitFor({ timeout: 5_000 }).then(
      () => true,
      () => false,
    );
  for (let attempt = 1; attempt <= 8; attempt++) {
    if (!(await input.isVisible())) {
      await focus?.();
      await page.keyboard.press('F1');
      if (!(await shown(input))) continue;
    }
    await input.fill(`>${title}`);
    if (!(await shown(row))) continue;
    // Enter goes to whatever has the focus: only while the palette's input has it is it the palette's Enter.
    if (!(await input.evaluate((el) => el === el.ownerDocument.activeElement).catch(() => false))) continue;
    await page.keyboard.press('Enter');
    return;
  }
  throw new Error(`the command palette did not run "${title}" in 8 tries (it kept closing before its row showed)`);
}
