/** The result of one drill: what was checked, what was missing, and how long each phase took. */

import type { Adaptation } from '../adapt/adaptation';

/** Recovery phases, in order. `cleanup` is timed too but is not part of the recovery time. */
export type DrillPhase = 'validate' | 'kube-apply' | 'aws-import' | 'readiness' | 'checks';

export const RECOVERY_PHASES: readonly DrillPhase[] = ['validate', 'aws-import', 'kube-apply', 'readiness', 'checks'];

export const PHASE_LABELS: Record<DrillPhase | 'cleanup', string> = {
  validate: 'Validate',
  'kube-apply': 'Kubernetes apply',
  'aws-import': 'AWS import',
  readiness: 'Readiness',
  checks: 'Checks',
  cleanup: 'Cleanup',
};

export interface PhaseTiming {
  phase: DrillPhase | 'cleanup';
  startedAt: string;
  durationMs: number;
}

export type CheckCategory = 'objects' | 'readiness' | 'references' | 'aws' | 'user' | 'restore';

/** One verification, reported on its own. */
export interface DrillCheck {
  category: CheckCategory;
  /** What was checked, e.g. `deployments.apps/web is Available`. */
  name: string;
  passed: boolean;
  /** Why it failed, or a note on how it passed (e.g. a stand-in volume). */
  detail?: string;
}

/** How something of the recovery point failed to come back (or came back differently). */
export type GapKind =
  | 'not-in-backup'
  | 'not-adapted'
  | 'skipped-by-policy'
  | 'field-stripped'
  | 'create-failed'
  | 'not-ready'
  | 'aws-mismatch'
  | 'unresolved-reference'
  | 'object-mismatch'
  | 'check-failed';

/**
 * Gaps that never fail the drill on their own: what the backup itself reports lacking (`not-in-backup`, e.g. volume
 * data Velero skipped) and what no adaptation could make work here (`not-adapted`) are where a drill starts from —
 * their effects fail it as the gaps they cause (not ready, create failed) — and the policy's skips and stripped
 * fields are expected by design.
 */
export const INFORMATIONAL_GAPS: ReadonlySet<GapKind> = new Set([
  'not-in-backup',
  'not-adapted',
  'skipped-by-policy',
  'field-stripped',
]);

export interface DrillGap {
  kind: GapKind;
  /** The item: `deployments.apps/shop/web`, `sqs:shop-orders`, … (source names). */
  subject: string;
  message: string;
}

export type DrillStatus = 'passed' | 'failed' | 'cancelled' | 'error';

export interface DrillReport {
  schemaVersion: 1;
  runId: string;
  status: DrillStatus;
  /** The recovery point: its path (or the address the user gave, for a backup opened into a private copy) and id. */
  recoveryPoint: { path: string; id: string; createdAt?: string; sourceNamespaces: string[] };
  target: {
    context: string;
    server: string;
    namespace: string;
    awsEndpoint?: string;
    awsPrefix: string;
    /** Source name → drill name, per service. */
    renamed: { queues: Record<string, string>; tables: Record<string, string>; buckets: Record<string, string> };
  };
  startedAt: string;
  finishedAt: string;
  /** Sum of the recovery phases (validate … checks), without cleanup. */
  recoveryTimeMs: number;
  totalMs: number;
  phases: PhaseTiming[];
  checks: DrillCheck[];
  gaps: DrillGap[];
  counts: { checks: number; passed: number; failed: number; gaps: number; failingGaps: number };
  /**
   * `inBackground`: the report was final when the checks ended and the target is being removed after it
   * (recorded in the ledger: if this process stops first, the next drill finishes the removal).
   */
  cleanup: { done: boolean; kept: boolean; leftoversRemoved: string[]; errors: string[]; inBackground?: boolean };
  /** What the drill created beyond its namespaces, with why (the user allowed it explicitly). */
  beyondNamespaces?: Array<{ id: string; why: string }>;
  /**
   * Production → local: why the drill adapted the recovery point for this cluster, and every adaptation with the
   * object it touched (`gap` ones could only be reported). Absent when it restored exactly as Velero would.
   */
  adapted?: { reason: string; adaptations: Adaptation[] };
  /** Set when the drill stopped early: the error a person can act on. */
  error?: string;
  /** Where the report files were written. */
  files?: { json: string; markdown: string };
}

export function isFailingGap(gap: DrillGap): boolean {
  return !INFORMATIONAL_GAPS.has(gap.kind);
}

/** Passed only when every check passed, no failing gap exists and nothing stopped the drill. */
export function drillStatusOf(
  checks: readonly DrillCheck[],
  gaps: readonly DrillGap[],
  stopped?: 'cancelled' | 'error',
): DrillStatus {
  if (stopped) return stopped;
  if (checks.length === 0) return 'failed';
  return checks.every((c) => c.passed) && !gaps.some(isFailingGap) ? 'passed' : 'failed';
}

export function countsOf(checks: readonly DrillCheck[], gaps: readonly DrillGap[]): DrillReport['counts'] {
  const passed = checks.filter((c) => c.passed).length;
  return {
    checks: checks.length,
    passed,
    failed: checks.length - passed,
    gaps: gaps.length,
    failingGaps: gaps.filter(isFailingGap).length,
  };
}
