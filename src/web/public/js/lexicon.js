/* global URLSearchParams */
import { ApiError, api, get, post, postText } from './api.js';
import { append, fmtDate, h, render, say } from './dom.js';
import { CATEGORIES } from './categories.js';

/**
 * The lexicon: browse and search the working copy's entries and target groups, read either in
 * full, and — for admins — create, edit and retire entries and target groups, publish a version
 * with a reason, and import a file after a preview of what it would change. Everyone else sees
 * no edit controls; the API refuses them anyway (src/http/access.ts).
 */
const STATUSES = ['draft', 'reviewed', 'retired'];
const ROLES = ['predicate', 'standalone'];
const SOURCE_TYPES = ['curator', 'literature', 'usage', 'import'];
/** Rows listed at first (and added by "List more"): a long table is slow to read and to render. */
const LIST_STEP = 100;
/** How many published versions an entry's history shows. */
const HISTORY = 10;
const TARGET_KINDS = [['name', 'name'], ['demonym', 'demonym'], ['toponym', 'toponym (place)'], ['heritage', 'heritage site']];
const IMPORT_FORMATS = [['json', 'Lexwatch JSON'], ['csv', 'Lexwatch CSV'], ['hurtlex', 'HurtLex TSV'], ['peacetech', 'PeaceTech CSV']];

const describe = (error) => (error instanceof ApiError ? error.describe() : String(error));

function select(id, label, options, value, extra = {}) {
  return h('div', null,
    h('label', { for: id }, label),
    h('select', { id, name: id, ...extra }, options.map((o) => (Array.isArray(o) ? h('option', { value: o[0], selected: o[0] === value }, o[1]) : h('option', { value: o, selected: o === value }, o || 'any')))));
}

function input(id, label, value, extra = {}) {
  return h('div', null, h('label', { for: id }, label), h('input', { id, name: id, type: 'text', value: value ?? '', ...extra }));
}

function textarea(id, label, value, extra = {}) {
  return h('div', null, h('label', { for: id }, label), h('textarea', { id, name: id, rows: 3, ...extra }, value ?? ''));
}

function checkbox(id, label, checked) {
  return h('div', { class: 'check' }, h('input', { id, name: id, type: 'checkbox', checked: Boolean(checked) }), h('label', { for: id }, label));
}

async function allEntries(filter) {
  const items = [];
  for (let offset = 0; ; offset += 200) {
    const q = new URLSearchParams({ ...filter, offset: String(offset), limit: '200' });
    const page = await get(`/api/lexicon/entries?${q}`);
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) return items;
  }
}

/** "key: value" pairs of a settings object (match settings, context rules), or "defaults". */
function settings(obj) {
  const parts = Object.entries(obj ?? {}).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => `${k}: ${typeof v === 'object' ? Object.entries(v).map(([a, b]) => `${a} ${b}`).join(', ') : v}`);
  return parts.length ? parts.join(' · ') : 'defaults';
}

