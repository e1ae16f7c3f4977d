// @ts-check
/**
 * The form that creates or edits an entry (admins). Settings the form does not show are kept as
 * they are; the server's complaints appear at the fields they name.
 */
import { api, post } from '../../lib/api.js';
import { h, say } from '../../lib/dom.js';
import { alertBox, checkField, describe, onSubmit, selectField, textField, textareaField } from '../../lib/forms.js';
import { categoryOptions, firstCategory } from '../../lib/meta.js';

/** @typedef {import('./context.js').LexiconContext} LexiconContext */
/** @typedef {import('./context.js').DetailPanel} DetailPanel */
/** @typedef {import('../../../../api-types').LexiconEntryData} Entry */
/** @typedef {Omit<Entry, 'id' | 'version'>} EntryBody */

/** An option list whose '' means "the default". @param {readonly string[]} values */
const withDefault = (values) => [/** @type {const} */ (['', 'default']), ...values];

/** The fields of the form, named by their API paths. @param {LexiconContext} ctx @param {EntryBody} v @param {boolean} creating */
function fields(ctx, v, creating) {
  const lx = ctx.meta.lexicon;
  return [
    h('div', { class: 'grid' },
      creating ? textField('ef-id', 'Id (letters, digits, . _ -)', '', { name: 'id', required: true }) : null,
      textField('ef-lang', 'Language (BCP 47)', v.lang, { name: 'lang', required: true }),
      selectField('ef-role', 'Role', lx.entryRoles, v.role, { name: 'role' }),
      selectField('ef-category', 'Category', categoryOptions(ctx.meta), v.category, { name: 'category' }),
      selectField('ef-severity', 'Severity (1–4)', ctx.meta.severities.map((s) => String(s.level)), String(v.severity), { name: 'severity' }),
      selectField('ef-status', 'Status', lx.entryStatuses, v.status, { name: 'status' })),
    textareaField('ef-terms', 'Terms, one per line (* = any ending)', (v.terms ?? []).join('\n'), { name: 'terms', required: true }),
    textareaField('ef-exceptions', 'Exceptions, one per line (optional)', (v.exceptions ?? []).join('\n'), { name: 'exceptions' }),
    textareaField('ef-meaning', 'Meaning', v.meaning, { name: 'meaning', required: true }),
    textareaField('ef-why', 'Why it is harmful', v.whyHarmful, { name: 'whyHarmful', required: true }),
    h('div', { class: 'grid' },
      selectField('ef-source-type', 'Basis: kind of source', lx.sourceTypes, v.source.type, { name: 'source.type' }),
      textField('ef-source-ref', 'Basis: reference', v.source.ref, { name: 'source.ref', required: true }),
      textField('ef-source-citation', 'Basis: citation (optional)', v.source.citation ?? '', { name: 'source.citation' })),
    h('fieldset', null, h('legend', null, 'Match settings'),
      h('div', { class: 'grid' },
        selectField('ef-diacritics', 'Diacritics', withDefault(lx.diacritics), v.match?.diacritics ?? '', { name: 'match.diacritics' }),
        checkField('ef-fuzzy', 'Fuzzy matching (OCR misreadings)', v.match?.fuzzy, { name: 'match.fuzzy' }),
        checkField('ef-stem', 'Match word forms (stemming)', v.match?.stem, { name: 'match.stem' }))),
    h('fieldset', null, h('legend', null, 'Context rules'),
      h('div', { class: 'grid' },
        checkField('ef-requires-target', 'Requires a target-group mention nearby', v.context?.requiresTarget, { name: 'context.requiresTarget' }),
        selectField('ef-negation', 'Under negation', withDefault(lx.negation), v.context?.negation ?? '', { name: 'context.negation' }),
        selectField('ef-quotation', 'In quotation', withDefault(lx.quotation), v.context?.quotation ?? '', { name: 'context.quotation' }))),
  ];
}

/**
 * The request body from the form. `v` is the entry as it was: settings the form leaves at their
 * default are sent only if the entry had them, so going back to "default" clears them.
 * @param {HTMLFormElement} form @param {EntryBody} v
 */
