// @ts-check
/* global window, URLSearchParams, setTimeout */
/**
 * Flags across documents: every flag, narrowed by the filters in the address (a plain GET form,
 * so a filter is a bookmarkable link), sorted, with counts per value, exported as CSV or JSON,
 * and sent to a dossier. It reads GET /api/flags and /api/flags/counts only: a flag's reviews are
 * never fetched here, so a reviewer sees states, not other reviewers' decisions (blind review).
 */
import { ApiError, get, post } from '../lib/api.js';
import { h, render } from '../lib/dom.js';
import { alertBox, onSubmit, selectField, textField } from '../lib/forms.js';
import { categoryName, categoryOptions, loadMeta } from '../lib/meta.js';
import { dossierFiltersOf, flagRow, FLAG_COLUMNS } from './flags-parts.js';

/** @typedef {import('../../../api-types').Meta} Meta */
/** @typedef {import('../../../api-types').FlagView} FlagView */
/** @typedef {import('../../../api-types').DocumentView} DocumentView */
/** @typedef {import('../../../api-types').DossierView} DossierView */
/** @typedef {{ value: string | number | null, n: number }} CountRow */
/** @typedef {{ total: number, status: CountRow[], category: CountRow[], severity: CountRow[], lang: CountRow[] }} FlagCounts */

/** The filters of GET /api/flags, in the order the form shows them. */
export const FILTERS = ['status', 'category', 'severity', 'document', 'kind', 'speaker', 'target', 'entry', 'frame', 'signal', 'lang', 'pageVersion'];
const SORTS = /** @type {const} */ ([['position', 'Document, page, position'], ['priority', 'Priority (highest first)'], ['severity', 'Severity (highest first)'], ['newest', 'Newest first']]);
const PAGE_SIZE = 50;

/** The filter in the address: known names with a value only. */
function filterFromAddress() {
  const params = new URLSearchParams(window.location.search);
  /** @type {Record<string, string>} */
  const filter = {};
  for (const name of [...FILTERS, 'sort']) {
    const value = params.get(name)?.trim();
    if (value) filter[name] = value;
  }
  return { filter, offset: Math.max(0, Number(params.get('offset')) || 0) };
}

/** @param {Record<string, string | number>} values */
const query = (values) => new URLSearchParams(Object.entries(values).map(([k, v]) => [k, String(v)])).toString();

/** The filter form (GET /flags): a submit reloads the screen with the filter in the address. @param {Meta} meta @param {DocumentView[]} docs @param {Record<string, string>} f */
function filterForm(meta, docs, f) {
  const severities = meta.severities.map((s) => /** @type {const} */ ([String(s.level), `${s.level} · ${s.meaning}`]));
  return h('form', { id: 'flag-filters', method: 'get', action: '/flags', class: 'panel' },
    h('div', { class: 'grid' },
      selectField('status', 'Status', ['', ...meta.flagStatuses], f.status ?? ''),
      selectField('category', 'Category', [['', 'any'], ...categoryOptions(meta)], f.category ?? ''),
      selectField('severity', 'Severity', [['', 'any'], ...severities], f.severity ?? ''),
      selectField('document', 'Document', [['', 'any'], ...docs.map((d) => /** @type {const} */ ([d.id, d.title]))], f.document ?? ''),
      selectField('kind', 'Document kind', ['', ...meta.documents.kinds], f.kind ?? ''),
      textField('speaker', 'Speaker', f.speaker, { autocomplete: 'off' }),
      textField('target', 'Target group id', f.target, { autocomplete: 'off', placeholder: 'e.g. tarvani' }),
      textField('entry', 'Lexicon entry id', f.entry, { autocomplete: 'off' }),
      textField('frame', 'Frame id', f.frame, { autocomplete: 'off' }),
      selectField('signal', 'Signal', [['', 'any'], ...meta.signals.map((s) => /** @type {const} */ ([s.name, s.name]))], f.signal ?? ''),
      textField('lang', 'Language code', f.lang, { autocomplete: 'off', placeholder: 'e.g. az', pattern: '[a-z]{2,3}' }),
      h('div', null, h('label', { for: 'pageVersion' }, 'Page version'), h('input', { id: 'pageVersion', name: 'pageVersion', type: 'number', min: 1, value: f.pageVersion ?? '' })),
      selectField('sort', 'Sort by', SORTS, f.sort ?? 'position'),
    ),
    h('p', { class: 'pager' }, h('button', { type: 'submit' }, 'Apply filters'), h('a', { href: '/flags', class: 'button secondary', id: 'clear-filters' }, 'Clear')));
}

/** Counts per value; each value links to the filter narrowed to it. @param {Meta} meta @param {FlagCounts} counts @param {Record<string, string>} f */
function countsPanel(meta, counts, f) {
  /** @param {string} field @param {string} title @param {(v: string) => string} label */
  const group = (field, title, label) => {
    const rows = /** @type {CountRow[]} */ (counts[/** @type {'status'} */ (field)]);
    return h('div', null, h('h3', { id: `counts-${field}-title` }, title),
      h('ul', { class: 'chips', 'aria-labelledby': `counts-${field}-title` }, rows.map((r) => {
        const value = r.value === null ? '' : String(r.value);
        const text = `${value ? label(value) : 'none'}: ${r.n}`;
        if (!value || f[field] === value) return h('li', { class: `chip${f[field] === value ? ' on' : ''}` }, text);
        return h('li', null, h('a', { class: 'chip', href: `/flags?${query({ ...f, [field]: value })}` }, text));
      })));
  };
  return h('section', { class: 'panel', id: 'flag-counts', 'aria-label': 'Counts' },
    h('p', null, h('strong', { id: 'flag-total' }, `${counts.total} flag${counts.total === 1 ? '' : 's'}`), ' match this filter.'),
    h('div', { class: 'grid' },
      group('status', 'By status', (v) => v),
      group('category', 'By category', (v) => `${v} ${categoryName(meta, v)}`),
      group('severity', 'By severity', (v) => `severity ${v}`),
      group('lang', 'By language', (v) => v)));
}

