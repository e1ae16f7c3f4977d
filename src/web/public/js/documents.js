/* global window, URLSearchParams, CSS */
import { get } from './api.js';
import { fmtDate, h, markedText, render, safeLink } from './dom.js';

const KINDS = ['', 'textbook', 'statement', 'article', 'other'];
const STATUSES = ['', 'queued', 'extracting', 'analyzing', 'done', 'failed', 'cancelled'];
const PAGE_SIZE = 50;

function select(id, label, options, value) {
  return [h('label', { for: id }, label), h('select', { id, name: id }, options.map((o) => h('option', { value: o, selected: o === value }, o || 'any')))];
}

/** Documents, newest first, filtered by kind and status (the filters live in the URL). */
export async function documentsScreen() {
  const params = new URLSearchParams(window.location.search);
  const kind = params.get('kind') ?? '';
  const status = params.get('status') ?? '';
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const query = new URLSearchParams({ offset: String(offset), limit: String(PAGE_SIZE) });
  if (kind) query.set('kind', kind);
  if (status) query.set('status', status);
  const page = await get(`/api/documents?${query}`);

  const filters = h('form', { class: 'filters', method: 'get', action: '/documents' }, h('div', null, select('kind', 'Kind', KINDS, kind)), h('div', null, select('status', 'Status', STATUSES, status)), h('button', { type: 'submit' }, 'Filter'));
  const rows = page.items.map((d) =>
    h('tr', { dataset: { document: d.id } },
      h('td', null, h('a', { href: `/documents/${d.id}` }, d.title), d.titleEnglish ? h('div', { class: 'muted' }, d.titleEnglish) : null),
      h('td', null, d.kind),
      h('td', { class: 'doc-status', dataset: { status: d.status } }, d.status, d.failure ? h('div', { class: 'error' }, d.failure.reason) : null),
      h('td', null, d.progress.pagesTotal ? `${d.progress.pagesDone}/${d.progress.pagesTotal}` : ''),
      h('td', null, d.languages.join(', ')),
      h('td', null, fmtDate(d.createdAt)),
    ),
  );
  const link = (o) => {
    const q = new URLSearchParams(query);
    q.set('offset', String(o));
    q.delete('limit');
    return `/documents?${q}`;
  };
  const pager = h('p', { class: 'pager' },
    offset > 0 ? h('a', { href: link(Math.max(0, offset - PAGE_SIZE)) }, '← newer') : null,
    h('span', null, page.total ? `${offset + 1}–${offset + page.items.length} of ${page.total}` : 'no documents'),
    offset + page.items.length < page.total ? h('a', { href: link(offset + PAGE_SIZE) }, 'older →') : null,
  );
  render(
    h('h1', null, 'Documents'),
    filters,
    h('div', { class: 'table-wrap' }, h('table', { id: 'documents' }, h('caption', { class: 'muted' }, 'Documents, newest first'), h('thead', null, h('tr', null, ['Title', 'Kind', 'Status', 'Pages', 'Languages', 'Uploaded'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', null, rows))),
    pager,
  );
}

async function allFlags(id) {
  const flags = [];
  for (let offset = 0; ; offset += 200) {
    const page = await get(`/api/documents/${id}/flags?limit=200&offset=${offset}`);
    flags.push(...page.items);
    if (flags.length >= page.total || page.items.length === 0) return flags;
  }
}

function metadata(doc) {
  const rows = [
    ['Kind', doc.kind], ['Title (English)', doc.titleEnglish], ['Languages', doc.languages.join(', ')], ['Status', doc.status],
    ['Original', `${doc.original.type}, ${doc.original.bytes} bytes${doc.original.filename ? `, ${doc.original.filename}` : ''}`],
    ['SHA-256', h('code', null, doc.original.sha256)], ['Lexicon', doc.lexicon ? `${doc.lexicon.id} ${doc.lexicon.version}` : ''], ['Uploaded', fmtDate(doc.createdAt)],
  ];
  for (const [key, value] of Object.entries(doc.textbook ?? {})) rows.push([key, String(value)]);
  for (const [key, value] of Object.entries(doc.statement ?? {})) rows.push([key, key === 'sourceUrl' ? safeLink(value) : String(value)]);
  if (doc.failure) rows.push(['Failure', h('span', { class: 'error' }, `${doc.failure.stage}: ${doc.failure.reason}`)]);
  return h('table', { id: 'metadata' }, h('tbody', null, rows.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v)))));
}

/** Originals whose pages the server can show as images (GET /api/documents/:id/pages/:n/image). */
const IMAGE_TYPES = new Set(['pdf', 'png', 'jpeg', 'tiff']);

/**
 * One document: metadata, page navigation, and the page either as text with its flags marked
 * at their offsets or as the page image with each flag's box outlined on it. Selecting a flag
 * (its mark in the text, its box on the image, or its line in the list) selects it everywhere.
 */
export async function documentScreen(_user, id) {
  const { document: doc } = await get(`/api/documents/${id}`);
  const flags = doc.status === 'done' ? await allFlags(id) : [];
  const pages = doc.progress.pagesTotal;
  const params = new URLSearchParams(window.location.search);
  let index = Math.min(Math.max(0, Number(params.get('page')) || 0), Math.max(0, pages - 1));
  const hasImages = IMAGE_TYPES.has(doc.original.type);
  let view = hasImages && params.get('view') === 'image' ? 'image' : 'text';

  const pageArea = h('section', { id: 'page', 'aria-label': 'Page' });
  const pageInput = h('input', { id: 'page-number', type: 'number', min: 1, max: pages || 1, value: index + 1 });
  const label = h('span', { id: 'page-label', 'aria-live': 'polite' });
  let selectFlag = () => {};
  // The selected flag survives switching between text and image (and is shown there).
  let selectedFlag = window.location.hash.startsWith('#flag-') ? window.location.hash.slice(6) : null;

  const viewSwitch = hasImages
    ? h('fieldset', { class: 'view-switch', id: 'view-switch' }, h('legend', null, 'Show the page as'),
        ['text', 'image'].map((v) => {
          const radio = h('input', { type: 'radio', name: 'page-view', id: `view-${v}`, value: v, checked: v === view });
          radio.addEventListener('change', () => {
            if (!radio.checked) return;
            view = v;
            show(index);
          });
          return h('span', { class: 'check' }, radio, h('label', { for: `view-${v}` }, v === 'text' ? 'Text' : 'Page image'));
        }))
    : h('p', { class: 'muted', id: 'no-image' }, `No page images for a ${doc.original.type} original: the text is shown.`);

  function textView(page, onPage) {
    const spans = onPage.map((f) => ({ start: f.start, end: f.end, id: f.id, label: `${f.category}, severity ${f.severity}` }));
    const text = h('div', { class: 'pagetext', lang: page.lang || undefined, id: 'page-text' }, markedText(page.text, spans));
    for (const mark of text.querySelectorAll('mark[data-flag]')) {
      mark.setAttribute('tabindex', '0');
      mark.addEventListener('focus', () => selectFlag(mark.dataset.flag));
      mark.addEventListener('click', () => selectFlag(mark.dataset.flag));
    }
    return text;
  }

  /** A flag's box: its own, else the union of the page's word boxes its offsets cover (older flags have none). */
  function boxOf(flag, page) {
    if (flag.box) return flag.box;
    const words = (page.words ?? []).filter((w) => w.end > flag.start && w.start < flag.end);
    if (!words.length) return null;
    return { x0: Math.min(...words.map((w) => w.x0)), y0: Math.min(...words.map((w) => w.y0)), x1: Math.max(...words.map((w) => w.x1)), y1: Math.max(...words.map((w) => w.y1)) };
  }

  function imageView(page, onPage) {
    const boxed = onPage.map((f) => ({ ...f, box: boxOf(f, page) })).filter((f) => f.box);
    const img = h('img', {
      id: 'page-image', src: `/api/documents/${id}/pages/${index}/image`,
      alt: `Image of page ${index + 1}${page.label ? ` (printed “${page.label}”)` : ''} of “${doc.title}”, with ${boxed.length} flagged passage(s) outlined; the flags are listed below the image.`,
    });
    const figure = h('div', { class: 'page-figure', id: 'page-figure' }, img);
    img.addEventListener('error', () => figure.replaceChildren(h('p', { class: 'error', role: 'alert' }, 'The page image could not be loaded; choose the text view.')));
    for (const f of boxed) {
      const box = h('button', { type: 'button', class: 'flag-box', dataset: { flag: f.id }, 'aria-label': `Flag “${f.exact}”: ${f.category}, severity ${f.severity}` });
      // Positions in % of the image (boxes are 0–1 fractions of the page), set through the CSSOM: no inline style attribute.
      box.style.left = `${f.box.x0 * 100}%`;
      box.style.top = `${f.box.y0 * 100}%`;
      box.style.width = `${Math.max(0.4, (f.box.x1 - f.box.x0) * 100)}%`;
      box.style.height = `${Math.max(0.4, (f.box.y1 - f.box.y0) * 100)}%`;
      box.addEventListener('focus', () => selectFlag(f.id));
      box.addEventListener('click', () => selectFlag(f.id));
      figure.append(box);
    }
    return h('figure', { id: 'page-image-view' }, figure, h('figcaption', { class: 'muted' }, `Page ${index + 1}: ${boxed.length} of ${onPage.length} flag(s) have a box on the page.`));
  }

  let shownIndex = null;
  const show = async (i) => {
    if (!pages) {
      pageArea.replaceChildren(h('p', { class: 'muted' }, `No pages yet (status: ${doc.status}).`));
      return;
    }
    index = Math.min(Math.max(0, i), pages - 1);
    pageInput.value = String(index + 1);
    const q = new URLSearchParams(window.location.search);
    // Another page opens at its current version; the first one shown keeps a linked ?version.
    if (shownIndex !== null && shownIndex !== index) q.delete('version');
    shownIndex = index;
    q.set('page', String(index));
    if (hasImages) q.set('view', view);
    window.history.replaceState(null, '', `${window.location.pathname}?${q}`);
    // ?version=K shows an older reading of the page (a re-OCR adds versions, never overwrites).
    const wanted = q.get('version');
    let page;
    try {
      page = (await get(`/api/documents/${id}/pages/${index}${wanted ? `?version=${encodeURIComponent(wanted)}` : ''}`)).page;
    } catch (error) {
      pageArea.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message));
      return;
    }
    // A flag's offsets index into its own page version: it is marked here only when that
    // version's text is this text (same SHA-256); others are listed with a link to their text.
    const shaOf = new Map((page.versions ?? []).map((v) => [v.version, v.textSha256]));
    const onIndex = flags.filter((f) => f.page === index);
    const onPage = onIndex.filter((f) => (shaOf.get(f.pageVersion ?? 1) ?? page.textSha256) === page.textSha256);
    const elsewhere = onIndex.filter((f) => !onPage.includes(f));
    const versionNote = (page.versions ?? []).length > 1 ? ` · text version ${page.version} of ${page.versions.length}${page.current ? ' (current)' : ''}` : '';
    label.textContent = `Page ${index + 1} of ${pages}${page.label ? ` (printed “${page.label}”)` : ''} · ${page.lang ?? ''} · ${page.method ?? ''}${versionNote} · ${onPage.length} flag(s)`;
    const versionLink = (v) => {
      const link = new URLSearchParams(window.location.search);
      link.set('page', String(index));
      link.set('version', String(v));
      return `${window.location.pathname}?${link}`;
    };
    const list = onPage.length
      ? h('ol', { class: 'page-flags', id: 'page-flags', 'aria-label': 'Flags on this page' }, onPage.map((f) =>
          h('li', { dataset: { flag: f.id } }, h('a', { href: `#flag-${f.id}`, dataset: { flag: f.id } }, f.exact), ` — ${f.category}, severity ${f.severity}, ${f.status}`,
            f.signals && Object.entries(f.signals).filter(([, v]) => v).length ? ` (${Object.entries(f.signals).filter(([, v]) => v).map(([k]) => k).join(', ')})` : '',
            boxOf(f, page) ? '' : ' (no box on the page)')))
      : h('p', { class: 'muted' }, 'No flags on this page.');
    const otherVersions = elsewhere.length
      ? [h('p', { class: 'muted' }, 'Found in another reading (text version) of this page; each link shows that text:'),
          h('ol', { class: 'page-flags', id: 'other-version-flags', 'aria-label': 'Flags on other text versions of this page' }, elsewhere.map((f) =>
            h('li', null, h('a', { href: versionLink(f.pageVersion ?? 1) }, f.exact), ` — on text version ${f.pageVersion ?? 1} of this page, ${f.category}, ${f.status}`),
          ))]
      : [];
    pageArea.replaceChildren(view === 'image' ? imageView(page, onPage) : textView(page, onPage), list, ...otherVersions);
    for (const link of pageArea.querySelectorAll('.page-flags a[data-flag]')) {
      link.addEventListener('click', (e) => {
        if (view === 'image') e.preventDefault(); // no text to jump to: outline the box instead
        selectFlag(link.dataset.flag);
      });
    }
    selectFlag = (flagId) => {
      selectedFlag = flagId;
      for (const el of pageArea.querySelectorAll('.selected')) el.classList.remove('selected');
      for (const el of pageArea.querySelectorAll(`[data-flag="${CSS.escape(flagId)}"]`)) el.classList.add('selected');
    };
    if (selectedFlag && onPage.some((f) => f.id === selectedFlag)) {
      selectFlag(selectedFlag);
      pageArea.querySelector(`mark.selected, .flag-box.selected`)?.scrollIntoView({ block: 'center' });
    }
  };
  const pager = h('div', { class: 'pager' },
    h('button', { type: 'button', class: 'secondary', onclick: () => show(index - 1) }, '← Previous page'),
    h('label', { for: 'page-number' }, 'Page'), pageInput,
    h('button', { type: 'button', class: 'secondary', onclick: () => show(index + 1) }, 'Next page →'),
    label,
  );
  pageInput.addEventListener('change', () => show(Number(pageInput.value) - 1));
  render(
    h('h1', { lang: doc.languages[0] || undefined }, doc.title),
    h('details', { open: true }, h('summary', null, 'Metadata'), metadata(doc)),
    h('p', null, `${flags.length} flag(s) in this document · `, h('a', { href: `/api/flags/export?format=csv&document=${id}` }, 'export CSV')),
    pager,
    viewSwitch,
    pageArea,
  );
  await show(index);
}
