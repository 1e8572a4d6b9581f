import type { AdaptContext } from '../adapt/adaptation';
import type { AwsClients } from '../aws/clients';
import type { KubeRawClient } from '../kube/rawClient';
import type { Logger } from '../log';
import type { PlannedItem, SnapshotReader } from '../snapshot';
import type { DrillCheck, DrillGap } from './drillReport';

/** Everything the checks need to look at a restored drill target. */
export interface DrillTarget {
  kube: KubeRawClient;
  aws?: AwsClients;
  reader: SnapshotReader;
  plan: readonly PlannedItem[];
  /** Source namespace → scratch namespace. */
  namespaceMap: ReadonlyMap<string, string>;
  /** Rewrites references to the recovery point's AWS resources into the drill's renamed ones. */
  rewrite: (value: string) => string;
  /** Source name → drill name. */
  renamed: { queues: Record<string, string>; tables: Record<string, string>; buckets: Record<string, string> };
  /** Source queue name → the drill copy's URL, as the restore reported it (no look-up by name). */
  queueUrls: Record<string, string>;
  /** Item ids (target names) whose restore failed: already reported as create-failed. */
  failedIds: ReadonlySet<string>;
  /** The adaptations the restore applied (the objects check expects the adapted objects). */
  adapt?: AdaptContext;
  /** Kubeconfig path with a context for the drill namespace (for shell checks). */
  kubeconfigFile?: string;
  workspaceDir: string;
  signal?: AbortSignal;
  logger: Logger;
}

export interface CheckOutcome {
  checks: DrillCheck[];
  gaps: DrillGap[];
}

export function emptyOutcome(): CheckOutcome {
  return { checks: [], gaps: [] };
}

export function mergeOutcome(into: CheckOutcome, more: CheckOutcome): CheckOutcome {
  into.checks.push(...more.checks);
  into.gaps.push(...more.gaps);
  return into;
}

/** The target namespace back to its source name, for subjects in the report. */
export function sourceNamespaceOf(
  target: Pick<DrillTarget, 'namespaceMap'>,
  ns: string | undefined,
): string | undefined {
  if (ns === undefined) return undefined;
  for (const [from, to] of target.namespaceMap) if (to === ns) return from;
  return ns;
}
