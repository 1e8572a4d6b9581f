import { writeFileSync } from 'node:fs';
import { openBenchEnv, type BenchEnv } from './env';
import { resultsTable, type BenchResult } from './result';

export interface Benchmark {
  /** File name without `.ts`; what `npm run bench -- <name>` selects. */
  name: string;
  description: string;
  run(env: BenchEnv): Promise<BenchResult[]>;
}

/** How many measured runs short benchmarks make (DRYDOCK_BENCH_RUNS overrides; at least 3 by default). */
export const measuredRuns = Math.max(1, Number(process.env.DRYDOCK_BENCH_RUNS ?? 3));

/**
 * Entry point of a benchmark file run directly (`node --import tsx bench/<file>.ts`): runs it, prints
 * its table; `--json <file>` also writes the results there (how bench/run.ts collects them).
 */
export async function runStandalone(bench: Benchmark): Promise<void> {
  const jsonAt = process.argv.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? process.argv[jsonAt + 1] : undefined;
  const env = await openBenchEnv();
  let results: BenchResult[];
  try {
    env.log(`== ${bench.name}: ${bench.description}`);
    results = await bench.run(env);
  } finally {
    await env.close();
  }
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(results, null, 2));
  else
    process.stdout.write(
      `${resultsTable(results)}\n${results.flatMap((r) => r.notes.map((n) => `- ${r.what}: ${n}`)).join('\n')}\n`,
    );
}

/** Runs `bench` when its file is the program (not when bench/run.ts imports it). */
export function mainIf(module: NodeJS.Module, bench: Benchmark): void {
  if (require.main !== module) return;
  runStandalone(bench).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${bench.name} failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
