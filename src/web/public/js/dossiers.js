/* global setTimeout */
import { ApiError, get, post } from './api.js';
import { append, h, render } from './dom.js';
import { CATEGORIES } from './categories.js';

const STATES = ['confirmed', 'awaiting_second', 'in_review', 'new', 'disputed', 'rejected', 'withdrawn', 'obsolete'];

function text(id, label, required) {
  return h('div', null, h('label', { for: id }, label), h('input', { id, name: id, type: 'text', required }));
}

/** Evidence dossiers: choose filters, start an export job, watch it, download the package. */
export async function dossiersScreen() {
  const docs = (await get('/api/documents?status=done&limit=200')).items;
  const docSelect = h('select', { id: 'd-documents', multiple: true, size: Math.min(8, Math.max(2, docs.length)) }, docs.map((d) => h('option', { value: d.id }, d.title)));
  const catSelect = h('select', { id: 'd-categories', multiple: true, size: 6 }, CATEGORIES.map((c) => h('option', { value: c }, c)));
  const stateSelect = h('select', { id: 'd-states', multiple: true, size: 4 }, STATES.map((s) => h('option', { value: s, selected: s === 'confirmed' }, s)));
  const sevMin = h('select', { id: 'd-sevmin' }, [1, 2, 3, 4].map((n) => h('option', { value: n }, String(n))));
  const job = h('section', { id: 'dossier-job', 'aria-live': 'polite' });
  const selected = (sel) => [...sel.selectedOptions].map((o) => o.value);
  const form = h('form', { id: 'dossier-form', onsubmit: async (e) => {
    e.preventDefault();
    const filters = { states: selected(stateSelect) };
    if (selected(docSelect).length) filters.documents = selected(docSelect);
    if (selected(catSelect).length) filters.categories = selected(catSelect);
    if (sevMin.value !== '1') filters.severityMin = Number(sevMin.value);
    const body = { title: form.querySelector('#d-title').value, submitter: form.querySelector('#d-submitter').value, addressee: form.querySelector('#d-addressee').value, filters };
    try {
      const { dossier } = await post('/api/dossiers', body);
      watch(dossier.id);
    } catch (error) {
      if (error instanceof ApiError && error.unavailable) job.replaceChildren(h('p', { class: 'panel', id: 'unavailable', role: 'status' }, 'Dossier export is not available on this server (it has no dossier API yet).'));
      else job.replaceChildren(h('p', { class: 'error', role: 'alert' }, error instanceof ApiError ? error.describe() : String(error)));
    }
  } },
  h('div', { class: 'grid' }, text('d-title', 'Title', true), text('d-submitter', 'Submitted by', true), text('d-addressee', 'Addressed to', true)),
  h('div', { class: 'filters' },
    h('div', null, h('label', { for: 'd-documents' }, 'Documents (none = all)'), docSelect),
    h('div', null, h('label', { for: 'd-categories' }, 'Categories (none = all)'), catSelect),
    h('div', null, h('label', { for: 'd-states' }, 'Flag states'), stateSelect),
    h('div', null, h('label', { for: 'd-sevmin' }, 'Minimum severity'), sevMin)),
  h('p', null, h('button', { type: 'submit' }, 'Start export')));

  async function watch(id) {
    let d;
    try {
      d = (await get(`/api/dossiers/${id}`)).dossier;
    } catch (error) {
      job.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message));
      return;
    }
    const bar = h('progress', { max: d.progress.itemsTotal || 1, value: d.progress.itemsDone, 'aria-label': 'Export progress' });
    job.replaceChildren();
    append(job, [
      h('h2', null, d.title),
      h('p', { dataset: { status: d.status }, id: 'dossier-status' }, `Status: ${d.status} (${d.progress.itemsDone}/${d.progress.itemsTotal} items)`),
      bar,
      d.failure ? h('p', { class: 'error', role: 'alert' }, d.failure.reason) : null,
      d.result ? h('p', null, h('a', { href: d.links.download, id: 'dossier-download', download: '' }, 'Download the dossier'), ` — ${d.result.bytes} bytes, SHA-256 `, h('code', null, d.result.sha256)) : null,
    ]);
    if (d.status !== 'done' && d.status !== 'failed') setTimeout(() => watch(id), 1000);
  }

  render(h('h1', null, 'Dossiers'), h('p', null, 'A dossier packages reviewed flags with their citations, page images and checksums for submission.'), form, job);
}
