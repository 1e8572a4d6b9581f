// The browser soak's side inside the extension host (bench/browserSoak.ts bundles it and hands it to code-server's
// smoke-test driver as extensionTestsPath): opens and closes each AWS browser panel over and over — the way its
// command opens it, with the extension's own BrowserPanels and panel specs — and an empty webview panel as the
// baseline, sampling this process's RSS after every cycle. Writes its figures as JSON to the file the bench names.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { silentLogger } from '../../src/core/log';
import { openQueue, openTable } from '../../src/vscode/aws/commands/openBrowsers';
import { openObject, type S3CommandDeps } from '../../src/vscode/aws/commands/s3Objects';
import { SqsBrowserController } from '../../src/vscode/aws/browsers/sqsBrowserController';
import { EndpointRegistry } from '../../src/vscode/aws/endpointRegistry';
import { BrowserPanels, type BrowserPanelSpec, type PanelController } from '../../src/vscode/aws/panels/browserPanel';
import { S3DocumentProvider } from '../../src/vscode/aws/s3Documents';
import { AwsTreeProvider } from '../../src/vscode/aws/tree/AwsTreeProvider';
import type { AwsNode, ObjectNode, QueueNode, TableNode } from '../../src/vscode/aws/tree/nodes';
import type { BrowserSoakConfig, BrowserSoakOutput, SideSamples } from './protocol';

declare const __BROWSER_SOAK_CONFIG__: string;
const config = JSON.parse(__BROWSER_SOAK_CONFIG__) as BrowserSoakConfig;
const MB = 1024 * 1024;
const STEP_TIMEOUT_MS = 60_000;

/** A forced full collection (the extension host has no --expose-gc: the flag is set now, V8 hands gc out). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  if (typeof gc !== 'function') throw new Error('could not get gc() in the extension host');
  return gc;
}

function statusKb(field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** Resets VmHWM (Linux ≥ 4.0) so it holds the peak of what follows; false where not allowed. */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function withTimeout<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what}: nothing after ${STEP_TIMEOUT_MS / 1000} s`)),
        STEP_TIMEOUT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const isReady = (raw: unknown) =>
  typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'ready';

/** What one open/close cycle of a browser panel saw. */
class Cycle {
  readonly firstPage = deferred<void>();
  readonly disposed = deferred<void>();
  panel: vscode.WebviewPanel | undefined;
  /** Rows of data posted to the webview (messages, items, image bytes). */
  rows = 0;

  posted(m: { type: string }): void {
    const msg = m as { type: string; messages?: unknown[]; items?: unknown[]; size?: number; message?: string };
    if (msg.type === 'error') this.firstPage.reject(new Error(`the browser posted an error: ${msg.message}`));
    if (msg.type === 'messages') this.rows += msg.messages?.length ?? 0;
    if (msg.type === 'page') this.rows += msg.items?.length ?? 0;
    if (msg.type === 'image') this.rows += 1;
  }
}

/**
 * The extension's BrowserPanels, watching what each panel's controller posts: the cycle's first page is done when
 * the controller has handled the webview's `ready` (it posts the first page before that returns) — on moto the SQS
 * browser first asks to receive, so the same `consentReceive` its button sends is handled too.
 */
class ObservedPanels extends BrowserPanels {
  cycle: Cycle | undefined;

  override show<H extends { type: string }>(spec: BrowserPanelSpec<H>): vscode.WebviewPanel {
    const cycle = this.cycle!;
    const panel = super.show({
      ...spec,
      makeController: (post): PanelController => {
        const controller = spec.makeController((m) => {
          cycle.posted(m);
          post(m);
        });
        return {
          async handle(raw) {
            await controller.handle(raw);
            if (!isReady(raw)) return;
            if (controller instanceof SqsBrowserController && controller.browseMode === 'consent-needed')
              await controller.handle({ type: 'consentReceive' });
            cycle.firstPage.resolve();
          },
          async dispose() {
            try {
              await controller.dispose?.();
            } finally {
              cycle.disposed.resolve();
            }
          },
        };
      },
    });
    cycle.panel = panel;
    return panel;
  }
}

/** The baseline: an empty webview panel with the same handshake (the page posts `ready`, the host answers once). */
async function emptyPanelCycle(): Promise<number> {
  const ready = deferred<void>();
  const panel = vscode.window.createWebviewPanel('drydockBench.emptyPanel', 'Empty', vscode.ViewColumn.Active, {
    enableScripts: true,
    retainContextWhenHidden: false,
  });
  const nonce = randomBytes(18).toString('base64');
  const sub = panel.webview.onDidReceiveMessage((raw: unknown) => {
    if (!isReady(raw)) return;
    void panel.webview.postMessage({ type: 'init' });
    ready.resolve();
  });
  const disposed = deferred<void>();
  const onDispose = panel.onDidDispose(() => disposed.resolve());
  panel.webview.html = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'"><title>Empty</title></head><body><main id="app"></main><script nonce="${nonce}">acquireVsCodeApi().postMessage({ type: 'ready' });</script></body></html>`;
  await withTimeout('empty panel: ready', ready.promise);
  sub.dispose();
  panel.dispose();
  await disposed.promise;
  onDispose.dispose();
  return 1;
}

