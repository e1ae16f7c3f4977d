// @ts-check
/* global EventSource, FormData, HTMLInputElement, setTimeout */
import { ApiError, get, upload } from '../lib/api.js';
import { h, render } from '../lib/dom.js';
import { clearProblems, showProblems, selectOptions, textField } from '../lib/forms.js';
import { loadMeta } from '../lib/meta.js';

/** @typedef {import('../../../api-types').Meta} Meta */
/** @typedef {import('../../../api-types').DocumentView} DocumentView */
/** @typedef {import('../../../api-types').DocumentEvent} DocumentEvent */
/** @typedef {import('../../../api-types').UploadResult} UploadResult */
/** @typedef {{ file: File, title: HTMLInputElement, bar: HTMLProgressElement, state: HTMLElement, li: HTMLElement, sent: boolean }} FileRow */

/** Upload fields for every kind (the per-kind ones come from the server's lists). */
const COMMON = /** @type {const} */ ([['titleEnglish', 'Title in English'], ['languages', 'Languages (BCP-47, comma-separated, e.g. az,ru)']]);
/** Labels of the metadata fields; a field the server adds later shows its name. */
const LABELS = /** @type {Readonly<Record<string, string>>} */ ({
  publisher: 'Publisher', subject: 'Subject', grade: 'Grade', edition: 'Edition', year: 'Year', isbn: 'ISBN', country: 'Country',
  speaker: 'Speaker', position: 'Position', date: 'Date (ISO 8601, e.g. 2024-05-09)', venue: 'Venue', sourceUrl: 'Source URL',
});

/** Every type the server accepts (src/ingest/sniff.ts reads it from the bytes; this only filters the picker). */
const ACCEPT = '.pdf,.docx,.html,.htm,.txt,.md,.png,.jpg,.jpeg,.tif,.tiff,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/html,text/plain,image/png,image/jpeg,image/tiff';
const ACCEPTED_TEXT = 'PDF, Word (DOCX), HTML, plain text (UTF-8), or images (PNG, JPEG, TIFF)';

/** A metadata input: id meta-<name>, named as the API field. @param {string} name @param {string} [label] */
const field = (name, label = LABELS[name] ?? name) => textField(`meta-${name}`, label, '', { name });

/** @param {DocumentView | DocumentEvent} doc */
function statusText(doc) {
  const p = doc.progress;
  const pages = p?.pagesTotal ? ` (${p.pagesDone}/${p.pagesTotal} pages)` : '';
  const failure = doc.failure ? ` — ${doc.failure.reason}` : '';
  return h('span', { class: `doc-status status-${doc.status}`, dataset: { status: doc.status } }, `${doc.status}${pages}${failure}`);
}

/** A finished document: how many flags it found. @param {FileRow} row @param {string} id */
async function sayFlagCount(row, id) {
  const { total } = /** @type {{ total: number }} */ (await get(`/api/documents/${id}/flags?limit=1`));
  row.li.dataset.flags = String(total);
  row.state.append(` · ${total === 0 ? 'no flags found' : total === 1 ? '1 flag found' : `${total} flags found`}`);
}

/**
 * Live status: the server's SSE stream when it has one, else polling the document.
 * @param {ReadonlySet<string>} final @param {FileRow} row @param {string} id @param {HTMLElement} link
 */
function follow(final, row, id, link) {
  const show = (/** @type {DocumentView | DocumentEvent} */ doc) => {
    row.state.replaceChildren('status: ', statusText(doc), ' · ', link);
    if (doc.progress && doc.progress.pagesTotal) row.bar.value = Math.round((doc.progress.pagesDone / doc.progress.pagesTotal) * 100);
  };
  const poll = async () => {
    try {
      const { document: doc } = /** @type {{ document: DocumentView }} */ (await get(`/api/documents/${id}`));
      show(doc);
      if (!final.has(doc.status)) setTimeout(poll, 1000);
      else if (doc.status === 'done') await sayFlagCount(row, id);
    } catch (error) {
      row.state.replaceChildren(h('span', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error)));
    }
  };
  if (typeof EventSource === 'undefined') return poll();
  const source = new EventSource(`/api/documents/${id}/events`);
  source.addEventListener('progress', (e) => show(/** @type {DocumentEvent} */ (JSON.parse(e.data))));
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

