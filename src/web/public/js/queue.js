/* global document, window, fetch, setTimeout, clearTimeout */
import { ApiError, csrf, get, post } from './api.js';
import { append, h, markedText, render, say } from './dom.js';
import { CATEGORIES as ALL_CATEGORIES } from './categories.js';

/** Categories on the number keys 1–9 (a "modify" to that category); the full list is in the menu. */
export const KEY_CATEGORIES = ['DH.ANIMAL', 'DH.DISEASE', 'DH.DEMON', 'VI.ERAD', 'VI.THREAT', 'VI.GLOR', 'NE.SLUR', 'HE.DESTROY', 'DE.ATROC'];
/** A decision waits this long before it is sent, so `u` can take it back. Sent reviews are evidence and stay. */
const UNDO_MS = 3000;

const KEYS = [
  ['j', 'next flag (skips the current one)'], ['k', 'previous flag (read-only)'], ['c', 'confirm'], ['x', 'reject'], ['e', 'escalate'],
  ['1–9', 'confirm with another category'], ['n', 'write a note'], ['t', 'add a translation'], ['u', 'undo the decision not yet sent'], ['Enter', 'send the pending decision now'], ['Esc', 'leave a text field'],
];
const VERB = { confirm: 'Confirm', reject: 'Reject', escalate: 'Escalate', modify: 'Confirm as' };

/**
 * The review queue, one flag at a time, keyboard first. Blind: for a first or second review the
 * screen shows no earlier decision (the API sends none); only an adjudication shows the dispute.
 */
