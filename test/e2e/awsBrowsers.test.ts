import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { clickTreeItem, openDrydock, openWorkbench } from '../support/workbench';
import { awsEndpointUrl } from '../support/env';

// The seeded sample workload (tools/localenv/seed.mjs): shop-orders (+ DLQ) with 50 messages,
// shop-products with 500 items, shop-assets with docs/welcome.txt.

test(
  'Local AWS: queue browser, table grid and an S3 text object, clicked through as a user would',
  { timeout: 420_000 },
  async () => {
    const wb = await openWorkbench({ settings: { 'drydock.aws.endpoints': [awsEndpointUrl()] } });
    try {
      const { page } = wb;
      await openDrydock(page);
      // Give the Local AWS view the whole sidebar: collapse the other views (the tree is virtualised).
      for (const name of ['Local Clusters', 'Snapshots']) {
        const header = page.locator('.pane-header', { hasText: name }).first();
        if ((await header.count()) && (await header.getAttribute('aria-expanded')) === 'true') await header.click();
      }
      const webview = () => page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');

      // SQS: the queue opens its message browser; moto needs consent before receiving.
      await clickTreeItem(page, /^SQS/);
      await clickTreeItem(page, /^shop-orders(?!-dlq)/);
      const facts = webview().locator('[data-testid="queue-facts"]');
      await facts.waitFor({ timeout: 60_000 });
      const visibleText = await webview().locator('[data-testid="count-visible"]').innerText({ timeout: 30_000 });
      const visible = Number(/(\d+)/.exec(visibleText)?.[1]);
      assert.ok(visible >= 1, `visible count shown: ${visibleText}`);
      await webview().locator('[data-testid="consent-receive"]').click();
      await webview().getByText('first order of the day').first().waitFor({ timeout: 30_000 });
      // Rows arrive receive by receive; the page is complete when the count says so.
      await webview()
        .locator('[data-testid="loaded-count"]', { hasText: `${Math.min(visible, 50)} messages loaded` })
        .waitFor({ timeout: 60_000 });
      await wb.screenshot('aws-sqs-browser');

      // DynamoDB: the grid of shop-products, then a key query for a known item.
      await clickTreeItem(page, /^SQS/); // collapse: the view is short and virtualised
      await clickTreeItem(page, /^DynamoDB/);
      await clickTreeItem(page, /^shop-products/);
      const grid = webview().locator('[data-testid="item-grid"]');
      await grid.locator('tbody tr').first().waitFor({ timeout: 60_000 });
      assert.equal(await grid.locator('tbody tr').count(), 50, 'first page of 50 items');
      assert.match(await grid.locator('thead').innerText(), /sku/);
      await webview().getByLabel('Scan or query').selectOption('query');
      await webview().getByLabel('Partition key value').fill('sku-0001');
      await webview().getByRole('button', { name: 'Run' }).click();
      await grid.getByText('Product 0001').waitFor({ timeout: 30_000 });
      await wb.screenshot('aws-dynamodb-grid');

      // S3: bucket → docs/ → welcome.txt opens read-only with its text.
      await clickTreeItem(page, /^DynamoDB/);
      await clickTreeItem(page, /^S3/);
      await clickTreeItem(page, /^shop-assets/);
      await clickTreeItem(page, /^docs\//);
      await clickTreeItem(page, /^welcome\.txt/);
      await page
        .locator('.monaco-editor .view-lines')
        .getByText('Welcome to the Drydock shop.')
        .first()
        .waitFor({ timeout: 30_000 });
      await wb.screenshot('aws-s3-text-object');
    } catch (e) {
      await wb.screenshot('aws-browsers-failure').catch(() => undefined);
      throw e;
    } finally {
      await wb.close();
    }
  },
);
