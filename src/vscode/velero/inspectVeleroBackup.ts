import type { SnapshotSummary } from '../../core/snapshot';
import { describeVeleroBackup, type OpenedVeleroBackup } from '../../core/velero';

/** "Inspect": what Velero reported at backup time (for a backup Velero made), then what the recovery point holds. */
export function veleroInspectText(summary: SnapshotSummary, velero: OpenedVeleroBackup | undefined): string {
  const m = summary.manifest;
  if (!m) return `${summary.path}: ${summary.problem ?? 'not a valid recovery point'}\n`;
  const types = m.resources
    .filter((r) => r.count > 0)
    .map((r) => `  ${(r.group ? `${r.resource}.${r.group}` : r.resource).padEnd(48)} ${r.count}`)
    .sort();
  const aws = [
    ...m.aws.sqs.map((q) => `  SQS ${q.name}: ${q.messages} messages`),
    ...m.aws.dynamodb.map((t) => `  DynamoDB ${t.name}: ${t.items} items`),
    ...m.aws.s3.map((b) => `  S3 ${b.name}: ${b.objects} objects`),
  ];
  return [
    ...(velero ? describeVeleroBackup(velero) : [`Recovery point pushed by Drydock (created ${m.createdAt})`]),
    '',
    `${m.counts.items} objects in ${m.source.kube?.namespaces.join(', ') || '—'}, ${m.counts.skipped} not restorable as such, ${m.counts.secrets} Secret(s) (${velero ? 'sealed to a key that lives only in this window' : m.encryption.secrets === 'age' ? 'encrypted' : 'plain text'})`,
    ...types,
    ...(aws.length ? ['', 'AWS:', ...aws] : []),
    ...(m.skipped.length ? ['', 'Not restored as such:'] : []),
    ...m.skipped.map(
      (s) =>
        `  ${s.group ? `${s.resource}.${s.group}` : s.resource}/${s.namespace ? `${s.namespace}/` : ''}${s.name}: ${s.reason}`,
    ),
    '',
  ].join('\n');
}
