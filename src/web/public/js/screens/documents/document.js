// @ts-check
/* global window, URLSearchParams, CSS */
/**
 * One document: metadata, page navigation, and the page as text or image (./page-view.js).
 * Selecting a flag (its mark in the text, its box on the image, or its line in the list)
 * selects it everywhere, and the selection survives switching between text and image.
 */
import { ApiError, get } from '../../lib/api.js';
import { fieldTable, fmtDate, h, render, safeLink } from '../../lib/dom.js';
import { loadMeta } from '../../lib/meta.js';
import { flagList, imageView, otherVersionList, textView } from './page-view.js';

/** @typedef {import('../../../../api-types').DocumentView} DocumentView */
/** @typedef {import('../../../../api-types').FlagView} FlagView */
/** @typedef {import('../../../../api-types').PageView} PageView */
/** @typedef {import('../../../../api-types').List<FlagView>} FlagList */
/** @typedef {import('../../lib/dom.js').Child} Child */
/** @typedef {import('../../app.js').ScreenContext} ScreenContext */

/** @param {string} id */
async function allFlags(id) {
  /** @type {FlagView[]} */
  const flags = [];
  for (let offset = 0; ; offset += 200) {
    const page = /** @type {FlagList} */ (await get(`/api/documents/${id}/flags?limit=200&offset=${offset}`));
    flags.push(...page.items);
    if (flags.length >= page.total || page.items.length === 0) return flags;
  }
}

/** @param {DocumentView} doc */
function metadata(doc) {
  const o = doc.original;
  /** @type {Array<[string, Child]>} */
  const rows = [
    ['Kind', doc.kind], ['Title (English)', doc.titleEnglish], ['Languages', doc.languages.join(', ')], ['Status', doc.status],
    ['Original', `${o.type}, ${o.bytes} bytes${o.filename ? `, ${o.filename}` : ''}`],
    ['SHA-256', h('code', null, o.sha256)], ['Lexicon', doc.lexicon ? `${doc.lexicon.id} ${doc.lexicon.version}` : ''], ['Uploaded', fmtDate(doc.createdAt)],
  ];
  for (const [key, value] of Object.entries(doc.textbook ?? {})) rows.push([key, String(value)]);
  for (const [key, value] of Object.entries(doc.statement ?? {})) rows.push([key, key === 'sourceUrl' ? safeLink(value) : String(value)]);
  if (doc.failure) rows.push(['Failure', h('span', { class: 'error' }, `${doc.failure.stage}: ${doc.failure.reason}`)]);
  // A bad page fails itself, not the document: say how many, each page says why.
  if (doc.pagesFailed) rows.push(['Pages not read', h('span', { class: 'error', id: 'pages-failed' }, `${doc.pagesFailed} of ${doc.progress.pagesTotal}; each such page says why (a re-OCR reads them again)`)]);
  return fieldTable('metadata', rows.filter(([, v]) => v !== null && v !== undefined && v !== ''), null);
}

/**
 * The page on screen and what it shows.
 * @typedef {object} Viewer
 * @property {DocumentView} doc
 * @property {FlagView[]} flags
 * @property {number} index the page shown (0-based)
 * @property {number | null} shownIndex the page shown before
 * @property {'text' | 'image'} view
 * @property {boolean} hasImages
 * @property {string | null} selected the selected flag
 * @property {HTMLElement} area
 * @property {HTMLInputElement} pageInput
 * @property {HTMLElement} label
 */

/** The page's place in the URL (?page, ?view), which a reload or a link restores. Returns the ?version asked for. @param {Viewer} v */
function syncUrl(v) {
  const q = new URLSearchParams(window.location.search);
  // Another page opens at its current version; the first one shown keeps a linked ?version.
  if (v.shownIndex !== null && v.shownIndex !== v.index) q.delete('version');
  v.shownIndex = v.index;
  q.set('page', String(v.index));
  if (v.hasImages) q.set('view', v.view);
  window.history.replaceState(null, '', `${window.location.pathname}?${q}`);
  return q.get('version');
}

/** @param {Viewer} v @param {string} flagId */
function select(v, flagId) {
  v.selected = flagId;
  for (const el of v.area.querySelectorAll('.selected')) el.classList.remove('selected');
  for (const el of v.area.querySelectorAll(`[data-flag="${CSS.escape(flagId)}"]`)) el.classList.add('selected');
}

