// @ts-check
/* global URLSearchParams */
/**
 * The entries panel: server-side filters (language, category, status), a text search in the
 * page, the table (listed in steps), and the detail area where an entry or its form opens.
 */
import { get } from '../../lib/api.js';
import { h, say, scrollTable } from '../../lib/dom.js';
import { describe, selectField } from '../../lib/forms.js';
import { categoryOptions } from '../../lib/meta.js';
import { showEntry } from './entry-detail.js';
import { editEntry } from './entry-form.js';

/** @typedef {import('./context.js').LexiconContext} LexiconContext */
/** @typedef {import('./context.js').DetailPanel} DetailPanel */
/** @typedef {import('../../../../api-types').LexiconEntryData} Entry */
/** @typedef {import('../../../../api-types').List<Entry>} EntryList */

/** Rows listed at first (and added by "List more"): a long table is slow to read and to render. */
const LIST_STEP = 100;
/** Filters sent to the server: control id → query parameter. */
const SERVER_FILTERS = /** @type {const} */ ([['lx-lang', 'lang'], ['lx-category', 'category'], ['lx-status', 'status']]);

/** Every entry matching the filter, fetched in pages of 200. @param {Record<string, string>} filter */
async function allEntries(filter) {
  /** @type {Entry[]} */
  const items = [];
  for (let offset = 0; ; offset += 200) {
    const q = new URLSearchParams({ ...filter, offset: String(offset), limit: '200' });
    const page = /** @type {EntryList} */ (await get(`/api/lexicon/entries?${q}`));
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) return items;
  }
}

/** @param {Entry} e @param {string} q lower-case search text */
const matches = (e, q) => !q || [e.id, ...(e.terms ?? []), e.meaning ?? '', e.whyHarmful ?? ''].some((s) => s.toLocaleLowerCase().includes(q));

/** @param {LexiconContext} ctx */
export function entriesPanel(ctx) {
  /** @type {{ entries: Entry[], listed: number }} */
  const state = { entries: [], listed: LIST_STEP };
  const filters = h('form', { class: 'filters', id: 'entry-filters', 'aria-label': 'Filter entries' },
    selectField('lx-lang', 'Language', ['', ...ctx.active.languages], ''),
    selectField('lx-category', 'Category', ['', ...categoryOptions(ctx.meta)], ''),
    selectField('lx-status', 'Status', ['', ...ctx.meta.lexicon.entryStatuses], ''),
    h('div', { class: 'grow' }, h('label', { for: 'lx-search' }, 'Search terms and meanings'), h('input', { id: 'lx-search', type: 'search', 'aria-controls': 'lexicon-table' })));
  const search = /** @type {HTMLInputElement} */ (filters.querySelector('#lx-search'));
  const count = h('p', { id: 'entries-count', role: 'status' });
  const body = h('tbody');
  const detail = h('section', { id: 'entry-detail', 'aria-label': 'Entry', tabindex: '-1' });
  const more = h('button', { type: 'button', class: 'secondary', id: 'entries-more', hidden: true }, `List ${LIST_STEP} more`);

  /** @type {DetailPanel} */
  const panel = { detail, reload: load, show: (id) => showEntry(ctx, panel, id) };
  const open = (/** @type {string} */ id) => panel.show(id).catch((error) => say(describe(error), 'error'));

  function list() {
    const q = search.value.trim().toLocaleLowerCase();
    const matching = state.entries.filter((e) => matches(e, q));
    const shown = matching.slice(0, state.listed);
    count.textContent = `${matching.length} of ${state.entries.length} entries match${shown.length < matching.length ? `; the first ${shown.length} are listed` : ''}.`;
    more.hidden = shown.length >= matching.length;
    body.replaceChildren(...shown.map((e) => h('tr', { dataset: { entry: e.id, status: e.status } },
      h('td', null, h('button', { type: 'button', class: 'linklike', onclick: () => open(e.id) }, e.id)),
      h('td', null, e.category), h('td', null, String(e.severity)), h('td', null, e.lang), h('td', null, e.status),
      h('td', { lang: e.lang }, (e.terms ?? []).join(' · ')))));
  }

  async function load() {
    /** @type {Record<string, string>} */
    const filter = {};
    for (const [id, key] of SERVER_FILTERS) {
      const value = /** @type {HTMLSelectElement} */ (filters.querySelector(`#${id}`)).value;
      if (value) filter[key] = value;
    }
    state.entries = await allEntries(filter);
    state.listed = LIST_STEP;
    list();
  }

  more.addEventListener('click', () => {
    state.listed += LIST_STEP;
    list();
  });
  for (const [id] of SERVER_FILTERS) filters.querySelector(`#${id}`)?.addEventListener('change', () => load().catch((e) => say(describe(e), 'error')));
  search.addEventListener('input', () => {
    state.listed = LIST_STEP;
    list();
  });
  filters.addEventListener('submit', (e) => e.preventDefault());

  const table = scrollTable({ id: 'lexicon-table', label: 'Entries table (scrolls sideways)', caption: 'Working-copy entries', columns: ['Entry', 'Category', 'Severity', 'Language', 'Status', 'Terms'], body });
  const section = h('section', { id: 'entries-section', 'aria-labelledby': 'entries-title' }, h('h2', { id: 'entries-title' }, 'Entries'), filters, count, detail, table, h('p', null, more));
  return { section, load, newEntry: () => editEntry(ctx, panel, null) };
}
