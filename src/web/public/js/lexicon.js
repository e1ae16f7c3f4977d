import { ApiError, get } from './api.js';
import { h, render } from './dom.js';

/**
 * Lexicon browser. The lexicon API (/api/lexicon…) comes with another part of the project; on
 * a server without it this screen says so instead of guessing, and shows the active version.
 */
export async function lexiconScreen() {
  const health = await get('/api/health');
  const active = health.lexicon ? `${health.lexicon.id} ${health.lexicon.version}` : 'unknown';
  let entries;
  try {
    entries = await get('/api/lexicon/entries?limit=200');
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      render(h('h1', null, 'Lexicon'), h('p', null, `Active lexicon: ${active}.`), h('p', { class: 'panel', id: 'unavailable', role: 'status' }, 'Browsing, editing and importing the lexicon is not available on this server (it has no lexicon API yet). The method and entries are documented in lexicons/README.md of the project.'));
      return;
    }
    throw error;
  }
  const items = Array.isArray(entries.items) ? entries.items : [];
  const search = h('input', { id: 'lexicon-search', type: 'search', 'aria-controls': 'lexicon-table' });
  const body = h('tbody');
  const fill = () => {
    const q = search.value.trim().toLowerCase();
    body.replaceChildren(...items.filter((e) => !q || JSON.stringify(e).toLowerCase().includes(q)).map((e) =>
      h('tr', null, h('td', null, h('code', null, e.id ?? '')), h('td', null, e.category ?? ''), h('td', null, String(e.severity ?? '')), h('td', null, e.lang ?? ''), h('td', null, (e.terms ?? []).join(' · '))),
    ));
  };
  search.addEventListener('input', fill);
  render(
    h('h1', null, 'Lexicon'),
    h('p', null, `Active lexicon: ${active}. ${entries.total ?? items.length} entries.`),
    h('label', { for: 'lexicon-search' }, 'Search'), search,
    h('div', { class: 'table-wrap' }, h('table', { id: 'lexicon-table' }, h('thead', null, h('tr', null, ['Entry', 'Category', 'Severity', 'Language', 'Terms'].map((t) => h('th', { scope: 'col' }, t)))), body)),
  );
  fill();
}