function readEntry(form, v) {
  const control = (/** @type {string} */ id) => /** @type {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} */ (form.querySelector(`#${id}`));
  const val = (/** @type {string} */ id) => control(id).value.trim();
  const lines = (/** @type {string} */ id) => val(id).split('\n').map((s) => s.trim()).filter(Boolean);
  // A box left unticked keeps "unset" if the entry never had the setting.
  const tick = (/** @type {string} */ id, /** @type {boolean | undefined} */ before) => (/** @type {HTMLInputElement} */ (control(id)).checked ? true : before === undefined ? undefined : false);
  const match = { ...(v.match ?? {}), diacritics: val('ef-diacritics') || undefined, fuzzy: tick('ef-fuzzy', v.match?.fuzzy), stem: tick('ef-stem', v.match?.stem) };
  const context = { ...(v.context ?? {}), requiresTarget: tick('ef-requires-target', v.context?.requiresTarget), negation: val('ef-negation') || undefined, quotation: val('ef-quotation') || undefined };
  const exceptions = lines('ef-exceptions');
  const citation = val('ef-source-citation');
  return {
    lang: val('ef-lang'), role: val('ef-role'), category: val('ef-category'), severity: Number(val('ef-severity')), status: val('ef-status'),
    terms: lines('ef-terms'), meaning: val('ef-meaning'), whyHarmful: val('ef-why'),
    source: { type: val('ef-source-type'), ref: val('ef-source-ref'), ...(citation ? { citation } : {}) },
    ...(exceptions.length || v.exceptions ? { exceptions } : {}),
    // JSON drops the settings left undefined.
    ...(v.match || Object.values(match).some((x) => x !== undefined) ? { match: JSON.parse(JSON.stringify(match)) } : {}),
    ...(v.context || Object.values(context).some((x) => x !== undefined) ? { context: JSON.parse(JSON.stringify(context)) } : {}),
  };
}

/**
 * Opens the form in the panel's detail area; `e` null creates an entry.
 * @param {LexiconContext} ctx @param {DetailPanel} panel @param {Entry | null} e
 */
export function editEntry(ctx, panel, e) {
  /** @type {EntryBody} */
  const v = e ?? {
    status: 'draft', role: 'predicate', lang: ctx.active.languages[0] ?? 'en', category: firstCategory(ctx.meta), severity: 2,
    terms: [], source: { type: 'curator', ref: '' }, meaning: '', whyHarmful: '',
  };
  const alert = alertBox('entry-error');
  const cancel = () => (e ? panel.show(e.id).catch((error) => say(describe(error), 'error')) : panel.detail.replaceChildren());
  const form = h('form', { id: 'entry-form', class: 'panel', 'aria-labelledby': 'entry-form-title' },
    h('h2', { id: 'entry-form-title' }, e ? `Edit ${e.id}` : 'New entry'),
    fields(ctx, v, !e),
    h('p', { class: 'pager' }, h('button', { type: 'submit', id: 'entry-save' }, e ? 'Save changes' : 'Create entry'), h('button', { type: 'button', class: 'secondary', onclick: cancel }, 'Cancel')),
    alert);
  onSubmit(form, async () => {
    const body = readEntry(form, v);
    const saved = /** @type {Entry} */ (e
      ? await api('PATCH', `/api/lexicon/entries/${encodeURIComponent(e.id)}`, body)
      : await post('/api/lexicon/entries', { id: /** @type {HTMLInputElement} */ (form.querySelector('#ef-id')).value.trim(), ...body }));
    say(`${e ? 'Saved' : 'Created'} ${saved.id} (entry version ${saved.version}) in the working copy; publish a version for it to take effect.`, 'ok');
    await panel.reload();
    await panel.show(saved.id);
  }, { alert });
  panel.detail.replaceChildren(form);
  /** @type {HTMLElement | null} */ (form.querySelector('input, select, textarea'))?.focus();
}
