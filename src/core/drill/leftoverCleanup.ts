import type { AwsClients } from '../aws/clients';
import { describeError } from '../errors';
import type { KubeRawClient } from '../kube/rawClient';
import type { Logger } from '../log';
import {
  listLabelledDrillObjects,
  listOrphanAwsNames,
  removeDrillTarget,
  removeOrphan,
  type CleanupOutcome,
} from './drillCleanup';
import { findLeftovers, readLedgers, removeLedger, systemLiveness, type DrillLedger } from './ledger';

export interface LeftoverCleanupOptions {
  drillsDir: string;
  kube?: KubeRawClient;
  aws?: AwsClients;
  logger: Logger;
  /** Run ids of drills this process is running (left alone). */
  selfRuns: ReadonlySet<string>;
  signal?: AbortSignal;
}

/**
 * Removes what earlier drills left behind: every ledger of a drill that is no longer running (its namespaces,
 * stand-in volumes, cluster objects, AWS copies), then drill-labelled objects no ledger lists, and AWS resources
 * named `drill-<run id>-…` whose drill has neither a ledger nor a namespace any more.
 */
export async function cleanupLeftovers(o: LeftoverCleanupOptions): Promise<CleanupOutcome> {
  const out: CleanupOutcome = { removed: [], errors: [] };
  const ledgers = await readLedgers(o.drillsDir, (file, e) =>
    out.errors.push(`${file} is not a readable drill ledger (${describeError(e)}); remove it by hand`),
  );
  const labelled = o.kube ? await listLabelledDrillObjects(o.kube, o.signal) : [];
  const live = systemLiveness(o.selfRuns);
  const { ledgers: dead, orphans } = findLeftovers(ledgers, labelled, live);
  for (const l of dead) {
    if (!sameTarget(l, o)) continue;
    o.logger.info(`Removing leftovers of drill ${l.runId} (${l.kept ? 'kept for inspection' : 'interrupted'})`);
    const r = await removeDrillTarget(l, { kube: o.kube, aws: o.aws, logger: o.logger });
    out.removed.push(...r.removed);
    out.errors.push(...r.errors);
    if (r.errors.length === 0) await removeLedger(o.drillsDir, l.runId);
  }
  for (const orphan of orphans) {
    const r = await removeOrphan(orphan, { kube: o.kube, aws: o.aws, logger: o.logger });
    out.removed.push(...r.removed);
    out.errors.push(...r.errors);
  }
  if (o.aws) {
    // Run ids that still own something: a running drill's, or one whose ledger remains (another target).
    const keep = new Set<string>([...o.selfRuns, ...ledgers.map((l) => l.runId)]);
    for (const l of labelled) if (!orphans.includes(l)) keep.add(l.runId);
    try {
      const names = await listOrphanAwsNames(o.aws, keep);
      if (names.queues.length + names.tables.length + names.buckets.length > 0) {
        const pseudo: DrillLedger = {
          runId: 'orphans',
          createdAt: new Date().toISOString(),
          pid: 0,
          host: '',
          aws: { endpoint: o.aws.endpoint.url, region: o.aws.endpoint.region, ...names },
        };
        const r = await removeDrillTarget(pseudo, { aws: o.aws, logger: o.logger });
        out.removed.push(...r.removed);
        out.errors.push(...r.errors);
      }
    } catch (error) {
      out.errors.push(`listing drill AWS resources: ${describeError(error)}`);
    }
  }
  return out;
}

/** A ledger is cleaned only with clients for the target it names (same server and endpoint). */
function sameTarget(l: DrillLedger, o: LeftoverCleanupOptions): boolean {
  if (l.kube && (!o.kube || o.kube.server !== l.kube.server)) return false;
  if (l.aws && (!o.aws || o.aws.endpoint.url.replace(/\/+$/, '') !== l.aws.endpoint.replace(/\/+$/, ''))) return false;
  return true;
}
