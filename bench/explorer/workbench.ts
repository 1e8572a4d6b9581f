// The explorer benchmark's code-server side: a session of real VS Code in headless Chromium with Drydock and,
// as a baseline, a minimal extension with one tree view; timings taken from the page, memory from /proc.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { launchChromium } from '../../test/support/workbench';
import { startCodeServer, type CodeServer } from '../../tools/localenv/codeServer.mjs';

export const BASELINE_EXTENSION = {
  publisher: 'drydock-bench',
  name: 'empty-tree',
  version: '0.0.1',
  container: 'Bench Baseline',
  view: 'Baseline Tree',
  row: 'baseline-row',
};

/** The second baseline: the same, whose getChildren first does a bare `GET /api/v1/namespaces` from the extension host. */
export const GET_BASELINE_EXTENSION = {
  publisher: 'drydock-bench',
  name: 'get-namespaces-tree',
  version: '0.0.1',
  container: 'Bench Namespaces GET',
  view: 'Namespaces GET Tree',
  row: 'namespaces-listed',
};

/** Where the GET baseline sends its request, and with what: the kubeconfig context's server, CA and credentials. */
export interface ApiServerAccess {
  /** e.g. https://127.0.0.1:6443 (may carry a path prefix). */
  server: string;
  ca?: string;
  cert?: string;
  key?: string;
  /** e.g. Authorization for a bearer token. */
  headers?: Record<string, string>;
}

const BASELINE_SOURCE = `const vscode = require('vscode');
exports.activate = (context) => {
  context.subscriptions.push(vscode.window.registerTreeDataProvider('benchBaseline.tree', {
    getTreeItem: (label) => new vscode.TreeItem(label),
    getChildren: (parent) => (parent ? [] : [${JSON.stringify(BASELINE_EXTENSION.row)}]),
  }));
};
exports.deactivate = () => {};
`;

// Only node's https module, on its global agent, as an extension's first request would go (through whatever the
// extension host puts in front of it, e.g. its proxy agent); a failure shows as a row the bench never waits for.
const GET_BASELINE_SOURCE = `const vscode = require('vscode');
const fs = require('fs');
const https = require('https');
const path = require('path');
function listNamespaces() {
  const access = JSON.parse(fs.readFileSync(path.join(__dirname, 'access.json'), 'utf8'));
  return new Promise((resolve, reject) => {
    const req = https.request(
      access.server.replace(/\\/+$/, '') + '/api/v1/namespaces',
      { method: 'GET', ca: access.ca, cert: access.cert, key: access.key, headers: { Accept: 'application/json', ...access.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error('HTTP ' + res.statusCode + ': ' + body.slice(0, 200)))));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
exports.activate = (context) => {
  context.subscriptions.push(vscode.window.registerTreeDataProvider('benchGet.tree', {
    getTreeItem: (label) => new vscode.TreeItem(label),
    getChildren: async (parent) => {
      if (parent) return [];
      try {
        const list = await listNamespaces();
        return Array.isArray(list.items) && list.items.length ? [${JSON.stringify(GET_BASELINE_EXTENSION.row)}] : ['no namespaces listed'];
      } catch (error) {
        return ['GET /api/v1/namespaces failed: ' + error.message];
      }
    },
  }));
};
exports.deactivate = () => {};
`;

/**
 * A bench extension that does the least a tree view can — a view container with one view — activated the same way
 * Drydock is (by opening its view).
 */
