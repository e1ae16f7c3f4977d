// @ts-check
/* global window, URLSearchParams */
/**
 * Word search over the text of every page (GET /api/search): a plain GET form, so a search is a
 * link. Each result shows a few words around its first hits and links to the page with every hit
 * marked (/search/page), and to the page in the document view.
 */
import { get } from '../lib/api.js';
import { h, markedText, render } from '../lib/dom.js';

/**
 * @typedef {{ start: number, end: number, exact: string }} Hit
 * @typedef {{ before: string, hit: string, after: string, start: number }} Snippet
 * @typedef {{ document: string, title: string, documentStatus: string, page: number, pageNumber: number, pageLabel: string | null, version: number, lang: string | null, hits: Hit[], snippets: Snippet[] }} SearchResult
 * @typedef {{ query: string, forms: string[][], items: SearchResult[], total: number, offset: number, limit: number }} SearchAnswer
 * @typedef {import('../../../api-types').PageView} PageView
 */

const PAGE_SIZE = 20;
/** At most this many hits travel in a result's link (the page view marks them all). */
const MAX_LINKED_HITS = 100;

/** @param {string} q @param {string} [value] */
function searchForm(q, value = q) {
  return h('form', { method: 'get', action: '/search', role: 'search', class: 'panel', id: 'search-form' },
    h('label', { for: 'q' }, 'Words to find (a page must have all of them)'),
    h('div', { class: 'filters' },
      h('div', { class: 'grow' }, h('input', { id: 'q', name: 'q', type: 'search', value, required: true, maxlength: 200, autocomplete: 'off' })),
      h('button', { type: 'submit' }, 'Search')),
    h('p', { class: 'muted' }, 'Case and spelling variants are found as the analyser reads text: İ/I/ı/i by Turkish and Azerbaijani rules, ё as е, Azerbaijani in Cyrillic or Latin letters, Armenian marks inside words ignored.'));
}

/** The link to a result's page with its hits marked. @param {SearchResult} r @param {string} q */
export function hitsLink(r, q) {
  const hits = r.hits.slice(0, MAX_LINKED_HITS).map((x) => `${x.start}-${x.end}`).join(',');
  return `/search/page?${new URLSearchParams({ document: r.document, page: String(r.page), version: String(r.version), q, hits })}`;
}

/** @param {SearchResult} r @param {string} q */
function resultItem(r, q) {
  const where = `page ${r.pageLabel ?? r.pageNumber}`;
  return h('li', { class: 'panel', dataset: { document: r.document, page: String(r.page) } },
    h('h2', null, h('a', { href: hitsLink(r, q) }, `${r.title}, ${where}`)),
    h('p', { class: 'muted' }, `${r.hits.length} hit${r.hits.length === 1 ? '' : 's'} · language ${r.lang ?? 'unknown'}${r.documentStatus === 'withdrawn' ? ' · document withdrawn' : ''} · `,
      h('a', { href: `/documents/${r.document}?page=${r.page}&view=text` }, 'open in the document view')),
    r.snippets.map((s) => h('p', { lang: r.lang ?? undefined }, '…', s.before, h('mark', null, s.hit), s.after, '…')));
}

export async function searchScreen() {
  const params = new URLSearchParams(window.location.search);
  const q = (params.get('q') ?? '').trim();
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  if (!q) {
    render(h('h1', null, 'Search'), searchForm(''));
    return;
  }
  const answer = /** @type {SearchAnswer} */ (await get(`/api/search?${new URLSearchParams({ q, offset: String(offset), limit: String(PAGE_SIZE) })}`));
  const link = (/** @type {number} */ at) => `/search?${new URLSearchParams({ q, offset: String(at) })}`;
  render(
    h('h1', null, 'Search'),
    searchForm(q),
    h('p', { id: 'search-summary', role: 'status' }, answer.total ? `${answer.total} page${answer.total === 1 ? ' contains' : 's contain'} ${answer.forms.length > 1 ? 'all of ' : ''}“${q}”.` : `No page contains “${q}”.`),
    h('ol', { class: 'plain', id: 'search-results', start: offset + 1 }, answer.items.map((r) => resultItem(r, q))),
    h('nav', { class: 'pager', 'aria-label': 'Pages of results' },
      offset > 0 ? h('a', { href: link(Math.max(0, offset - PAGE_SIZE)), rel: 'prev' }, 'Previous') : null,
      offset + PAGE_SIZE < answer.total ? h('a', { href: link(offset + PAGE_SIZE), rel: 'next' }, 'Next') : null),
  );
}

/** One page's text with the search hits in the address marked. */
export async function searchPageScreen() {
  const params = new URLSearchParams(window.location.search);
  const document = params.get('document') ?? '';
  const page = Number(params.get('page'));
  const version = Number(params.get('version'));
  const q = params.get('q') ?? '';
  if (!/^[0-9a-f]{24}$/.test(document) || !Number.isInteger(page) || page < 0) {
    render(h('h1', null, 'Search hit'), h('p', { class: 'error', role: 'alert' }, 'This link does not name a page.'));
    return;
  }
  const hits = (params.get('hits') ?? '').split(',').map((pair) => pair.split('-').map(Number)).filter(([s, e]) => Number.isInteger(s) && Number.isInteger(e) && /** @type {number} */ (e) > /** @type {number} */ (s)).map(([start, end]) => ({ start: /** @type {number} */ (start), end: /** @type {number} */ (end), label: 'search hit' }));
  const versionQuery = Number.isInteger(version) && version > 0 ? `?version=${version}` : '';
  const { page: view } = /** @type {{ page: PageView }} */ (await get(`/api/documents/${document}/pages/${page}${versionQuery}`));
  const { document: doc } = /** @type {{ document: { title: string } }} */ (await get(`/api/documents/${document}`));
  const text = h('div', { class: 'pagetext', id: 'search-page-text', lang: view.lang || undefined }, markedText(view.text, hits));
  render(
    h('h1', null, `${doc.title}, page ${view.label ?? page + 1}`),
    h('p', null, `${hits.length} hit${hits.length === 1 ? '' : 's'} of “${q}” marked. `, h('a', { href: `/search?${new URLSearchParams({ q })}` }, 'Back to the results'), ' · ',
      h('a', { href: `/documents/${document}?page=${page}&view=text` }, 'Open in the document view')),
    text,
  );
  text.querySelector('mark')?.scrollIntoView({ block: 'center' });
}