/** The dossier form: the filter as dossier filters, and what a dossier cannot narrow by. @param {Record<string, string>} f @param {DocumentView[]} docs */
function dossierForm(f, docs) {
  const { filters, left } = dossierFiltersOf(f, docs);
  const job = h('div', { id: 'flags-dossier-job', 'aria-live': 'polite' });
  const alert = alertBox('flags-dossier-error');
  const form = h('form', { id: 'flags-dossier' },
    h('div', { class: 'grid' }, textField('fd-title', 'Title', '', { name: 'title', required: true }), textField('fd-submitter', 'Submitted by', '', { name: 'submitter', required: true }), textField('fd-addressee', 'Addressed to', '', { name: 'addressee', required: true })),
    h('p', { class: 'muted' }, `Dossier filters: ${JSON.stringify(filters)}.`),
    left.length ? h('p', { class: 'muted', id: 'dossier-left-out' }, `A dossier cannot narrow by ${left.join(', ')}: those filters are not applied to it.${left.includes('status') ? ' A dossier holds decided flags only: it takes the confirmed ones.' : ''}`) : null,
    h('p', null, h('button', { type: 'submit' }, 'Start a dossier from this filter')), alert);
  const value = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.querySelector(`[name="${name}"]`)).value;
  onSubmit(form, async () => {
    try {
      const { dossier } = /** @type {{ dossier: DossierView }} */ (await post('/api/dossiers', { title: value('title'), submitter: value('submitter'), addressee: value('addressee'), filters }));
      follow(job, dossier.id);
    } catch (error) {
      if (!(error instanceof ApiError && error.unavailable)) throw error;
      job.replaceChildren(h('p', { class: 'panel', role: 'status' }, 'Dossier export is not available on this server.'));
    }
  }, { alert });
  return h('details', { class: 'panel' }, h('summary', null, 'Start a dossier from this filter'), form, job);
}

/** Shows a dossier job's state until it is done or failed. @param {HTMLElement} job @param {string} id */
async function follow(job, id) {
  const d = /** @type {{ dossier: DossierView }} */ (await get(`/api/dossiers/${id}`)).dossier;
  job.replaceChildren(h('p', { id: 'flags-dossier-status', dataset: { status: d.status } }, `Dossier "${d.title}": ${d.status} (${d.progress.itemsDone}/${d.progress.itemsTotal} items). `,
    d.result ? h('a', { href: d.links.download, download: '' }, `Download (${d.result.bytes} bytes)`) : null, ' ', h('a', { href: '/dossiers' }, 'All dossiers')));
  if (d.status !== 'done' && d.status !== 'failed') setTimeout(() => follow(job, id).catch(() => {}), 1000);
}

export async function flagsScreen() {
  const { filter, offset } = filterFromAddress();
  const apiFilter = Object.fromEntries(Object.entries(filter).filter(([k]) => k !== 'sort'));
  const [meta, docs, list, counts] = await Promise.all([
    loadMeta(),
    get('/api/documents?limit=200').then((r) => /** @type {{ items: DocumentView[] }} */ (r).items),
    get(`/api/flags?${query({ ...filter, offset, limit: PAGE_SIZE })}`).then((r) => /** @type {{ items: FlagView[], total: number }} */ (r)),
    get(`/api/flags/counts?${query(apiFilter)}`).then((r) => /** @type {{ counts: FlagCounts }} */ (r).counts),
  ]);
  const titles = new Map(docs.map((d) => [d.id, d.title]));
  const exportQuery = query({ ...filter });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of flags' },
    offset > 0 ? h('a', { href: `/flags?${query({ ...filter, offset: Math.max(0, offset - PAGE_SIZE) })}`, rel: 'prev' }, 'Previous') : null,
    h('span', null, list.total ? `Flags ${offset + 1}–${Math.min(offset + list.items.length, list.total)} of ${list.total}` : 'No flags match.'),
    offset + PAGE_SIZE < list.total ? h('a', { href: `/flags?${query({ ...filter, offset: offset + PAGE_SIZE })}`, rel: 'next' }, 'Next') : null);
  const body = h('tbody', null, list.items.map((f) => flagRow(f, titles.get(f.document) ?? f.document, meta)));
  render(
    h('h1', null, 'Flags'),
    h('p', null, 'Every flag of every document. Flags are candidates for review; a flag under review shows its state, not the reviewers\' decisions.'),
    filterForm(meta, docs, filter),
    countsPanel(meta, counts, filter),
    h('p', { class: 'pager' }, 'Export this filter: ',
      h('a', { href: `/api/flags/export?${query({ ...filter, format: 'csv' })}`, download: '', id: 'export-csv' }, 'CSV'), ' · ',
      h('a', { href: `/api/flags/export?${exportQuery ? exportQuery + '&' : ''}format=json`, download: '', id: 'export-json' }, 'JSON')),
    dossierForm(filter, docs),
    pager,
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Flags' },
      h('table', { id: 'flags-table' }, h('thead', null, h('tr', null, FLAG_COLUMNS.map((c) => h('th', { scope: 'col' }, c)))), body)),
  );
}