function writeTreeExtension(
  extensionsDir: string,
  ext: { publisher: string; name: string; version: string; container: string; view: string },
  ids: { container: string; view: string },
  source: string,
  files: Record<string, string> = {},
): void {
  const folder = `${ext.publisher}.${ext.name}-${ext.version}`;
  const dir = path.join(extensionsDir, folder);
  fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name: ext.name,
        publisher: ext.publisher,
        version: ext.version,
        engines: { vscode: '^1.95.0' },
        main: './extension.js',
        activationEvents: [`onView:${ids.view}`],
        contributes: {
          viewsContainers: {
            activitybar: [{ id: ids.container, title: ext.container, icon: 'media/icon.svg' }],
          },
          views: { [ids.container]: [{ id: ids.view, name: ext.view }] },
        },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(dir, 'extension.js'), source);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text, { mode: 0o600 });
  fs.writeFileSync(
    path.join(dir, 'media', 'icon.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><rect x="4" y="4" width="16" height="16" fill="none" stroke="currentColor"/></svg>',
  );
  // VS Code reads the installed extensions from extensions.json (written by --install-extension): a folder it
  // does not list is not loaded. The entry has the shape the installer gives Drydock's.
  const list = path.join(extensionsDir, 'extensions.json');
  const entries = fs.existsSync(list) ? (JSON.parse(fs.readFileSync(list, 'utf8')) as unknown[]) : [];
  entries.push({
    identifier: { id: `${ext.publisher}.${ext.name}` },
    version: ext.version,
    location: { $mid: 1, fsPath: dir, external: pathToFileURL(dir).href, path: dir, scheme: 'file' },
    relativeLocation: folder,
    metadata: { installedTimestamp: Date.now(), source: 'vsix' },
  });
  fs.writeFileSync(list, JSON.stringify(entries));
}

export interface Session {
  server: CodeServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/**
 * code-server with Drydock and the baseline extension (and, given `access`, the GET baseline: its copy of the
 * credentials is in the throwaway profile, 0600, removed with it), a Chromium page on it, the workbench loaded.
 */
export async function openSession(access?: ApiServerAccess): Promise<Session> {
  const server = await startCodeServer({});
  let browser: Browser | undefined;
  try {
    // Extensions are scanned when the first window connects, so it is not too late to add one now.
    const extensions = path.join(server.profileDir, 'extensions');
    writeTreeExtension(
      extensions,
      BASELINE_EXTENSION,
      { container: 'benchBaseline', view: 'benchBaseline.tree' },
      BASELINE_SOURCE,
    );
    if (access)
      writeTreeExtension(
        extensions,
        GET_BASELINE_EXTENSION,
        { container: 'benchGet', view: 'benchGet.tree' },
        GET_BASELINE_SOURCE,
        { 'access.json': JSON.stringify(access) },
      );
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    const opened = browser;
    return {
      server,
      browser: opened,
      page,
      async close() {
        await opened.close().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw e;
  }
}

// ---- processes and memory ----

function readProc(pid: number, file: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  const stat = readProc(pid, 'stat');
  const m = stat && /\)\s+\S+\s+(\d+)/.exec(stat);
  return m ? Number(m[1]) : undefined;
}

/** The extension host of this code-server: a descendant whose command line says extensionHost. */
export function extensionHostPid(server: CodeServer): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const cmdline = readProc(pid, 'cmdline')?.replace(/\0/g, ' ') ?? '';
    if (!/extensionHost/.test(cmdline)) continue;
    for (let p = parentOf(pid), depth = 0; p && p > 1 && depth < 6; p = parentOf(p), depth++) {
      if ((readProc(p, 'cmdline') ?? '').includes(server.profileDir)) return pid;
    }
  }
  return undefined;
}

export interface Memory {
  rssMb: number;
  hwmMb: number;
}

export function memoryOf(pid: number): Memory | undefined {
  const status = readProc(pid, 'status');
  if (!status) return undefined;
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** Drydock's log channel as VS Code persists it, once it has a line matching `pattern`. */
export function drydockLogLine(server: CodeServer, pattern: RegExp): string | undefined {
  const stack = [path.join(server.profileDir, 'user-data', 'logs')];
  while (stack.length) {
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(full);
      else if (/drydock/i.test(e.name) && e.name.endsWith('.log')) {
        const line = fs
          .readFileSync(full, 'utf8')
          .split('\n')
          .find((l) => pattern.test(l));
        if (line) return line;
      }
    }
  }
  return undefined;
}

