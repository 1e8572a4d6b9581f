/**
 * Memory over time in the extension host: open/close cycles of each AWS browser panel — the SQS message browser
 * (on moto, and on LocalStack when the environment runs it), the DynamoDB item browser, the S3 image preview — in
 * one real extension host (code-server, headless Chromium rendering the webviews), with the host's RSS and V8 heap
 * after every cycle (after a forced GC, so the curve shows what is retained). Baseline in the same host and run: an
 * empty webview panel with the same handshake (its page posts `ready`, the host answers once) — a block of the same
 * number of cycles first (its growth and peak), and one cycle right after each browser cycle (the time ratio, so both
 * sides of it run under the same load on a shared machine).
 *
 * A cycle: open the panel as its command does (openQueue / openTable / openObject with the Local AWS tree's own
 * node and the extension's BrowserPanels), wait until the controller has handled the webview's `ready` and posted
 * the first page (on moto the SQS browser first asks to receive: the `consentReceive` its button sends is handled
 * too), close the panel, wait for the controller's cleanup (received messages made visible again).
 * The extension-host side is bench/browserSoak/host.ts, bundled here and run through code-server's smoke-test
 * driver as test/support/runExtensionHostTests.ts runs the extension-host tests.
 *
 * Data: queue bench-sqs-<id> (20 messages; on LocalStack too), table bench-ddb-<id> (200 items), bucket
 * bench-s3-<id> (a 64×64 PNG), made with the SDK and deleted at the end.
 * Result per browser: RSS growth from the end of the warm-up (median of cycles W+1…W+10) to the end (median of the
 * last 10 cycles), target ≤ 20 MB; time per cycle against the empty panel's. Knobs: DRYDOCK_BENCH_BROWSER_SOAK_CYCLES
 * (default 100), DRYDOCK_BENCH_BROWSER_SOAK_WARMUP (default 20).
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { format } from 'node:util';
import * as esbuild from 'esbuild';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { launchChromium } from '../test/support/workbench';
import { startCodeServer } from '../tools/localenv/codeServer.mjs';
import { mainIf, type Benchmark } from './lib/benchmark';
import { awsEndpoint, awsRegion, repoRoot, uniqueId, type BenchEnv } from './lib/env';
import { createAwsClients, type AwsClients } from '../src/core/aws/clients';
import { newResult, type BenchResult } from './lib/result';
import { createBucket, deleteBucket } from './lib/s3';
import { createQueueWithMessages, createTableWithItems, deleteQueue, deleteTable } from './explorer/data';
import type { BrowserSoakConfig, BrowserSoakOutput, SoakSide } from './browserSoak/protocol';

const CYCLES = Number(process.env.DRYDOCK_BENCH_BROWSER_SOAK_CYCLES ?? 100);
const WARMUP = Number(process.env.DRYDOCK_BENCH_BROWSER_SOAK_WARMUP ?? 20);
const WINDOW = 10;
const MESSAGES = 20;
const ITEMS = 200;
const IMAGE_KEY = 'pixel-grid.png';
const SIDES: SoakSide[] = ['baseline', 'sqs', 'sqs-localstack', 'dynamodb', 's3'];
const LOCALSTACK = (
  process.env.DRYDOCK_BENCH_LOCALSTACK_ENDPOINT ??
  process.env.DRYDOCK_LOCALSTACK_ENDPOINT ??
  `http://localhost:${process.env.DRYDOCK_LOCALSTACK_PORT ?? 4567}`
).replace(/\/+$/, '');
const LABEL: Record<SoakSide, string> = {
  baseline: 'empty webview panel',
  sqs: `SQS message browser (moto, ${MESSAGES} messages)`,
  'sqs-localstack': `SQS message browser (LocalStack peek, ${MESSAGES} messages)`,
  dynamodb: `DynamoDB item browser (${ITEMS} items)`,
  s3: 'S3 image preview (64×64 PNG)',
};

/** What a cycle of each browser does beyond the handshake. */
const WHAT_A_CYCLE_DOES: Record<SoakSide, string> = {
  baseline: '',
  sqs: 'each cycle: list queues and attributes, then (moto lists only by receiving, so the browser asks first) the consentReceive its button sends, receive the messages, and on close make them visible again',
  'sqs-localstack':
    "each cycle: list queues and attributes, then LocalStack's peek (its internal endpoint, over fetch) lists the messages without receiving them",
  dynamodb: 'each cycle: DescribeTable, then a Scan of the first page (50 items) to the grid',
  s3: 'each cycle: GetObject of the PNG, posted as base64 to the preview',
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** A 64×64 RGB PNG (a gradient): a real image for the S3 preview, made without an image library. */
function png(): Buffer {
  const w = 64;
  const h = 64;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([x * 4, y * 4, 128], y * (w * 3 + 1) + 1 + x * 3);
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Bundles the extension-host side with its settings (inside the repository: VS Code gives `vscode` to Drydock's files). */
async function bundleHost(config: BrowserSoakConfig): Promise<string> {
  const outfile = path.join(
    repoRoot,
    'out',
    'bench',
    `browserSoak-${path.basename(path.dirname(config.resultFile))}.js`,
  );
  mkdirSync(path.dirname(outfile), { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'bench', 'browserSoak', 'host.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
    define: {
      __BROWSER_SOAK_CONFIG__: JSON.stringify(JSON.stringify(config)),
      'import.meta.url': '__drydockImportMetaUrl',
    },
    banner: { js: "const __drydockImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
  });
  return outfile;
}

/** code-server with Drydock as the development extension, the host side as extensionTestsPath; its output. */
async function runInExtensionHost(
  hostFile: string,
  config: BrowserSoakConfig,
  log: (m: string) => void,
): Promise<BrowserSoakOutput> {
  const server = await startCodeServer({
    smokeTestDriver: true,
    linkExtension: false,
    settings: {
      'drydock.aws.endpoints': [config.endpoint, ...(config.localstack ? [config.localstack.endpoint] : [])],
    },
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const remote = `vscode-remote://127.0.0.1:${server.port}`;
    const payload = [
      ['extensionDevelopmentPath', `${remote}${repoRoot}`],
      ['extensionTestsPath', `${remote}${hostFile}`],
      ['skipWelcome', 'true'],
    ];
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (/^\[browser-soak\]/.test(line)) log(`  ${line}`);
    });
    await page.goto(
      `${server.url}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
    );
    const limitMs = 60_000 + CYCLES * config.sides.length * 20_000;
    const code = await Promise.race([exit, new Promise<number>((resolve) => setTimeout(() => resolve(-1), limitMs))]);
    if (code === -1) throw new Error(`the extension host did not finish within ${limitMs / 1000} s`);
    const out = existsSync(config.resultFile)
      ? (JSON.parse(readFileSync(config.resultFile, 'utf8')) as BrowserSoakOutput | { error: string })
      : { error: `the extension host wrote no result (exit code ${code}); code-server log: ${server.logFile}` };
    if ('error' in out) throw new Error(`in the extension host: ${out.error}`);
    if (code !== 0) throw new Error(`the extension host exited with ${code}`);
    return out;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

function growthOf(xs: number[]) {
  const early = median(xs.slice(WARMUP, WARMUP + WINDOW));
  const late = median(xs.slice(-WINDOW));
  return { early, late, growth: late - early };
}

const curveOf = (xs: number[]) =>
  xs
    .map((x, i) => [i + 1, x] as const)
    .filter(([i]) => i === 1 || i % 10 === 0)
    .map(([i, x]) => `${i}: ${x.toFixed(0)}`)
    .join(', ');

/** The median cycle time of each block of WINDOW cycles after the warm-up (the "runs" of a row: a time curve). */
function blockMedians(seconds: number[]): number[] {
  const out: number[] = [];
  for (let i = WARMUP; i < seconds.length; i += WINDOW) out.push(median(seconds.slice(i, i + WINDOW)));
  return out;
}

async function run(env: BenchEnv): Promise<BenchResult[]> {
  const { aws, log } = env;
  if (!existsSync(path.join(repoRoot, 'dist', 'extension.js')) || !existsSync(path.join(repoRoot, 'dist', 'webview')))
    throw new Error('dist/ is not built (the development extension and its webview bundles): run `npm run build`');
  const id = uniqueId();
  const names = { queue: `bench-sqs-${id}`, table: `bench-ddb-${id}`, bucket: `bench-s3-${id}` };
  let queueUrl: string | undefined;
  let table = false;
  let bucket = false;
  let hostFile: string | undefined;
  let localstack: AwsClients | undefined;
  let lsQueueUrl: string | undefined;
  try {
    log(`  seeding ${names.queue} (${MESSAGES} messages), ${names.table} (${ITEMS} items), ${names.bucket} (one PNG)`);
    queueUrl = await createQueueWithMessages(aws, names.queue, MESSAGES);
    table = true;
    await createTableWithItems(aws, names.table, ITEMS);
    bucket = true;
    await createBucket(aws.s3, names.bucket);
    await aws.s3.send(
      new PutObjectCommand({ Bucket: names.bucket, Key: IMAGE_KEY, Body: png(), ContentType: 'image/png' }),
    );
    // LocalStack's SQS (the browser's peek path) when the environment runs it; the side is left out otherwise.
    const health = await fetch(`${LOCALSTACK}/_localstack/health`, { signal: AbortSignal.timeout(5000) }).then(
      async (r) => (r.ok ? ((await r.json()) as { version?: string }) : undefined),
      () => undefined,
    );
    if (health) {
      localstack = createAwsClients({ url: LOCALSTACK, region: awsRegion });
      lsQueueUrl = await createQueueWithMessages(localstack, names.queue, MESSAGES);
      log(`  LocalStack ${health.version ?? '?'} at ${LOCALSTACK}: ${names.queue} there too (${MESSAGES} messages)`);
    } else log(`  LocalStack does not answer at ${LOCALSTACK}: its SQS side is left out of this run`);
    const sides = SIDES.filter((s) => s !== 'sqs-localstack' || health);
    const config: BrowserSoakConfig = {
      resultFile: path.join(env.tmp, 'browser-soak.json'),
      endpoint: awsEndpoint.replace(/\/+$/, ''),
      queue: names.queue,
      table: names.table,
      bucket: names.bucket,
      imageKey: IMAGE_KEY,
      localstack: health ? { endpoint: LOCALSTACK, queue: names.queue } : undefined,
      cycles: CYCLES,
      sides,
    };
    hostFile = await bundleHost(config);
    log(`  ${CYCLES} open/close cycles each of: ${sides.map((s) => LABEL[s]).join('; ')} — one extension host`);
    const out = await runInExtensionHost(hostFile, config, log);
    const baseline = out.sides.find((s) => s.side === 'baseline')!;
    const base = growthOf(baseline.rssMb);
    const baseHeap = growthOf(baseline.heapMb);
    const first = out.sides[0]!;
    const last = out.sides[out.sides.length - 1]!;
    return out.sides
      .filter((s) => s.side !== 'baseline')
      .map((s) => {
        const g = growthOf(s.rssMb);
        const heap = growthOf(s.heapMb);
        const seconds = s.seconds.slice(WARMUP);
        const baseSeconds = s.pairedBaselineSeconds.slice(WARMUP);
        return newResult({
          bench: 'browserSoak',
          what: `Extension host: ${CYCLES} open/close cycles of the ${LABEL[s.side]}`,
          baseline: 'empty webview panel, a cycle after each (same host)',
          ours: { seconds: median(seconds), runs: blockMedians(s.seconds), peakRssMb: s.peakRssMb },
          base: {
            seconds: median(baseSeconds),
            runs: blockMedians(s.pairedBaselineSeconds),
            peakRssMb: baseline.peakRssMb,
          },
          met: g.growth <= 20,
          target: 'RSS growth ≤ 20 MB after warm-up',
          notes: [
            `RSS growth after warm-up: ${g.growth.toFixed(1)} MB (median of the last ${WINDOW} cycles ${g.late.toFixed(1)} MB vs cycles ${WARMUP + 1}–${WARMUP + WINDOW} ${g.early.toFixed(1)} MB; ${s.rssBeforeMb.toFixed(1)} MB before its first cycle); V8 heap in use ${heap.growth >= 0 ? '+' : ''}${heap.growth.toFixed(2)} MB (${heap.early.toFixed(1)} → ${heap.late.toFixed(1)} MB). The empty panel in the same host: RSS ${base.growth >= 0 ? '+' : ''}${base.growth.toFixed(1)} MB (${base.early.toFixed(1)} → ${base.late.toFixed(1)} MB), heap ${baseHeap.growth >= 0 ? '+' : ''}${baseHeap.growth.toFixed(2)} MB. Memory is sampled in the extension host after a forced GC once the panel has closed; a cycle is open → first page posted → closed and cleaned up; the time columns are the median cycle after the ${WARMUP} warm-up cycles — the baseline's from an empty-panel cycle run right after each of them (same load) — the runs the median of each block of ${WINDOW}; the empty panel's own block of ${CYCLES} cycles (first in the host) gives its growth and peak`,
            `RSS curve (cycle: MB): ${curveOf(s.rssMb)}; empty panel: ${curveOf(baseline.rssMb)}`,
            `${WHAT_A_CYCLE_DOES[s.side]}; rows of data posted per cycle: ${[...new Set(s.rows)].join(', ')}; peak RSS (VmHWM${out.peakResettable ? ', reset before each block' : ' — not resettable here: the process peak so far'}) ${s.peakRssMb.toFixed(0)} MB vs the empty panel's ${baseline.peakRssMb.toFixed(0)} MB; order in the host: ${sides.join(' → ')}, whole host ${first.rssBeforeMb.toFixed(0)} → ${last.rssMb[last.rssMb.length - 1]!.toFixed(0)} MB over ${CYCLES * sides.length} cycles (+ ${CYCLES * (sides.length - 1)} paired empty-panel cycles); Node ${out.node} in the host, load ${os.loadavg()[0]!.toFixed(1)} at the end`,
          ],
        });
      });
  } finally {
    if (hostFile) rmSync(hostFile, { force: true });
    if (localstack && lsQueueUrl)
      await deleteQueue(localstack, lsQueueUrl).catch((e: Error) =>
        log(`could not delete ${names.queue} on LocalStack: ${e.message}`),
      );
    localstack?.destroy();
    if (queueUrl)
      await deleteQueue(aws, queueUrl).catch((e: Error) => log(`could not delete ${names.queue}: ${e.message}`));
    if (table)
      await deleteTable(aws, names.table).catch((e: Error) => log(`could not delete ${names.table}: ${e.message}`));
    if (bucket)
      await deleteBucket(aws.s3, names.bucket).catch((e: Error) =>
        log(`could not delete ${names.bucket}: ${e.message}`),
      );
  }
}

export const bench: Benchmark = {
  name: 'browserSoak',
  description: `memory over time in the extension host: ${CYCLES} open/close cycles of each AWS browser panel`,
  run,
};

mainIf(module, bench);
