import { jsonDiff } from '../snapshot/jsonDiff';
import type { SkippedItem } from '../snapshot/manifest';
import type { ItemResult } from '../snapshot/restoreResult';
import type { Adaptation } from '../adapt/adaptation';
import type { DrillGap } from './drillReport';

/** `pods/shop/web-1`, `deployments.apps/shop/web`, `customresourcedefinitions.apiextensions.k8s.io/x`. */
export function kubeSubject(groupResource: string, namespace: string | undefined, name: string): string {
  return namespace ? `${groupResource}/${namespace}/${name}` : `${groupResource}/${name}`;
}

/**
 * Every item the snapshot recorded as not to be restored: what the backup's own tool reported lacking (Velero's
 * skipped volume data, file-system backups, volume snapshots, errors) as `not-in-backup`, first; what the policy
 * skips (pods owned by controllers, events, token secrets…) as `skipped-by-policy`.
 */
export function gapsFromSkipped(skipped: readonly SkippedItem[]): DrillGap[] {
  const seen = new Set<string>();
  const out: DrillGap[] = [];
  const ordered = [...skipped.filter((s) => s.reportedBy), ...skipped.filter((s) => !s.reportedBy)];
  for (const s of ordered) {
    const subject = kubeSubject(s.group ? `${s.resource}.${s.group}` : s.resource, s.namespace, s.name);
    const kind = s.reportedBy ? 'not-in-backup' : 'skipped-by-policy';
    if (seen.has(`${kind} ${subject}`)) continue;
    seen.add(`${kind} ${subject}`);
    out.push({ kind, subject, message: s.reportedBy ? `${s.reportedBy}: ${s.reason}` : s.reason });
  }
  return out;
}

/** What an adaptation could only report (a CRD that is missing, data not in the backup, an unreachable registry). */
export function gapsFromAdaptations(adaptations: readonly Adaptation[]): DrillGap[] {
  return adaptations
    .filter((a) => a.gap)
    .map((a) => ({ kind: 'not-adapted' as const, subject: a.subject, message: `${a.kind}: ${a.change}` }));
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
