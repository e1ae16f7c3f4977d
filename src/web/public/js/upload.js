/* global EventSource, FormData, setTimeout */
import { ApiError, get, upload } from './api.js';
import { h, render } from './dom.js';

const KINDS = ['textbook', 'statement', 'article', 'other'];
const COMMON = [['titleEnglish', 'Title in English'], ['languages', 'Languages (BCP-47, comma-separated, e.g. az,ru)']];
const TEXTBOOK = [['publisher', 'Publisher'], ['subject', 'Subject'], ['grade', 'Grade'], ['edition', 'Edition'], ['year', 'Year'], ['isbn', 'ISBN'], ['country', 'Country']];
const STATEMENT = [['speaker', 'Speaker'], ['position', 'Position'], ['date', 'Date (ISO 8601, e.g. 2024-05-09)'], ['venue', 'Venue'], ['sourceUrl', 'Source URL']];
const FINAL = new Set(['done', 'failed', 'cancelled']);

function field([name, label]) {
  return h('div', null, h('label', { for: `meta-${name}` }, label), h('input', { id: `meta-${name}`, name, type: 'text' }));
}

/** Upload: shared metadata, one row per file (own title), several at once, live status per document. */
export async function uploadScreen() {
  const kind = h('select', { id: 'meta-kind', name: 'kind' }, KINDS.map((k) => h('option', { value: k }, k)));
  const textbook = h('fieldset', { id: 'textbook-fields' }, h('legend', null, 'Textbook'), h('div', { class: 'grid' }, TEXTBOOK.map(field)));
  const statement = h('fieldset', { id: 'statement-fields', hidden: true }, h('legend', null, 'Statement, article or other'), h('div', { class: 'grid' }, STATEMENT.map(field)));
  kind.addEventListener('change', () => {
    textbook.hidden = kind.value !== 'textbook';
    statement.hidden = kind.value === 'textbook';
  });

  const list = h('ul', { class: 'files', id: 'files', 'aria-label': 'Files to upload' });
  const rows = [];
  const addFiles = (files) => {
    for (const file of files) {
      const title = h('input', { type: 'text', value: file.name.replace(/\.[^.]+$/, ''), 'aria-label': `Title for ${file.name}` });
      const bar = h('progress', { max: 100, value: 0, 'aria-label': `Progress of ${file.name}` });
      const state = h('p', { class: 'file-status', role: 'status' }, 'ready');
      const li = h('li', { class: 'file' }, h('strong', null, file.name), ` (${file.size} bytes)`, h('label', null, 'Title', title), bar, state);
      rows.push({ file, title, bar, state, li, sent: false });
      list.append(li);
    }
  };

  const picker = h('input', { id: 'file-input', type: 'file', multiple: true, accept: '.pdf,.txt,application/pdf,text/plain' });
  picker.addEventListener('change', () => {
    addFiles(picker.files);
    picker.value = '';
  });
  const drop = h('div', { class: 'dropzone', id: 'dropzone' }, h('p', null, 'Drop PDF or plain-text files here, or '), h('label', { for: 'file-input' }, 'choose files'), picker);
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    addFiles(e.dataTransfer.files);
  });

  const formError = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { id: 'upload-form', onsubmit: async (e) => {
      e.preventDefault();
      formError.textContent = '';
      const pending = rows.filter((r) => !r.sent);
      if (!pending.length) {
        formError.textContent = 'Choose at least one file.';
        return;
      }
      await Promise.all(pending.map((row) => send(row, form, kind.value)));
    } },
    h('fieldset', null, h('legend', null, 'Metadata (for every file below)'), h('label', { for: 'meta-kind' }, 'Kind'), kind, h('div', { class: 'grid' }, COMMON.map(field))),
    textbook,
    statement,
    drop,
    list,
    h('button', { type: 'submit', id: 'upload-submit' }, 'Upload'),
    formError,
  );
  render(h('h1', null, 'Upload'), h('p', null, 'The original is kept byte for byte under its SHA-256; the type is read from the bytes (PDF or UTF-8 text).'), form);
}

async function send(row, form, kind) {
  row.sent = true;
  const data = new FormData();
  data.append('kind', kind);
  data.append('title', row.title.value.trim());
  const visible = [...form.querySelectorAll('fieldset:not([hidden]) input[name]')];
  for (const input of visible) if (input.value.trim()) data.append(input.name, input.value.trim());
  data.append('file', row.file);
  row.state.textContent = 'uploading…';
  try {
    const result = await upload('/api/documents', data, (loaded, total) => {
      row.bar.value = Math.round((loaded / total) * 100);
    });
    row.bar.value = 100;
    const doc = result.document;
    row.li.dataset.document = doc.id;
    const link = h('a', { href: `/documents/${doc.id}` }, 'open');
    row.state.replaceChildren(result.duplicate ? 'already stored (same bytes): ' : 'stored; ', statusText(doc), ' · ', link);
    if (!FINAL.has(doc.status)) follow(row, doc.id, link);
  } catch (error) {
    row.sent = false;
    row.bar.value = 0;
    row.state.replaceChildren(h('span', { class: 'error', role: 'alert' }, error instanceof ApiError ? `${error.status}: ${error.describe()}` : String(error)));
  }
}

function statusText(doc) {
  const p = doc.progress || {};
  const pages = p.pagesTotal ? ` (${p.pagesDone}/${p.pagesTotal} pages)` : '';
  const failure = doc.failure ? ` — ${doc.failure.reason}` : '';
  return h('span', { class: `doc-status status-${doc.status}`, dataset: { status: doc.status } }, `${doc.status}${pages}${failure}`);
}

/** Live status: the server's SSE stream when it has one, else polling the document. */
function follow(row, id, link) {
  const show = (doc) => {
    row.state.replaceChildren('status: ', statusText(doc), ' · ', link);
    if (doc.progress && doc.progress.pagesTotal) row.bar.value = Math.round((doc.progress.pagesDone / doc.progress.pagesTotal) * 100);
  };
  const poll = async () => {
    try {
      const { document: doc } = await get(`/api/documents/${id}`);
      show(doc);
      if (!FINAL.has(doc.status)) setTimeout(poll, 1000);
    } catch (error) {
      row.state.replaceChildren(h('span', { class: 'error', role: 'alert' }, error.message));
    }
  };
  if (typeof EventSource === 'undefined') return poll();
  const source = new EventSource(`/api/documents/${id}/events`);
  source.addEventListener('progress', (e) => {
    show(JSON.parse(e.data));
  });
  source.addEventListener('end', () => {
    source.close();
    poll();
  });
  source.onerror = () => {
    source.close();
    // No stream on this server (404) or it dropped: fall back to polling.
    poll();
  };
}
