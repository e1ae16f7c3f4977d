// @ts-check
/* global URLSearchParams */
/** Every dossier job (GET /api/dossiers), newest first: state, size, SHA-256 and download. */
import { get } from '../lib/api.js';
import { fmtDate, h, scrollTable } from '../lib/dom.js';

/** @typedef {import('../../../api-types').DossierView} DossierView */
/** @typedef {DossierView & { createdAt: string, submitter: string, addressee: string }} DossierRow */

const PAGE_SIZE = 50;

/** A table of past dossier jobs, with a "more" button while there are more. */
export async function pastDossiers() {
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show older dossiers');
  const summary = h('p', { id: 'past-dossiers-count' });
  let offset = 0;
  const load = async () => {
    const page = /** @type {{ items: DossierRow[], total: number }} */ (await get(`/api/dossiers?${new URLSearchParams({ offset: String(offset), limit: String(PAGE_SIZE) })}`));
    for (const d of page.items) body.append(row(d));
    offset += page.items.length;
    summary.textContent = page.total ? `${page.total} dossier${page.total === 1 ? '' : 's'} requested so far.` : 'No dossier has been requested yet.';
    more.hidden = offset >= page.total;
  };
  more.addEventListener('click', () => { load().catch(() => {}); });
  await load();
  return h('section', { id: 'past-dossiers', 'aria-labelledby': 'past-dossiers-title' },
    h('h2', { id: 'past-dossiers-title' }, 'Past dossiers'), summary,
    scrollTable({ id: 'past-dossiers-table', label: 'Past dossiers', columns: ['Requested', 'Title', 'State', 'Items', 'Size', 'SHA-256', 'Package'], body }),
    more);
}

/** @param {DossierRow} d */
function row(d) {
  return h('tr', { dataset: { dossier: d.id, status: d.status } },
    h('td', null, fmtDate(d.createdAt)),
    h('td', null, d.title, h('br'), h('span', { class: 'muted' }, `${d.submitter} → ${d.addressee}`)),
    h('td', null, d.status, d.failure ? h('span', { class: 'error' }, `: ${d.failure.reason}`) : null),
    h('td', null, `${d.progress.itemsDone}/${d.progress.itemsTotal}`),
    h('td', null, d.result ? `${d.result.bytes} bytes` : '—'),
    h('td', null, d.result ? h('code', null, d.result.sha256) : '—'),
    h('td', null, d.status === 'done' ? h('a', { href: d.links.download, download: '' }, 'Download') : '—'));
}
