import type { KubeRawClient } from '../../kube/rawClient';
import { isRecord, type KubeObject } from '../../snapshot/kubeObject';
import { throwIfAborted } from '../../snapshot/progress';
import type { DrillCheck, DrillGap } from '../drillReport';
import { kubeSubject } from '../gaps';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One thing that must become ready, and what it is waiting for while it is not. */
export interface ReadinessVerdict {
  groupResource: string;
  name: string;
  ready: boolean;
  /** How it became ready (e.g. "2/2 available"), or what is missing. */
  detail: string;
  /** True when the check does not apply (e.g. a claim whose class has no provisioner). */
  notApplicable?: boolean;
}

type Obj = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const conditions = (o: Obj) => (Array.isArray(o.status?.conditions) ? (o.status!.conditions as Array<Record<string, unknown>>) : []);
const condition = (o: Obj, type: string) => conditions(o).find((c) => c.type === type);

export function deploymentReadiness(d: Obj): ReadinessVerdict {
  const want = d.spec?.replicas === undefined ? 1 : num(d.spec.replicas);
  const available = num(d.status?.availableReplicas);
  const cond = condition(d, 'Available');
  const current = num(d.status?.observedGeneration) >= num(d.metadata?.['generation']);
  const ready = cond?.status === 'True' && available >= want && current;
  return { groupResource: 'deployments.apps', name: d.metadata!.name!, ready, detail: `${available}/${want} available${cond?.message && !ready ? ` (${String(cond.message)})` : ''}` };
}

export function statefulSetReadiness(s: Obj): ReadinessVerdict {
  const want = s.spec?.replicas === undefined ? 1 : num(s.spec.replicas);
  const readyReplicas = num(s.status?.readyReplicas);
  return { groupResource: 'statefulsets.apps', name: s.metadata!.name!, ready: readyReplicas >= want, detail: `${readyReplicas}/${want} ready` };
}

export function daemonSetReadiness(d: Obj): ReadinessVerdict {
  const desired = num(d.status?.desiredNumberScheduled);
  const scheduled = num(d.status?.currentNumberScheduled);
  const observed = d.status?.observedGeneration !== undefined;
  return { groupResource: 'daemonsets.apps', name: d.metadata!.name!, ready: observed && scheduled >= desired, detail: `${scheduled}/${desired} scheduled` };
}

export function jobReadiness(j: Obj): ReadinessVerdict {
  const complete = condition(j, 'Complete')?.status === 'True';
  const failed = condition(j, 'Failed');
  return {
    groupResource: 'jobs.batch',
    name: j.metadata!.name!,
    ready: complete,
    detail: complete ? 'complete' : failed?.status === 'True' ? `failed: ${String(failed.message ?? failed.reason ?? '')}` : `${num(j.status?.succeeded)} succeeded, not complete`,
  };
}

/** Services with a selector need a ready endpoint; headless-without-selector and ExternalName ones do not apply. */
export function serviceReadiness(s: Obj, slices: readonly Obj[]): ReadinessVerdict {
  const name = s.metadata!.name!;
  if (s.spec?.type === 'ExternalName' || !isRecord(s.spec?.selector) || Object.keys(s.spec.selector).length === 0) {
    return { groupResource: 'services', name, ready: true, notApplicable: true, detail: 'no selector: endpoints are not managed' };
  }
  let ready = 0;
  for (const slice of slices) {
    if (slice.metadata?.labels?.['kubernetes.io/service-name'] !== name) continue;
    const endpoints = Array.isArray(slice['endpoints']) ? (slice['endpoints'] as Array<Record<string, unknown>>) : [];
    ready += endpoints.filter((e) => !isRecord(e.conditions) || e.conditions.ready !== false).length;
  }
  return { groupResource: 'services', name, ready: ready > 0, detail: ready > 0 ? `${ready} ready endpoint(s)` : 'no ready endpoints' };
}

/** A claim must be Bound when its class can be provisioned (or the drill gave it a stand-in volume). */
export function pvcReadiness(c: Obj, bindable: (claim: Obj) => string | undefined): ReadinessVerdict {
  const name = c.metadata!.name!;
  const phase = String(c.status?.phase ?? 'Pending');
  const why = bindable(c);
  if (why !== undefined) return { groupResource: 'persistentvolumeclaims', name, ready: true, notApplicable: true, detail: why };
  return { groupResource: 'persistentvolumeclaims', name, ready: phase === 'Bound', detail: phase };
}

