import { formatAge } from './describe';
import type { KubeRawClient } from './rawClient';

type Json = Record<string, unknown>;

/** The identity of an object whose events are wanted. */
export interface EventSubject {
  uid: string;
  namespace?: string;
}

/** Core v1 events about one object, oldest first, raw as the server sent them. */
export async function listObjectEvents(
  client: KubeRawClient,
  subject: EventSubject,
  signal?: AbortSignal,
): Promise<Json[]> {
  const path = subject.namespace
    ? `/api/v1/namespaces/${encodeURIComponent(subject.namespace)}/events`
    : '/api/v1/events';
  const list = await client.list(path, { signal, query: { fieldSelector: `involvedObject.uid=${subject.uid}` } });
  const events = list.items as Json[];
  return events.sort((a, b) => eventTime(a) - eventTime(b));
}

/** Events as a plain-text table, newest last, the way `kubectl events` shows them. */
export function formatEventsTable(title: string, events: readonly Json[], now = Date.now()): string {
  if (!events.length) return `${title}\n\nNo events. (The API server keeps events for one hour by default.)\n`;
  const rows = events.map((e) => {
    const count = typeof e.count === 'number' && e.count > 1 ? ` (x${e.count})` : '';
    const seen = eventTime(e);
    return [
      seen ? formatAge(new Date(seen).toISOString(), now) : '',
      text(e.type),
      text(e.reason),
      `${text(e.message).trim()}${count}`,
    ];
  });
  const head = ['LAST SEEN', 'TYPE', 'REASON', 'MESSAGE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c))
      .join('   ')
      .trimEnd();
  return `${title}\n\n${[head, ...rows].map(line).join('\n')}\n`;
}

/** A string field of an event, or '' when it is missing (or not a string). */
function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function eventTime(e: Json): number {
  const series = e.series as Json | undefined;
  const candidates = [
    e.lastTimestamp,
    series?.lastObservedTime,
    e.eventTime,
    e.firstTimestamp,
    (e.metadata as Json | undefined)?.creationTimestamp,
  ];
  for (const c of candidates) {
    const t = typeof c === 'string' ? Date.parse(c) : NaN;
    if (!Number.isNaN(t)) return t;
  }
  return 0;
}