export async function queueScreen() {
  const state = { current: null, pending: null, timer: null, history: [], back: 0, busy: false, loading: false };
  const card = h('section', { id: 'flag-card', 'aria-live': 'polite', 'aria-label': 'Current flag' });
  const pendingBox = h('div', { id: 'pending', role: 'status' });
  const note = h('textarea', { id: 'note', rows: 3, 'aria-describedby': 'note-help' });
  const catSelect = h('select', { id: 'category-select' }, h('option', { value: '' }, 'another category…'), ALL_CATEGORIES.map((c) => h('option', { value: c }, c)));
  const tText = h('textarea', { id: 't-text', rows: 3 });
  const tLang = h('input', { id: 't-lang', type: 'text', value: 'en' });
  const tWho = h('input', { id: 't-who', type: 'text' });
  const tForm = h('form', { id: 'translation-form', hidden: true, class: 'panel', onsubmit: async (e) => {
    e.preventDefault();
    if (!state.current) return;
    try {
      await post(`/api/flags/${state.current.flag.id}/translations`, { text: tText.value, language: tLang.value.trim(), translator: tWho.value.trim() });
      say('Translation saved.', 'ok');
      tText.value = '';
      tForm.hidden = true;
    } catch (error) {
      say(error instanceof ApiError ? error.describe() : String(error), 'error');
    }
  } },
  h('h2', null, 'Translation'), h('label', { for: 't-text' }, 'Text'), tText, h('label', { for: 't-lang' }, 'Language (BCP 47)'), tLang, h('label', { for: 't-who' }, 'Translator'), tWho, h('p', null, h('button', { type: 'submit' }, 'Save translation')));

  const buttons = h('div', { class: 'pager', id: 'actions' },
    h('button', { type: 'button', onclick: () => decide('confirm') }, h('kbd', null, 'c'), ' Confirm'),
    h('button', { type: 'button', onclick: () => decide('reject') }, h('kbd', null, 'x'), ' Reject'),
    h('button', { type: 'button', onclick: () => decide('escalate') }, h('kbd', null, 'e'), ' Escalate'),
    h('label', { for: 'category-select', class: 'visually-inline' }, 'Category'), catSelect,
    h('button', { type: 'button', class: 'secondary', onclick: () => skip() }, h('kbd', null, 'j'), ' Skip'),
  );
  catSelect.addEventListener('change', () => catSelect.value && decide('modify', catSelect.value));

  const legend = h('aside', { class: 'keys panel', 'aria-label': 'Keyboard shortcuts' }, h('h2', null, 'Keys'), h('dl', null, KEYS.map(([k, what]) => [h('dt', null, h('kbd', null, k)), h('dd', null, what)])),
    h('h3', null, 'Categories'), h('dl', { id: 'category-keys' }, KEY_CATEGORIES.map((c, i) => [h('dt', null, h('kbd', null, String(i + 1))), h('dd', null, c)])));

  render(
    h('h1', null, 'Review queue'),
    h('div', { class: 'queue' },
      h('div', null, card, pendingBox, buttons, h('label', { for: 'note', id: 'note-help' }, 'Note (sent with the decision; n to write, Esc to leave)'), note, tForm),
      legend),
  );

  function renderFlag(item, readOnly) {
    const { flag, context, document: doc } = item;
    const signals = flag.signals ?? {};
    const chips = ['quoted', 'negated', 'condemned', 'fuzzy'].map((s) => h('li', { class: signals[s] ? 'chip on' : 'chip' }, `${s}: ${signals[s] ? 'yes' : 'no'}`));
    chips.push(h('li', { class: flag.source === 'ocr' || item.pageMethod === 'ocr' ? 'chip on' : 'chip' }, `OCR: ${flag.source === 'ocr' || item.pageMethod === 'ocr' ? 'yes' : 'no'}`));
    const contextView = context
      ? h('div', { class: 'pagetext', lang: flag.lang || undefined, id: 'context' }, context.offset > 0 ? '…' : '', markedText(context.text, [{ start: context.start, end: context.end, id: flag.id, label: flag.category }], flag.id), '…')
      : h('p', { class: 'muted' }, 'No page text.');
    card.dataset.flag = flag.id;
    card.replaceChildren();
    append(card, [
      readOnly ? h('p', { class: 'pending' }, `Earlier in this session you decided: ${readOnly}. Read-only — press j to go forward.`) : null,
      item.stage === 'adjudication' ? h('p', { class: 'pending' }, 'Adjudication: the independent reviews disagreed. Their decisions are shown below.') : null,
      h('p', null, doc ? [h('a', { href: `/documents/${doc.id}?page=${flag.page}#flag-${flag.id}`, lang: flag.lang || undefined }, doc.title), ` · ${doc.kind}`] : null, ` · page ${flag.pageNumber}${flag.pageLabel ? ` (printed “${flag.pageLabel}”)` : ''}`),
      h('p', null, h('strong', null, flag.category), ` · severity ${flag.severity} · priority ${flag.priority} · language ${flag.lang ?? '?'}`),
      h('h2', null, 'Sentence'),
      h('p', { class: 'sentence', id: 'sentence', lang: flag.lang || undefined }, markedText(flag.sentence ?? '', sentenceSpan(flag), flag.id)),
      h('h2', null, 'Context'),
      contextView,
      h('h2', null, 'Signals'),
      h('ul', { class: 'chips', id: 'signals' }, chips),
      h('h2', null, 'Matched entries'),
      h('ul', { id: 'matches' }, (flag.matches ?? []).map((m) => h('li', null, h('code', null, m.entryId ?? ''), ` v${m.entryVersion ?? '?'} · ${m.category ?? ''} · severity ${m.severity ?? '?'} · term “${m.term ?? ''}” matched “${m.exact ?? ''}”${m.fuzzy ? ' (fuzzy)' : ''}`))),
      (flag.targets ?? []).length ? [h('h2', null, 'Target mentions'), h('ul', null, flag.targets.map((t) => h('li', null, `${t.groupId}: “${t.exact}”`)))] : null,
      item.reviews && item.reviews.length ? [h('h2', null, 'Disputing reviews'), h('ul', { id: 'dispute' }, item.reviews.map((r) => h('li', null, `round ${r.round}: ${r.decision}${r.modification ? ` → ${JSON.stringify(r.modification)}` : ''}${r.note ? ` — “${r.note}”` : ''}`)))] : null,
    ]);
  }

  function sentenceSpan(flag) {
    if (typeof flag.sentenceStart !== 'number') {
      const at = (flag.sentence ?? '').indexOf(flag.exact);
      return at >= 0 ? [{ start: at, end: at + flag.exact.length, label: flag.category }] : [];
    }
    return [{ start: flag.start - flag.sentenceStart, end: flag.end - flag.sentenceStart, label: flag.category }];
  }

  async function loadNext() {
    state.back = 0;
    state.current = null;
    card.replaceChildren(h('p', null, 'Loading the next flag…'));
    delete card.dataset.flag;
    // Keys wait while the next flag loads, so nothing acts on a flag that is being replaced.
    state.loading = true;
    let next;
    try {
      next = await get('/api/review/next');
    } finally {
      state.loading = false;
    }
    if (!next.flag) {
      card.replaceChildren(h('p', { id: 'queue-empty' }, 'Nothing left for you to review.'));
      return;
    }
    state.current = next;
    note.value = '';
    catSelect.value = '';
    renderFlag(next, null);
  }

  async function skip() {
    if (state.pending || state.loading || (state.busy && state.back === 0)) return;
    if (state.back > 0) {
      state.back -= 1;
      if (state.back === 0) return state.current ? renderFlag(state.current, null) : loadNext();
      const item = state.history[state.history.length - state.back];
      return renderFlag(item, item.decided);
    }
    if (!state.current) return loadNext();
    state.busy = true;
    try {
      await post(`/api/review/${state.current.flag.id}/skip`);
      say('Skipped.');
      await loadNext();
    } finally {
      state.busy = false;
    }
  }

  function previous() {
    if (state.pending || state.loading || state.back >= state.history.length) return;
    state.back += 1;
    const item = state.history[state.history.length - state.back];
    renderFlag(item, item.decided);
  }

  function decide(decision, category) {
    if (!state.current || state.pending || state.busy || state.loading || state.back > 0) return;
    const body = { decision };
    if (category) body.modification = { category };
    if (note.value.trim()) body.note = note.value.trim();
    const label = `${VERB[decision]}${category ? ` ${category}` : ''}`;
    state.pending = { body, label };
    pendingBox.replaceChildren(h('p', { class: 'pending', id: 'pending-decision', dataset: { decision } }, `${label} — sending in ${UNDO_MS / 1000} s. Press `, h('kbd', null, 'u'), ' to undo, ', h('kbd', null, 'Enter'), ' to send now.'));
    state.timer = setTimeout(commit, UNDO_MS);
  }

  function undo() {
    if (!state.pending) {
      say('Nothing to undo: decisions already sent are part of the record (an admin or reviewer can reopen a flag).');
      return;
    }
    clearTimeout(state.timer);
    say(`Undone: ${state.pending.label}.`);
    state.pending = null;
    pendingBox.replaceChildren();
  }

  async function commit() {
    clearTimeout(state.timer);
    const pending = state.pending;
    if (!pending || !state.current) return;
    state.busy = true;
    try {
      await post(`/api/flags/${state.current.flag.id}/reviews`, pending.body);
      state.history.push({ ...state.current, decided: pending.label });
      say(`${pending.label}: sent.`, 'ok');
      state.pending = null;
      pendingBox.replaceChildren();
      await loadNext();
    } catch (error) {
      state.pending = null;
      pendingBox.replaceChildren(h('p', { class: 'error', role: 'alert' }, error instanceof ApiError ? error.describe() : String(error)));
    } finally {
      state.busy = false;
    }
  }

  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const typing = e.target instanceof window.HTMLElement && (e.target.matches('input, textarea, select') || e.target.isContentEditable);
    if (typing) {
      if (e.key === 'Escape') e.target.blur();
      return;
    }
    const key = e.key;
    const act = {
      j: () => skip(),
      k: () => previous(),
      c: () => decide('confirm'),
      x: () => decide('reject'),
      e: () => decide('escalate'),
      u: () => undo(),
      n: () => note.focus(),
      t: () => {
        tForm.hidden = !tForm.hidden;
        if (!tForm.hidden) tText.focus();
      },
      Enter: () => state.pending && commit(),
    }[key];
    if (act) {
      e.preventDefault();
      Promise.resolve(act()).catch((error) => say(error instanceof ApiError ? error.describe() : String(error), 'error'));
      return;
    }
    if (/^[1-9]$/.test(key)) {
      e.preventDefault();
      decide('modify', KEY_CATEGORIES[Number(key) - 1]);
    }
  });

  // Leaving the screen gives the held flag back to the queue at once (else its lease expires).
  window.addEventListener('pagehide', () => {
    if (state.current && !state.pending) fetch(`/api/review/${state.current.flag.id}/release`, { method: 'POST', keepalive: true, headers: { 'X-CSRF-Token': csrf() ?? '' } });
  });

  await loadNext();
}
