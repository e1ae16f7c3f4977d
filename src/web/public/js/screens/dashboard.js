// @ts-check
import { get } from '../lib/api.js';
import { h, render, svg } from '../lib/dom.js';

/** @typedef {import('../../../api-types').ReviewStats} ReviewStats */
/** @typedef {{ label: string, value: number, short?: string, display?: string }} Bar */

/** A horizontal bar chart (SVG) with the same figures as a table for screen readers. @param {string} id @param {string} title @param {Bar[]} rows */
function barChart(id, title, rows) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowH = 24;
  const labelW = 150;
  const width = 520;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${rows.length * rowH + 8}`, role: 'img', 'aria-labelledby': `${id}-title` },
    rows.map((r, i) => [
      svg('text', { x: 0, y: i * rowH + 16 }, r.label),
      svg('rect', { x: labelW, y: i * rowH + 4, width: Math.max(1, ((width - labelW - 60) * r.value) / max), height: rowH - 8, fill: '#0b5cad' }),
      svg('text', { x: labelW + ((width - labelW - 60) * r.value) / max + 6, y: i * rowH + 16 }, String(r.short ?? r.value)),
    ]),
  );
  return h('figure', { class: 'chart panel', id },
    h('figcaption', { id: `${id}-title` }, h('strong', null, title)),
    rows.length ? chart : h('p', { class: 'muted' }, 'No data yet.'),
    h('details', null, h('summary', null, 'As a table'), h('table', null, h('tbody', null, rows.map((r) => h('tr', null, h('th', { scope: 'row' }, r.label), h('td', null, String(r.display ?? r.value))))))),
  );
}

const fmt = (/** @type {number | null | undefined} */ v) => (v === null || v === undefined ? 'n/a' : v.toFixed(2));

/**
 * Kappa rows: those with a value, drawn from 0 (a negative kappa is shown in figures).
 * @template {{ kappa: number | null, items: number }} T @param {T[]} list @param {(x: T) => string} label @returns {Bar[]}
 */
const kappaBars = (list, label) => list.flatMap((x) => (x.kappa === null ? [] : [{ label: label(x), value: Math.max(0, x.kappa), short: fmt(x.kappa), display: `${fmt(x.kappa)} (${x.items} items)` }]));

/** Agreement (Krippendorff's alpha, Cohen's kappa per pair and category) and workload. */
export async function dashboardScreen() {
  const stats = /** @type {ReviewStats} */ (await get('/api/stats/review'));
  const { agreement } = stats;
  render(
    h('h1', null, 'Dashboard'),
    h('p', null, `Generated ${stats.generatedAt}. ${stats.flags.total} flags; `, h('strong', { id: 'alpha' }, `Krippendorff's alpha ${fmt(agreement.alpha.value)}`), ` over ${agreement.alpha.units} units; ${fmt(stats.flagsPerPage.mean)} flags per page.`),
    h('div', { class: 'cards' },
      barChart('chart-status', 'Flags by state', Object.entries(stats.flags.byStatus).map(([label, value]) => ({ label, value }))),
      barChart('chart-workload', 'Reviews per reviewer', stats.reviewers.map((r) => ({ label: r.username, value: r.reviews, display: `${r.reviews} (${r.confirm} confirm, ${r.reject} reject, ${r.modify} modify, ${r.escalate} escalate)` }))),
      barChart('chart-kappa-pairs', "Cohen's kappa per reviewer pair", kappaBars(agreement.pairs, (p) => p.reviewers.join(' / '))),
      barChart('chart-kappa-categories', "Cohen's kappa per category", kappaBars(agreement.byCategory, (c) => c.category)),
    ),
  );
}
