import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as tar from 'tar';
import { openDrydock, openWorkbench, type Workbench } from '../support/workbench';
import { expand, focusView, row, until, viewTree } from '../support/tree';
import { kubeconfigPath, repoRoot } from '../support/env';

// A Velero backup storage location (a folder) in drydock.velero.locations, as a user sees it in the Snapshots view:
// a recovery point pushed with the CLI, and the same with only Velero's files (what a backup Velero made holds).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-e2e-bsl-'));
const bsl = path.join(dir, 'team-backups');
const cli = (...args: string[]) =>
  execFileSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DRYDOCK_SNAPSHOT_IDENTITY_FILE: path.join(dir, 'key') },
  });
let wb: Workbench;
// What Velero's own file holds, counted here from its tar (one entry per object, preferred-version copies aside).
let veleroObjects = 0;

before(async () => {
  cli('snapshot', 'keygen', path.join(dir, 'key'));
  const snapshot = path.join(dir, 'shop.tar.gz');
  cli(
    'snapshot',
    'create',
    snapshot,
    '-n',
    'shop',
    '--no-detect',
    '--kubeconfig',
    kubeconfigPath(),
    '--context',
    'drydock-local',
  );
  fs.mkdirSync(bsl);
  cli('snapshot', 'push', snapshot, bsl, '--name', 'shop-before-upgrade');
  cli('snapshot', 'push', snapshot, bsl, '--name', 'nightly-shop');
  for (const f of ['drydock-snapshot.tar.gz', 'drydock-manifest.json'])
    fs.rmSync(path.join(bsl, 'backups', 'nightly-shop', f));
  await tar.t({
    file: path.join(bsl, 'backups', 'nightly-shop', 'nightly-shop.tar.gz'),
    onReadEntry: (e) => {
      if (/^resources\/[^/]+\/(namespaces\/[^/]+|cluster)\/[^/]+\.json$/.test(e.path)) veleroObjects++;
    },
  });
  wb = await openWorkbench({ settings: { 'drydock.velero.locations': [bsl] } });
  await openDrydock(wb.page);
});

after(async () => {
  await wb?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test(
  'the Snapshots view lists the location with its backups; Inspect shows what Velero recorded',
  { timeout: 300_000 },
  async () => {
    const { page } = wb;
    try {
      await focusView(page, 'Snapshots');
      await expand(page, bsl, 'Snapshots');
      const nightly = await row(page, 'nightly-shop', 'Snapshots', 60_000);
      assert.match(await nightly.innerText(), /Completed · .*shop/);
      assert.doesNotMatch(await nightly.innerText(), /Drydock/);
      const pushed = await row(page, 'shop-before-upgrade', 'Snapshots');
      assert.match(await pushed.innerText(), /Completed · .*shop.*Drydock/);
      const editor = page.locator('.editor-instance .view-lines').first();
      // Monaco renders spaces as no-break spaces.
      const text = async () => ((await editor.isVisible()) ? (await editor.innerText()).replace(/\u00a0/g, ' ') : '');
      const shown = /^Velero backup nightly-shop from /;
      // A context menu opened while the tree re-renders can close on its own: ask again until the document shows.
      await until(
        'the inspect document of nightly-shop',
        async () => {
          if (!shown.test(await text())) {
            await row(page, 'nightly-shop', 'Snapshots').then((r) => r.click({ button: 'right' }));
            // As a user picks a menu entry with the keyboard (a click on the label could land on a stale menu).
            const item = page
              .locator('.context-view .action-menu-item', { hasText: /^Inspect Velero Backup$/ })
              .first();
            await item.hover({ timeout: 5_000 });
            await page.keyboard.press('Enter');
          }
          for (let i = 0; i < 20 && !shown.test(await text()); i++) await page.waitForTimeout(500);
          return shown.test(await text()) ? true : undefined;
        },
        90_000,
      );
      assert.ok(veleroObjects > 5, `Velero's tar holds ${veleroObjects} objects`);
      assert.match(await text(), new RegExp(`\\b${veleroObjects} objects in shop\\b`));
      // A wider sidebar for the picture (the README shows it).
      const sidebar = await page.locator('.part.sidebar').first().boundingBox();
      if (sidebar) {
        const y = sidebar.y + sidebar.height / 2;
        await page.mouse.move(sidebar.x + sidebar.width + 1, y);
        await page.mouse.down();
        await page.mouse.move(640, y, { steps: 8 });
        await page.mouse.up();
      }
      await page.mouse.move(1000, 600);
      await wb.screenshot('snapshots-velero-location');
      assert.ok(await viewTree(page, 'Snapshots').isVisible());
    } catch (e) {
      await wb.screenshot('velero-location-failure').catch(() => undefined);
      throw e;
    }
  },
);
