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
