import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openDrydock, openWorkbench } from '../support/workbench';
import { until } from '../support/tree';

/** Runs a command from the palette as a user does: open it (again, if a key press came too early), pick the row. */
async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await until('the command palette', async () => {
    if (!(await input.isVisible())) await page.keyboard.press('Control+Shift+P');
    return (await input.isVisible()) ? true : undefined;
  });
  await input.fill(`>${title}`);
  await page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title })
    .first()
    .waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

test('Drydock activates in code-server and its container shows its views', { timeout: 240_000 }, async () => {
  const wb = await openWorkbench();
  try {
    const { page } = wb;
    await openDrydock(page);
    const headers = await page.locator('.pane-header').allInnerTexts();
    const text = headers.join(' | ');
    assert.match(text, /Local Clusters/i);
    assert.match(text, /Local AWS/i);
    // The extension activated: its log channel exists in the Output view's channel list.
    await runCommand(page, 'Drydock: Show Log');
    await page.locator('.output-view, .panel .monaco-editor').first().waitFor({ timeout: 30_000 });
    await page
      .getByText(/Drydock\sactivated\sin\s\d+\sms/)
      .first()
      .waitFor({ timeout: 30_000 });
    await wb.screenshot('smoke-drydock-container');
    // The snapshot key's command: its three choices, in the quick pick a user sees.
    await runCommand(page, 'Drydock: Manage Snapshot Key');
    const picks = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await picks.filter({ hasText: 'Save the key to a file' }).first().waitFor({ timeout: 30_000 });
    const labels = (await picks.allInnerTexts()).join(' | ');
    assert.match(labels, /Save the key to a file/);
    assert.match(labels, /Use a key file/);
    assert.match(labels, /Set the passphrase/);
    await wb.screenshot('snapshot-key-quickpick');
    await page.keyboard.press('Escape');
  } catch (e) {
    await wb.screenshot('smoke-failure').catch(() => undefined);
    throw e;
  } finally {
    await wb.close();
  }
});
