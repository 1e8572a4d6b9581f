/**
 * The explorers at scale: extension activation, the first rendered page of the SQS browser on a
 * 10,000-message queue and of the DynamoDB grid on a 100,000-item table, and the extension host's memory —
 * each against a baseline measured in the same run.
 *
 * - Engine (plain Node): the browser controllers from the webview's `ready` to the first page posted, against
 *   the bare API calls for one page of the same size (ReceiveMessage until 50 messages; one Scan, Limit 50).
 * - code-server (real VS Code in headless Chromium), one session per run:
 *   - activation: click on the activity-bar icon → first row of Drydock's Local Clusters view, against the same
 *     for a minimal extension (one view container, one tree view, one row) installed beside it. The two are
 *     opened in alternating order across sessions. The log's "Drydock activated in N ms" is shown too.
 *   - browsers: click on the queue / table row in Local AWS (which runs drydock.aws.openQueue / openTable with the
 *     node) → first rendered rows inside the webview; against a small queue (50 messages) and table (500 items)
 *     of the same shape in the same session, and against the bare API page measured above. On moto the queue
 *     browser first asks for consent to receive; the click is made as soon as the button shows.
 *   - memory: VmRSS/VmHWM of the extension host process (/proc) at startup, with the baseline active, with
 *     Drydock's views open, with its browsers open.
 *
 * Data: queue bench-sqs-10k-<id> and table bench-ddb-100k-<id> (plus small ones), made with the SDK against the
 * local emulator and deleted at the end. Sizes can be lowered for a quick try with DRYDOCK_BENCH_EXPLORER_SQS_MESSAGES
 * and DRYDOCK_BENCH_EXPLORER_DDB_ITEMS (the figures then do not answer the question). moto's SendMessage costs O(queue
 * length) (it recomputes the queue's counts on each message), so filling 10,000 messages takes many minutes.
 */
import { detectEmulator } from '../src/core/aws/emulator';
import { mainIfExplorer, memoryTable } from './explorer/report';
import {
  createQueueWithMessages,
  createTableWithItems,
  deleteQueue,
  deleteTable,
  queueVisibleCount,
} from './explorer/data';
import {
  dynamoBarePage,
  dynamoControllerFirstPage,
  releaseHandles,
  sqsBarePage,
  sqsControllerFirstPage,
  PAGE_SIZE,
} from './explorer/engine';
import { measureSession, type SessionSample } from './explorer/workbench';
import { measuredRuns, type Benchmark } from './lib/benchmark';
import { uniqueId, type BenchEnv } from './lib/env';
import { compare, measureInProcess, type Stat } from './lib/measure';
import { newResult, type BenchResult } from './lib/result';

const SQS_MESSAGES = Number(process.env.DRYDOCK_BENCH_EXPLORER_SQS_MESSAGES ?? 10_000);
const DDB_ITEMS = Number(process.env.DRYDOCK_BENCH_EXPLORER_DDB_ITEMS ?? 100_000);
const SMALL_MESSAGES = 50;
const SMALL_ITEMS = 500;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** A Stat from millisecond samples (the shared table is in seconds). */
const statMs = (ms: number[], peakRssMb = 0): Stat => ({
  seconds: median(ms) / 1000,
  runs: ms.map((x) => x / 1000),
  peakRssMb,
});

const k = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

