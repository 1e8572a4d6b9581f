import type { KubeRawClient } from '../../kube/rawClient';
import { isRecord, type KubeObject } from '../../snapshot/kubeObject';
import { throwIfAborted } from '../../snapshot/progress';
import { actionFor, podHint, readinessActions } from '../../snapshot/actions/registry';
import type { ReadinessVerdict } from '../../snapshot/actions/kindAction';
import type { DrillCheck, DrillGap } from '../drillReport';
import { kubeSubject } from '../gaps';
import { ChangeSignal } from './changeSignal';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Obj = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

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

interface Collected {
  verdicts: Array<ReadinessVerdict & { namespace: string }>;
  hints: Map<string, string>;
  /** Every list read, with its resourceVersion: what to watch for the next change. */
  lists: Array<{ path: string; resourceVersion?: string }>;
}

/**
 * The shortest time from one readiness check's start to the next one's: four times what the last check took,
 * between 100 ms and 750 ms. A small namespace is looked at again soon after each change; a large one's checks
 * list hundreds of workloads, and listing them back to back took the API server's time from the controllers the
 * drill waits on.
 */
export function checkGapMs(lastCheckMs: number): number {
  return Math.min(750, Math.max(100, 4 * lastCheckMs));
}

async function collect(o: ReadinessOptions): Promise<Collected> {
  const verdicts: Array<ReadinessVerdict & { namespace: string }> = [];
  const hints = new Map<string, string>();
  const read: Collected['lists'] = [];
  for (const ns of o.namespaces) {
    const list = async (path: string) => {
      const got = await o.kube.list(path, { signal: o.signal });
      read.push({ path, resourceVersion: got.resourceVersion });
      return got.items.filter(isRecord) as Obj[];
    };
    const actions = readinessActions();
    const [slices, pods, ...lists] = await Promise.all([
      list(`/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(ns)}/endpointslices`),
      list(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods`),
      ...actions.map((a) => list(a.readiness!.listPath(ns))),
    ]);
    const ctx = { slices, pods, bindable: o.bindable };
    actions.forEach((a, i) => {
      for (const obj of lists[i]!) {
        const v = a.readiness!.verdict(obj, ctx);
        verdicts.push({ ...v, namespace: ns });
        const selector = a.readiness!.selector?.(obj);
        if (!v.ready && selector) {
          const hint = podHint(pods, selector);
          if (hint) hints.set(`${v.groupResource}/${ns}/${v.name}`, hint);
        }
      }
    });
  }
  return { verdicts, hints, lists: read };
}

/**
 * Checks the drill namespaces until every workload, service and claim is ready or the timeout passes. Between
 * checks it waits for a watch event on what it listed (a check follows each change; at most every 2 s without one).
 */
export async function waitForReadiness(o: ReadinessOptions): Promise<{ checks: DrillCheck[]; gaps: DrillGap[] }> {
  const deadline = Date.now() + o.timeoutMs;
  let last: Collected;
  let changes: ChangeSignal | undefined;
  try {
    for (;;) {
      throwIfAborted(o.signal);
      const collected = Date.now();
      last = await collect(o);
      const took = Date.now() - collected;
      const waiting = last.verdicts.filter((v) => !v.ready);
      if (waiting.length === 0 || Date.now() >= deadline) break;
      o.onWaiting?.(waiting.map((v) => `${v.groupResource}/${v.name}`));
      changes ??= new ChangeSignal(o.kube, last.lists, o.signal);
      await changes.next(Math.min(2000, Math.max(0, deadline - Date.now())));
      // Changes come in bursts (a Deployment, its ReplicaSet, Pods, EndpointSlices): one check after the burst, and
      // checks at least checkGapMs apart.
      await sleep(Math.max(50, checkGapMs(took) - (Date.now() - collected)));
    }
  } finally {
    changes?.close();
  }
  const checks: DrillCheck[] = [];
  const gaps: DrillGap[] = [];
  const label = (gr: string) => actionFor(gr)?.readiness?.label;
  for (const v of last.verdicts) {
    const hint = last.hints.get(`${v.groupResource}/${v.namespace}/${v.name}`);
    const detail = v.ready
      ? v.detail
      : `${v.detail} after ${Math.round(o.timeoutMs / 1000)} s${hint ? `; ${hint}` : ''}`;
    checks.push({
      category: 'readiness',
      name: `${v.groupResource}/${v.name} ${label(v.groupResource)}`,
      passed: v.ready,
      detail,
    });
    if (!v.ready)
      gaps.push({
        kind: 'not-ready',
        subject: kubeSubject(v.groupResource, o.sourceNamespace(v.namespace), v.name),
        message: detail,
      });
  }
  return { checks, gaps };
}
