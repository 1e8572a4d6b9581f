// SVG charts for the drill report, built with DOM APIs (no markup strings).
import type { DrillHistoryEntry, PhaseTiming } from '../../protocol/drillReport';

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** A Gantt-like timeline: one row per phase, bars placed at their start offset. */
export function phaseTimeline(phases: readonly PhaseTiming[], labels: Record<string, string>): SVGSVGElement {
  const rowH = 26;
  const labelW = 140;
  const width = 640;
  const chartW = width - labelW - 80;
  const t0 = Math.min(...phases.map((p) => Date.parse(p.startedAt)));
  const end = Math.max(...phases.map((p) => Date.parse(p.startedAt) + p.durationMs));
  const span = Math.max(1, end - t0);
  const root = svg('svg', {
    width,
    height: phases.length * rowH + 24,
    role: 'img',
    'aria-label': 'Phase timeline',
    class: 'timeline',
  });
  phases.forEach((p, i) => {
    const y = i * rowH + 4;
    const x = labelW + ((Date.parse(p.startedAt) - t0) / span) * chartW;
    const w = Math.max(2, (p.durationMs / span) * chartW);
    root.appendChild(svg('text', { x: 0, y: y + 15, class: 'timeline-label' }, labels[p.phase] ?? p.phase));
    root.appendChild(svg('rect', { x, y, width: w, height: rowH - 8, rx: 3, class: `timeline-bar phase-${p.phase}` }));
    root.appendChild(svg('text', { x: x + w + 6, y: y + 15, class: 'timeline-value' }, seconds(p.durationMs)));
  });
  root.appendChild(
    svg('line', {
      x1: labelW,
      x2: labelW + chartW,
      y1: phases.length * rowH + 8,
      y2: phases.length * rowH + 8,
      class: 'timeline-axis',
    }),
  );
  root.appendChild(svg('text', { x: labelW, y: phases.length * rowH + 22, class: 'timeline-value' }, '0'));
  root.appendChild(
    svg(
      'text',
      { x: labelW + chartW, y: phases.length * rowH + 22, class: 'timeline-value', 'text-anchor': 'end' },
      seconds(span),
    ),
  );
  return root;
}

/** Recovery time of past runs as bars, coloured by result (the trend across drills). */
export function historyChart(entries: readonly DrillHistoryEntry[]): SVGSVGElement {
  const recent = entries.slice(-30);
  const width = 640;
  const height = 120;
  const max = Math.max(1, ...recent.map((e) => e.recoveryTimeMs));
  const barW = Math.max(4, Math.min(24, (width - 60) / Math.max(1, recent.length) - 4));
  const root = svg('svg', {
    width,
    height: height + 20,
    role: 'img',
    'aria-label': 'Recovery time of past drills',
    class: 'history',
  });
  recent.forEach((e, i) => {
    const h = Math.max(2, (e.recoveryTimeMs / max) * height);
    const bar = svg('rect', {
      x: 50 + i * (barW + 4),
      y: height - h,
      width: barW,
      height: h,
      rx: 2,
      class: `history-bar ${e.status}`,
    });
    bar.appendChild(
      svg('title', {}, `${new Date(e.startedAt).toLocaleString()}: ${e.status}, ${seconds(e.recoveryTimeMs)}`),
    );
    root.appendChild(bar);
  });
  root.appendChild(svg('text', { x: 0, y: 12, class: 'timeline-value' }, seconds(max)));
  root.appendChild(svg('text', { x: 0, y: height, class: 'timeline-value' }, '0'));
  return root;
}
