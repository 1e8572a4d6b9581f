// The drill report webview: status, phase timeline, checks, what was missing, history trend.
import type {
  DrillHistoryEntry,
  DrillReport,
  DrillReportHostMessage,
  DrillReportWebviewMessage,
  PhaseLabels,
} from '../../protocol/drillReport';
import { PendingRequests, clear, h, hostChannel, onHostMessage, setStatus } from '../shared/dom';
import { historyChart, phaseTimeline, seconds } from './charts';

const host = hostChannel<DrillReportWebviewMessage>();
const app = document.getElementById('app') as HTMLElement;
const status = h('div', { class: 'status', hidden: true });
const content = h('div', { class: 'drill-report' });
app.append(status, content);
/** Which report file each open request asked for (by requestId); its error shows beside that button. */
const pending = new PendingRequests<'json' | 'markdown'>();
const note = () => h('span', { class: 'row-status error', hidden: true });
const fileNotes = { json: note(), markdown: note() };

function openFile(which: 'json' | 'markdown'): void {
  fileNotes[which].hidden = true;
  pending.start(host.post({ type: 'openFile', which }), which);
}

/** Production → local: every adaptation with the object it touched (text only, never markup from the cluster). */
function adaptedSection(adapted: NonNullable<DrillReport['adapted']>): HTMLElement {
  const rows = adapted.adaptations.map((a) =>
    h(
      'tr',
      { class: a.gap ? 'fail' : 'info' },
      h('td', {}, a.gap ? 'not adapted' : 'adapted'),
      h('td', {}, a.kind),
      h('td', {}, a.subject),
      h('td', {}, a.change),
    ),
  );
  return h(
    'section',
    {},
    h('h2', {}, `Adapted for this cluster (${adapted.adaptations.length})`),
    h('p', { class: 'muted' }, `Adapted because ${adapted.reason}; --no-adapt restores exactly as Velero would.`),
    rows.length
      ? h(
          'table',
          { class: 'grid' },
          h(
            'thead',
            {},
            h('tr', {}, h('th', {}, ''), h('th', {}, 'Kind'), h('th', {}, 'Object'), h('th', {}, 'Change')),
          ),
          h('tbody', {}, ...rows),
        )
      : h('p', {}, 'Nothing needed adapting.'),
  );
}

function render(report: DrillReport, history: DrillHistoryEntry[], phaseLabels: PhaseLabels): void {
  clear(content);
  const passed = report.status === 'passed';
  content.append(
    h(
      'header',
      { class: `drill-header ${report.status}` },
      h('h1', {}, `Drill ${passed ? 'passed' : report.status}`),
      h(
        'p',
        {},
        `Recovery point ${report.recoveryPoint.id} → namespace ${report.target.namespace} on ${report.target.context}`,
      ),
      h(
        'p',
        { class: 'drill-figures' },
        h('strong', {}, seconds(report.recoveryTimeMs)),
        ' recovery time · ',
        `${report.counts.passed}/${report.counts.checks} checks passed · `,
        `${report.counts.failingGaps} missing`,
        report.counts.gaps > report.counts.failingGaps
          ? ` (+${report.counts.gaps - report.counts.failingGaps} expected gaps)`
          : '',
      ),
      report.error ? h('p', { class: 'status error', role: 'alert' }, report.error) : null,
      h(
        'div',
        { class: 'toolbar' },
        h('button', { onclick: () => openFile('markdown'), disabled: !report.files }, 'Open Markdown report'),
        fileNotes.markdown,
        h(
          'button',
          {
            class: 'secondary',
            onclick: () => openFile('json'),
            disabled: !report.files,
          },
          'Open JSON report',
        ),
        fileNotes.json,
      ),
    ),
  );
  const recovery = report.phases.filter((p) => p.phase !== 'cleanup');
  content.append(
    h(
      'section',
      {},
      h('h2', {}, 'Phases'),
      recovery.length ? phaseTimeline(report.phases, phaseLabels) : h('p', {}, 'No phase ran.'),
    ),
  );

  const gapRows = report.gaps.map((g) =>
    h(
      'tr',
      { class: g.kind === 'skipped-by-policy' || g.kind === 'field-stripped' ? 'info' : 'fail' },
      h('td', {}, g.kind),
      h('td', {}, g.subject),
      h('td', {}, g.message),
    ),
  );
  content.append(
    h(
      'section',
      {},
      h('h2', {}, `What was missing (${report.gaps.length})`),
      gapRows.length
        ? h(
            'table',
            { class: 'grid' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Kind'), h('th', {}, 'Item'), h('th', {}, 'Detail'))),
            h('tbody', {}, ...gapRows),
          )
        : h('p', {}, 'Nothing.'),
    ),
  );

  if (report.adapted) content.append(adaptedSection(report.adapted));

  const checkRows = report.checks.map((c) =>
    h(
      'tr',
      { class: c.passed ? 'pass' : 'fail' },
      h('td', {}, c.passed ? '✓' : '✗'),
      h('td', {}, c.category),
      h('td', {}, c.name),
      h('td', {}, c.detail ?? ''),
    ),
  );
  content.append(
    h(
      'section',
      {},
      h('h2', {}, `Checks (${report.counts.passed}/${report.counts.checks})`),
      h(
        'table',
        { class: 'grid checks' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, ''), h('th', {}, 'Category'), h('th', {}, 'Check'), h('th', {}, 'Detail')),
        ),
        h('tbody', {}, ...checkRows),
      ),
    ),
  );

  if (history.length)
    content.append(h('section', {}, h('h2', {}, `History (${history.length} drills)`), historyChart(history)));
  const c = report.cleanup;
  content.append(
    h(
      'p',
      { class: 'muted' },
      c.kept
        ? 'The drill target was kept for inspection.'
        : c.done
          ? 'The drill target was cleaned up.'
          : 'Cleanup did not finish.',
      c.errors.length ? ` Cleanup errors: ${c.errors.join('; ')}` : '',
    ),
  );
  app.setAttribute('aria-busy', 'false');
}

onHostMessage<DrillReportHostMessage>((m) => {
  switch (m.type) {
    case 'show':
      setStatus(status, '');
      render(m.report, m.history, m.phaseLabels);
      break;
    case 'error': {
      const which = pending.finish(m.requestId);
      if (which) {
        fileNotes[which].textContent = m.message;
        fileNotes[which].hidden = false;
        fileNotes[which].setAttribute('role', 'alert');
      } else setStatus(status, m.message, 'error');
      break;
    }
  }
});
host.post({ type: 'ready' });