// ---- the page ----

export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeout = 60_000,
  interval = 50,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The tree of the view whose pane header starts with `view`. */
export function viewTree(page: Page, view: string): Locator {
  return page.locator(`.pane:has(.pane-header[aria-label^="${view}"]) .monaco-list[role="tree"]`).first();
}

/** A row of a view's tree by its exact label, scrolled into the DOM if the virtualised tree has it below the fold. */
export async function treeRow(page: Page, view: string, label: string, timeout = 60_000): Promise<Locator> {
  const tree = viewTree(page, view);
  const row = tree
    .getByRole('treeitem')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) })
    .first();
  let direction = 1;
  return until(
    `row "${label}" in ${view}`,
    async () => {
      if (await row.count()) return row;
      if (await tree.locator('.codicon-tree-item-loading, .codicon-loading').count()) return undefined;
      const top = () =>
        tree.evaluate((el) => el.querySelector('.monaco-scrollable-element')?.scrollTop ?? 0).catch(() => 0);
      const before = await top();
      await tree.hover();
      await page.mouse.wheel(0, direction * 300);
      if ((await top()) === before) direction = -direction;
      return undefined;
    },
    timeout,
    100,
  );
}

export async function expandRow(page: Page, view: string, label: string): Promise<Locator> {
  const row = await treeRow(page, view, label);
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await until(
    `${label} expanded`,
    async () => ((await row.getAttribute('aria-expanded')) === 'true' ? true : undefined),
    10_000,
  );
  return row;
}

/** Expands or collapses a view's pane. */
export async function setPane(page: Page, view: string, expanded: boolean): Promise<void> {
  const header = page.locator(`.pane-header[aria-label^="${view}"]`).first();
  if ((await header.count()) === 0) return;
  if (((await header.getAttribute('aria-expanded')) === 'true') !== expanded) await header.click();
}

/** The active webview's content frame (VS Code nests it: iframe.webview → #active-frame). */
export function activeWebview(page: Page): FrameLocator {
  return page
    .frameLocator('.editor-instance iframe.webview.ready, iframe.webview.ready')
    .last()
    .frameLocator('#active-frame');
}

export async function closeAllEditors(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await page.keyboard.type('View: Close All Editors');
  await page.keyboard.press('Enter');
  await until(
    'editors closed',
    async () => ((await page.locator('.tabs-container .tab').count()) === 0 ? true : undefined),
    15_000,
  );
}

/** The extension host's log lines (exthost.log, remoteexthost.log) of this session. */
function extensionHostLog(server: CodeServer): string[] {
  const lines: string[] = [];
  const stack = [path.join(server.profileDir, 'user-data', 'logs')];
  while (stack.length) {
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(full);
      else if (/exthost\d*\.log$/i.test(e.name)) lines.push(...fs.readFileSync(full, 'utf8').split('\n'));
    }
  }
  return lines;
}

/**
 * The extension host's own start: the built-in extensions it activates at startup, on startup finished and for the
 * workbench's own documents (git, GitHub, JSON, TypeScript, emmet…) take it several seconds after the workbench shows
 * (107 → 170 MB here), and a click before they are done measures them too. Waits until its log says "Eager
 * extensions activated" and no extension has been activated for 5 s, then for a quiet CPU.
 */
export async function waitForExtensionHostStarted(server: CodeServer, pid: number): Promise<void> {
  await until(
    "the extension host's eager extensions",
    async () => (extensionHostLog(server).some((l) => l.includes('Eager extensions activated')) ? true : undefined),
    120_000,
    250,
  );
  const activations = () => extensionHostLog(server).filter((l) => l.includes('_doActivateExtension')).length;
  const deadline = Date.now() + 60_000;
  let seen = activations();
  let since = Date.now();
  while (Date.now() - since < 5000 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const now = activations();
    if (now !== seen) [seen, since] = [now, Date.now()];
  }
  await waitForIdle(pid);
}

