import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CreateTableCommand, DeleteTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { FrameLocator, Page } from 'playwright-core';
import { createAwsClients, type AwsClients } from '../../src/core/aws/clients';
import { clickTreeItem, openDrydock, openWorkbench, runCommand, type Workbench } from '../support/workbench';
import { awsEndpointUrl, awsRegion, uniqueName } from '../support/env';

// The AWS browsers in real VS Code: replies routed by request id (two deletes at once, each row its own outcome)
// and panels that come back after a reload. A table of this test's own (the seeded ones are shared with other
// tests); the seeded queue shop-orders (tools/localenv/seed.mjs) is only looked at.

const table = uniqueName('e2e-rows');
let clients: AwsClients;
let wb: Workbench;

const webview = (page: Page): FrameLocator =>
  page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');

async function itemExists(id: string): Promise<boolean> {
  const out = await clients.dynamodb.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } } }));
  return out.Item !== undefined;
}

describe('AWS browser panels in VS Code', { timeout: 600_000 }, () => {
  before(async () => {
    clients = createAwsClients({ url: awsEndpointUrl(), region: awsRegion, source: { kind: 'setting' } });
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (const id of ['row-a', 'row-b', 'row-c'])
      await clients.dynamodb.send(
        new PutItemCommand({ TableName: table, Item: { id: { S: id }, note: { S: `note of ${id}` } } }),
      );
    wb = await openWorkbench({ settings: { 'drydock.aws.endpoints': [awsEndpointUrl()] } });
    await openDrydock(wb.page);
    for (const name of ['Local Clusters', 'Snapshots']) {
      const header = wb.page.locator('.pane-header', { hasText: name }).first();
      if ((await header.count()) && (await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
  });

  after(async () => {
    await wb?.close();
    await clients?.dynamodb.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    clients?.destroy();
  });

  test('two deletes at once in the item browser: each row shows the outcome of its own request', async () => {
    const { page } = wb;
    try {
      await clickTreeItem(page, /^DynamoDB/);
      await clickTreeItem(page, new RegExp(`^${table}`));
      const grid = webview(page).locator('[data-testid="item-grid"]');
      const row = (id: string) => grid.locator('tbody tr', { hasText: `${id}` });
      await row('row-c').waitFor({ timeout: 60_000 });
      assert.equal(await grid.locator('tbody tr').count(), 3);

      // Both deletes leave the webview before the host asks about either (a person clicking fast).
      // (No named functions inside: the page runs this as written, without the test's compile helpers.)
      await grid.evaluate((el) => {
        const rows = [...el.ownerDocument.querySelectorAll<HTMLElement>('tbody tr')];
        const del = [...el.ownerDocument.querySelectorAll('button')].find((b) => b.textContent === 'Delete…')!;
        rows.find((r) => r.textContent?.includes('row-a'))!.click();
        del.click();
        rows.find((r) => r.textContent?.includes('row-b'))!.click();
        del.click();
      });
      await row('row-a').locator('[data-testid="row-status"]', { hasText: 'Deleting…' }).waitFor({ timeout: 10_000 });
      assert.equal(await row('row-a').getAttribute('aria-busy'), 'true');

      // VS Code asks about each in turn: keep row-a (the first asked), delete row-b.
      const dialog = page.locator('.monaco-dialog-box');
      const answered: string[] = [];
      for (let i = 0; i < 2; i++) {
        await dialog.waitFor({ timeout: 30_000 });
        const text = await dialog.innerText();
        const which = /row-[ab]/.exec(text)?.[0];
        assert.ok(which && !answered.includes(which), `a confirmation for another row: ${text}`);
        answered.push(which);
        await dialog.getByRole('button', { name: which === 'row-a' ? 'Cancel' : 'Delete' }).click();
        // Closed, or already showing the next question.
        await page.waitForFunction(
          (answeredRow) => !document.querySelector('.monaco-dialog-box')?.textContent?.includes(answeredRow),
          which,
          { timeout: 10_000 },
        );
      }
      assert.deepEqual(answered, ['row-a', 'row-b'], 'asked in the order the deletes were sent');

      await row('row-b').waitFor({ state: 'detached', timeout: 30_000 });
      const statusA = row('row-a').locator('[data-testid="row-status"]');
      await statusA.filter({ hasText: 'Delete cancelled.' }).waitFor({ timeout: 30_000 });
      assert.equal(await row('row-a').getAttribute('aria-busy'), 'false');
      assert.equal((await row('row-c').locator('[data-testid="row-status"]').innerText()).trim(), '');
      assert.equal(await grid.locator('tbody tr').count(), 2);
      assert.equal(await itemExists('row-a'), true, 'the cancelled delete left row-a');
      assert.equal(await itemExists('row-b'), false, 'the confirmed delete removed row-b');
      await wb.screenshot('aws-dynamodb-concurrent-deletes');
    } catch (e) {
      await wb.screenshot('aws-concurrent-deletes-failure').catch(() => undefined);
      throw e;
    }
  });

  test('a queue browser and an item browser come back with their content after a reload', async () => {
    const { page } = wb;
    try {
      await clickTreeItem(page, /^DynamoDB/); // collapse: the view is short and virtualised
      await clickTreeItem(page, /^SQS/);
      await clickTreeItem(page, /^shop-orders(?!-dlq)/);
      await webview(page).locator('[data-testid="queue-facts"]').waitFor({ timeout: 60_000 });
      const tabs = page.locator('.tabs-container .tab');
      assert.equal(await tabs.filter({ hasText: `Table ${table}` }).count(), 1);
      assert.equal(await tabs.filter({ hasText: 'Queue shop-orders' }).count(), 1);
      // Developer: Reload Window, as a person reloads: the workbench saves its editors (and the webviews' state).
      const queueTab = page.locator('.tabs-container .tab', { hasText: 'Queue shop-orders' });
      const reloaded = page.waitForEvent('load', { timeout: 120_000 });
      reloaded.catch(() => undefined); // awaited below; not left unhandled if the command fails first
      await runCommand(page, 'Developer: Reload Window', () => queueTab.click());
      await reloaded;
      await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });

      // The active tab (the queue) first: its facts come from the restored browser, not a blank page.
      await queueTab.waitFor({ timeout: 60_000 });
      await queueTab.click();
      const frame = webview(page);
      await frame.locator('h1.title', { hasText: 'shop-orders' }).waitFor({ timeout: 90_000 });
      const visible = await frame.locator('[data-testid="count-visible"]').innerText({ timeout: 30_000 });
      assert.match(visible, /Visible\s+\d+/);
      await frame.locator('[data-testid="consent-receive"]').waitFor({ timeout: 30_000 });
      await wb.screenshot('aws-sqs-browser-after-reload');

      const tableTab = page.locator('.tabs-container .tab', { hasText: `Table ${table}` });
      await tableTab.click();
      const grid = webview(page).locator('[data-testid="item-grid"]');
      await grid.locator('tbody tr', { hasText: 'row-c' }).waitFor({ timeout: 90_000 });
      assert.equal(await grid.locator('tbody tr').count(), 2, 'the table as it is now: row-a and row-c');
      assert.match(await grid.locator('thead').innerText(), /id/);
    } catch (e) {
      await wb.screenshot('aws-browsers-reload-failure').catch(() => undefined);
      throw e;
    }
  });
});
