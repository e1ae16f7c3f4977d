// @ts-check
/* global HTMLElement */
/**
 * The form that creates or edits a target group (admins). Its terms are sets of one language
 * and one kind each (name, demonym, toponym, heritage site), added and removed in the form.
 * The API's validation errors are shown under the field they name and in the form's alert.
 */
import { api, post } from '../../lib/api.js';
import { h, say } from '../../lib/dom.js';
import { alertBox, checkField, describe, namedControl, onSubmit, textField } from '../../lib/forms.js';

/** @typedef {import('./context.js').LexiconContext} LexiconContext */
/** @typedef {import('./context.js').DetailPanel} DetailPanel */
/** @typedef {import('../../../../api-types').TargetGroup} TargetGroup */
/** @typedef {import('../../../../api-types').TargetKind} TargetKind */
/** @typedef {TargetGroup['terms'][number]} TermSet */

/** @type {Readonly<Record<TargetKind, string>>} */
const KIND_LABELS = { name: 'name', demonym: 'demonym', toponym: 'toponym (place)', heritage: 'heritage site' };

/** One term set's fields, named by their API paths (terms.<i>.lang …). @param {LexiconContext} ctx @param {TermSet} s @param {number} i */
function termSet(ctx, s, i) {
  const id = `tf-set-${i}`;
  return h('fieldset', { class: 'term-set', dataset: { index: String(i) } },
    h('legend', null, `Term set ${i + 1}`),
    h('div', { class: 'grid' },
      textField(`${id}-lang`, 'Language (BCP 47, e.g. en, ru, sr-Latn)', s.lang, { name: `terms.${i}.lang`, required: true }),
      h('div', null, h('label', { for: `${id}-kind` }, 'Kind'),
        h('select', { id: `${id}-kind`, name: `terms.${i}.kind` }, ctx.meta.lexicon.targetKinds.map((k) => h('option', { value: k, selected: k === s.kind }, KIND_LABELS[k] ?? k))))),
    h('div', null, h('label', { for: `${id}-terms` }, 'Terms, one per line'),
      h('textarea', { id: `${id}-terms`, name: `terms.${i}.terms`, rows: 3, required: true, 'aria-describedby': 'tf-sets-help' }, s.terms.join('\n'))),
    h('p', null, h('button', { type: 'button', class: 'secondary', dataset: { remove: String(i) } }, `Remove term set ${i + 1}`)));
}

/** The term sets as the form shows them; fields it does not show (kept by the API's loose schema) survive. @param {HTMLElement} sets @param {TermSet[]} before */
function readSets(sets, before) {
  const value = (/** @type {HTMLElement} */ fs, /** @type {string} */ id) => /** @type {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} */ (fs.querySelector(`#${id}`)).value;
  return [...sets.querySelectorAll('fieldset.term-set')].map((fs, i) => /** @type {TermSet} */ ({
    ...(before[i] ?? {}),
    lang: value(/** @type {HTMLElement} */ (fs), `tf-set-${i}-lang`).trim(),
    kind: value(/** @type {HTMLElement} */ (fs), `tf-set-${i}-kind`),
    terms: value(/** @type {HTMLElement} */ (fs), `tf-set-${i}-terms`).split('\n').map((x) => x.trim()).filter(Boolean),
  }));
}

/**
 * The term-set list with its add and remove buttons. Focus stays in the list: after a removal,
 * on the set that moved up, the one before, or the add button.
 * @param {LexiconContext} ctx @param {TermSet[]} initial
 */