/** Waits until a process has used (almost) no CPU for `quietMs`: startup work done, before timing anything. */
export async function waitForIdle(pid: number, quietMs = 1500, timeout = 30_000): Promise<void> {
  const ticks = () => {
    const stat = readProc(pid, 'stat');
    const fields = stat ? stat.slice(stat.lastIndexOf(')') + 2).split(' ') : [];
    return Number(fields[11] ?? 0) + Number(fields[12] ?? 0); // utime + stime
  };
  const deadline = Date.now() + timeout;
  let last = ticks();
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = ticks();
    if (now - last > 2) quietSince = Date.now();
    last = now;
    if (Date.now() - quietSince >= quietMs) return;
  }
}

export interface SessionNames {
  bigQueue: string;
  smallQueue: string;
  bigTable: string;
  smallTable: string;
}

export interface SessionSample {
  /** Click on the activity-bar icon → the view's first row, ms. */
  drydockFirstRowMs: number;
  baselineFirstRowMs: number;
  /** "Drydock activated in N ms" (the synchronous part of activate()). */
  drydockActivateLogMs?: number;
  /** Click on the tree row → first rendered rows in the webview (consent clicked as soon as shown), ms. */
  sqsBigMs: number;
  sqsSmallMs: number;
  /** …of which click → the consent banner (the host's `init`), ms. */
  sqsBigInitMs?: number;
  ddbBigMs: number;
  ddbSmallMs: number;
  /** Extension host memory at points of the session. */
  memory: { startup: Memory; baselineActive: Memory; drydockActive: Memory; browsersOpen: Memory; end: Memory };
  firstOpened: 'drydock' | 'baseline';
}

async function openSqs(page: Page, queue: string): Promise<{ ms: number; initMs?: number }> {
  const row = await treeRow(page, 'Local AWS', queue);
  const started = performance.now();
  await row.click();
  const web = activeWebview(page);
  const consent = web.locator('[data-testid="consent-receive"]');
  const first = web.locator('[data-testid="messages"] details.message').first();
  await Promise.race([consent.waitFor({ timeout: 120_000 }), first.waitFor({ timeout: 120_000 })]);
  let initMs: number | undefined;
  if (await consent.isVisible()) {
    initMs = performance.now() - started;
    await consent.click();
    await first.waitFor({ timeout: 120_000 });
  }
  const ms = performance.now() - started;
  const title = await web.locator('h1.title').innerText();
  if (title !== queue) throw new Error(`the browser shows ${title}, not ${queue}`);
  const loaded = await web.locator('[data-testid="loaded-count"]').innerText();
  if (!/^\d+ messages loaded$/.test(loaded) || Number(loaded.split(' ')[0]) < 1) throw new Error(`${queue}: ${loaded}`);
  return { ms, initMs };
}

async function openDynamo(page: Page, table: string): Promise<number> {
  const row = await treeRow(page, 'Local AWS', table);
  const started = performance.now();
  await row.click();
  const grid = activeWebview(page).locator('[data-testid="item-grid"]');
  await grid.locator('tbody tr').first().waitFor({ timeout: 120_000 });
  const ms = performance.now() - started;
  const rows = await grid.locator('tbody tr').count();
  if (rows < 1) throw new Error(`${table}: no rows`);
  return ms;
}

async function firstRowAfterClick(page: Page, container: string, view: string, label: string): Promise<number> {
  const icon = page.locator(`.activitybar [aria-label^="${container}"]`).first();
  await icon.waitFor({ timeout: 30_000 });
  const started = performance.now();
  await icon.click();
  const tree = viewTree(page, view);
  await tree
    .getByRole('treeitem')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) })
    .first()
    .waitFor({ timeout: 60_000 });
  return performance.now() - started;
}

