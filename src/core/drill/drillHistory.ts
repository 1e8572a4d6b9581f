import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DrillPhase, DrillReport, DrillStatus } from './drillReport';

/** One line of `.drydock/drills/history.jsonl`: enough to chart recovery time and results across runs. */
export interface DrillHistoryEntry {
  runId: string;
  startedAt: string;
  status: DrillStatus;
  recoveryPoint: string;
  namespace: string;
  recoveryTimeMs: number;
  totalMs: number;
  phases: Partial<Record<DrillPhase | 'cleanup', number>>;
  checks: { passed: number; failed: number };
  failingGaps: number;
  report?: string;
}

export const HISTORY_FILE = 'history.jsonl';

export function historyEntryOf(r: DrillReport): DrillHistoryEntry {
  const phases: DrillHistoryEntry['phases'] = {};
  for (const p of r.phases) phases[p.phase] = p.durationMs;
  return {
    runId: r.runId,
    startedAt: r.startedAt,
    status: r.status,
    recoveryPoint: r.recoveryPoint.id,
    namespace: r.target.namespace,
    recoveryTimeMs: r.recoveryTimeMs,
    totalMs: r.totalMs,
    phases,
    checks: { passed: r.counts.passed, failed: r.counts.failed },
    failingGaps: r.counts.failingGaps,
    report: r.files?.json,
  };
}

/** Appends one run to the history (one JSON line; the file is created when missing). */
export async function appendDrillHistory(drillsDir: string, report: DrillReport): Promise<void> {
  await mkdir(drillsDir, { recursive: true });
  await appendFile(join(drillsDir, HISTORY_FILE), JSON.stringify(historyEntryOf(report)) + '\n');
}

/** Every run recorded in `<drillsDir>/history.jsonl`, oldest first; a damaged line is skipped, not fatal. */
export async function readDrillHistory(drillsDir: string): Promise<DrillHistoryEntry[]> {
  let text: string;
  try {
    text = await readFile(join(drillsDir, HISTORY_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: DrillHistoryEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as DrillHistoryEntry;
      if (typeof e.runId === 'string' && typeof e.recoveryTimeMs === 'number') out.push(e);
    } catch {
      // a line cut short by a killed process: skip it
    }
  }
  return out;
}
