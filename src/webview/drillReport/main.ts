// The drill report webview: status, phase timeline, checks, what was missing, history trend.
import type {
  DrillHistoryEntry,
  DrillReport,
  DrillReportHostMessage,
  DrillReportWebviewMessage,
  PhaseLabels,
} from '../../protocol/drillReport';
import { clear, h, hostChannel, onHostMessage, setStatus } from '../shared/dom';
import { historyChart, phaseTimeline, seconds } from './charts';

const host = hostChannel<DrillReportWebviewMessage>();
const app = document.getElementById('app') as HTMLElement;
const status = h('div', { class: 'status', hidden: true });
const content = h('div', { class: 'drill-report' });
app.append(status, content);

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
        h(
          'button',
          { onclick: () => host.post({ type: 'openFile', which: 'markdown' }), disabled: !report.files },
          'Open Markdown report',
        ),
        h(
          'button',
          {
            class: 'secondary',
            onclick: () => host.post({ type: 'openFile', which: 'json' }),
            disabled: !report.files,
          },
          'Open JSON report',
        ),
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
    case 'error':
      setStatus(status, m.message, 'error');
      break;
  }
});
host.post({ type: 'ready' });
