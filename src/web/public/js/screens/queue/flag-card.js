// @ts-check
/** The flag under review, as the queue shows it: where it is, the sentence, context, signals, entries. */
import { append, h, markedText } from '../../lib/dom.js';
import { categoryName } from '../../lib/meta.js';

/** @typedef {import('../../../../api-types').Meta} Meta */
/** @typedef {import('../../../../api-types').ReviewItem} ReviewItem */
/** @typedef {import('../../../../api-types').FlagView} FlagView */

/** The flag's span in its sentence (the first occurrence of its text there). @param {FlagView} flag */
function sentenceSpan(flag) {
  const at = (flag.sentence ?? '').indexOf(flag.exact);
  return at >= 0 ? [{ start: at, end: at + flag.exact.length, label: flag.category }] : [];
}

/** One chip per signal the server defines, and whether the page was read by OCR. @param {Meta} meta @param {FlagView} flag */
function chips(meta, flag) {
  const chip = (/** @type {string} */ name, /** @type {boolean} */ on) => h('li', { class: on ? 'chip on' : 'chip' }, `${name}: ${on ? 'yes' : 'no'}`);
  return [...meta.signals.map((s) => chip(s.name, Boolean(flag.signals?.[s.name]))), chip('OCR', flag.source?.method === 'ocr')];
}

/** @param {ReviewItem} item */
function contextView(item) {
  const { flag, context } = item;
  if (!context) return h('p', { class: 'muted' }, 'No page text.');
  return h('div', { class: 'pagetext', lang: flag.lang || undefined, id: 'context' },
    context.offset > 0 ? '…' : '', markedText(context.text, [{ start: context.start, end: context.end, id: flag.id, label: flag.category }], flag.id), '…');
}

/** @param {ReviewItem} item */
function whereItIs(item) {
  const { flag, document: doc } = item;
  return h('p', null,
    doc ? [h('a', { href: `/documents/${doc.id}?page=${flag.page}#flag-${flag.id}`, lang: flag.lang || undefined }, doc.title), ` · ${doc.kind}`] : null,
    ` · page ${flag.pageNumber}${flag.pageLabel ? ` (printed “${flag.pageLabel}”)` : ''}`);
}

/** @param {FlagView} flag */
const matchedEntries = (flag) => h('ul', { id: 'matches' }, (flag.matches ?? []).map((m) =>
  h('li', null, h('code', null, m.entryId ?? ''), ` v${m.entryVersion ?? '?'} · ${m.category ?? ''} · severity ${m.severity ?? '?'} · term “${m.term ?? ''}” matched “${m.exact ?? ''}”${m.fuzzy ? ' (fuzzy)' : ''}`)));

/**
 * Draws `item` in the card. `readOnly` is the decision already sent for it (going back with k).
 * @param {HTMLElement} card @param {Meta} meta @param {ReviewItem} item @param {string | null} readOnly
 */
export function renderFlag(card, meta, item, readOnly) {
  const { flag } = item;
  card.dataset.flag = flag.id;
  card.replaceChildren();
  append(card, [
    readOnly ? h('p', { class: 'pending' }, `Earlier in this session you decided: ${readOnly}. Read-only — press j to go forward.`) : null,
    item.stage === 'adjudication' ? h('p', { class: 'pending' }, 'Adjudication: the independent reviews disagreed. Their decisions are shown below.') : null,
    whereItIs(item),
    h('p', null, h('strong', null, flag.category), ` ${categoryName(meta, flag.category)} · severity ${flag.severity} · priority ${flag.priority} · language ${flag.lang ?? '?'}`),
    h('h2', null, 'Sentence'),
    h('p', { class: 'sentence', id: 'sentence', lang: flag.lang || undefined }, markedText(flag.sentence ?? '', sentenceSpan(flag), flag.id)),
    h('h2', null, 'Context'),
    contextView(item),
    h('h2', null, 'Signals'),
    h('ul', { class: 'chips', id: 'signals' }, chips(meta, flag)),
    h('h2', null, 'Matched entries'),
    matchedEntries(flag),
    (flag.targets ?? []).length ? [h('h2', null, 'Target mentions'), h('ul', null, flag.targets.map((t) => h('li', null, `${t.groupId}: “${t.exact}”`)))] : null,
    item.reviews?.length ? [h('h2', null, 'Disputing reviews'), h('ul', { id: 'dispute' }, item.reviews.map((r) =>
      h('li', null, `round ${r.round}: ${r.decision}${r.modification ? ` → ${JSON.stringify(r.modification)}` : ''}${r.note ? ` — “${r.note}”` : ''}`)))] : null,
  ]);
}
