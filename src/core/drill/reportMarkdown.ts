import { INFORMATIONAL_GAPS, PHASE_LABELS, type DrillGap, type DrillReport, type GapKind } from './drillReport';

const GAP_TITLES: Record<GapKind, string> = {
  'not-in-backup': 'Not in the backup (its own report)',
  'not-adapted': 'Could not be adapted for this cluster',
  'create-failed': 'Create failed',
  'not-ready': 'Not ready in time',
  'unresolved-reference': 'Unresolved reference',
  'aws-mismatch': 'AWS mismatch',
  'object-mismatch': 'Object differs from the recovery point',
  'check-failed': 'User check failed',
  'skipped-by-policy': 'Skipped by policy',
  'field-stripped': 'Field stripped',
};

const GAP_ORDER: GapKind[] = [
  'not-in-backup',
  'not-adapted',
  'create-failed',
  'not-ready',
  'unresolved-reference',
  'aws-mismatch',
  'object-mismatch',
  'check-failed',
  'skipped-by-policy',
  'field-stripped',
];

const OPEN_GAPS: ReadonlySet<GapKind> = new Set(['not-in-backup', 'not-adapted']);

/** Markdown table cells: no pipes or line breaks from cluster or AWS text. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/`/g, "'");
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** The drill report as Markdown: verdict, phases, checks, then every gap grouped by kind. */
export function renderDrillMarkdown(r: DrillReport): string {
  const lines: string[] = [];
  const verdict =
    r.status === 'passed'
      ? '✅ PASSED'
      : r.status === 'cancelled'
        ? '⏹ CANCELLED'
        : r.status === 'error'
          ? '❌ ERROR'
          : '❌ FAILED';
  lines.push(`# Drill ${verdict}: ${r.recoveryPoint.id}`, '');
  lines.push(`- Run: \`${r.runId}\`, started ${r.startedAt}`);
  lines.push(
    `- Recovery point: \`${r.recoveryPoint.path}\`${r.recoveryPoint.createdAt ? ` (taken ${r.recoveryPoint.createdAt})` : ''}`,
  );
  lines.push(
    `- Target: namespace \`${r.target.namespace}\` on \`${r.target.context}\`${r.target.awsEndpoint ? `, AWS ${r.target.awsEndpoint} with prefix \`${r.target.awsPrefix}\`` : ''}`,
  );
  lines.push(`- Recovery time: **${formatMs(r.recoveryTimeMs)}** (total with cleanup ${formatMs(r.totalMs)})`);
  lines.push(
    `- Checks: ${r.counts.passed}/${r.counts.checks} passed; ${r.counts.failingGaps} failing gap(s), ${r.counts.gaps - r.counts.failingGaps} informational`,
  );
  if (r.error) lines.push('', `> **Stopped:** ${cell(r.error)}`);
  if (r.beyondNamespaces?.length)
    lines.push(
      '',
      `## Beyond its namespaces (allowed with --allow-cluster-scoped)`,
      '',
      ...r.beyondNamespaces.map((b) => `- \`${cell(b.id)}\`: ${cell(b.why)}`),
    );
  lines.push('', '## Phases', '', '| Phase | Duration |', '| --- | ---: |');
  for (const p of r.phases) lines.push(`| ${PHASE_LABELS[p.phase]} | ${formatMs(p.durationMs)} |`);
  lines.push(`| **Recovery total** | **${formatMs(r.recoveryTimeMs)}** |`);
  lines.push('', '## Checks', '', '| Result | Category | Check | Detail |', '| --- | --- | --- | --- |');
  const sorted = [...r.checks].sort((a, b) => Number(a.passed) - Number(b.passed));
  for (const c of sorted)
    lines.push(`| ${c.passed ? 'pass' : '**FAIL**'} | ${c.category} | ${cell(c.name)} | ${cell(c.detail ?? '')} |`);
  lines.push('', '## What was missing', '');
  if (r.gaps.length === 0) lines.push('Nothing: every object, message, item and object came back.');
  const byKind = new Map<GapKind, DrillGap[]>();
  for (const g of r.gaps) byKind.set(g.kind, [...(byKind.get(g.kind) ?? []), g]);
  for (const kind of GAP_ORDER) {
    const gaps = byKind.get(kind);
    if (!gaps) continue;
    // What the backup admits it lacks and what could not be adapted are where the drill starts: shown open.
    const info = INFORMATIONAL_GAPS.has(kind) && !OPEN_GAPS.has(kind);
    const body = gaps.map((g) => `- \`${cell(g.subject)}\`: ${cell(g.message)}`);
    if (info)
      lines.push(
        `<details><summary>${GAP_TITLES[kind]} (${gaps.length}, expected by design)</summary>`,
        '',
        ...body,
        '',
        '</details>',
        '',
      );
    else
      lines.push(
        `### ${GAP_TITLES[kind]} (${gaps.length}${OPEN_GAPS.has(kind) ? ', reported: the drill does not fail on these' : ''})`,
        '',
        ...body,
        '',
      );
  }
  lines.push(...adaptedSection(r));
  lines.push('', '## Cleanup', '');
  lines.push(
    r.cleanup.kept
      ? `Kept for inspection (namespace \`${r.target.namespace}\`); the next drill removes it.`
      : r.cleanup.done
        ? 'Scratch namespace and drill AWS resources removed.'
        : r.cleanup.inBackground
          ? 'Scratch namespace and drill AWS resources are being removed in the background (if this process stops first, the next drill finishes it).'
          : 'Cleanup did not finish; the next drill removes what is left.',
  );
  if (r.cleanup.leftoversRemoved.length)
    lines.push(
      '',
      `Leftovers of earlier drills removed first: ${r.cleanup.leftoversRemoved.map((l) => `\`${l}\``).join(', ')}`,
    );
  for (const e of r.cleanup.errors) lines.push(`- cleanup error: ${cell(e)}`);
  return lines.join('\n') + '\n';
}

/** Production → local: every adaptation with the object it touched, then what could only be reported. */
export function adaptedSection(r: Pick<DrillReport, 'adapted'>): string[] {
  if (!r.adapted) return [];
  const { reason, adaptations } = r.adapted;
  const applied = adaptations.filter((a) => !a.gap);
  const gaps = adaptations.filter((a) => a.gap);
  const row = (a: (typeof adaptations)[number]) => `| ${a.kind} | \`${cell(a.subject)}\` | ${cell(a.change)} |`;
  const lines = [
    '',
    '## Adapted for this cluster',
    '',
    `Adapted because ${cell(reason)} (\`--no-adapt\` restores exactly as Velero would).`,
  ];
  if (adaptations.length === 0) lines.push('', 'Nothing needed adapting.');
  if (applied.length)
    lines.push(
      '',
      `### Adapted (${applied.length})`,
      '',
      '| Kind | Object | Change |',
      '| --- | --- | --- |',
      ...applied.map(row),
    );
  if (gaps.length)
    lines.push(
      '',
      `### Could not be adapted (${gaps.length})`,
      '',
      '| Kind | Object | Why it will not work here |',
      '| --- | --- | --- |',
      ...gaps.map(row),
    );
  return lines;
}
