import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { clickTreeItem, openDrydock, openWorkbench } from '../support/workbench';
import { awsEndpointUrl } from '../support/env';

// LocalStack beside moto (tools/localenv starts both; seedLocalstack.mjs puts shop-orders with 50 messages there):
// the LocalStack queue expands to its messages in the sidebar, newest first, without receiving any of them.

function localstackUrl(): string {
  const url = process.env.DRYDOCK_LOCALSTACK_ENDPOINT;
  if (!url)
    throw new Error(
      'DRYDOCK_LOCALSTACK_ENDPOINT is not set: run through `node tools/localenv/cli.mjs test e2e`, which starts LocalStack.',
    );
  return url.replace(/\/+$/, '');
}

/** Every message's receive count and the queue's counters, read through the peek (which changes nothing). */
async function queueState(queue: string): Promise<{ counts: Record<string, string>; total: number }> {
  const qurl = `${localstackUrl()}/000000000000/${queue}`;
  const res = await fetch(
    `${localstackUrl()}/_aws/sqs/messages?QueueUrl=${encodeURIComponent(qurl)}&ShowInvisible=true&ShowDelayed=true`,
    { headers: { accept: 'application/json' } },
  );
  assert.equal(res.status, 200);
  const json = (await res.json()) as {
    ReceiveMessageResponse: {
      ReceiveMessageResult: {
        Message: Array<{ MessageId: string; Attribute: Array<{ Name: string; Value: string }> }>;
      } | null;
    };
  };
  const list = json.ReceiveMessageResponse.ReceiveMessageResult?.Message ?? [];
  const counts = Object.fromEntries(
    list
      .map((m): [string, string] => [
        m.MessageId,
        m.Attribute.find((a) => a.Name === 'ApproximateReceiveCount')?.Value ?? '?',
      ])
      .sort(),
  );
  return { counts, total: list.length };
}

test(
  'Local AWS on LocalStack: a queue expands to its messages, newest first, with no receive',
  { timeout: 420_000 },
  async () => {
    const before = await queueState('shop-orders');
    assert.ok(before.total >= 50, `seeded queue holds ${before.total} messages`);
    const wb = await openWorkbench({ settings: { 'drydock.aws.endpoints': [awsEndpointUrl(), localstackUrl()] } });
    try {
      const { page } = wb;
      await openDrydock(page);
      for (const name of ['Local Clusters', 'Snapshots']) {
        const header = page.locator('.pane-header', { hasText: name }).first();
        if ((await header.count()) && (await header.getAttribute('aria-expanded')) === 'true') await header.click();
      }
      // Both endpoints are listed with what answers there; moto's is collapsed to make room.
      const lsRow = page
        .getByRole('treeitem', { name: new RegExp(`^${localstackUrl().replace(/[.:/]/g, '\\$&')}`) })
        .first();
      await lsRow.waitFor({ timeout: 60_000 });
      await page
        .getByRole('treeitem', { name: /LocalStack 4\.14\.0 community/ })
        .first()
        .waitFor({ timeout: 60_000 });
      await clickTreeItem(page, new RegExp(`^${awsEndpointUrl().replace(/[.:/]/g, '\\$&')}`));
      await clickTreeItem(page, /^SQS/);
      const queueRow = page.getByRole('treeitem', { name: /^shop-orders(?!-dlq)/ }).first();
      await queueRow.waitFor({ timeout: 60_000 });
      await queueRow.locator('.monaco-tl-twistie').click();

      // Newest first: order-0050 was sent last. Each row: time + id, then body preview and receive count.
      const messageRows = page.getByRole('treeitem', { name: /received \d+×/ });
      await page
        .getByRole('treeitem', { name: /order-0050/ })
        .first()
        .waitFor({ timeout: 60_000 });
      assert.equal(
        await page.getByRole('treeitem', { name: /order-0001/ }).count(),
        0,
        'the oldest is not on the first page',
      );
      const more = page.getByRole('treeitem', { name: /^more…/ });
      await more.waitFor({ timeout: 30_000 });
      assert.match((await more.getAttribute('aria-label')) ?? (await more.innerText()), /25 of \d+ shown|more…/);
      const firstLabel = (await messageRows.first().getAttribute('aria-label')) ?? '';
      assert.match(firstLabel, /order-0050/, `newest first: ${firstLabel}`);
      await wb.screenshot('aws-sqs-sidebar-localstack');

      // A message opens its detail (read-only JSON document).
      await messageRows.first().click();
      const firstId = /order-\d{4}/.exec(firstLabel)![0];
      await page.locator('.monaco-editor .view-lines').getByText(firstId).first().waitFor({ timeout: 30_000 });

      // "more…" pages on: the oldest message appears.
      await more.click();
      // The tree is virtualised and the next page arrives after the click: keep bringing its last rows into view.
      const oldest = page.getByRole('treeitem', { name: /order-0001/ }).first();
      const deadline = Date.now() + 60_000;
      while (!(await oldest.isVisible())) {
        if (Date.now() > deadline) throw new Error('the oldest message (order-0001) never appeared after "more…"');
        await page
          .getByRole('treeitem', { name: /received \d+×/ })
          .last()
          .hover();
        await page.mouse.wheel(0, 3000);
        await page.waitForTimeout(500);
      }
      await page.mouse.wheel(0, -20_000); // back to the queue's row
      await page.waitForTimeout(500);

      // The message browser on LocalStack: no consent banner, the rows come from the peek.
      // (The queue row's click toggles its messages now that it has some: the browser opens from its context menu.)
      await queueRow.click({ button: 'right' });
      const openBrowser = page
        .locator('.context-view .action-menu-item', { hasText: /^Open Message Browser$/ })
        .first();
      await openBrowser.hover();
      await page.keyboard.press('Enter');
      const webview = () => page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
      await webview().locator('[data-testid="queue-facts"]').waitFor({ timeout: 60_000 });
      await webview().getByText('order-0050').first().waitFor({ timeout: 60_000 });
      assert.equal(
        await webview().locator('[data-testid="consent-receive"]').count(),
        0,
        'no consent asked on LocalStack',
      );
      await wb.screenshot('aws-sqs-browser-localstack');
    } catch (e) {
      await wb.screenshot('aws-localstack-failure').catch(() => undefined);
      throw e;
    } finally {
      await wb.close();
    }
    const afterState = await queueState('shop-orders');
    assert.equal(afterState.total, before.total);
    assert.deepEqual(afterState.counts, before.counts, 'no receive count changed');
  },
);
