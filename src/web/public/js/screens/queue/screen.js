// @ts-check
/* global window, fetch */
/**
 * The review queue, one flag at a time, keyboard first. Blind: for a first or second review the
 * screen shows no earlier decision (the API sends none); only an adjudication shows the dispute.
 */
import { csrf } from '../../lib/api.js';
import { h, render, say } from '../../lib/dom.js';
import { describe, selectOptions } from '../../lib/forms.js';
import { categoryOptions, loadMeta } from '../../lib/meta.js';
import { keyLegend, listenToKeys, numberKeyCategories } from './keys.js';
import { ReviewSession } from './session.js';
import { translationForm } from './translation.js';

/** @typedef {import('../../../../api-types').Meta} Meta */

/** The decision buttons and the menu of every category (a "modify" to it). @param {Meta} meta @param {() => ReviewSession} session */
function actions(meta, session) {
  const category = h('select', { id: 'category-select' }, h('option', { value: '' }, 'another category…'), selectOptions(categoryOptions(meta), ''));
  category.addEventListener('change', () => category.value && session().decide('modify', category.value));
  const bar = h('div', { class: 'pager', id: 'actions' },
    h('button', { type: 'button', onclick: () => session().decide('confirm') }, h('kbd', null, 'c'), ' Confirm'),
    h('button', { type: 'button', onclick: () => session().decide('reject') }, h('kbd', null, 'x'), ' Reject'),
    h('button', { type: 'button', onclick: () => session().decide('escalate') }, h('kbd', null, 'e'), ' Escalate'),
    h('label', { for: 'category-select', class: 'visually-inline' }, 'Category'), category,
    h('button', { type: 'button', class: 'secondary', onclick: () => session().skip().catch((error) => say(describe(error), 'error')) }, h('kbd', null, 'j'), ' Skip'));
  return { bar, category };
}

export async function queueScreen() {
  const meta = await loadMeta();
  const card = h('section', { id: 'flag-card', 'aria-live': 'polite', 'aria-label': 'Current flag' });
  const pendingBox = h('div', { id: 'pending', role: 'status' });
  const note = h('textarea', { id: 'note', rows: 3, 'aria-describedby': 'note-help' });
  const { bar, category } = actions(meta, () => session);
  const session = new ReviewSession(meta, { card, pendingBox, note, category });
  const translation = translationForm(session);
  const numbered = numberKeyCategories(meta);

  render(
    h('h1', null, 'Review queue'),
    h('div', { class: 'queue' },
      h('div', null, card, pendingBox, bar, h('label', { for: 'note', id: 'note-help' }, 'Note (sent with the decision; n to write, Esc to leave)'), note, translation.form),
      keyLegend(meta, numbered)),
  );
  listenToKeys({
    next: () => session.skip(), previous: () => session.previous(), decide: (d, c) => session.decide(d, c), undo: () => session.undo(),
    note: () => note.focus(), translation: translation.toggle, send: () => session.pending && session.commit(),
    failed: (error) => say(describe(error), 'error'),
  }, numbered);

  // Leaving the screen gives the held flag back to the queue at once (else its lease expires).
  window.addEventListener('pagehide', () => {
    if (session.current && !session.pending) fetch(`/api/review/${session.current.flag.id}/release`, { method: 'POST', keepalive: true, headers: { 'X-CSRF-Token': csrf() ?? '' } });
  });

  await session.loadNext();
}