export type ActivationSide = 'drydock' | 'baseline' | 'get';

export interface ActivationSample {
  /** Click on the activity-bar icon → the view's first row, ms, per extension. */
  firstRowMs: Record<ActivationSide, number>;
  /** The order the containers were opened in: the first also pays for the extension host's own first use. */
  order: ActivationSide[];
  startup: Memory;
  /** Extension host memory just before and after (once idle) each container was opened. */
  before: Record<ActivationSide, Memory>;
  after: Record<ActivationSide, Memory>;
  activateLogMs?: number;
  /** Drydock's log already said it was activated (onStartupFinished) when its container was clicked. */
  activeBeforeClick: boolean;
}

/**
 * Activation only: open container → first row for Drydock, the minimal extension and (given `access`) the GET
 * baseline, in the given order; extension host RSS around each.
 */
export async function measureActivationSession(
  order: ActivationSide[],
  log: (m: string) => void,
  access?: ApiServerAccess,
): Promise<ActivationSample> {
  const session = await openSession(access);
  try {
    const { page, server } = session;
    const pid = await until('the extension host', async () => extensionHostPid(server), 60_000, 200);
    await waitForExtensionHostStarted(server, pid);
    const mem = () => memoryOf(pid) ?? { rssMb: NaN, hwmMb: NaN };
    const startup = mem();
    const firstRowMs = { drydock: NaN, baseline: NaN, get: NaN };
    const before = { drydock: startup, baseline: startup, get: startup };
    const after = { drydock: startup, baseline: startup, get: startup };
    const targets = {
      drydock: ['Drydock', 'Local Clusters', 'drydock-local'],
      baseline: [BASELINE_EXTENSION.container, BASELINE_EXTENSION.view, BASELINE_EXTENSION.row],
      get: [GET_BASELINE_EXTENSION.container, GET_BASELINE_EXTENSION.view, GET_BASELINE_EXTENSION.row],
    } as const;
    let activeBeforeClick = false;
    for (const which of order) {
      const [container, view, row] = targets[which];
      if (which === 'drydock') activeBeforeClick = drydockLogLine(server, /Drydock activated in \d+ ms/) !== undefined;
      before[which] = mem();
      firstRowMs[which] = await firstRowAfterClick(page, container, view, row);
      await waitForIdle(pid);
      after[which] = mem();
    }
    const activated = drydockLogLine(server, /Drydock activated in \d+ ms/);
    const activateLogMs = activated ? Number(/activated in (\d+) ms/.exec(activated)![1]) : undefined;
    log(
      `    session (${order.join(' → ')}): first row ${order.map((w) => `${w} ${firstRowMs[w].toFixed(0)} ms`).join(', ')}; extension host RSS startup ${startup.rssMb.toFixed(0)} MB, after ${order.map((w) => `${w} ${after[w].rssMb.toFixed(0)}`).join(', ')}`,
    );
    return { firstRowMs, order, startup, before, after, activateLogMs, activeBeforeClick };
  } finally {
    await session.close();
  }
}