/** @param {string} name */
const fieldLabel = (name) => (name === 'title' ? 'the title' : (LABELS[name] ?? COMMON.find(([n]) => n === name)?.[1] ?? name).replace(/ \(.*$/, ''));

/**
 * Sends one file with the metadata of the fields shown.
 * @param {ReadonlySet<string>} final @param {FileRow} row @param {HTMLFormElement} form @param {string} kind @param {HTMLElement} formError
 */
async function send(final, row, form, kind, formError) {
  row.sent = true;
  const data = new FormData();
  data.append('kind', kind);
  data.append('title', row.title.value.trim());
  for (const input of form.querySelectorAll('fieldset:not([hidden]) input[name]')) {
    if (input instanceof HTMLInputElement && input.value.trim()) data.append(input.name, input.value.trim());
  }
  data.append('file', row.file);
  row.state.textContent = 'uploading…';
  try {
    const result = /** @type {UploadResult} */ (await upload('/api/documents', data, (loaded, total) => {
      row.bar.value = Math.round((loaded / total) * 100);
    }));
    row.bar.value = 100;
    const doc = result.document;
    row.li.dataset.document = doc.id;
    const link = h('a', { href: `/documents/${doc.id}` }, 'open');
    row.state.replaceChildren(result.duplicate ? 'already stored (same bytes): ' : 'stored; ', statusText(doc), ' · ', link);
    if (!final.has(doc.status)) follow(final, row, doc.id, link);
    else if (doc.status === 'done') await sayFlagCount(row, doc.id);
  } catch (error) {
    row.sent = false;
    row.bar.value = 0;
    const fields = error instanceof ApiError ? error.problems() : [];
    if (fields.length) {
      // Shown under each field it names (the title under this file's title); the row says where to look.
      showProblems(form, error, { alert: formError, controlFor: (name) => (name === 'title' ? row.title : form.querySelector(`[name="${name}"]`)) });
      row.state.replaceChildren(h('span', { class: 'error' }, `not sent: correct ${fields.map((p) => fieldLabel(p.field)).join(', ')} and press Upload again`));
    } else {
      row.state.replaceChildren(h('span', { class: 'error', role: 'alert' }, error instanceof ApiError ? error.describe() : String(error)));
    }
  }
}

/** The drop zone and file picker; each file chosen becomes a row with its own title. @param {(files: FileList) => void} add */
function fileDrop(add) {
  const picker = h('input', { id: 'file-input', type: 'file', multiple: true, accept: ACCEPT });
  picker.addEventListener('change', () => {
    if (picker.files) add(picker.files);
    picker.value = '';
  });
  const drop = h('div', { class: 'dropzone', id: 'dropzone' }, h('p', null, `Drop files here — ${ACCEPTED_TEXT} — or `), h('label', { for: 'file-input' }, 'choose files'), picker);
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer) add(e.dataTransfer.files);
  });
  return drop;
}

/** Upload: shared metadata, one row per file (own title), several at once, live status per document. */
export async function uploadScreen() {
  const meta = await loadMeta();
  const final = new Set(meta.documents.finalStatuses);
  const kind = h('select', { id: 'meta-kind', name: 'kind' }, selectOptions(meta.documents.kinds, ''));
  const textbook = h('fieldset', { id: 'textbook-fields' }, h('legend', null, 'Textbook'), h('div', { class: 'grid' }, meta.documents.textbookFields.map((f) => field(f))));
  const statement = h('fieldset', { id: 'statement-fields', hidden: true }, h('legend', null, 'Statement, article or other'), h('div', { class: 'grid' }, meta.documents.statementFields.map((f) => field(f))));
  const showFields = () => {
    textbook.hidden = kind.value !== 'textbook';
    statement.hidden = kind.value === 'textbook';
  };
  kind.addEventListener('change', showFields);
  showFields();

  const list = h('ul', { class: 'files', id: 'files', 'aria-label': 'Files to upload' });
  /** @type {FileRow[]} */
  const rows = [];
  const formError = h('p', { class: 'error', role: 'alert', id: 'upload-error' });
  const addFiles = (/** @type {FileList} */ files) => {
    // A file is chosen: "Choose at least one file." no longer applies.
    if (files.length) formError.textContent = '';
    for (const file of files) {
      const title = h('input', { id: `file-title-${rows.length}`, type: 'text', value: file.name.replace(/\.[^.]+$/, ''), 'aria-label': `Title for ${file.name}` });
      const bar = h('progress', { max: 100, value: 0, 'aria-label': `Progress of ${file.name}` });
      const state = h('p', { class: 'file-status', role: 'status' }, 'ready');
      const li = h('li', { class: 'file' }, h('strong', null, file.name), ` (${file.size} bytes)`, h('label', null, 'Title', title), bar, state);
      rows.push({ file, title, bar, state, li, sent: false });
      list.append(li);
    }
  };

  const form = h('form', { id: 'upload-form' },
    h('fieldset', null, h('legend', null, 'Metadata (for every file below)'), h('label', { for: 'meta-kind' }, 'Kind'), kind, h('div', { class: 'grid' }, COMMON.map(([name, label]) => field(name, label)))),
    textbook, statement, fileDrop(addFiles), list,
    h('button', { type: 'submit', id: 'upload-submit' }, 'Upload'),
    formError);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(/** @type {HTMLFormElement} */ (form), formError);
    const pending = rows.filter((r) => !r.sent);
    if (!pending.length) {
      formError.textContent = 'Choose at least one file.';
      return;
    }
    await Promise.all(pending.map((row) => send(final, row, /** @type {HTMLFormElement} */ (form), kind.value, formError)));
  });
  render(h('h1', null, 'Upload'), h('p', null, `Accepted: ${ACCEPTED_TEXT}. The original is kept byte for byte under its SHA-256; the type is read from the bytes.`), form);
}