/** What a pending pod of a workload says about why it is not running (scheduling, images…). */
function podHint(pods: readonly Obj[], selector: unknown): string | undefined {
  const match = isRecord(selector) && isRecord(selector.matchLabels) ? (selector.matchLabels as Record<string, string>) : undefined;
  if (!match) return undefined;
  for (const p of pods) {
    const labels = p.metadata?.labels ?? {};
    if (!Object.entries(match).every(([k, v]) => labels[k] === v)) continue;
    const bad = conditions(p).find((c) => c.status === 'False' && typeof c.message === 'string');
    if (bad) return `pod ${p.metadata!.name}: ${String(bad.reason ?? bad.type)}: ${String(bad.message)}`;
  }
  return undefined;
}

export interface ReadinessOptions {
  kube: KubeRawClient;
  namespaces: readonly string[];
  /** Undefined when a claim must bind; else why binding is not checked. */
  bindable: (claim: Obj) => string | undefined;
  timeoutMs: number;
  sourceNamespace: (ns: string) => string | undefined;
  signal?: AbortSignal;
  onWaiting?: (notReady: string[]) => void;
}

async function collect(o: ReadinessOptions): Promise<{ verdicts: Array<ReadinessVerdict & { namespace: string }>; hints: Map<string, string> }> {
  const verdicts: Array<ReadinessVerdict & { namespace: string }> = [];
  const hints = new Map<string, string>();
  for (const ns of o.namespaces) {
    const list = async (path: string) => (await o.kube.list(path, { signal: o.signal })).items.filter(isRecord) as Obj[];
    const base = (g: string) => `${g}/namespaces/${encodeURIComponent(ns)}`;
    const [deps, sets, daemons, jobs, svcs, slices, pvcs, pods] = await Promise.all([
      list(`${base('/apis/apps/v1')}/deployments`),
      list(`${base('/apis/apps/v1')}/statefulsets`),
      list(`${base('/apis/apps/v1')}/daemonsets`),
      list(`${base('/apis/batch/v1')}/jobs`),
      list(`${base('/api/v1')}/services`),
      list(`${base('/apis/discovery.k8s.io/v1')}/endpointslices`),
      list(`${base('/api/v1')}/persistentvolumeclaims`),
      list(`${base('/api/v1')}/pods`),
    ]);
    const add = (v: ReadinessVerdict, selector?: unknown) => {
      verdicts.push({ ...v, namespace: ns });
      if (!v.ready && selector) {
        const hint = podHint(pods, selector);
        if (hint) hints.set(`${v.groupResource}/${ns}/${v.name}`, hint);
      }
    };
    for (const d of deps) add(deploymentReadiness(d), d.spec?.selector);
    for (const s of sets) add(statefulSetReadiness(s), s.spec?.selector);
    for (const d of daemons) add(daemonSetReadiness(d), d.spec?.selector);
    for (const j of jobs) add(jobReadiness(j), j.spec?.selector);
    for (const s of svcs) add(serviceReadiness(s, slices));
    for (const c of pvcs) add(pvcReadiness(c, o.bindable));
  }
  return { verdicts, hints };
}

/** Polls the drill namespaces until every workload, service and claim is ready or the timeout passes. */
export async function waitForReadiness(o: ReadinessOptions): Promise<{ checks: DrillCheck[]; gaps: DrillGap[] }> {
  const deadline = Date.now() + o.timeoutMs;
  let last: Awaited<ReturnType<typeof collect>>;
  for (;;) {
    throwIfAborted(o.signal);
    last = await collect(o);
    const waiting = last.verdicts.filter((v) => !v.ready);
    if (waiting.length === 0 || Date.now() >= deadline) break;
    o.onWaiting?.(waiting.map((v) => `${v.groupResource}/${v.name}`));
    await sleep(Math.min(1000, Math.max(0, deadline - Date.now())));
  }
  const checks: DrillCheck[] = [];
  const gaps: DrillGap[] = [];
  const what: Record<string, string> = {
    'deployments.apps': 'Available',
    'statefulsets.apps': 'ready',
    'daemonsets.apps': 'scheduled',
    'jobs.batch': 'complete',
    services: 'has endpoints',
    persistentvolumeclaims: 'Bound',
  };
  for (const v of last.verdicts) {
    const hint = last.hints.get(`${v.groupResource}/${v.namespace}/${v.name}`);
    const detail = v.ready ? v.detail : `${v.detail} after ${Math.round(o.timeoutMs / 1000)} s${hint ? `; ${hint}` : ''}`;
    checks.push({ category: 'readiness', name: `${v.groupResource}/${v.name} ${what[v.groupResource]}`, passed: v.ready, detail });
    if (!v.ready) gaps.push({ kind: 'not-ready', subject: kubeSubject(v.groupResource, o.sourceNamespace(v.namespace), v.name), message: detail });
  }
  return { checks, gaps };
}