export async function lexiconScreen(user) {
  const isAdmin = user.roles.includes('admin');
  let overview;
  try {
    overview = await get('/api/lexicon');
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      render(h('h1', null, 'Lexicon'), h('p', { class: 'panel', id: 'unavailable', role: 'status' }, 'Browsing, editing and importing the lexicon is not available on this server (it has no lexicon API). The method and entries are documented in lexicons/README.md of the project.'));
      return;
    }
    throw error;
  }
  const active = overview.active;
  const state = { entries: [], targets: [], versions: [], listed: LIST_STEP };
  const versionData = new Map();

  // --- entries: server-side filters (language, category, status), text search in the page ---
  const langs = ['', ...active.languages];
  const entryFilters = h('form', { class: 'filters', id: 'entry-filters', 'aria-label': 'Filter entries' },
    select('lx-lang', 'Language', langs, ''),
    select('lx-category', 'Category', ['', ...CATEGORIES], ''),
    select('lx-status', 'Status', ['', ...STATUSES], ''),
    h('div', { class: 'grow' }, h('label', { for: 'lx-search' }, 'Search terms and meanings'), h('input', { id: 'lx-search', type: 'search', 'aria-controls': 'lexicon-table' })),
  );
  const entryCount = h('p', { id: 'entries-count', role: 'status' });
  const entryBody = h('tbody');
  // A focusable region like the other tables: a narrow window scrolls it sideways by keyboard too, even before its rows arrive.
  const entryTable = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Entries table (scrolls sideways)' }, h('table', { id: 'lexicon-table' },
    h('caption', { class: 'muted' }, 'Working-copy entries'),
    h('thead', null, h('tr', null, ['Entry', 'Category', 'Severity', 'Language', 'Status', 'Terms'].map((t) => h('th', { scope: 'col' }, t)))),
    entryBody));
  const detail = h('section', { id: 'entry-detail', 'aria-label': 'Entry', tabindex: '-1' });

  const moreEntries = h('button', { type: 'button', class: 'secondary', id: 'entries-more', hidden: true, onclick: () => {
    state.listed += LIST_STEP;
    showEntries();
  } }, `List ${LIST_STEP} more`);
  const field = (id) => entryFilters.querySelector(`#${id}`);
  const loadEntries = async () => {
    const filter = {};
    for (const [id, key] of [['lx-lang', 'lang'], ['lx-category', 'category'], ['lx-status', 'status']]) if (field(id).value) filter[key] = field(id).value;
    state.entries = await allEntries(filter);
    state.listed = LIST_STEP;
    showEntries();
  };
  const showEntries = () => {
    const q = field('lx-search').value.trim().toLocaleLowerCase();
    const matching = state.entries.filter((e) => !q || [e.id, ...(e.terms ?? []), e.meaning ?? '', e.whyHarmful ?? ''].some((s) => s.toLocaleLowerCase().includes(q)));
    const shown = matching.slice(0, state.listed);
    entryCount.textContent = `${matching.length} of ${state.entries.length} entries match${shown.length < matching.length ? `; the first ${shown.length} are listed` : ''}.`;
    moreEntries.hidden = shown.length >= matching.length;
    entryBody.replaceChildren(...shown.map((e) =>
      h('tr', { dataset: { entry: e.id, status: e.status } },
        h('td', null, h('button', { type: 'button', class: 'linklike', onclick: () => showEntry(e.id).catch((error) => say(describe(error), 'error')) }, e.id)),
        h('td', null, e.category), h('td', null, String(e.severity)), h('td', null, e.lang), h('td', null, e.status),
        h('td', { lang: e.lang }, (e.terms ?? []).join(' · ')))));
  };
  for (const id of ['lx-lang', 'lx-category', 'lx-status']) field(id).addEventListener('change', () => loadEntries().catch((e) => say(describe(e), 'error')));
  field('lx-search').addEventListener('input', () => {
    state.listed = LIST_STEP;
    showEntries();
  });
  entryFilters.addEventListener('submit', (e) => e.preventDefault());

  async function showEntry(id) {
    const e = await get(`/api/lexicon/entries/${encodeURIComponent(id)}`);
    const rows = [
      ['Id', h('code', null, e.id)], ['Entry version', String(e.version)], ['Status', e.status], ['Language', e.lang], ['Role', e.role],
      ['Category', e.category], ['Severity', String(e.severity)], ['Terms', h('span', { lang: e.lang }, e.terms.join(' · '))],
      ['Exceptions', (e.exceptions ?? []).join(' · ') || 'none'], ['Meaning', e.meaning], ['Why harmful', e.whyHarmful],
      ['Basis', `${e.source.type}: ${e.source.ref}${e.source.citation ? ` — ${e.source.citation}` : ''}`],
      ['Match settings', settings(e.match)], ['Context rules', settings(e.context)],
      ['In published versions', await publishedIn(e.id)],
    ];
    detail.replaceChildren();
    append(detail, [
      h('h2', { id: 'entry-title' }, `Entry ${e.id}`),
      h('table', { id: 'entry-fields', class: 'fields' }, h('tbody', null, rows.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v))))),
      isAdmin ? h('p', { class: 'pager' },
        h('button', { type: 'button', id: 'entry-edit', onclick: () => editEntry(e) }, 'Edit'),
        e.status === 'retired' ? null : h('button', { type: 'button', class: 'secondary', id: 'entry-retire', onclick: () => retire(e) }, 'Retire')) : null,
    ]);
    detail.focus();
  }

  /** The entry in the newest published versions (at most HISTORY of them, fetched once per screen). */
  async function publishedIn(id) {
    const shown = state.versions.slice(0, HISTORY);
    const data = await Promise.all(shown.map(async (v) => {
      if (!versionData.has(v.version)) versionData.set(v.version, get(`/api/lexicon/versions/${encodeURIComponent(v.version)}`));
      return (await versionData.get(v.version)).data;
    }));
    const items = shown.map((v, i) => {
      const found = data[i].entries.find((x) => x.id === id);
      return h('li', null, h('code', null, v.version), found ? ` — entry version ${found.version}, ${found.status}, severity ${found.severity}` : ' — not in this version');
    });
    if (!items.length) return 'not published yet';
    return h('ul', { class: 'plain', id: 'entry-history' }, items, state.versions.length > HISTORY ? h('li', { class: 'muted' }, `(${state.versions.length - HISTORY} older versions not shown)`) : null);
  }

  async function retire(e) {
    try {
      await post(`/api/lexicon/entries/${encodeURIComponent(e.id)}/retire`);
      say(`Retired ${e.id} in the working copy (it leaves the next published version).`, 'ok');
      await loadEntries();
      await showEntry(e.id);
    } catch (error) {
      say(describe(error), 'error');
    }
  }

  /** The create/edit form; `e` null creates. Settings the form does not show are kept as they are. */
  function editEntry(e) {
    const creating = !e;
    const v = e ?? { status: 'draft', role: 'predicate', lang: active.languages[0] ?? 'en', category: 'DH.ANIMAL', severity: 2, terms: [], source: { type: 'curator', ref: '' }, meaning: '', whyHarmful: '' };
    const error = h('p', { class: 'error', role: 'alert', id: 'entry-error' });
    const form = h('form', { id: 'entry-form', class: 'panel', 'aria-labelledby': 'entry-form-title' },
      h('h2', { id: 'entry-form-title' }, creating ? 'New entry' : `Edit ${e.id}`),
      h('div', { class: 'grid' },
        creating ? input('ef-id', 'Id (letters, digits, . _ -)', '', { required: true }) : null,
        input('ef-lang', 'Language (BCP 47)', v.lang, { required: true }),
        select('ef-role', 'Role', ROLES, v.role),
        select('ef-category', 'Category', CATEGORIES, v.category),
        select('ef-severity', 'Severity (1–4)', ['1', '2', '3', '4'], String(v.severity)),
        select('ef-status', 'Status', STATUSES, v.status)),
      textarea('ef-terms', 'Terms, one per line (* = any ending)', (v.terms ?? []).join('\n'), { required: true }),
      textarea('ef-exceptions', 'Exceptions, one per line (optional)', (v.exceptions ?? []).join('\n')),
      textarea('ef-meaning', 'Meaning', v.meaning, { required: true }),
      textarea('ef-why', 'Why it is harmful', v.whyHarmful, { required: true }),
      h('div', { class: 'grid' },
        select('ef-source-type', 'Basis: kind of source', SOURCE_TYPES, v.source.type),
        input('ef-source-ref', 'Basis: reference', v.source.ref, { required: true }),
        input('ef-source-citation', 'Basis: citation (optional)', v.source.citation ?? '')),
      h('fieldset', null, h('legend', null, 'Match settings'),
        h('div', { class: 'grid' },
          select('ef-diacritics', 'Diacritics', [['', 'default'], ['strict', 'strict'], ['insensitive', 'insensitive']], v.match?.diacritics ?? ''),
          checkbox('ef-fuzzy', 'Fuzzy matching (OCR misreadings)', v.match?.fuzzy),
          checkbox('ef-stem', 'Match word forms (stemming)', v.match?.stem))),
      h('fieldset', null, h('legend', null, 'Context rules'),
        h('div', { class: 'grid' },
          checkbox('ef-requires-target', 'Requires a target-group mention nearby', v.context?.requiresTarget),
          select('ef-negation', 'Under negation', [['', 'default'], ['suppress', 'suppress'], ['downgrade', 'downgrade'], ['keep', 'keep']], v.context?.negation ?? ''),
          select('ef-quotation', 'In quotation', [['', 'default'], ['flag', 'flag'], ['downgrade', 'downgrade']], v.context?.quotation ?? ''))),
      h('p', { class: 'pager' }, h('button', { type: 'submit', id: 'entry-save' }, creating ? 'Create entry' : 'Save changes'), h('button', { type: 'button', class: 'secondary', onclick: () => (creating ? detail.replaceChildren() : showEntry(e.id).catch((error) => say(describe(error), 'error'))) }, 'Cancel')),
      error);
    const val = (id) => form.querySelector(`#${id}`).value.trim();
    const checked = (id) => form.querySelector(`#${id}`).checked;
    const lines = (id) => val(id).split('\n').map((s) => s.trim()).filter(Boolean);
    // A box left unticked keeps "unset" if the entry never had the setting.
    const flag = (id, before) => (checked(id) ? true : before === undefined ? undefined : false);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      const match = { ...(v.match ?? {}), diacritics: val('ef-diacritics') || undefined, fuzzy: flag('ef-fuzzy', v.match?.fuzzy), stem: flag('ef-stem', v.match?.stem) };
      const context = { ...(v.context ?? {}), requiresTarget: flag('ef-requires-target', v.context?.requiresTarget), negation: val('ef-negation') || undefined, quotation: val('ef-quotation') || undefined };
      const exceptions = lines('ef-exceptions');
      const body = {
        lang: val('ef-lang'), role: val('ef-role'), category: val('ef-category'), severity: Number(val('ef-severity')), status: val('ef-status'),
        terms: lines('ef-terms'), meaning: val('ef-meaning'), whyHarmful: val('ef-why'),
        source: { type: val('ef-source-type'), ref: val('ef-source-ref'), ...(val('ef-source-citation') ? { citation: val('ef-source-citation') } : {}) },
        ...(exceptions.length || v.exceptions ? { exceptions } : {}),
        // Sent whenever the entry had settings, so going back to "default" clears them.
        ...(v.match || Object.values(match).some((x) => x !== undefined) ? { match: JSON.parse(JSON.stringify(match)) } : {}),
        ...(v.context || Object.values(context).some((x) => x !== undefined) ? { context: JSON.parse(JSON.stringify(context)) } : {}),
      };
      try {
        const saved = creating ? await post('/api/lexicon/entries', { id: val('ef-id'), ...body }) : await api('PATCH', `/api/lexicon/entries/${encodeURIComponent(e.id)}`, body);
        say(`${creating ? 'Created' : 'Saved'} ${saved.id} (entry version ${saved.version}) in the working copy; publish a version for it to take effect.`, 'ok');
        await loadEntries();
        await showEntry(saved.id);
      } catch (err) {
        error.textContent = describe(err);
      }
    });
    detail.replaceChildren(form);
    form.querySelector('input, select, textarea').focus();
  }

  // --- target groups: every group, retired ones marked; filtered in the page ---
  const targetLang = h('select', { id: 'tg-lang', 'aria-controls': 'targets-table' }, langs.map((l) => h('option', { value: l }, l || 'any')));
  const targetSearch = h('input', { id: 'tg-search', type: 'search', 'aria-controls': 'targets-table' });
  const targetBody = h('tbody');
  const targetDetail = h('section', { id: 'target-detail', 'aria-label': 'Target group', tabindex: '-1' });
  const openTarget = (id) => showTarget(id).catch((error) => say(describe(error), 'error'));
  const showTargets = () => {
    const lang = targetLang.value;
    const q = targetSearch.value.trim().toLocaleLowerCase();
    const shown = state.targets.filter((t) => (!lang || t.terms.some((s) => s.lang === lang)) && (!q || [t.id, t.name, ...t.terms.flatMap((s) => s.terms)].some((s) => s.toLocaleLowerCase().includes(q))));
    targetBody.replaceChildren(...shown.map((t) => h('tr', { dataset: { target: t.id, status: t.retired ? 'retired' : 'active' } },
      h('td', null, h('button', { type: 'button', class: 'linklike', onclick: () => openTarget(t.id) }, t.id)), h('td', null, t.name, t.fictional && !/fictional/i.test(t.name) ? ' (fictional)' : ''), h('td', null, t.retired ? 'retired' : 'active'),
      h('td', null, h('ul', { class: 'plain' }, t.terms.filter((s) => !lang || s.lang === lang).map((s) => h('li', { lang: s.lang }, `${s.lang} ${s.kind}: ${s.terms.join(' · ')}`)))))));
  };
  targetLang.addEventListener('change', showTargets);
  targetSearch.addEventListener('input', showTargets);

  async function showTarget(id) {
    const t = await get(`/api/lexicon/targets/${encodeURIComponent(id)}`);
    const rows = [
      ['Id', h('code', null, t.id)], ['Name', t.name], ['Status', t.retired ? 'retired' : 'active'], ['Fictional', t.fictional ? 'yes' : 'no'],
      ['Terms', h('ul', { class: 'plain' }, t.terms.map((s) => h('li', { lang: s.lang }, `${s.lang} ${s.kind}: ${s.terms.join(' · ')}`)))],
    ];
    targetDetail.replaceChildren();
    append(targetDetail, [
      h('h3', { id: 'target-title' }, `Target group ${t.id}`),
      h('table', { id: 'target-fields', class: 'fields' }, h('tbody', null, rows.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v))))),
      isAdmin ? h('p', { class: 'pager' },
        h('button', { type: 'button', id: 'target-edit', onclick: () => editTarget(t) }, 'Edit'),
        t.retired ? null : h('button', { type: 'button', class: 'secondary', id: 'target-retire', onclick: () => retireTarget(t) }, 'Retire')) : null,
    ]);
    targetDetail.focus();
  }

  async function retireTarget(t) {
    try {
      await post(`/api/lexicon/targets/${encodeURIComponent(t.id)}/retire`);
      say(`Retired target group ${t.id} in the working copy (it leaves the next published version).`, 'ok');
      await loadTargets();
      await showTarget(t.id);
    } catch (error) {
      say(describe(error), 'error');
    }
  }

  /**
   * The create/edit form for a target group; `t` null creates. Its terms are sets of one language
   * and one kind each (name, demonym, toponym, heritage site), added and removed in the form.
   * The API's validation errors are shown under the field they name and in the form's alert.
   */
  function editTarget(t) {
    const creating = !t;
    const v = t ?? { name: '', terms: [{ lang: active.languages[0] ?? 'en', kind: 'name', terms: [] }] };
    const error = h('p', { class: 'error', role: 'alert', id: 'target-error', tabindex: '-1' });
    const sets = h('div', { id: 'tf-sets' });
    const addSet = h('button', { type: 'button', class: 'secondary', id: 'tf-add-set' }, 'Add a term set');
    const form = h('form', { id: 'target-form', class: 'panel', 'aria-labelledby': 'target-form-title', novalidate: true },
      h('h3', { id: 'target-form-title' }, creating ? 'New target group' : `Edit target group ${t.id}`),
      h('div', { class: 'grid' },
        creating ? input('tf-id', 'Id (letters, digits, . _ -)', '', { required: true }) : null,
        input('tf-name', 'Name (neutral; never a slur)', v.name, { required: true })),
      checkbox('tf-fictional', 'Invented group (fixtures and examples only)', v.fictional),
      h('p', { class: 'muted', id: 'tf-sets-help' }, 'One set per language (or script) and kind; terms one per line, * = any ending.'),
      sets,
      h('p', null, addSet),
      h('p', { class: 'pager' }, h('button', { type: 'submit', id: 'target-save' }, creating ? 'Create target group' : 'Save changes'),
        h('button', { type: 'button', class: 'secondary', id: 'target-cancel', onclick: () => (creating ? targetDetail.replaceChildren() : openTarget(t.id)) }, 'Cancel')),
      error);

    const fieldError = (id) => h('p', { class: 'error field-error', id: `${id}-error`, hidden: true });
    const renderSets = (list) => {
      sets.replaceChildren(...list.map((s, i) => h('fieldset', { class: 'term-set', dataset: { index: String(i) } },
        h('legend', null, `Term set ${i + 1}`),
        h('div', { class: 'grid' },
          h('div', null, h('label', { for: `tf-set-${i}-lang` }, 'Language (BCP 47, e.g. en, ru, sr-Latn)'), h('input', { id: `tf-set-${i}-lang`, type: 'text', value: s.lang, required: true }), fieldError(`tf-set-${i}-lang`)),
          h('div', null, h('label', { for: `tf-set-${i}-kind` }, 'Kind'), h('select', { id: `tf-set-${i}-kind` }, TARGET_KINDS.map(([k, label]) => h('option', { value: k, selected: k === s.kind }, label))), fieldError(`tf-set-${i}-kind`))),
        h('div', null, h('label', { for: `tf-set-${i}-terms` }, 'Terms, one per line'), h('textarea', { id: `tf-set-${i}-terms`, rows: 3, required: true, 'aria-describedby': 'tf-sets-help' }, s.terms.join('\n')), fieldError(`tf-set-${i}-terms`)),
        h('p', null, h('button', { type: 'button', class: 'secondary', dataset: { remove: String(i) } }, `Remove term set ${i + 1}`)))));
    };
    const lines = (text) => text.split('\n').map((x) => x.trim()).filter(Boolean);
    const readSets = () => [...sets.querySelectorAll('fieldset.term-set')].map((fs, i) => ({
      // Fields the form does not show (kept by the API's loose schema) survive an edit.
      ...(v.terms[i] ?? {}),
      lang: fs.querySelector(`#tf-set-${i}-lang`).value.trim(), kind: fs.querySelector(`#tf-set-${i}-kind`).value, terms: lines(fs.querySelector(`#tf-set-${i}-terms`).value),
    }));
    renderSets(v.terms);
    addSet.addEventListener('click', () => {
      const list = readSets();
      list.push({ lang: '', kind: 'name', terms: [] });
      renderSets(list);
      form.querySelector(`#tf-set-${list.length - 1}-lang`).focus();
    });
    sets.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-remove]');
      if (!button) return;
      const i = Number(button.dataset.remove);
      const list = readSets();
      list.splice(i, 1);
      v.terms = v.terms.filter((_, j) => j !== i);
      renderSets(list);
      // Focus stays in the list: the set that moved up, the one before, or the add button.
      (form.querySelector(`#tf-set-${Math.min(i, list.length - 1)}-lang`) ?? addSet).focus();
    });

    /** The form control an API issue path names: "name", "terms.1.lang", "terms.0.terms.2". */
    const controlFor = (fieldPath) => {
      const [head, index, sub] = String(fieldPath).split('.');
      if (head === 'id' || head === 'name') return form.querySelector(`#tf-${head}`);
      if (head === 'terms' && index !== undefined) return form.querySelector(`#tf-set-${index}-${sub === 'lang' || sub === 'kind' ? sub : 'terms'}`);
      if (head === 'terms') return form.querySelector('#tf-set-0-lang') ?? addSet;
      return null;
    };
    const clearErrors = () => {
      error.textContent = '';
      for (const el of form.querySelectorAll('[aria-invalid]')) {
        el.removeAttribute('aria-invalid');
        el.setAttribute('aria-describedby', el.id.endsWith('-terms') ? 'tf-sets-help' : '');
        if (!el.getAttribute('aria-describedby')) el.removeAttribute('aria-describedby');
      }
      for (const p of form.querySelectorAll('.field-error')) {
        p.textContent = '';
        p.hidden = true;
      }
    };
    const showErrors = (err) => {
      error.textContent = describe(err);
      let first = null;
      for (const d of Array.isArray(err.details) ? err.details : []) {
        const control = controlFor(d.field);
        const note = control && form.querySelector(`#${control.id}-error`);
        if (!note) continue;
        note.textContent = note.textContent ? `${note.textContent}; ${d.message}` : d.message;
        note.hidden = false;
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), note.id].filter(Boolean).join(' '));
        first ??= control;
      }
      (first ?? error).focus?.();
    };

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors();
      const fictional = form.querySelector('#tf-fictional').checked;
      const body = {
        name: form.querySelector('#tf-name').value.trim(),
        terms: readSets(),
        // A box left unticked keeps "unset" if the group never had the setting.
        ...(fictional || v.fictional !== undefined ? { fictional } : {}),
      };
      try {
        const saved = creating
          ? await post('/api/lexicon/targets', { id: form.querySelector('#tf-id').value.trim(), ...body })
          : await api('PATCH', `/api/lexicon/targets/${encodeURIComponent(t.id)}`, body);
        say(`${creating ? 'Created' : 'Saved'} target group ${saved.id} in the working copy; publish a version for it to take effect.`, 'ok');
        await loadTargets();
        await showTarget(saved.id);
      } catch (err) {
        showErrors(err);
      }
    });
    targetDetail.replaceChildren(form);
    form.querySelector('input').focus();
  }

  // --- versions (history) ---
  const versionBody = h('tbody');
  const loadVersions = async () => {
    state.versions = (await get('/api/lexicon/versions')).items;
    versionBody.replaceChildren(...state.versions.map((v) => h('tr', { dataset: { version: v.version } },
      h('td', null, h('code', null, v.version)), h('td', null, String(v.number)), h('td', null, String(v.entryCount)), h('td', null, String(v.targetCount)), h('td', null, v.note ?? ''), h('td', null, fmtDate(v.createdAt)))));
  };

  // --- admin: publish with a reason, import with a preview ---
  const publishResult = h('div', { id: 'publish-result', role: 'status' });
  const publishForm = h('form', { id: 'publish-form', class: 'panel', 'aria-labelledby': 'publish-title' },
    h('h2', { id: 'publish-title' }, 'Publish a new version'),
    h('p', null, 'Publishing snapshots the working copy; new uploads and re-analysis then use it. Retired entries and target groups are left out; drafts are matched like reviewed entries, so check them first.'),
    textarea('publish-note', 'Reason for this version', '', { required: true }),
    h('p', null, h('button', { type: 'submit', id: 'publish-submit' }, 'Publish')), publishResult);
  publishForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const note = publishForm.querySelector('#publish-note').value.trim();
    try {
      const { version, warnings } = await post('/api/lexicon/versions', { note });
      publishResult.replaceChildren(h('p', { class: 'ok', dataset: { version: version.version } }, `Published ${version.version} (number ${version.number}, ${version.entryCount} entries).`),
        warnings.length ? h('ul', null, warnings.map((w) => h('li', null, w))) : null);
      publishForm.querySelector('#publish-note').value = '';
      await loadVersions();
    } catch (error) {
      publishResult.replaceChildren(h('p', { class: 'error', role: 'alert' }, describe(error)));
    }
  });

  const preview = h('div', { id: 'import-preview', 'aria-live': 'polite' });
  const importForm = h('form', { id: 'import-form', class: 'panel', 'aria-labelledby': 'import-title' },
    h('h2', { id: 'import-title' }, 'Import a file'),
    h('p', null, 'The file is checked first and nothing is written until you apply the preview.'),
    h('div', { class: 'grid' },
      h('div', null, h('label', { for: 'import-file' }, 'File'), h('input', { id: 'import-file', type: 'file', accept: '.json,.csv,.tsv,.txt', required: true })),
      select('import-format', 'Format', IMPORT_FORMATS, 'json'),
      input('import-lang', 'Language of the file (HurtLex: required)', ''),
      input('import-prefix', 'Id prefix (optional)', '')),
    h('p', null, h('button', { type: 'submit', id: 'import-preview-button' }, 'Preview')), preview);
  importForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = importForm.querySelector('#import-file').files[0];
    if (!file) return;
    const q = new URLSearchParams({ format: importForm.querySelector('#import-format').value });
    for (const [id, key] of [['import-lang', 'lang'], ['import-prefix', 'idPrefix']]) if (importForm.querySelector(`#${id}`).value.trim()) q.set(key, importForm.querySelector(`#${id}`).value.trim());
    preview.replaceChildren(h('p', null, `Checking ${file.name}…`));
    const text = await file.text();
    try {
      showPreview(file.name, await postText(`/api/lexicon/import/preview?${q}`, text), q, text);
    } catch (error) {
      preview.replaceChildren(h('p', { class: 'error', role: 'alert' }, describe(error)));
    }
  });

  function showPreview(name, p, q, text) {
    const ids = (side) => [...side.entries.map((x) => (typeof x === 'string' ? x : `${x.id} (${x.fields.join(', ')})`)), ...side.targets.map((x) => `target ${typeof x === 'string' ? x : `${x.id} (${x.fields.join(', ')})`}`)];
    const list = (title, items, id, open = false) => (items.length ? h('details', { open }, h('summary', null, `${title} (${items.length})`), h('ul', { id }, items.map((i) => h('li', null, i)))) : null);
    const counts = [['added', 'Added'], ['changed', 'Changed'], ['unchanged', 'Unchanged'], ['errors', 'Errors'], ['skipped', 'Skipped']];
    const apply = h('button', { type: 'button', id: 'import-apply', disabled: !p.applicable }, 'Apply this import');
    apply.addEventListener('click', async () => {
      apply.disabled = true;
      q.set('update', 'true');
      try {
        const res = await postText(`/api/lexicon/import?${q}`, text);
        say(`Imported ${name}: ${res.imported.entries} entries and ${res.imported.targets} target groups added, ${res.updated.entries.length + res.updated.targets.length} updated.`, 'ok');
        preview.replaceChildren(h('p', { class: 'ok', id: 'import-done' }, `Applied: ${res.imported.entries + res.imported.targets} added, ${res.updated.entries.length + res.updated.targets.length} updated.`));
        await Promise.all([loadEntries(), loadTargets()]);
      } catch (error) {
        apply.disabled = false;
        preview.append(h('p', { class: 'error', role: 'alert' }, describe(error)));
      }
    });
    preview.replaceChildren();
    append(preview, [
      h('h3', { id: 'import-preview-title' }, `Preview of ${name}`),
      h('table', { id: 'import-counts', class: 'fields' }, h('tbody', null, counts.map(([key, label]) => h('tr', { dataset: { count: key } }, h('th', { scope: 'row' }, label), h('td', null, String(p.counts[key])))))),
      list('Added', ids(p.added), 'import-added'), list('Changed (fields)', ids(p.changed), 'import-changed', true), list('Unchanged', ids(p.unchanged), 'import-unchanged'),
      p.errors.length ? [h('h4', null, 'Errors — nothing can be imported until they are fixed'), h('ul', { id: 'import-errors', class: 'error' }, p.errors.map((e) => h('li', null, `line ${e.line}: ${e.message}`)))] : null,
      list('Skipped rows', p.skipped.map((s) => `line ${s.line}: ${s.message}`), 'import-skipped'),
      h('p', null, p.applicable ? 'Applying adds the new records and updates the changed ones in the working copy (as drafts where the file says so); unchanged ones are left alone.' : 'Nothing to apply.'),
      h('p', null, apply),
    ]);
  }

  const loadTargets = async () => {
    state.targets = (await get('/api/lexicon/targets?retired=true')).items;
    showTargets();
  };

  render(
    h('h1', null, 'Lexicon'),
    h('p', { id: 'lexicon-active' }, `Active version: ${active.id} ${active.version} (number ${active.number}), ${active.entries} matching entries, languages ${active.languages.join(', ')}. Below is the working copy; changes take effect when a version is published.`),
    isAdmin ? h('p', null, h('button', { type: 'button', id: 'entry-new', onclick: () => editEntry(null) }, 'New entry')) : null,
    h('section', { id: 'entries-section', 'aria-labelledby': 'entries-title' }, h('h2', { id: 'entries-title' }, 'Entries'), entryFilters, entryCount, detail, entryTable, h('p', null, moreEntries)),
    h('section', { id: 'targets-section', 'aria-labelledby': 'targets-title' }, h('h2', { id: 'targets-title' }, 'Target groups'),
      isAdmin ? h('p', null, h('button', { type: 'button', id: 'target-new', onclick: () => editTarget(null) }, 'New target group')) : null,
      targetDetail,
      h('div', { class: 'filters' }, h('div', null, h('label', { for: 'tg-lang' }, 'Language'), targetLang), h('div', { class: 'grow' }, h('label', { for: 'tg-search' }, 'Search names and terms'), targetSearch)),
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Target groups table (scrolls sideways)' }, h('table', { id: 'targets-table' }, h('caption', { class: 'muted' }, 'Target groups (data, not code)'), h('thead', null, h('tr', null, ['Group', 'Name', 'Status', 'Terms'].map((t) => h('th', { scope: 'col' }, t)))), targetBody))),
    isAdmin ? [publishForm, importForm] : null,
    h('section', { id: 'versions-section', 'aria-labelledby': 'versions-title' }, h('h2', { id: 'versions-title' }, 'Published versions'),
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Published versions table (scrolls sideways)' }, h('table', { id: 'versions-table' }, h('thead', null, h('tr', null, ['Version', 'Number', 'Entries', 'Target groups', 'Reason', 'Published'].map((t) => h('th', { scope: 'col' }, t)))), versionBody))),
  );
  await Promise.all([loadEntries(), loadTargets(), loadVersions()]);
}