async function run(env: BenchEnv): Promise<BenchResult[]> {
  const id = uniqueId();
  const names = {
    bigQueue: `bench-sqs-${k(SQS_MESSAGES)}-${id}`,
    smallQueue: `bench-sqs-${SMALL_MESSAGES}-${id}`,
    bigTable: `bench-ddb-${k(DDB_ITEMS)}-${id}`,
    smallTable: `bench-ddb-${SMALL_ITEMS}-${id}`,
  };
  const queues: string[] = [];
  const tables: string[] = [];
  const results: BenchResult[] = [];
  const cleanUp = async () => {
    for (const url of queues.splice(0))
      await deleteQueue(env.aws, url).catch((e: Error) => env.log(`could not delete ${url}: ${e.message}`));
    for (const name of tables.splice(0))
      await deleteTable(env.aws, name).catch((e: Error) => env.log(`could not delete ${name}: ${e.message}`));
  };
  // Interrupted (the fill takes minutes on moto): delete what was made, then go.
  const onSignal = (signal: NodeJS.Signals) =>
    void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // ---- data ----
    const t = performance.now();
    env.log(
      `Filling ${names.bigQueue} (${SQS_MESSAGES} messages) and ${names.bigTable} (${DDB_ITEMS} items), and the small ones…`,
    );
    const [bigQueueUrl] = await Promise.all([
      (async () => {
        const url = await createQueueWithMessages(env.aws, names.bigQueue, SQS_MESSAGES, 8, (n) =>
          env.log(`  ${n} messages sent (${((performance.now() - t) / 1000).toFixed(0)} s)`),
        );
        queues.push(url);
        env.log(`  queue filled in ${((performance.now() - t) / 1000).toFixed(0)} s`);
        return url;
      })(),
      createQueueWithMessages(env.aws, names.smallQueue, SMALL_MESSAGES).then((url) => (queues.push(url), url)),
      (async () => {
        tables.push(names.bigTable);
        await createTableWithItems(env.aws, names.bigTable, DDB_ITEMS, 8, (n) =>
          env.log(`  ${n} items written (${((performance.now() - t) / 1000).toFixed(0)} s)`),
        );
        env.log(`  table filled in ${((performance.now() - t) / 1000).toFixed(0)} s`);
      })(),
      (tables.push(names.smallTable), createTableWithItems(env.aws, names.smallTable, SMALL_ITEMS)),
    ]);
    const visible = await queueVisibleCount(env.aws, bigQueueUrl);
    if (visible < SQS_MESSAGES)
      throw new Error(`${names.bigQueue} shows ${visible} visible messages, not ${SQS_MESSAGES}`);
    env.log(`Data ready in ${((performance.now() - t) / 1000).toFixed(0)} s`);

    // ---- engine ----
    const emulator = await detectEmulator(env.aws.endpoint.url);
    env.log(`Engine: SQS browser controller on ${names.bigQueue} (${emulator.kind}), first page of ${PAGE_SIZE}`);
    const initMs: number[] = [];
    let held: { release: () => Promise<void> } | undefined;
    const sqs = await compare(
      {
        ours: {
          run: async () => {
            const s = await measureInProcess(() => sqsControllerFirstPage(env.aws, bigQueueUrl, emulator));
            if (s.value.page.messages < 1) throw new Error('no messages in the first page');
            initMs.push(s.value.page.initMs);
            held = { release: () => s.value.controller.dispose() };
            return s;
          },
          teardown: async () => held?.release(),
        },
        baseline: {
          run: async () => {
            const s = await measureInProcess(() => sqsBarePage(env.aws, bigQueueUrl));
            held = { release: () => releaseHandles(env.aws, bigQueueUrl, s.value) };
            return s;
          },
          teardown: async () => held?.release(),
        },
      },
      { warmup: true, runs: measuredRuns, log: env.log },
    );
    results.push(
      newResult({
        bench: 'explorer.bench',
        what: `Engine: SQS browser ready → first page (${k(SQS_MESSAGES)} messages)`,
        baseline: `ReceiveMessage ×${Math.ceil(PAGE_SIZE / 10)} (${PAGE_SIZE} messages)`,
        ours: sqs.ours,
        base: sqs.baseline,
        target: 'informational',
        notes: [
          `ready → init (queue facts, consent banner on ${emulator.kind}): median ${median(initMs).toFixed(0)} ms`,
        ],
      }),
    );
    env.log(`Engine: DynamoDB browser controller on ${names.bigTable}, first page of ${PAGE_SIZE}`);
    const ddb = await compare(
      {
        ours: { run: () => measureInProcess(() => dynamoControllerFirstPage(env.aws, names.bigTable)) },
        baseline: { run: () => measureInProcess(() => dynamoBarePage(env.aws, names.bigTable)) },
      },
      { warmup: true, runs: measuredRuns, log: env.log },
    );
    results.push(
      newResult({
        bench: 'explorer.bench',
        what: `Engine: DynamoDB browser ready → first page (${k(DDB_ITEMS)} items)`,
        baseline: `one Scan, Limit ${PAGE_SIZE}`,
        ours: ddb.ours,
        base: ddb.baseline,
        target: 'informational',
      }),
    );

    // ---- code-server ----
    env.log(`code-server: ${measuredRuns} sessions`);
    const sessions: SessionSample[] = [];
    for (let i = 0; i < measuredRuns; i++)
      sessions.push(await measureSession(names, i % 2 === 0 ? 'baseline' : 'drydock', env.log));
    const col = <K extends keyof SessionSample>(key: K) => sessions.map((s) => s[key] as number);
    const peak = (pick: (s: SessionSample) => number) => Math.max(...sessions.map(pick));
    const logged = sessions.map((s) => s.drydockActivateLogMs).filter((x): x is number => x !== undefined);
    results.push(
      newResult({
        bench: 'explorer.bench',
        what: 'code-server: open container → first tree row (activation)',
        baseline: 'minimal extension, one tree view',
        ours: statMs(
          col('drydockFirstRowMs'),
          peak((s) => s.memory.drydockActive.rssMb),
        ),
        base: statMs(
          col('baselineFirstRowMs'),
          peak((s) => s.memory.baselineActive.rssMb),
        ),
        target: 'informational',
        notes: [
          `"Drydock activated in N ms" in its log: ${logged.length ? logged.join(', ') + ' ms' : 'not found'} (the synchronous part of activate())`,
          `order per session: ${sessions.map((s) => `${s.firstOpened} first`).join(', ')}; peak RSS columns: extension host after that view opened`,
        ],
      }),
      newResult({
        bench: 'explorer.bench',
        what: `code-server: SQS browser, click → first rows (${k(SQS_MESSAGES)} messages)`,
        baseline: `same, ${SMALL_MESSAGES}-message queue`,
        ours: statMs(
          col('sqsBigMs'),
          peak((s) => s.memory.browsersOpen.rssMb),
        ),
        base: statMs(
          col('sqsSmallMs'),
          peak((s) => s.memory.browsersOpen.rssMb),
        ),
        target: 'informational',
        notes: [
          `of which click → consent banner: ${sessions.map((s) => s.sqsBigInitMs?.toFixed(0) ?? '–').join(', ')} ms; the consent click is made as soon as it shows`,
          `against the bare API page (engine baseline, ${(sqs.baseline.seconds * 1000).toFixed(0)} ms): ${(median(col('sqsBigMs')) / 1000 / sqs.baseline.seconds).toFixed(1)}×`,
        ],
      }),
      newResult({
        bench: 'explorer.bench',
        what: `code-server: DynamoDB grid, click → first rows (${k(DDB_ITEMS)} items)`,
        baseline: `same, ${SMALL_ITEMS}-item table`,
        ours: statMs(
          col('ddbBigMs'),
          peak((s) => s.memory.browsersOpen.rssMb),
        ),
        base: statMs(
          col('ddbSmallMs'),
          peak((s) => s.memory.browsersOpen.rssMb),
        ),
        target: 'informational',
        notes: [
          `against the bare API page (engine baseline, ${(ddb.baseline.seconds * 1000).toFixed(0)} ms): ${(median(col('ddbBigMs')) / 1000 / ddb.baseline.seconds).toFixed(1)}×`,
        ],
      }),
    );
    env.log(memoryTable(sessions));
    return results;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const made = `${queues.length} queues and ${tables.length} tables`;
    await cleanUp();
    env.log(`Deleted ${made}`);
  }
}

export const explorerBenchmark: Benchmark = {
  name: 'explorer.bench',
  description: `explorers at scale: activation, first page of a ${k(SQS_MESSAGES)}-message queue and a ${k(DDB_ITEMS)}-item table, extension host memory`,
  run,
};

mainIfExplorer(module, explorerBenchmark);
