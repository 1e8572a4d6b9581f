// One-line summaries of Kubernetes objects for the tree (raw JSON in, text out). Pure functions.

type Json = Record<string, unknown>;

export type ObjectHealth = 'ok' | 'progressing' | 'failed';

export interface ObjectSummary {
  /** e.g. `2/2 ready`, `Running · 3 restarts`, `ClusterIP 80/TCP`. '' when nothing useful is known. */
  description: string;
  health?: ObjectHealth;
}

/** A summary of an object of the given kind (list items carry no kind of their own, so it is passed). */
export function summarizeObject(kind: string, obj: unknown): ObjectSummary {
  const o = asObj(obj);
  const spec = asObj(o.spec);
  const status = asObj(o.status);
  if (asObj(o.metadata).deletionTimestamp) return { description: 'Terminating', health: 'progressing' };
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'ReplicationController':
      return replicas(num(status.readyReplicas), num(spec.replicas, 1));
    case 'DaemonSet':
      return replicas(num(status.numberReady), num(status.desiredNumberScheduled));
    case 'Pod':
      return summarizePod(o);
    case 'Job':
      return summarizeJob(spec, status);
    case 'CronJob': {
      const schedule = str(spec.schedule);
      return spec.suspend === true
        ? { description: `${schedule} · suspended` }
        : { description: schedule, health: 'ok' };
    }
    case 'Service':
      return { description: summarizeService(spec) };
    case 'PersistentVolumeClaim': {
      const phase = str(status.phase) || 'Pending';
      const size = str(asObj(status.capacity).storage) || str(asObj(asObj(spec.resources).requests).storage);
      return {
        description: [phase, size].filter(Boolean).join(' · '),
        health: phase === 'Bound' ? 'ok' : phase === 'Lost' ? 'failed' : 'progressing',
      };
    }
    case 'PersistentVolume': {
      const phase = str(status.phase);
      const size = str(asObj(spec.capacity).storage);
      return {
        description: [phase, size].filter(Boolean).join(' · '),
        health: phase === 'Failed' ? 'failed' : undefined,
      };
    }
    case 'ConfigMap':
      return { description: keys(Object.keys(asObj(o.data)).length + Object.keys(asObj(o.binaryData)).length) };
    case 'Secret':
      return { description: [str(o.type), keys(Object.keys(asObj(o.data)).length)].filter(Boolean).join(' · ') };
    case 'Ingress': {
      const hosts = arr(spec.rules)
        .map((r) => str(asObj(r).host))
        .filter(Boolean);
      return { description: hosts.length ? hosts.join(', ') : '*' };
    }
    case 'Namespace':
      return { description: str(status.phase) === 'Active' ? '' : str(status.phase) };
    case 'Node': {
      const ready = arr(status.conditions)
        .map(asObj)
        .find((c) => c.type === 'Ready');
      const isReady = ready?.status === 'True';
      return { description: isReady ? 'Ready' : 'NotReady', health: isReady ? 'ok' : 'failed' };
    }
    case 'HorizontalPodAutoscaler':
      return {
        description: `${num(status.currentReplicas)} replicas (${num(spec.minReplicas, 1)}–${num(spec.maxReplicas)})`,
      };
    default:
      return { description: conditionSummary(status) };
  }
}

/** `5s`, `12m`, `3h`, `4d` — the age kubectl shows; '' without a timestamp. */
export function formatAge(timestamp: unknown, now = Date.now()): string {
  const t = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

function replicas(ready: number, desired: number): ObjectSummary {
  return { description: `${ready}/${desired} ready`, health: ready >= desired ? 'ok' : 'progressing' };
}

function summarizePod(o: Json): ObjectSummary {
  const status = asObj(o.status);
  const containers = arr(status.containerStatuses).map(asObj);
  const restarts = containers.reduce((sum, c) => sum + num(c.restartCount), 0);
  const waiting = containers.map((c) => str(asObj(asObj(c.state).waiting).reason)).find(Boolean);
  const terminated = containers.map((c) => str(asObj(asObj(c.state).terminated).reason)).find(Boolean);
  const phase = str(status.phase) || 'Pending';
  const shown = str(status.reason) || waiting || (phase === 'Running' ? '' : terminated) || phase;
  const ready = containers.filter((c) => c.ready === true).length;
  const total = arr(asObj(o.spec).containers).length || containers.length;
  const parts = [shown, `${ready}/${total}`, `${restarts} restart${restarts === 1 ? '' : 's'}`];
  const failed = phase === 'Failed' || /BackOff|Err|Invalid/.test(waiting ?? '');
  const health: ObjectHealth = failed
    ? 'failed'
    : phase === 'Succeeded' || (phase === 'Running' && ready === total)
      ? 'ok'
      : 'progressing';
  return { description: parts.join(' · '), health };
}

function summarizeJob(spec: Json, status: Json): ObjectSummary {
  const completions = num(spec.completions, 1);
  const succeeded = num(status.succeeded);
  const failedCondition = arr(status.conditions)
    .map(asObj)
    .find((c) => c.type === 'Failed' && c.status === 'True');
  if (failedCondition)
    return { description: `Failed · ${str(failedCondition.reason)}`.replace(/ · $/, ''), health: 'failed' };
  return {
    description: `${succeeded}/${completions} complete`,
    health: succeeded >= completions ? 'ok' : 'progressing',
  };
}

/** `ClusterIP 80/TCP, 443→8443/TCP`; NodePorts as `80:30080/TCP`; ExternalName shows its name. */
export function summarizeService(spec: Json): string {
  const type = str(spec.type) || 'ClusterIP';
  if (type === 'ExternalName') return `ExternalName ${str(spec.externalName)}`;
  const ports = arr(spec.ports).map((raw) => {
    const p = asObj(raw);
    const port = num(p.port);
    const targetPort =
      typeof p.targetPort === 'number' || typeof p.targetPort === 'string' ? String(p.targetPort) : undefined;
    const target = targetPort !== undefined && targetPort !== String(port) ? `→${targetPort}` : '';
    const nodePort = p.nodePort !== undefined ? `:${num(p.nodePort)}` : '';
    return `${port}${nodePort}${target}/${str(p.protocol) || 'TCP'}`;
  });
  const headless = spec.clusterIP === 'None' ? ' (headless)' : '';
  return [`${type}${headless}`, ports.join(', ')].filter(Boolean).join(' ');
}

function conditionSummary(status: Json): string {
  const ready = arr(status.conditions)
    .map(asObj)
    .find((c) => c.type === 'Ready' || c.type === 'Available');
  if (ready) return ready.status === 'True' ? String(ready.type) : `Not ${String(ready.type).toLowerCase()}`;
  return str(status.phase);
}

function keys(n: number): string {
  return `${n} key${n === 1 ? '' : 's'}`;
}
function asObj(v: unknown): Json {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
