// @ts-check
/* global HTMLButtonElement */
/**
 * One flag (/flags/:id): its passage, category, severity and state, and its translations. Analysts
 * and reviewers add a translation whatever the flag's state; another person checks it (approve,
 * or send it back with a note): the server refuses the author's own check. The dossier prints
 * the approved one. Reviews stay behind the blind rounds (this screen reads none).
 */
import { get, post } from '../lib/api.js';
import { fieldTable, fmtDate, h, render, say } from '../lib/dom.js';
import { alertBox, onSubmit, textareaField, textField } from '../lib/forms.js';
import { categoryName, loadMeta } from '../lib/meta.js';

/** @typedef {import('../../../api-types').FlagView} FlagView */
/** @typedef {import('../../../api-types').TranslationView} TranslationView */
/** @typedef {import('../../../api-types').User} User */

/** @param {User} user */
const mayTranslate = (user) => user.roles.some((r) => r === 'analyst' || r === 'reviewer');

/** What became of a translation, in words. @param {TranslationView} t @param {User} me */
function checkState(t, me) {
  if (!t.check) return t.createdBy === me.id ? 'awaiting a check by another person' : 'awaiting a check';
  const by = t.check.by === me.id ? 'you' : 'another person';
  return t.check.verdict === 'approved'
    ? `approved by ${by} on ${fmtDate(t.check.at)}`
    : `sent back by ${by} on ${fmtDate(t.check.at)}: needs changes${t.check.note ? ` (${t.check.note})` : ''}`;
}

/**
 * The check of someone else's unchecked translation: a note, Approve, Needs changes.
 * @param {string} flagId @param {TranslationView} t @param {() => Promise<void>} reload
 */
function checkForm(flagId, t, reload) {
  const noteId = `check-note-${t.id}`;
  const alert = alertBox(`check-error-${t.id}`);
  const form = h('form', { class: 'check-form', 'aria-label': `Check the translation into ${t.language}` },
    textareaField(noteId, 'Note for the translator (optional)', '', { name: 'note', rows: 2 }),
    h('p', { class: 'actions' },
      h('button', { type: 'submit', value: 'approved' }, 'Approve'), ' ',
      h('button', { type: 'submit', value: 'needs_changes', class: 'secondary' }, 'Needs changes')),
    alert);
  /** @type {string} */
  let verdict = 'approved';
  form.addEventListener('click', (event) => {
    if (event.target instanceof HTMLButtonElement && event.target.value) verdict = event.target.value;
  });
  onSubmit(form, async () => {
    const note = /** @type {HTMLTextAreaElement} */ (form.elements.namedItem('note')).value.trim();
    await post(`/api/flags/${flagId}/translations/${t.id}/check`, { verdict, ...(note ? { note } : {}) });
    say(verdict === 'approved' ? 'The translation is approved.' : 'The translation is sent back for changes.', 'ok');
    await reload();
  }, { alert });
  return form;
}

/** @param {{ user: User, params: string[] }} screen */
export async function flagScreen({ user, params }) {
  const id = params[0] ?? '';
  const [meta, { flag }] = await Promise.all([loadMeta(), /** @type {Promise<{ flag: FlagView }>} */ (get(`/api/flags/${id}`))]);
  const list = h('div', { id: 'translations' });

  const reload = async () => {
    const { items } = /** @type {{ items: TranslationView[] }} */ (await get(`/api/flags/${id}/translations`));
    list.replaceChildren(items.length === 0
      ? h('p', null, 'No translation yet.')
      : h('ol', { class: 'translations' }, items.map((t) => h('li', { class: 'panel', dataset: { translation: t.id, state: t.check?.verdict ?? 'unchecked' } },
        h('p', { lang: t.language, class: 'sentence' }, t.text),
        h('p', { class: 'muted' }, `${t.language} · translated by ${t.translator} · entered ${t.createdBy === user.id ? 'by you ' : ''}on ${fmtDate(t.createdAt)}`),
        h('p', { class: t.check?.verdict === 'approved' ? 'ok' : t.check ? 'error' : '' }, checkState(t, user)),
        !t.check && t.createdBy !== user.id && mayTranslate(user) ? checkForm(id, t, reload) : null))));
  };

  const sentence = flag.sentence || flag.exact;
  const at = sentence.indexOf(flag.exact);
  const passage = at >= 0 ? [sentence.slice(0, at), h('mark', null, flag.exact), sentence.slice(at + flag.exact.length)] : [h('mark', null, flag.exact)];

  /** @type {HTMLFormElement | null} */
  let addForm = null;
  if (mayTranslate(user)) {
    const alert = alertBox('translation-error');
    const form = h('form', { id: 'translation-form', class: 'panel' },
      h('h3', null, 'Add a translation'),
      textareaField('text', 'Translation of the passage', ''),
      h('div', { class: 'grid' },
        textField('language', 'Language (BCP 47, such as en)', 'en', { autocomplete: 'off' }),
        textField('translator', 'Translator', user.username, { autocomplete: 'off' })),
      h('p', null, h('button', { type: 'submit' }, 'Save the translation')),
      alert);
    const value = (/** @type {string} */ name) => /** @type {HTMLInputElement | HTMLTextAreaElement} */ (form.elements.namedItem(name)).value.trim();
    onSubmit(form, async () => {
      await post(`/api/flags/${id}/translations`, { text: value('text'), language: value('language'), translator: value('translator') });
      /** @type {HTMLTextAreaElement} */ (form.elements.namedItem('text')).value = '';
      say('The translation is saved; another person checks it.', 'ok');
      await reload();
    }, { alert });
    addForm = form;
  }

  await reload();
  render(
    h('h1', null, `Flag ${flag.category} on page ${flag.pageLabel ?? flag.pageNumber}`),
    h('p', { lang: flag.lang ?? undefined, class: 'sentence' }, passage),
    fieldTable('flag-fields', [
      ['Document', h('a', { href: `/documents/${flag.document}?page=${flag.page}&view=text#flag-${flag.id}` }, 'Open the page')],
      ['Category', `${flag.category} · ${categoryName(meta, flag.category)}`],
      ['Severity', String(flag.severity)],
      ['Status', flag.status],
      ['Language', flag.lang ?? '—'],
      ['Target groups', [...new Set(flag.targets.map((t) => t.groupId))].join(', ') || '—'],
    ]),
    h('section', { 'aria-labelledby': 'translations-title' },
      h('h2', { id: 'translations-title' }, 'Translations'),
      h('p', { class: 'muted' }, 'A translation counts once a second person has approved it; the dossier prints the approved one. The original text, not the translation, is the evidence.'),
      list, addForm));
}
