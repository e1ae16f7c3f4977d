// @ts-check
/* global window, URLSearchParams */
/** Documents, newest first, filtered by kind and status (the filters live in the URL). */
import { get } from '../../lib/api.js';
import { fmtDate, h, render } from '../../lib/dom.js';
import { selectField } from '../../lib/forms.js';
import { loadMeta } from '../../lib/meta.js';

/** @typedef {import('../../../../api-types').DocumentView} DocumentView */
/** @typedef {import('../../../../api-types').List<DocumentView>} DocumentList */

const PAGE_SIZE = 50;

/** @param {DocumentView} d */
const row = (d) => h('tr', { dataset: { document: d.id } },
  h('td', null, h('a', { href: `/documents/${d.id}` }, d.title), d.titleEnglish ? h('div', { class: 'muted' }, d.titleEnglish) : null),
  h('td', null, d.kind),
  h('td', { class: 'doc-status', dataset: { status: d.status } }, d.status, d.failure ? h('div', { class: 'error' }, d.failure.reason) : null),
  h('td', null, d.progress.pagesTotal ? `${d.progress.pagesDone}/${d.progress.pagesTotal}` : ''),
  h('td', null, d.languages.join(', ')),
  h('td', null, fmtDate(d.createdAt)));

/** Newer/older links and where this page is in the list. @param {URLSearchParams} query @param {number} offset @param {DocumentList} page */
function pager(query, offset, page) {
  const link = (/** @type {number} */ o) => {
    const q = new URLSearchParams(query);
    q.set('offset', String(o));
    q.delete('limit');
    return `/documents?${q}`;
  };
  return h('p', { class: 'pager' },
    offset > 0 ? h('a', { href: link(Math.max(0, offset - PAGE_SIZE)) }, '← newer') : null,
    h('span', null, page.total ? `${offset + 1}–${offset + page.items.length} of ${page.total}` : 'no documents'),
    offset + page.items.length < page.total ? h('a', { href: link(offset + PAGE_SIZE) }, 'older →') : null);
}

export async function documentsScreen() {
  const params = new URLSearchParams(window.location.search);
  const kind = params.get('kind') ?? '';
  const status = params.get('status') ?? '';
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const query = new URLSearchParams({ offset: String(offset), limit: String(PAGE_SIZE) });
  if (kind) query.set('kind', kind);
  if (status) query.set('status', status);
  const [meta, page] = await Promise.all([loadMeta(), /** @type {Promise<DocumentList>} */ (get(`/api/documents?${query}`))]);

  const filters = h('form', { class: 'filters', method: 'get', action: '/documents' },
    selectField('kind', 'Kind', ['', ...meta.documents.kinds], kind),
    selectField('status', 'Status', ['', ...meta.documents.statuses], status),
    h('button', { type: 'submit' }, 'Filter'));
  render(
    h('h1', null, 'Documents'),
    filters,
    h('div', { class: 'table-wrap' }, h('table', { id: 'documents' }, h('caption', { class: 'muted' }, 'Documents, newest first'),
      h('thead', null, h('tr', null, ['Title', 'Kind', 'Status', 'Pages', 'Languages', 'Uploaded'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, page.items.map(row)))),
    pager(query, offset, page),
  );
}
