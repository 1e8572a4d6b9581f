import { isRecord, type KubeObject } from '../snapshot/kubeObject';
import type { AdaptContext, Adaptation } from './adaptation';
import { podSpecOf, subjectOf } from './podSpecs';

/** Taints Kubernetes itself puts on nodes (not-ready, unreachable, control plane…): tolerations for them stay. */
const BUILT_IN_TAINT_PREFIXES = [
  'node.kubernetes.io/',
  'node.cloudprovider.kubernetes.io/',
  'node-role.kubernetes.io/',
];

type Labels = Readonly<Record<string, string>>;

function termMatches(term: Record<string, unknown>, labels: Labels): boolean {
  // matchFields (metadata.name) names nodes of the source cluster: only label expressions are judged here.
  if (Array.isArray(term.matchFields) && term.matchFields.length) return true;
  const exprs = Array.isArray(term.matchExpressions) ? term.matchExpressions.filter(isRecord) : [];
  return exprs.every((e) => {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case 'In':
        return has && values.includes(labels[key]!);
      case 'NotIn':
        return !has || !values.includes(labels[key]!);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      case 'Gt':
        return has && Number(labels[key]) > Number(values[0]);
      case 'Lt':
        return has && Number(labels[key]) < Number(values[0]);
      default:
        return false;
    }
  });
}

function describeTerms(terms: unknown[]): string {
  return terms
    .filter(isRecord)
    .map((t) =>
      (Array.isArray(t.matchExpressions) ? t.matchExpressions.filter(isRecord) : [])
        .map((e) => `${String(e.key)} ${String(e.operator)}${Array.isArray(e.values) ? ` ${e.values.join(',')}` : ''}`)
        .join(' and '),
    )
    .join(' or ');
}

/**
 * Scheduling for node pools this cluster does not have: node-selector entries no local node carries, required
 * node affinity no local node satisfies, tolerations of taints no local node has, and zone/hostname spread
 * constraints over a label no local node carries (DoNotSchedule → ScheduleAnyway). Each change is reported.
 */
export function adaptScheduling(obj: KubeObject, groupResource: string, ctx: AdaptContext): Adaptation[] {
  const pod = podSpecOf(obj);
  if (!pod) return [];
  const { spec, path } = pod;
  const nodes = ctx.cluster.nodeLabels;
  const subject = subjectOf(obj, groupResource);
  const out: Adaptation[] = [];
  const note = (change: string) => out.push({ kind: 'scheduling', subject, change });

  if (isRecord(spec.nodeSelector) && Object.keys(spec.nodeSelector).length) {
    const selector = spec.nodeSelector;
    const satisfied = nodes.some((n) => Object.entries(selector).every(([k, v]) => n[k] === v));
    if (!satisfied) {
      for (const [k, v] of Object.entries(selector)) {
        if (nodes.some((n) => n[k] === v)) continue;
        delete selector[k];
        note(
          `${path}.nodeSelector ${k}=${String(v)} removed: no node here has that label (a node pool of the source cluster)`,
        );
      }
      if (Object.keys(selector).length === 0) delete spec.nodeSelector;
    }
  }

  const affinity = isRecord(spec.affinity) ? spec.affinity : undefined;
  const nodeAffinity = affinity && isRecord(affinity.nodeAffinity) ? affinity.nodeAffinity : undefined;
  const required =
    nodeAffinity && isRecord(nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution)
      ? nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution
      : undefined;
  const terms = required && Array.isArray(required.nodeSelectorTerms) ? required.nodeSelectorTerms : [];
  if (terms.length && !nodes.some((n) => terms.some((t) => isRecord(t) && termMatches(t, n)))) {
    delete nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution;
    note(`${path}.affinity.nodeAffinity required terms (${describeTerms(terms)}) removed: no node here satisfies them`);
    if (Object.keys(nodeAffinity!).length === 0) delete affinity!.nodeAffinity;
    if (Object.keys(affinity!).length === 0) delete spec.affinity;
  }

  if (Array.isArray(spec.tolerations)) {
    const kept = spec.tolerations.filter((t) => {
      if (!isRecord(t) || typeof t.key !== 'string' || t.key === '') return true;
      if (BUILT_IN_TAINT_PREFIXES.some((p) => (t.key as string).startsWith(p))) return true;
      if (!ctx.cluster.nodeTaintKeys || ctx.cluster.nodeTaintKeys.has(t.key)) return true;
      note(
        `${path}.tolerations ${t.key}${typeof t.value === 'string' ? `=${t.value}` : ''}${typeof t.effect === 'string' ? `:${t.effect}` : ''} removed: no node here has that taint (a dedicated node pool of the source cluster)`,
      );
      return false;
    });
    if (kept.length) spec.tolerations = kept;
    else delete spec.tolerations;
  }

  if (Array.isArray(spec.topologySpreadConstraints)) {
    for (const c of spec.topologySpreadConstraints) {
      if (!isRecord(c) || c.whenUnsatisfiable !== 'DoNotSchedule' || typeof c.topologyKey !== 'string') continue;
      const key = c.topologyKey;
      if (nodes.some((n) => Object.prototype.hasOwnProperty.call(n, key))) continue;
      c.whenUnsatisfiable = 'ScheduleAnyway';
      note(
        `${path}.topologySpreadConstraints over ${key}: DoNotSchedule → ScheduleAnyway (no node here has the label ${key}, so no pod could be placed)`,
      );
    }
  }
  return out;
}

/** A pod's PriorityClass that this cluster does not have (system-* ones always exist): removed, default priority. */
export function adaptPriorityClass(obj: KubeObject, groupResource: string, ctx: AdaptContext): Adaptation[] {
  const pod = podSpecOf(obj);
  const name = pod?.spec.priorityClassName;
  if (!pod || typeof name !== 'string' || name === '' || name.startsWith('system-')) return [];
  if (ctx.cluster.priorityClasses.includes(name)) return [];
  delete pod.spec.priorityClassName;
  // The priority admission plugin fills these from the class; a value left from the source would be refused.
  delete pod.spec.priority;
  delete pod.spec.preemptionPolicy;
  return [
    {
      kind: 'priority-class',
      subject: subjectOf(obj, groupResource),
      change: `${pod.path}.priorityClassName ${name} removed: no PriorityClass ${name} here (pods get the default priority)`,
    },
  ];
}
