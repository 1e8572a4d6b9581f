import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** One timed run: wall-clock seconds and the peak resident set size seen while it ran. */
export interface Sample {
  seconds: number;
  peakRssMb: number;
}

const MB = 1024 * 1024;

function statusKb(pid: number | 'self', field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // the process has gone
  }
}

/** Resets this process's VmHWM (Linux ≥ 4.0) so it holds the peak of what follows; false where not possible. */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Times `fn` in this process and samples `process.memoryUsage().rss` every 20 ms; with Linux's VmHWM
 * reset just before, the peak between samples is caught too. The process's own baseline (Node, the
 * SDKs) is part of the figure: it is what a user's `drydock` process would hold.
 */
export async function measureInProcess<T>(fn: () => Promise<T>): Promise<Sample & { value: T }> {
  // No forced gc() first: V8's forced, memory-reducing collection also throws away optimised code and
  // type feedback, so every run after one re-warms the JIT — which no user's process does, and which cost
  // allocation-heavy code (a snapshot) ~100 ms of CPU where it cost bare list calls little (BENCHMARKS.md).
  const canReset = resetPeak();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = performance.now();
  try {
    const value = await fn();
    const seconds = (performance.now() - start) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    const hwm = canReset ? statusKb('self', 'VmHWM') : undefined;
    if (hwm !== undefined) peak = Math.max(peak, hwm * 1024);
    return { seconds, peakRssMb: peak / MB, value };
  } finally {
    clearInterval(timer);
  }
}

export interface ProcessRun extends Sample {
  code: number | null;
  stderr: string;
}

/**
 * Runs one command to completion (stdout to `stdoutFile` or discarded), timing it and sampling its
 * /proc/<pid>/status VmHWM (its own peak so far) every 20 ms.
 */
export function runProcess(
  command: string,
  args: string[],
  opts: { stdoutFile?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<ProcessRun> {
  const out = opts.stdoutFile ? openSync(opts.stdoutFile, 'w') : 'ignore';
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', out, 'pipe'], env: opts.env ?? process.env, cwd: opts.cwd });
    let peakKb = 0;
    const sample = () => {
      if (child.pid === undefined) return;
      peakKb = Math.max(peakKb, statusKb(child.pid, 'VmHWM') ?? statusKb(child.pid, 'VmRSS') ?? 0);
    };
    const timer = setInterval(sample, 20);
    setImmediate(sample);
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => {
      if (stderr.length < 20_000) stderr += c.toString('utf8');
    });
    child.on('error', (error) => {
      clearInterval(timer);
      if (typeof out === 'number') closeSync(out);
      reject(error);
    });
    child.on('exit', () => sample());
    child.on('close', (code) => {
      const seconds = (performance.now() - start) / 1000;
      clearInterval(timer);
      if (typeof out === 'number') closeSync(out);
      resolve({ seconds, peakRssMb: peakKb / 1024, code, stderr });
    });
  });
}

/** A run that must succeed: a non-zero exit is an error with the command's stderr. */
export async function runChecked(
  command: string,
  args: string[],
  opts: Parameters<typeof runProcess>[2] = {},
): Promise<ProcessRun> {
  const r = await runProcess(command, args, opts);
  if (r.code !== 0)
    throw new Error(`${command} ${args.join(' ')} exited with ${r.code}: ${r.stderr.trim().slice(0, 2000)}`);
  return r;
}

export interface Stat {
  /** Median of the measured runs. */
  seconds: number;
  runs: number[];
  peakRssMb: number;
}

export interface Side {
  /** Before each run, untimed (fresh target namespace, empty directory…). */
  setup?: (run: number) => Promise<void>;
  run: (run: number) => Promise<Sample>;
  /** After each run, untimed (delete what the run made). */
  teardown?: (run: number) => Promise<void>;
}

export interface CompareOptions {
  /** One untimed run of each side first (discovery caches, JIT, connection pools). */
  warmup: boolean;
  /** Measured runs of each side, alternating ours and the baseline so noise hits both. */
  runs: number;
  /** Stop after the first measured pair when a run takes longer than this (long runs need no median). */
  longRunSeconds?: number;
  log?: (message: string) => void;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Runs each side back to back (a warm-up of each, then measured runs alternating between the sides so
 * noise from other work on the machine hits all of them); the median and peak RSS of each side. The order
 * rotates every round, so no side always runs right after the same one (a side that leaves the disk or
 * the allocator busy would otherwise always slow down the same neighbour).
 */
export async function compare<K extends string>(
  sides: Record<K, Side>,
  opts: CompareOptions,
): Promise<Record<K, Stat>> {
  const log = opts.log ?? (() => {});
  const names = Object.keys(sides) as K[];
  const once = async (name: K, run: number): Promise<Sample> => {
    const side = sides[name];
    await side.setup?.(run);
    try {
      const s = await side.run(run);
      log(
        `  ${name} ${run < 0 ? 'warm-up' : `run ${run + 1}`}: ${s.seconds.toFixed(2)} s, peak ${s.peakRssMb.toFixed(0)} MB`,
      );
      return s;
    } finally {
      await side.teardown?.(run);
    }
  };
  if (opts.warmup) for (const name of names) await once(name, -1);
  const samples = Object.fromEntries(names.map((n) => [n, [] as Sample[]])) as Record<K, Sample[]>;
  for (let i = 0; i < opts.runs; i++) {
    let longest = 0;
    for (const name of [...names.slice(i % names.length), ...names.slice(0, i % names.length)]) {
      const s = await once(name, i);
      samples[name].push(s);
      longest = Math.max(longest, s.seconds);
    }
    if (opts.longRunSeconds !== undefined && longest > opts.longRunSeconds) {
      log(`  (runs take over ${opts.longRunSeconds} s: one measured run each)`);
      break;
    }
  }
  const stat = (xs: Sample[]): Stat => ({
    seconds: median(xs.map((x) => x.seconds)),
    runs: xs.map((x) => x.seconds),
    peakRssMb: Math.max(...xs.map((x) => x.peakRssMb)),
  });
  return Object.fromEntries(names.map((n) => [n, stat(samples[n])])) as Record<K, Stat>;
}
