import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** The label every drill-owned Kubernetes object carries; its value is the drill's run id. */
export const DRILL_LABEL = 'drydock.dev/drill';
/** Annotations naming the process that owns a drill target, so a concurrent drill leaves it alone. */
export const DRILL_PID_ANNOTATION = 'drydock.dev/drill-pid';
export const DRILL_HOST_ANNOTATION = 'drydock.dev/drill-host';

/** The owner annotations of everything a drill labels (its namespaces and stand-in volumes). */
export function drillOwnerAnnotations(): Record<string, string> {
  return { [DRILL_PID_ANNOTATION]: String(process.pid), [DRILL_HOST_ANNOTATION]: hostname() };
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A short, sortable, unique id: base-36 time plus random, lower-case alphanumerics only (label- and bucket-safe). */
export function newRunId(now = new Date()): string {
  const time = now.getTime().toString(36).padStart(9, '0');
  const rand = randomBytes(3).readUIntBE(0, 3).toString(36).padStart(5, '0');
  return `${time}${rand}`;
}

export function isRunId(value: string): boolean {
  return /^[a-z0-9]{6,32}$/.test(value);
}

/** Lower-case DNS-1123 fragment of any text: other characters become '-', runs collapse, ends trimmed. */
export function dnsSlug(text: string, max: number): string {
  const slug = text
    .toLowerCase()
    .replace(/\.(tar\.gz|tgz)$/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/, '');
}

/** `yyyymmdd-hhmm` in UTC. */
function stamp(now: Date): string {
  const iso = now.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 16).replace(':', '')}`;
}

/**
 * The scratch namespace of a drill: `drill-<recovery point>-<yyyymmdd-hhmm>-<run id>`, a DNS-1123 label of at most
 * 63 characters. The recovery point part is shortened first; the run id keeps two drills of one point apart.
 */
export function scratchNamespaceName(recoveryPointId: string, runId: string, now = new Date()): string {
  const tail = `-${stamp(now)}-${runId}`;
  const room = 63 - 'drill'.length - tail.length - 1;
  const slug = dnsSlug(recoveryPointId, Math.max(0, room));
  const name = slug ? `drill-${slug}${tail}` : `drill${tail}`;
  if (!isDns1123Label(name)) throw new Error(`Internal: derived namespace name ${name} is not a DNS-1123 label.`);
  return name;
}

/** The prefix every AWS resource of a drill gets: `drill-<run id>-` (valid for queues, tables and buckets). */
export function awsDrillPrefix(runId: string): string {
  return `drill-${runId}-`;
}

/** When a run id made by `newRunId` was made, or undefined for any other text. */
export function runIdTime(runId: string): number | undefined {
  if (!/^[0-9a-z]{14}$/.test(runId)) return undefined;
  const t = parseInt(runId.slice(0, 9), 36);
  // Plausible only between 2024 and a day from now: \`drill-report-…\` and the like are never taken for drills.
  return t >= Date.UTC(2024, 0, 1) && t <= Date.now() + 86_400_000 ? t : undefined;
}

/** The run id inside a drill AWS name (`drill-<run id>-…`, as `newRunId` makes them), or undefined. */
export function runIdOfAwsName(name: string): string | undefined {
  const id = /^drill-([0-9a-z]{14})-/.exec(name)?.[1];
  return id !== undefined && runIdTime(id) !== undefined ? id : undefined;
}

/** The recovery point's id: the file or directory name without its archive suffix. */
export function recoveryPointId(path: string): string {
  const base =
    path
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? path;
  return base.replace(/\.(tar\.gz|tgz)$/, '');
}
