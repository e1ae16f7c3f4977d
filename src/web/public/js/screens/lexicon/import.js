// @ts-check
/* global URLSearchParams */
/**
 * Importing a file (admins): the file is sent to the preview first, which writes nothing; the
 * screen shows what it would add, change (with the fields) and leave alone, or its errors with
 * their lines, and only "Apply" writes (/api/lexicon/import?update=true).
 */
import { postText } from '../../lib/api.js';
import { append, h, say } from '../../lib/dom.js';
import { alertBox, busy, describe, onSubmit, selectField, textField } from '../../lib/forms.js';

/** @typedef {import('./context.js').LexiconContext} LexiconContext */
/** @typedef {import('../../../../api-types').ImportPreview} ImportPreview */
/** @typedef {import('../../../../api-types').ImportResult} ImportResult */
/** @typedef {import('../../../../api-types').DiffSide} DiffSide */
/** @typedef {import('../../../../api-types').DiffItem} DiffItem */

/** How the formats read in the menu; a format this list does not know shows its code. */
const FORMAT_LABELS = /** @type {Readonly<Record<string, string>>} */ ({ json: 'Lexwatch JSON', csv: 'Lexwatch CSV', hurtlex: 'HurtLex TSV', peacetech: 'PeaceTech CSV' });
/** The optional fields sent with the file: control id → query parameter. */
const QUERY_FIELDS = /** @type {const} */ ([['import-lang', 'lang'], ['import-prefix', 'idPrefix']]);
const COUNTS = /** @type {const} */ ([['added', 'Added'], ['changed', 'Changed'], ['unchanged', 'Unchanged'], ['errors', 'Errors'], ['skipped', 'Skipped']]);

/** @param {DiffItem} x */
const named = (x) => (typeof x === 'string' ? x : `${x.id} (${x.fields.join(', ')})`);
/** Entry ids, then target groups, each with its changed fields. @param {DiffSide} side */
const ids = (side) => [...side.entries.map(named), ...side.targets.map((x) => `target ${named(x)}`)];
/** A collapsible list, or nothing when empty. @param {string} title @param {string[]} items @param {string} id */
const list = (title, items, id, open = false) => (items.length ? h('details', { open }, h('summary', null, `${title} (${items.length})`), h('ul', { id }, items.map((i) => h('li', null, i)))) : null);

/**
 * @typedef {object} PendingImport
 * @property {string} name the file's name
 * @property {string} text its content
 * @property {URLSearchParams} query format, lang, idPrefix as previewed
 */

/** @param {HTMLElement} preview @param {PendingImport} file @param {ImportPreview} p @param {() => Promise<unknown>} applied */
function showPreview(preview, file, p, applied) {
  const apply = h('button', { type: 'button', id: 'import-apply', disabled: !p.applicable }, 'Apply this import');
  apply.addEventListener('click', () => busy(apply, async () => {
    const query = new URLSearchParams(file.query);
    query.set('update', 'true');
    try {
      const res = /** @type {ImportResult} */ (await postText(`/api/lexicon/import?${query}`, file.text));
      const updated = res.updated.entries.length + res.updated.targets.length;
      say(`Imported ${file.name}: ${res.imported.entries} entries and ${res.imported.targets} target groups added, ${updated} updated.`, 'ok');
      preview.replaceChildren(h('p', { class: 'ok', id: 'import-done' }, `Applied: ${res.imported.entries + res.imported.targets} added, ${updated} updated.`));
      await applied();
    } catch (error) {
      preview.append(h('p', { class: 'error', role: 'alert' }, describe(error)));
    }
  }));
  preview.replaceChildren();
  append(preview, [
    h('h3', { id: 'import-preview-title' }, `Preview of ${file.name}`),
    h('table', { id: 'import-counts', class: 'fields' }, h('tbody', null, COUNTS.map(([key, label]) => h('tr', { dataset: { count: key } }, h('th', { scope: 'row' }, label), h('td', null, String(p.counts[key])))))),
    list('Added', ids(p.added), 'import-added'), list('Changed (fields)', ids(p.changed), 'import-changed', true), list('Unchanged', ids(p.unchanged), 'import-unchanged'),
    p.errors.length ? [h('h4', null, 'Errors — nothing can be imported until they are fixed'), h('ul', { id: 'import-errors', class: 'error' }, p.errors.map((e) => h('li', null, `line ${e.line}: ${e.message}`)))] : null,
    list('Skipped rows', p.skipped.map((s) => `line ${s.line}: ${s.message}`), 'import-skipped'),
    h('p', null, p.applicable ? 'Applying adds the new records and updates the changed ones in the working copy (as drafts where the file says so); unchanged ones are left alone.' : 'Nothing to apply.'),
    h('p', null, apply),
  ]);
}

/** @param {LexiconContext} ctx @param {() => Promise<unknown>} applied runs after an import was applied (the lists reload) */
export function importForm(ctx, applied) {
  const preview = h('div', { id: 'import-preview', 'aria-live': 'polite' });
  const alert = alertBox('import-error');
  const form = h('form', { id: 'import-form', class: 'panel', 'aria-labelledby': 'import-title' },
    h('h2', { id: 'import-title' }, 'Import a file'),
    h('p', null, 'The file is checked first and nothing is written until you apply the preview.'),
    h('div', { class: 'grid' },
      h('div', null, h('label', { for: 'import-file' }, 'File'), h('input', { id: 'import-file', type: 'file', accept: '.json,.csv,.tsv,.txt', required: true })),
      selectField('import-format', 'Format', ctx.meta.lexicon.importFormats.map((f) => /** @type {const} */ ([f, FORMAT_LABELS[f] ?? f])), 'json', { name: 'format' }),
      textField('import-lang', 'Language of the file (HurtLex: required)', '', { name: 'lang' }),
      textField('import-prefix', 'Id prefix (optional)', '', { name: 'idPrefix' })),
    h('p', null, h('button', { type: 'submit', id: 'import-preview-button' }, 'Preview')), preview, alert);
  const value = (/** @type {string} */ id) => /** @type {HTMLInputElement | HTMLSelectElement} */ (form.querySelector(`#${id}`)).value.trim();
  onSubmit(form, async () => {
    const chosen = /** @type {HTMLInputElement} */ (form.querySelector('#import-file')).files?.[0];
    if (!chosen) return;
    const query = new URLSearchParams({ format: value('import-format') });
    for (const [id, key] of QUERY_FIELDS) if (value(id)) query.set(key, value(id));
    preview.replaceChildren(h('p', null, `Checking ${chosen.name}…`));
    const file = { name: chosen.name, text: await chosen.text(), query };
    try {
      showPreview(preview, file, /** @type {ImportPreview} */ (await postText(`/api/lexicon/import/preview?${query}`, file.text)), applied);
    } catch (error) {
      preview.replaceChildren();
      throw error;
    }
  }, { alert });
  return form;
}
