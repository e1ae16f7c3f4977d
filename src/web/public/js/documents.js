/* global window, URLSearchParams */
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

/** One document: metadata, page navigation, the page text with its flags marked at their offsets. */
export async function documentScreen(_user, id) {
  const { document: doc } = await get(`/api/documents/${id}`);
  const flags = doc.status === 'done' ? await allFlags(id) : [];
  const pages = doc.progress.pagesTotal;
  const params = new URLSearchParams(window.location.search);
  let index = Math.min(Math.max(0, Number(params.get('page')) || 0), Math.max(0, pages - 1));

  const pageArea = h('section', { id: 'page', 'aria-label': 'Page text' });
  const pageInput = h('input', { id: 'page-number', type: 'number', min: 1, max: pages || 1, value: index + 1 });
  const label = h('span', { id: 'page-label', 'aria-live': 'polite' });
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
    const spans = onPage.map((f) => ({ start: f.start, end: f.end, id: f.id, label: `${f.category}, severity ${f.severity}` }));
    const versionLink = (v) => {
      const link = new URLSearchParams(window.location.search);
      link.set('page', String(index));
      link.set('version', String(v));
      return `${window.location.pathname}?${link}`;
    };
    pageArea.replaceChildren(
      h('div', { class: 'pagetext', lang: page.lang || undefined, id: 'page-text' }, markedText(page.text, spans)),
      onPage.length
        ? h('ol', { class: 'page-flags', 'aria-label': 'Flags on this page' }, onPage.map((f) =>
            h('li', null, h('a', { href: `#flag-${f.id}` }, f.exact), ` — ${f.category}, severity ${f.severity}, ${f.status}`, f.signals && Object.entries(f.signals).filter(([, v]) => v).length ? ` (${Object.entries(f.signals).filter(([, v]) => v).map(([k]) => k).join(', ')})` : ''),
          ))
        : h('p', { class: 'muted' }, 'No flags on this page.'),
      elsewhere.length ? h('p', { class: 'muted' }, 'Found in another reading (text version) of this page; each link shows that text:') : '',
      elsewhere.length
        ? h('ol', { class: 'page-flags', id: 'other-version-flags', 'aria-label': 'Flags on other text versions of this page' }, elsewhere.map((f) =>
            h('li', null, h('a', { href: versionLink(f.pageVersion ?? 1) }, f.exact), ` — on text version ${f.pageVersion ?? 1} of this page, ${f.category}, ${f.status}`),
          ))
        : '',
    );
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
    pageArea,
  );
  await show(index);
}