async function child(tree: AwsTreeProvider, parent: AwsNode | undefined, name: string): Promise<AwsNode> {
  const kids = await tree.getChildren(parent);
  const label = (n: AwsNode) => {
    const l = tree.getTreeItem(n).label;
    return typeof l === 'string' ? l : (l?.label ?? '');
  };
  const found = kids.find((k) => label(k) === name);
  if (!found) throw new Error(`"${name}" is not among ${kids.map(label).join(', ')}`);
  return found;
}

async function soak(log: (m: string) => void): Promise<BrowserSoakOutput> {
  const gc = collector();
  const extension = vscode.extensions.getExtension('drydock.drydock');
  if (!extension) throw new Error('Drydock (drydock.drydock) is not loaded in this extension host');
  await extension.activate();
  const registry = new EndpointRegistry(silentLogger);
  const tree = new AwsTreeProvider(registry, silentLogger);
  const panels = new ObservedPanels(extension.extensionUri, silentLogger);
  const documents = new S3DocumentProvider(registry, silentLogger);
  const s3: S3CommandDeps = { registry, panels, documents, logger: silentLogger, refresh: () => undefined };
  try {
    // The rows a person clicks in Local AWS, found once (the tree's own nodes, as the commands receive them).
    const endpoint = await child(tree, undefined, config.endpoint);
    const queue = (await child(tree, await child(tree, endpoint, 'SQS'), config.queue)) as QueueNode;
    const table = (await child(tree, await child(tree, endpoint, 'DynamoDB'), config.table)) as TableNode;
    const bucket = await child(tree, await child(tree, endpoint, 'S3'), config.bucket);
    const image = (await child(tree, bucket, config.imageKey)) as ObjectNode;

    const lsQueue = config.localstack
      ? ((await child(
          tree,
          await child(tree, await child(tree, undefined, config.localstack.endpoint), 'SQS'),
          config.localstack.queue,
        )) as QueueNode)
      : undefined;

    const browsers: Record<string, () => Promise<unknown>> = {
      sqs: () => openQueue(queue, panels, registry, silentLogger),
      'sqs-localstack': () => openQueue(lsQueue!, panels, registry, silentLogger),
      dynamodb: () => Promise.resolve(openTable(table, panels, registry, silentLogger)),
      s3: () => openObject(image, s3),
    };
    const browserCycle = async (name: string): Promise<number> => {
      const cycle = new Cycle();
      cycle.firstPage.promise.catch(() => undefined); // awaited below; an early error is not an unhandled one
      panels.cycle = cycle;
      await browsers[name]!();
      await withTimeout(`${name}: first page`, cycle.firstPage.promise);
      if (!cycle.panel) throw new Error(`${name}: no panel was opened`);
      cycle.panel.dispose();
      await withTimeout(`${name}: dispose`, cycle.disposed.promise);
      if (panels.keys.length)
        throw new Error(`${name}: panels still registered after dispose: ${panels.keys.join(', ')}`);
      return cycle.rows;
    };

    const sides: SideSamples[] = [];
    const canReset = resetPeak();
    for (const side of config.sides) {
      const run = side === 'baseline' ? emptyPanelCycle : () => browserCycle(side);
      gc();
      const samples: SideSamples = {
        side,
        rssBeforeMb: process.memoryUsage().rss / MB,
        seconds: [],
        rssMb: [],
        heapMb: [],
        rows: [],
        pairedBaselineSeconds: [],
        peakRssMb: 0,
      };
      if (canReset) resetPeak();
      let peak = samples.rssBeforeMb;
      for (let n = 0; n < config.cycles; n++) {
        const t0 = performance.now();
        samples.rows.push(await run());
        samples.seconds.push((performance.now() - t0) / 1000);
        peak = Math.max(peak, process.memoryUsage().rss / MB);
        gc();
        const memory = process.memoryUsage();
        samples.rssMb.push(memory.rss / MB);
        samples.heapMb.push(memory.heapUsed / MB);
        if (side !== 'baseline') {
          // A paired empty-panel cycle right after (its retained memory is nil: see the baseline block), so the
          // time ratio compares cycles run under the same load on this shared machine.
          const t1 = performance.now();
          await emptyPanelCycle();
          samples.pairedBaselineSeconds.push((performance.now() - t1) / 1000);
        }
        if ((n + 1) % 10 === 0)
          log(
            `[browser-soak] ${side} cycle ${n + 1}: ${(samples.seconds[n]! * 1000).toFixed(0)} ms, RSS ${samples.rssMb[n]!.toFixed(1)} MB, heap ${samples.heapMb[n]!.toFixed(1)} MB`,
          );
      }
      samples.peakRssMb = Math.max(peak, canReset ? statusKb('VmHWM') / 1024 : 0);
      sides.push(samples);
    }
    return { sides, pid: process.pid, node: process.version, peakResettable: canReset };
  } finally {
    panels.dispose();
    documents.dispose();
    tree.dispose();
    registry.dispose();
  }
}

/** Called by code-server's smoke-test driver; the window exits with 0 when this resolves. */
export async function run(): Promise<void> {
  const log = (m: string) => console.log(m);
  try {
    writeFileSync(config.resultFile, JSON.stringify(await soak(log)));
  } catch (error) {
    writeFileSync(config.resultFile, JSON.stringify({ error: (error as Error).stack ?? String(error) }));
    throw error;
  }
}
