import { runStandalone, type Benchmark } from '../lib/benchmark';
import type { SessionSample } from './workbench';

const median = (xs: number[]) => {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The extension host's memory through the sessions (medians), as a Markdown table. */
export function memoryTable(sessions: readonly SessionSample[]): string {
  const rows: [string, (s: SessionSample) => number][] = [
    ['At startup (neither extension active)', (s) => s.memory.startup.rssMb],
    ['Baseline extension active', (s) => s.memory.baselineActive.rssMb],
    ['Drydock active, Local Clusters shown', (s) => s.memory.drydockActive.rssMb],
    ['A Drydock browser open (largest seen)', (s) => s.memory.browsersOpen.rssMb],
    ['End (browsers closed)', (s) => s.memory.end.rssMb],
    ['Peak (VmHWM) over the session', (s) => s.memory.end.hwmMb],
  ];
  const delta = (a: (s: SessionSample) => number, b: (s: SessionSample) => number) =>
    median(sessions.map((s) => a(s) - b(s)));
  const lines = [
    '| Extension host memory | VmRSS (MB, median) |',
    '|---|---|',
    ...rows.map(([what, pick]) => `| ${what} | ${median(sessions.map(pick)).toFixed(0)} |`),
    `| Drydock's activation, RSS delta | ${median(sessions.map((s) => (s.firstOpened === 'drydock' ? s.memory.drydockActive.rssMb - s.memory.startup.rssMb : s.memory.drydockActive.rssMb - s.memory.baselineActive.rssMb))).toFixed(0)} |`,
    `| Baseline extension's activation, RSS delta | ${median(sessions.map((s) => (s.firstOpened === 'baseline' ? s.memory.baselineActive.rssMb - s.memory.startup.rssMb : s.memory.baselineActive.rssMb - s.memory.drydockActive.rssMb))).toFixed(0)} |`,
    `| Browsers open vs views only, RSS delta | ${delta(
      (s) => s.memory.browsersOpen.rssMb,
      (s) => Math.max(s.memory.drydockActive.rssMb, s.memory.baselineActive.rssMb),
    ).toFixed(0)} |`,
  ];
  lastMemoryTable = lines.join('\n');
  return lastMemoryTable;
}

let lastMemoryTable: string | undefined;

/** Like lib/benchmark's mainIf, and prints the memory table after the results table when run directly. */
export function mainIfExplorer(module: NodeJS.Module, bench: Benchmark): void {
  if (require.main !== module) return;
  runStandalone(bench).then(
    () => {
      if (lastMemoryTable && !process.argv.includes('--json')) process.stdout.write(`\n${lastMemoryTable}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${bench.name} failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
