import { hostname } from 'node:os';
import { join } from 'node:path';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isRunId } from './scratchNames';

/**
 * What a drill creates, written to `.drydock/drills/ledger/<run-id>.json` **before** it creates it, so a
 * later drill can remove the leftovers of one that was cancelled, failed or killed.
 */
export interface DrillLedger {
  runId: string;
  createdAt: string;
  pid: number;
  host: string;
  kube?: {
    context: string;
    server: string;
    namespaces: string[];
    persistentVolumes: string[];
    clusterObjects: ClusterObjectRef[];
  };
  aws?: { endpoint: string; region: string; queues: string[]; tables: string[]; buckets: string[] };
  /** A directory the drill wrote (its own recovery point with `--config`), removed with the rest. */
  workDir?: string;
  /** Kept for inspection after a failure; the next drill removes it. */
  kept?: boolean;
}

/** A cluster-scoped object the restore may create (it did not exist when the ledger was written). */
export interface ClusterObjectRef {
  /** API path, e.g. `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x.example.com`. */
  path: string;
  name: string;
}

export function ledgerDir(drillsDir: string): string {
  return join(drillsDir, 'ledger');
}

export function ledgerPath(drillsDir: string, runId: string): string {
  if (!isRunId(runId)) throw new Error(`Invalid drill run id ${JSON.stringify(runId)}.`);
  return join(ledgerDir(drillsDir), `${runId}.json`);
}

/** Writes (atomically: temp file + rename) the ledger; call before creating what it lists. */
export async function writeLedger(drillsDir: string, ledger: DrillLedger): Promise<void> {
  await mkdir(ledgerDir(drillsDir), { recursive: true });
  const file = ledgerPath(drillsDir, ledger.runId);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(ledger, null, 2) + '\n');
  await rename(tmp, file);
}

export async function removeLedger(drillsDir: string, runId: string): Promise<void> {
  await rm(ledgerPath(drillsDir, runId), { force: true });
}

/** Every readable ledger; unreadable ones are reported through `onBad` and left in place. */
export async function readLedgers(
  drillsDir: string,
  onBad?: (file: string, error: unknown) => void,
): Promise<DrillLedger[]> {
  let names: string[];
  try {
    names = await readdir(ledgerDir(drillsDir));
  } catch {
    return [];
  }
  const out: DrillLedger[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const file = join(ledgerDir(drillsDir), name);
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as DrillLedger;
      if (!parsed || typeof parsed.runId !== 'string' || !isRunId(parsed.runId) || `${parsed.runId}.json` !== name)
        throw new Error('not a drill ledger');
      out.push(parsed);
    } catch (error) {
      onBad?.(file, error);
    }
  }
  return out;
}

/** A drill target found through its `drydock.dev/drill` label (namespaces, stand-in volumes). */
export interface LabelledDrillObject {
  kind: 'Namespace' | 'PersistentVolume';
  name: string;
  runId: string;
  pid?: number;
  host?: string;
  createdAt?: string;
}

/** Is the drill owning these still running? `self` lists the run ids this process is running now. */
export interface Liveness {
  selfRuns: ReadonlySet<string>;
  /** True when a process with this id runs on this host. */
  processAlive(pid: number): boolean;
  host: string;
  now: number;
}

/** A drill older than this is dead whatever its pid says (pids are reused). */
export const MAX_DRILL_AGE_MS = 6 * 60 * 60 * 1000;

export function isDrillAlive(
  owner: { runId: string; pid?: number; host?: string; createdAt?: string },
  live: Liveness,
): boolean {
  if (live.selfRuns.has(owner.runId)) return true;
  if (owner.pid === undefined || owner.pid === process.pid) return false;
  const age = owner.createdAt ? live.now - Date.parse(owner.createdAt) : 0;
  if (age > MAX_DRILL_AGE_MS) return false;
  if (owner.host && owner.host !== live.host) return true;
  return live.processAlive(owner.pid);
}

export interface Leftovers {
  /** Ledgers of drills no longer running: everything they list goes. */
  ledgers: DrillLedger[];
  /** Labelled objects of dead drills that no ledger here lists (ledger lost, or another workspace's drill). */
  orphans: LabelledDrillObject[];
}

/** Which earlier drills left something behind; running drills (this one included) are left alone. */
export function findLeftovers(
  ledgers: readonly DrillLedger[],
  labelled: readonly LabelledDrillObject[],
  live: Liveness,
): Leftovers {
  const dead = ledgers.filter((l) => !isDrillAlive(l, live));
  const ledgerRuns = new Set(ledgers.map((l) => l.runId));
  const orphans = labelled.filter((o) => !ledgerRuns.has(o.runId) && !isDrillAlive(o, live));
  return { ledgers: dead, orphans };
}

export function systemLiveness(selfRuns: ReadonlySet<string>): Liveness {
  return {
    selfRuns,
    host: hostname(),
    now: Date.now(),
    processAlive(pid) {
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
  };
}
