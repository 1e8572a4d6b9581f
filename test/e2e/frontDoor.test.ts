import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Locator, Page } from 'playwright-core';
import { openDrydock, openWorkbench, type Workbench } from '../support/workbench';
import { expand, focusView, row, until, viewTree } from '../support/tree';

// The front door: what a new user sees in Drydock's empty views, the walkthrough, and one-click snapshots.
// Drydock is installed into code-server from its VSIX (`npm run package`, `--install-extension`).

/** The welcome content of a view (VS Code shows it when the view's tree is empty and its `when` holds). */
function welcome(page: Page, view: string): Locator {
  return page.locator(`.pane:has(.pane-header[aria-label^="${view}"]) .welcome-view-content`).first();
}

/** Snapshot rows of the Snapshots view: `<namespace>-<time>.tar.gz`. */
async function snapshotRows(page: Page): Promise<string[]> {
  const labels = await viewTree(page, 'Snapshots').locator('.monaco-list-row .label-name').allInnerTexts();
  return labels.filter((l) => /^shop-.+\.tar\.gz$/.test(l));
}

/** Expands a Drydock view (focusView only collapses the others). */
async function openView(page: Page, view: string): Promise<void> {
  await focusView(page, view);
  const header = page.locator('.pane-header', { hasText: view }).first();
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
}

/** Whether a walkthrough step shows its checked icon. */
async function stepDone(step: Locator): Promise<boolean> {
  return (await step.locator('.codicon-getting-started-step-checked').count()) > 0;
}

/** Picks an item of the open quick pick by its exact label. */
async function pick(page: Page, label: string): Promise<void> {
  const item = page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }),
    })
    .first();
  await item.waitFor({ timeout: 30_000 });
  await item.click();
}

describe('front door with the local environment (sample namespace shop)', () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench();
    await openDrydock(wb.page);
  });
  after(async () => {
    await wb?.close();
  });

  test(
    'Snapshots with none yet shows what a recovery point is; its button snapshots a namespace',
    { timeout: 300_000 },
    async () => {
      const { page } = wb;
      try {
        await openView(page, 'Snapshots');
        const content = welcome(page, 'Snapshots');
        await content.waitFor({ timeout: 60_000 });
        const text = await content.innerText();
        assert.match(text, /No recovery points yet/);
        assert.match(
          text,
          /A recovery point is one snapshot of a namespace together with the SQS queues, DynamoDB tables and S3 buckets it\s+uses/,
        );
        await wb.screenshot('welcome-snapshots');

        await content.getByRole('button', { name: 'Snapshot a Namespace' }).click();
        await pick(page, 'shop');
        const rows = await until(
          'a snapshot of shop in the Snapshots view',
          async () => {
            const r = await snapshotRows(page);
            return r.length === 1 ? r : undefined;
          },
          180_000,
        );
        assert.equal(rows.length, 1);
        assert.equal(await content.isVisible(), false, 'the welcome content is gone once there is a recovery point');
        // What it holds: the namespace's objects and the AWS resources shop references, with no question asked.
        const snapshotRow = await row(page, rows[0] ?? '', 'Snapshots');
        assert.match(await snapshotRow.locator('.label-description').innerText(), /^shop · /);
        await snapshotRow.click();
        await expand(page, 'AWS', 'Snapshots');
        for (const name of ['shop-orders', 'shop-products', 'shop-assets']) await row(page, name, 'Snapshots');
      } catch (e) {
        await wb.screenshot('front-door-welcome-failure').catch(() => undefined);
        throw e;
      }
    },
  );

  test(
    'the inline Snapshot action on namespace shop writes a snapshot without a question',
    { timeout: 300_000 },
    async () => {
      const { page } = wb;
      try {
        const before = await snapshotRows(page);
        await openView(page, 'Local Clusters');
        await expand(page, 'drydock-local');
        const shop = await row(page, 'shop');
        await shop.hover();
        const inline = shop.locator('.actions .action-label[aria-label="Snapshot"]');
        await inline.waitFor({ timeout: 10_000 });
        assert.equal(
          await shop.locator('.actions .action-label[aria-label="Run Drill"]').count(),
          1,
          'Run Drill is inline beside it',
        );
        await wb.screenshot('namespace-inline-actions');
        await inline.click();
        // No quick pick: the snapshot starts at once and appears in the Snapshots view.
        await page
          .locator('.notification-list-item', {
            hasText: /Snapshot of shop: \d+ objects, \d+ SQS messages, \d+ DynamoDB items, \d+ S3 objects\./,
          })
          .first()
          .waitFor({ timeout: 180_000 });
        assert.equal(await page.locator('.quick-input-widget:visible').count(), 0, 'no question was asked');
        await openView(page, 'Snapshots');
        const after = await until(
          'the second snapshot of shop',
          async () => {
            const r = await snapshotRows(page);
            return r.length === before.length + 1 ? r : undefined;
          },
          60_000,
        );
        assert.equal(after.length, before.length + 1);
      } catch (e) {
        await wb.screenshot('front-door-inline-failure').catch(() => undefined);
        throw e;
      }
    },
  );

  // VS Code's Getting Started service records a step's completion events while it runs: the actions above came before
  // it started, so only what follows is checked off (the hook step, in the next test).
  test('the walkthrough opens with its five steps; no drill and no hook yet', { timeout: 120_000 }, async () => {
    const { page } = wb;
    try {
      await page.keyboard.press('Control+Shift+P');
      await page.keyboard.type('Welcome: Open Walkthrough');
      await page.keyboard.press('Enter');
      await pick(page, 'Get Started with Drydock');
      const steps = page.locator('.gettingStartedContainer .getting-started-step');
      await page
        .locator('.gettingStartedContainer', { hasText: 'Get Started with Drydock' })
        .first()
        .waitFor({ timeout: 30_000 });
      await until('the five steps', async () => ((await steps.count()) === 5 ? true : undefined));
      const titles = await steps.locator('.step-title').allInnerTexts();
      assert.deepEqual(titles, [
        'See your local cluster',
        'Browse a queue',
        'Snapshot a namespace',
        'Run a drill',
        'Drill before every push',
      ]);
      const done = (title: string) => stepDone(steps.filter({ hasText: title }).first());
      assert.equal(await done('Run a drill'), false, 'no drill ran');
      assert.equal(await done('Drill before every push'), false, 'no hook was installed');
      await wb.screenshot('walkthrough');
    } catch (e) {
      await wb.screenshot('front-door-walkthrough-failure').catch(() => undefined);
      throw e;
    }
  });

  test(
    "the walkthrough's last step installs the pre-push drill hook after asking, and is checked off",
    { timeout: 120_000 },
    async () => {
      const { page } = wb;
      const workspace = wb.server.workspace;
      execFileSync('git', ['init', '-q', workspace]);
      try {
        const step = page
          .locator('.gettingStartedContainer .getting-started-step', { hasText: 'Drill before every push' })
          .first();
        await step.click();
        await page
          .locator('.gettingStartedContainer .step-description-container .monaco-button', {
            hasText: 'Install the Pre-Push Hook',
          })
          .first()
          .click();
        // No drill file yet: it asks which namespace the hook drills, then asks before writing anything.
        await pick(page, 'shop');
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.waitFor({ timeout: 30_000 });
        assert.match(await dialog.innerText(), /Install a git pre-push hook in .*pre-push\?/);
        assert.equal(
          fs.existsSync(path.join(workspace, '.git', 'hooks', 'pre-push')),
          false,
          'nothing is written before the answer',
        );
        await wb.screenshot('pre-push-hook-confirmation');
        await dialog.getByRole('button', { name: 'Install' }).click();
        const hook = path.join(workspace, '.git', 'hooks', 'pre-push');
        await until('the pre-push hook', async () => (fs.existsSync(hook) ? true : undefined), 30_000);
        assert.match(fs.readFileSync(hook, 'utf8'), /drill --config '\.drydock\/drill\.yaml'/);
        assert.ok((fs.statSync(hook).mode & 0o111) !== 0, 'the hook is executable');
        assert.match(fs.readFileSync(path.join(workspace, '.drydock', 'drill.yaml'), 'utf8'), /^namespace: shop$/m);
        await until('the hook step to be checked', async () => ((await stepDone(step)) ? true : undefined), 10_000);
      } catch (e) {
        await wb.screenshot('front-door-hook-failure').catch(() => undefined);
        throw e;
      }
    },
  );
});