/** Draws `page` with the flags found on its text; flags of other readings are listed with a link. @param {Viewer} v @param {PageView} page */
function drawPage(v, page) {
  // A flag's offsets index into its own page version: it is marked here only when that
  // version's text is this text (same SHA-256).
  const shaOf = new Map((page.versions ?? []).map((x) => [x.version, x.textSha256]));
  const onIndex = v.flags.filter((f) => f.page === v.index);
  const onPage = onIndex.filter((f) => (shaOf.get(f.pageVersion ?? 1) ?? page.textSha256) === page.textSha256);
  const versions = (page.versions ?? []).length;
  const versionNote = versions > 1 ? ` · text version ${page.version} of ${versions}${page.current ? ' (current)' : ''}` : '';
  v.label.textContent = `Page ${v.index + 1} of ${v.doc.progress.pagesTotal}${page.label ? ` (printed “${page.label}”)` : ''} · ${page.lang ?? ''} · ${page.method ?? ''}${versionNote} · ${onPage.length} flag(s)`;
  const choose = (/** @type {string} */ id) => select(v, id);
  if (page.state === 'failed') {
    v.area.replaceChildren(h('p', { class: 'error', role: 'alert', id: 'page-failed' }, `This page could not be read: ${page.failure?.reason ?? 'no reason recorded'}`));
    return;
  }
  v.area.replaceChildren(v.view === 'image' ? imageView(v.doc, v.index, page, onPage, choose) : textView(page, onPage, choose),
    flagList(page, onPage), ...otherVersionList(v.index, onIndex.filter((f) => !onPage.includes(f))));
  for (const link of v.area.querySelectorAll('.page-flags a[data-flag]')) {
    link.addEventListener('click', (e) => {
      if (v.view === 'image') e.preventDefault(); // no text to jump to: outline the box instead
      if (link instanceof window.HTMLElement) choose(link.dataset.flag ?? '');
    });
  }
  if (v.selected && onPage.some((f) => f.id === v.selected)) {
    select(v, v.selected);
    v.area.querySelector(`mark.selected, .flag-box.selected`)?.scrollIntoView({ block: 'center' });
  }
}

/** Shows page `i` (clamped to the document). @param {Viewer} v @param {number} i */
async function show(v, i) {
  const pages = v.doc.progress.pagesTotal;
  if (!pages) {
    v.area.replaceChildren(h('p', { class: 'muted' }, `No pages yet (status: ${v.doc.status}).`));
    return;
  }
  v.index = Math.min(Math.max(0, i), pages - 1);
  v.pageInput.value = String(v.index + 1);
  // ?version=K shows an older reading of the page (a re-OCR adds versions, never overwrites).
  const wanted = syncUrl(v);
  let page;
  try {
    page = /** @type {{ page: PageView }} */ (await get(`/api/documents/${v.doc.id}/pages/${v.index}${wanted ? `?version=${encodeURIComponent(wanted)}` : ''}`)).page;
  } catch (error) {
    v.area.replaceChildren(h('p', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error)));
    return;
  }
  drawPage(v, page);
}

/** The text/image choice, or a note that this original has no page images. @param {Viewer} v */
function viewSwitch(v) {
  if (!v.hasImages) return h('p', { class: 'muted', id: 'no-image' }, `No page images for a ${v.doc.original.type} original: the text is shown.`);
  return h('fieldset', { class: 'view-switch', id: 'view-switch' }, h('legend', null, 'Show the page as'),
    /** @type {const} */ (['text', 'image']).map((choice) => {
      const radio = h('input', { type: 'radio', name: 'page-view', id: `view-${choice}`, value: choice, checked: choice === v.view });
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        v.view = choice;
        show(v, v.index);
      });
      return h('span', { class: 'check' }, radio, h('label', { for: `view-${choice}` }, choice === 'text' ? 'Text' : 'Page image'));
    }));
}

/** @param {ScreenContext} screen */
export async function documentScreen({ params: [id = ''] }) {
  let meta, doc;
  try {
    [meta, { document: doc }] = await Promise.all([loadMeta(), /** @type {Promise<{ document: DocumentView }>} */ (get(`/api/documents/${id}`))]);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    // The whole screen says so (no "Loading…" left behind).
    render(h('h1', null, 'Document not found'), h('p', { role: 'alert' }, 'No document has this address: it may have been mistyped, or you may not be allowed to see it.'), h('p', null, h('a', { href: '/documents' }, 'All documents')));
    return;
  }
  const flags = doc.status === 'done' ? await allFlags(id) : [];
  const pages = doc.progress.pagesTotal;
  const params = new URLSearchParams(window.location.search);
  // Originals whose pages the server can show as images.
  const hasImages = meta.documents.pageImageTypes.includes(doc.original.type);
  const index = Math.min(Math.max(0, Number(params.get('page')) || 0), Math.max(0, pages - 1));
  /** @type {Viewer} */
  const v = {
    doc, flags, index, shownIndex: null, hasImages, view: hasImages && params.get('view') === 'image' ? 'image' : 'text',
    selected: window.location.hash.startsWith('#flag-') ? window.location.hash.slice(6) : null,
    area: h('section', { id: 'page', 'aria-label': 'Page' }),
    pageInput: h('input', { id: 'page-number', type: 'number', min: 1, max: pages || 1, value: index + 1 }),
    label: h('span', { id: 'page-label', 'aria-live': 'polite' }),
  };
  v.pageInput.addEventListener('change', () => show(v, Number(v.pageInput.value) - 1));
  render(
    h('h1', { lang: doc.languages[0] || undefined }, doc.title),
    h('details', { open: true }, h('summary', null, 'Metadata'), metadata(doc)),
    h('p', null, `${flags.length} flag(s) in this document · `, h('a', { href: `/api/flags/export?format=csv&document=${id}` }, 'export CSV')),
    // A one-page document has nowhere to turn to.
    pages > 1
      ? h('div', { class: 'pager' },
        h('button', { type: 'button', class: 'secondary', onclick: () => show(v, v.index - 1) }, '← Previous page'),
        h('label', { for: 'page-number' }, 'Page'), v.pageInput,
        h('button', { type: 'button', class: 'secondary', onclick: () => show(v, v.index + 1) }, 'Next page →'),
        v.label)
      : h('div', { class: 'pager' }, v.label),
    viewSwitch(v),
    v.area,
  );
  await show(v, index);
}
