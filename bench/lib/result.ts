import * as os from 'node:os';
import type { Stat } from './measure';

/** One row of the results table: our engine against one baseline, measured in the same run. */
export interface BenchResult {
  /** Benchmark file it came from (`kube`, `dynamodb`, …). */
  bench: string;
  /** What was measured, e.g. "Snapshot 2,000-object namespace". */
  what: string;
  baseline: string;
  ours: Stat;
  base: Stat;
  /** Target on ours/baseline (wall time): met when the ratio is at most this. */
  maxRatio?: number;
  /** Target on our peak RSS. */
  maxPeakRssMb?: number;
  /** Set when the target is not on the ratio or the peak (e.g. the soak's RSS growth): met or not, as measured. */
  met?: boolean;
  /** How the target reads, e.g. "≥ 3× faster". */
  target: string;
  notes: string[];
  measuredAt: string;
  /** load average (1 min) when the benchmark started: other work on the machine. */
  load1: number;
}

export const ratio = (r: BenchResult) => r.ours.seconds / r.base.seconds;

/** undefined when the row has no target (informational). */
export function targetMet(r: BenchResult): boolean | undefined {
  if (r.met !== undefined) return r.met;
  if (r.maxRatio === undefined && r.maxPeakRssMb === undefined) return undefined;
  return (
    (r.maxRatio === undefined || ratio(r) <= r.maxRatio) &&
    (r.maxPeakRssMb === undefined || r.ours.peakRssMb < r.maxPeakRssMb)
  );
}

export function newResult(r: Omit<BenchResult, 'measuredAt' | 'load1' | 'notes'> & { notes?: string[] }): BenchResult {
  return { ...r, notes: r.notes ?? [], measuredAt: new Date().toISOString(), load1: os.loadavg()[0]! };
}

const s = (x: number) => x.toFixed(2);
const mb = (x: number) => x.toFixed(0);

/** A Markdown table (also readable as plain text on a terminal). */
export function resultsTable(results: readonly BenchResult[]): string {
  const head = [
    'Benchmark',
    'Baseline',
    'Ours (s)',
    'Baseline (s)',
    'Ours / baseline',
    'Speed-up',
    'Target',
    'Met',
    'Peak RSS ours (MB)',
    'Peak RSS baseline (MB)',
    'Runs',
  ];
  const rows = results.map((r) => {
    const met = targetMet(r);
    return [
      r.what,
      r.baseline,
      s(r.ours.seconds),
      s(r.base.seconds),
      ratio(r).toFixed(2),
      `${(1 / ratio(r)).toFixed(2)}×`,
      r.target,
      met === undefined ? '–' : met ? 'yes' : '**no**',
      mb(r.ours.peakRssMb),
      mb(r.base.peakRssMb),
      String(r.ours.runs.length),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function machineSummary(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus.length} × ${model}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}