test(
  'Local Clusters and Local AWS explain what is missing when there is no kubeconfig, no local context, no emulator',
  { timeout: 240_000 },
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-front-door-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    // Port 9 (discard) on loopback: nothing listens there, so the endpoint does not answer.
    const wb = await openWorkbench({
      settings: { 'drydock.kubeconfig': kubeconfig, 'drydock.aws.endpoints': ['http://127.0.0.1:9'] },
    });
    try {
      const { page } = wb;
      await openDrydock(page);
      const clusters = welcome(page, 'Local Clusters');
      await clusters.waitFor({ timeout: 60_000 });
      assert.match(await clusters.innerText(), /No kubeconfig found, or it has no contexts/);
      assert.equal(await clusters.getByRole('button', { name: 'Set the Kubeconfig' }).count(), 1);
      const aws = welcome(page, 'Local AWS');
      await aws.waitFor({ timeout: 60_000 });
      assert.match(await aws.innerText(), /No AWS emulator answers/);
      assert.match(await aws.innerText(), /Start LocalStack .* or moto/);
      await page.mouse.move(800, 500); // no tooltip over the activity bar in the picture
      await wb.screenshot('welcome-no-cluster-no-aws');

      // A kubeconfig whose only context is a remote cluster: never queried, and the view says why it is empty.
      fs.writeFileSync(
        kubeconfig,
        [
          'apiVersion: v1',
          'kind: Config',
          'current-context: team-staging',
          'clusters: [{name: staging, cluster: {server: "https://staging.example.invalid:6443"}}]',
          'users: [{name: dev, user: {token: x}}]',
          'contexts: [{name: team-staging, context: {cluster: staging, user: dev}}]',
          '',
        ].join('\n'),
      );
      await clusters.getByRole('button', { name: 'Refresh' }).click();
      await until('the no-local-context welcome', async () =>
        /None of your kubeconfig's contexts is a local cluster/.test(await clusters.innerText()) ? true : undefined,
      );
      assert.equal(await clusters.getByRole('button', { name: 'Add a Local Context' }).count(), 1);
      assert.match(await clusters.innerText(), /drydock\.extraLocalContexts/);
      // The picture starts at the welcome's first line (the Refresh click leaves the view scrolled down).
      await clusters.getByText(/None of your kubeconfig's contexts/).scrollIntoViewIfNeeded();
      await page.mouse.move(800, 500);
      await wb.screenshot('welcome-no-local-context');
    } catch (e) {
      await wb.screenshot('front-door-empty-failure').catch(() => undefined);
      throw e;
    } finally {
      await wb.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
