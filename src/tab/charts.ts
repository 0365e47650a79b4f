import type { Charts } from './api.ts';
import { el, svg } from './dom.ts';

const pct = (share: number | null) => (share === null ? 'none due' : `${Math.round(share * 100)}%`);

/** Horizontal bars: the share of each statutory clock met on time. */
function timelinessChart(c: Charts): Element {
  const rows = c.timeliness;
  const height = Math.max(1, rows.length) * 34 + 10;
  const chart = svg(
    'svg',
    { viewBox: `0 0 560 ${height}`, role: 'img', 'aria-labelledby': 'timeliness-title', class: 'chart' },
    svg('title', { id: 'timeliness-title' }, `Statutory clocks met on time, ${c.from} to ${c.to}`),
    ...rows.map((r, i) =>
      svg(
        'g',
        { transform: `translate(0 ${i * 34 + 5})` },
        svg('text', { x: 0, y: 18, class: 'label' }, r.label),
        svg('rect', { x: 220, y: 4, width: 260, height: 20, class: 'track' }),
        svg('rect', { x: 220, y: 4, width: Math.round(260 * (r.share ?? 0)), height: 20, class: 'bar' }),
        svg('text', { x: 488, y: 18, class: 'value' }, `${pct(r.share)} (${r.onTime}/${r.onTime + r.late})`),
      ),
    ),
  );
  return el(
    'figure',
    {},
    el('figcaption', {}, 'Statutory clocks met on time (last 12 months)'),
    rows.length ? chart : el('p', {}, 'No statutory clock fell due in the last 12 months.'),
  );
}

/** Vertical bars: cases received each month. */
function casesChart(c: Charts): Element {
  const max = Math.max(1, ...c.casesPerMonth.map((m) => m.cases));
  const width = c.casesPerMonth.length * 48;
  const monthName = (m: string) => new Date(`${m}-15T12:00:00Z`).toLocaleDateString('en-GB', { month: 'short', timeZone: 'UTC' });
  return el(
    'figure',
    {},
    el('figcaption', {}, 'Cases received per month'),
    svg(
      'svg',
      { viewBox: `0 0 ${width} 190`, role: 'img', 'aria-labelledby': 'cases-title', class: 'chart' },
      svg(
        'title',
        { id: 'cases-title' },
        `Cases received per month: ${c.casesPerMonth.map((m) => `${monthName(m.month)} ${m.month.slice(0, 4)}: ${m.cases}`).join(', ')}`,
      ),
      ...c.casesPerMonth.map((m, i) => {
        const h = Math.round(120 * (m.cases / max));
        return svg(
          'g',
          { transform: `translate(${i * 48} 0)` },
          svg('rect', { x: 10, y: 145 - h, width: 28, height: h, class: 'bar' }),
          svg('text', { x: 24, y: 139 - h, class: 'value', 'text-anchor': 'middle' }, String(m.cases)),
          svg('text', { x: 24, y: 164, class: 'label', 'text-anchor': 'middle' }, monthName(m.month)),
          svg('text', { x: 24, y: 180, class: 'label', 'text-anchor': 'middle' }, m.month.slice(0, 4)),
        );
      }),
    ),
  );
}

export function chartsSection(c: Charts): HTMLElement {
  const conv = c.conversion;
  return el(
    'section',
    { 'aria-labelledby': 'charts-heading', class: 'charts' },
    el('h2', { id: 'charts-heading' }, 'Timeliness'),
    timelinessChart(c),
    el(
      'p',
      { class: 'conversion' },
      `Rapid reviews that became a local practice review: ${conv.lcsprs} of ${conv.rapidReviews} (${pct(conv.share)}).`,
    ),
    casesChart(c),
  );
}