/** One code-server session: activation of both extensions (in the given order), the four browsers, memory throughout. */
export async function measureSession(
  names: SessionNames,
  firstOpened: 'drydock' | 'baseline',
  log: (m: string) => void,
): Promise<SessionSample> {
  const session = await openSession();
  try {
    const { page, server } = session;
    const pid = await until('the extension host', async () => extensionHostPid(server), 60_000, 200);
    await waitForExtensionHostStarted(server, pid);
    const mem = () => memoryOf(pid) ?? { rssMb: NaN, hwmMb: NaN };
    const startup = mem();
    let baselineActive = startup;
    let drydockActive = startup;
    let drydockFirstRowMs = 0;
    let baselineFirstRowMs = 0;
    for (const which of firstOpened === 'drydock'
      ? (['drydock', 'baseline'] as const)
      : (['baseline', 'drydock'] as const)) {
      if (which === 'drydock') {
        drydockFirstRowMs = await firstRowAfterClick(page, 'Drydock', 'Local Clusters', 'drydock-local');
        await waitForIdle(pid);
        drydockActive = mem();
      } else {
        baselineFirstRowMs = await firstRowAfterClick(
          page,
          BASELINE_EXTENSION.container,
          BASELINE_EXTENSION.view,
          BASELINE_EXTENSION.row,
        );
        await waitForIdle(pid);
        baselineActive = mem();
      }
    }
    const activated = drydockLogLine(server, /Drydock activated in \d+ ms/);
    const drydockActivateLogMs = activated ? Number(/activated in (\d+) ms/.exec(activated)![1]) : undefined;
    log(
      `    session (${firstOpened} first): Drydock first row ${drydockFirstRowMs.toFixed(0)} ms, baseline first row ${baselineFirstRowMs.toFixed(0)} ms, log says activated in ${drydockActivateLogMs ?? '?'} ms`,
    );

    // The Drydock container again, Local AWS given the room.
    // (clicking the icon of the container already shown would close the sidebar)
    if (!(await page.locator('.pane-header[aria-label^="Local Clusters"]').first().isVisible()))
      await page.locator('.activitybar [aria-label^="Drydock"]').first().click();
    await setPane(page, 'Local Clusters', false);
    await setPane(page, 'Snapshots', false);
    await setPane(page, 'Local AWS', true);
    let browsersOpen = mem();
    const sample = () => {
      const m = mem();
      if (!(m.rssMb <= browsersOpen.rssMb)) browsersOpen = m;
    };
    await expandRow(page, 'Local AWS', 'SQS');
    const big = await openSqs(page, names.bigQueue);
    sample();
    await closeAllEditors(page);
    const small = await openSqs(page, names.smallQueue);
    sample();
    await closeAllEditors(page);
    await treeRow(page, 'Local AWS', 'SQS').then((r) => r.click()); // collapse: the view is short
    await expandRow(page, 'Local AWS', 'DynamoDB');
    const ddbBigMs = await openDynamo(page, names.bigTable);
    sample();
    await closeAllEditors(page);
    const ddbSmallMs = await openDynamo(page, names.smallTable);
    sample();
    await closeAllEditors(page);
    await waitForIdle(pid);
    const end = mem();
    log(
      `    browsers: SQS big ${big.ms.toFixed(0)} ms (banner at ${big.initMs?.toFixed(0) ?? '–'}), SQS small ${small.ms.toFixed(0)} ms, DynamoDB big ${ddbBigMs.toFixed(0)} ms, small ${ddbSmallMs.toFixed(0)} ms`,
    );
    log(
      `    extension host RSS: startup ${startup.rssMb.toFixed(0)} MB, baseline active ${baselineActive.rssMb.toFixed(0)}, Drydock active ${drydockActive.rssMb.toFixed(0)}, browsers open ${browsersOpen.rssMb.toFixed(0)}, end ${end.rssMb.toFixed(0)} (peak ${end.hwmMb.toFixed(0)})`,
    );
    return {
      drydockFirstRowMs,
      baselineFirstRowMs,
      drydockActivateLogMs,
      sqsBigMs: big.ms,
      sqsBigInitMs: big.initMs,
      sqsSmallMs: small.ms,
      ddbBigMs,
      ddbSmallMs,
      memory: { startup, baselineActive, drydockActive, browsersOpen, end },
      firstOpened,
    };
  } catch (e) {
    fs.mkdirSync(path.join(__dirname, '..', '..', 'artifacts', 'screenshots'), { recursive: true });
    await session.page
      .screenshot({ path: path.join(__dirname, '..', '..', 'artifacts', 'screenshots', 'bench-explorer-failure.png') })
      .catch(() => undefined);
    throw e;
  } finally {
    await session.close();
  }
}
