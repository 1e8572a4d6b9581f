import { jsonDiff } from '../snapshot/jsonDiff';
import type { SkippedItem } from '../snapshot/manifest';
import type { ItemResult } from '../snapshot/restoreResult';
import type { DrillGap } from './drillReport';

/** `pods/shop/web-1`, `deployments.apps/shop/web`, `customresourcedefinitions.apiextensions.k8s.io/x`. */
export function kubeSubject(groupResource: string, namespace: string | undefined, name: string): string {
  return namespace ? `${groupResource}/${namespace}/${name}` : `${groupResource}/${name}`;
}

/** Every item the snapshot recorded as not to be restored (pods owned by controllers, events, token secrets…). */
export function gapsFromSkipped(skipped: readonly SkippedItem[]): DrillGap[] {
  const seen = new Set<string>();
  const out: DrillGap[] = [];
  for (const s of skipped) {
    const subject = kubeSubject(s.group ? `${s.resource}.${s.group}` : s.resource, s.namespace, s.name);
    if (seen.has(subject)) continue;
    seen.add(subject);
    out.push({ kind: 'skipped-by-policy', subject, message: s.reason });
  }
  return out;
}

/**
 * Failed restore items become `create-failed` gaps carrying the API's own message. `toSource` turns a
 * restore id (target names) back into the recovery point's names for the report.
 */
export function gapsFromRestoreItems(items: readonly ItemResult[], toSource: (item: ItemResult) => string): DrillGap[] {
  return items
    .filter((i) => i.outcome === 'failed')
    .map((i) => ({
      kind: 'create-failed' as const,
      subject: toSource(i),
      message: i.message ?? 'failed without a message',
    }));
}

/** Paths of metadata the server owns and of status: always regenerated, never worth a line in the report. */
const NOISE = [
  /^\.metadata\.(uid|resourceVersion|creationTimestamp|generation|managedFields|selfLink)$/,
  /^\.status$/,
  /^\.metadata\.namespace$/,
  /^\.metadata\.name$/,
  /^\.metadata\.labels\.kubernetes\.io\/metadata\.name$/,
  /^\.subjects\[\d+\]\.namespace$/,
];

/** JSON paths sanitising removed or changed in an object (what will not come back as it was). */
export function strippedFieldPaths(raw: unknown, sanitized: unknown): string[] {
  return jsonDiff(raw, sanitized, '', [], 200)
    .map((d) => d.slice(1))
    .filter((p) => !NOISE.some((re) => re.test(p)));
}

export function strippedFieldGap(subject: string, paths: readonly string[]): DrillGap | undefined {
  if (paths.length === 0) return undefined;
  return { kind: 'field-stripped', subject, message: `not restored as captured: ${paths.join(', ')}` };
}
