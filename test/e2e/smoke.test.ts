import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { openDrydock, openWorkbench } from '../support/workbench';

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
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('Drydock: Show Log');
    await page.keyboard.press('Enter');
    await page.locator('.output-view, .panel .monaco-editor').first().waitFor({ timeout: 30_000 });
    await page.getByText(/Drydock\sactivated\sin\s\d+\sms/).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('smoke-drydock-container');
  } catch (e) {
    await wb.screenshot('smoke-failure').catch(() => undefined);
    throw e;
  } finally {
    await wb.close();
  }
});
