import { isRecord, type KubeObject } from '../kubeObject';

/** The parts of an object readiness verdicts read. */
export type Workload = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
export const text = (v: unknown): string => (typeof v === 'string' ? v : '');
export const conditions = (o: Workload): Array<Record<string, unknown>> =>
  Array.isArray(o.status?.conditions) ? (o.status.conditions as unknown[]).filter(isRecord) : [];
export const condition = (o: Workload, type: string): Record<string, unknown> | undefined =>
  conditions(o).find((c) => c.type === type);
export const specSelector = (o: KubeObject): unknown => (isRecord(o.spec) ? o.spec.selector : undefined);
export const namespacedPath = (apiBase: string, resource: string) => (ns: string) =>
  `${apiBase}/namespaces/${encodeURIComponent(ns)}/${resource}`;

/** The labels of a `matchLabels`-only label selector; undefined for an empty one or one with expressions. */
export function matchLabelsOf(selector: unknown): Record<string, string> | undefined {
  if (!isRecord(selector) || !isRecord(selector.matchLabels) || selector.matchExpressions !== undefined)
    return undefined;
  return Object.keys(selector.matchLabels).length > 0 ? (selector.matchLabels as Record<string, string>) : undefined;
}

/** Pods carrying every one of `labels` and not being deleted. */
export function podsMatching(labels: Record<string, string>, pods: readonly KubeObject[]): KubeObject[] {
  const match = Object.entries(labels);
  return pods.filter((p) => {
    const have = p.metadata?.labels ?? {};
    return !p.metadata?.deletionTimestamp && match.every(([k, v]) => have[k] === v);
  });
}

export const isPodReady = (p: Workload): boolean => condition(p, 'Ready')?.status === 'True';

/** What a pending pod of a workload says about why it is not running (scheduling, images…). */
export function podHint(pods: readonly Workload[], selector: unknown): string | undefined {
  const labels = matchLabelsOf(selector);
  for (const p of labels ? podsMatching(labels, pods) : []) {
    const bad = conditions(p).find((c) => c.status === 'False' && typeof c.message === 'string');
    if (bad) return `pod ${p.metadata!.name}: ${String(bad.reason ?? bad.type)}: ${String(bad.message)}`;
  }
  return undefined;
}
