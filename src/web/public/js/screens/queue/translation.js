// @ts-check
/** The translation form of the queue (t opens it): a translation of the flag in hand. */
import { post } from '../../lib/api.js';
import { h, say } from '../../lib/dom.js';
import { alertBox, onSubmit } from '../../lib/forms.js';

/** @typedef {import('./session.js').ReviewSession} ReviewSession */

/** @param {ReviewSession} session */
export function translationForm(session) {
  const text = h('textarea', { id: 't-text', name: 'text', rows: 3 });
  const language = h('input', { id: 't-lang', name: 'language', type: 'text', value: 'en' });
  const translator = h('input', { id: 't-who', name: 'translator', type: 'text' });
  const alert = alertBox('t-error');
  const form = h('form', { id: 'translation-form', hidden: true, class: 'panel' },
    h('h2', null, 'Translation'), h('label', { for: 't-text' }, 'Text'), text, h('label', { for: 't-lang' }, 'Language (BCP 47)'), language,
    h('label', { for: 't-who' }, 'Translator'), translator, h('p', null, h('button', { type: 'submit' }, 'Save translation')), alert);
  onSubmit(form, async () => {
    if (!session.current) return;
    await post(`/api/flags/${session.current.flag.id}/translations`, { text: text.value, language: language.value.trim(), translator: translator.value.trim() });
    say('Translation saved.', 'ok');
    text.value = '';
    form.hidden = true;
  }, { alert });
  /** t: show or hide the form; shown, its text has the focus. */
  const toggle = () => {
    form.hidden = !form.hidden;
    if (!form.hidden) text.focus();
  };
  return { form, toggle };
}