function termSetList(ctx, initial) {
  let before = initial;
  const sets = h('div', { id: 'tf-sets' });
  const addSet = h('button', { type: 'button', class: 'secondary', id: 'tf-add-set' }, 'Add a term set');
  const show = (/** @type {TermSet[]} */ list) => sets.replaceChildren(...list.map((s, i) => termSet(ctx, s, i)));
  const focusLang = (/** @type {number} */ i) => /** @type {HTMLElement} */ (sets.querySelector(`#tf-set-${i}-lang`) ?? addSet).focus();
  show(initial);
  addSet.addEventListener('click', () => {
    const list = readSets(sets, before);
    list.push({ lang: '', kind: 'name', terms: [] });
    show(list);
    focusLang(list.length - 1);
  });
  sets.addEventListener('click', (event) => {
    const button = event.target instanceof HTMLElement ? event.target.closest('button[data-remove]') : null;
    if (!(button instanceof HTMLElement)) return;
    const i = Number(button.dataset.remove);
    const list = readSets(sets, before);
    list.splice(i, 1);
    before = before.filter((_, j) => j !== i);
    show(list);
    focusLang(Math.min(i, list.length - 1));
  });
  return { sets, addSet, read: () => readSets(sets, before) };
}

/**
 * Opens the form in the panel's detail area; `t` null creates a group.
 * @param {LexiconContext} ctx @param {DetailPanel} panel @param {TargetGroup | null} t
 */
export function editTarget(ctx, panel, t) {
  const terms = termSetList(ctx, t ? t.terms : [{ lang: ctx.active.languages[0] ?? 'en', kind: 'name', terms: [] }]);
  const alert = alertBox('target-error');
  const cancel = () => (t ? panel.show(t.id).catch((error) => say(describe(error), 'error')) : panel.detail.replaceChildren());
  const form = h('form', { id: 'target-form', class: 'panel', 'aria-labelledby': 'target-form-title', novalidate: true },
    h('h3', { id: 'target-form-title' }, t ? `Edit target group ${t.id}` : 'New target group'),
    h('div', { class: 'grid' },
      t ? null : textField('tf-id', 'Id (letters, digits, . _ -)', '', { name: 'id', required: true }),
      textField('tf-name', 'Name (neutral; never a slur)', t?.name ?? '', { name: 'name', required: true })),
    checkField('tf-fictional', 'Invented group (fixtures and examples only)', t?.fictional, { name: 'fictional' }),
    h('p', { class: 'muted', id: 'tf-sets-help' }, 'One set per language (or script) and kind; terms one per line, * = any ending.'),
    terms.sets,
    h('p', null, terms.addSet),
    h('p', { class: 'pager' }, h('button', { type: 'submit', id: 'target-save' }, t ? 'Save changes' : 'Create target group'),
      h('button', { type: 'button', class: 'secondary', id: 'target-cancel', onclick: cancel }, 'Cancel')),
    alert);
  /** "terms.<i>" names a whole set (its terms box); "terms" alone the list. @param {string} field */
  const controlFor = (field) => {
    const set = /^terms\.(\d+)/.exec(field);
    const fallback = set ? form.querySelector(`#tf-set-${set[1]}-terms`) : field === 'terms' ? form.querySelector('#tf-set-0-lang') ?? terms.addSet : null;
    return namedControl(form, field) ?? /** @type {HTMLElement | null} */ (fallback);
  };
  onSubmit(form, async () => {
    const fictional = /** @type {HTMLInputElement} */ (form.querySelector('#tf-fictional')).checked;
    const body = {
      name: /** @type {HTMLInputElement} */ (form.querySelector('#tf-name')).value.trim(),
      terms: terms.read(),
      // A box left unticked keeps "unset" if the group never had the setting.
      ...(fictional || t?.fictional !== undefined ? { fictional } : {}),
    };
    const saved = /** @type {TargetGroup} */ (t
      ? await api('PATCH', `/api/lexicon/targets/${encodeURIComponent(t.id)}`, body)
      : await post('/api/lexicon/targets', { id: /** @type {HTMLInputElement} */ (form.querySelector('#tf-id')).value.trim(), ...body }));
    say(`${t ? 'Saved' : 'Created'} target group ${saved.id} in the working copy; publish a version for it to take effect.`, 'ok');
    await panel.reload();
    await panel.show(saved.id);
  }, { alert, controlFor });
  panel.detail.replaceChildren(form);
  form.querySelector('input')?.focus();
}
