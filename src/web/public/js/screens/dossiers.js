// @ts-check
/* global setTimeout */
/** Evidence dossiers: choose filters, start an export job, watch it, download the package. */
import { ApiError, get, post } from '../lib/api.js';
import { append, h, render } from '../lib/dom.js';
import { alertBox, onSubmit, selectOptions, textField } from '../lib/forms.js';
import { categoryOptions, loadMeta } from '../lib/meta.js';
import { pastDossiers } from './dossier-list.js';

/** @typedef {import('../../../api-types').Meta} Meta */
/** @typedef {import('../../../api-types').DocumentView} DocumentView */
/** @typedef {import('../../../api-types').DossierView} DossierView */
/** @typedef {import('../../../api-types').List<DocumentView>} DocumentList */

/** The flag states a dossier holds unless chosen otherwise. */
const DEFAULT_STATE = 'confirmed';

/** @param {HTMLSelectElement} select */
const chosen = (select) => [...select.selectedOptions].map((o) => o.value);

/** Follows the job until it is done or failed; the package's link and checksum come with `done`. @param {HTMLElement} job @param {string} id */
async function watch(job, id) {
  let d;
  try {
    d = /** @type {{ dossier: DossierView }} */ (await get(`/api/dossiers/${id}`)).dossier;
  } catch (error) {
    job.replaceChildren(h('p', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error)));
    return;
  }
  job.replaceChildren();
  append(job, [
    h('h2', null, d.title),
    h('p', { dataset: { status: d.status }, id: 'dossier-status' }, `Status: ${d.status} (${d.progress.itemsDone}/${d.progress.itemsTotal} items)`),
    h('progress', { max: d.progress.itemsTotal || 1, value: d.progress.itemsDone, 'aria-label': 'Export progress' }),
    d.failure ? h('p', { class: 'error', role: 'alert' }, d.failure.reason) : null,
    d.result ? h('p', null, h('a', { href: d.links.download, id: 'dossier-download', download: '' }, 'Download the dossier'), ` — ${d.result.bytes} bytes, SHA-256 `, h('code', null, d.result.sha256)) : null,
  ]);
  if (d.status !== 'done' && d.status !== 'failed') setTimeout(() => watch(job, id), 1000);
}

/** The filter menus: documents, categories, flag states, minimum severity. @param {Meta} meta @param {DocumentView[]} docs */
function filterMenus(meta, docs) {
  return {
    documents: h('select', { id: 'd-documents', name: 'filters.documents', multiple: true, size: Math.min(8, Math.max(2, docs.length)) }, docs.map((d) => h('option', { value: d.id }, d.title))),
    categories: h('select', { id: 'd-categories', name: 'filters.categories', multiple: true, size: 6 }, selectOptions(categoryOptions(meta), '')),
    states: h('select', { id: 'd-states', name: 'filters.states', multiple: true, size: 4 }, selectOptions(meta.flagStatuses, DEFAULT_STATE)),
    severityMin: h('select', { id: 'd-sevmin', name: 'filters.severityMin' }, selectOptions(meta.severities.map((s) => String(s.level)), '')),
  };
}

export async function dossiersScreen() {
  const [meta, docs] = await Promise.all([loadMeta(), get('/api/documents?status=done&limit=200').then((r) => /** @type {DocumentList} */ (r).items)]);
  const menus = filterMenus(meta, docs);
  const job = h('section', { id: 'dossier-job', 'aria-live': 'polite' });
  const alert = alertBox('dossier-error');
  const form = h('form', { id: 'dossier-form' },
    h('div', { class: 'grid' }, textField('d-title', 'Title', '', { name: 'title', required: true }), textField('d-submitter', 'Submitted by', '', { name: 'submitter', required: true }), textField('d-addressee', 'Addressed to', '', { name: 'addressee', required: true })),
    h('div', { class: 'filters' },
      h('div', null, h('label', { for: 'd-documents' }, 'Documents (none = all)'), menus.documents),
      h('div', null, h('label', { for: 'd-categories' }, 'Categories (none = all)'), menus.categories),
      h('div', null, h('label', { for: 'd-states' }, 'Flag states'), menus.states),
      h('div', null, h('label', { for: 'd-sevmin' }, 'Minimum severity'), menus.severityMin)),
    h('p', null, h('button', { type: 'submit' }, 'Start export')), alert);
  const text = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.querySelector(`[name="${name}"]`)).value;
  onSubmit(form, async () => {
    /** @type {Record<string, unknown>} */
    const filters = { states: chosen(menus.states) };
    if (chosen(menus.documents).length) filters.documents = chosen(menus.documents);
    if (chosen(menus.categories).length) filters.categories = chosen(menus.categories);
    if (menus.severityMin.value !== '1') filters.severityMin = Number(menus.severityMin.value);
    try {
      const { dossier } = /** @type {{ dossier: DossierView }} */ (await post('/api/dossiers', { title: text('title'), submitter: text('submitter'), addressee: text('addressee'), filters }));
      watch(job, dossier.id);
    } catch (error) {
      if (!(error instanceof ApiError && error.unavailable)) throw error;
      job.replaceChildren(h('p', { class: 'panel', id: 'unavailable', role: 'status' }, 'Dossier export is not available on this server (it has no dossier API yet).'));
    }
  }, { alert });
  render(h('h1', null, 'Dossiers'), h('p', null, 'A dossier packages reviewed flags with their citations, page images and checksums for submission.'), form, job, await pastDossiers());
}
