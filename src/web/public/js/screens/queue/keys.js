// @ts-check
/* global document, window */
/** The keyboard of the review queue: what each key does, its legend, and the listener. */
import { h } from '../../lib/dom.js';
import { categoryName } from '../../lib/meta.js';

/** @typedef {import('../../../../api-types').Meta} Meta */
/** @typedef {import('../../../../api-types').CategoryCode} CategoryCode */

/**
 * The categories on the number keys 1–9 (a "modify" to that category): a choice of the most used
 * of each family for speed, not the list of categories (that comes from the server, in the menu).
 * @type {readonly CategoryCode[]}
 */
const NUMBER_KEY_CATEGORIES = ['DH.ANIMAL', 'DH.DISEASE', 'DH.DEMON', 'VI.ERAD', 'VI.THREAT', 'VI.GLOR', 'NE.SLUR', 'HE.DESTROY', 'DE.ATROC'];

const KEYS = [
  ['j', 'next flag (skips the current one)'], ['k', 'previous flag (read-only)'], ['c', 'confirm'], ['x', 'reject'], ['e', 'escalate'],
  ['1–9', 'confirm with another category'], ['n', 'write a note'], ['t', 'add a translation'], ['u', 'undo the decision not yet sent'], ['Enter', 'send the pending decision now'], ['Esc', 'leave a text field'],
];

/** The number-key categories this server knows, in key order: a code it no longer has is never sent. @param {Meta} meta */
export function numberKeyCategories(meta) {
  const known = new Set(meta.categories.map((c) => c.code));
  return NUMBER_KEY_CATEGORIES.filter((code) => known.has(code));
}

/** @param {Meta} meta @param {readonly CategoryCode[]} numbered */
export function keyLegend(meta, numbered) {
  return h('aside', { class: 'keys panel', 'aria-label': 'Keyboard shortcuts' }, h('h2', null, 'Keys'),
    h('dl', null, KEYS.map(([k, what]) => [h('dt', null, h('kbd', null, k)), h('dd', null, what)])),
    h('h3', null, 'Categories'),
    h('dl', { id: 'category-keys' }, numbered.map((c, i) => [h('dt', null, h('kbd', null, String(i + 1))), h('dd', { title: categoryName(meta, c) }, c)])));
}

/**
 * @typedef {object} KeyActions
 * @property {() => unknown} next j
 * @property {() => unknown} previous k
 * @property {(decision: string, category?: CategoryCode) => unknown} decide c, x, e, and 1–9 with a category
 * @property {() => unknown} undo u
 * @property {() => unknown} note n
 * @property {() => unknown} translation t
 * @property {() => unknown} send Enter
 * @property {(error: unknown) => void} failed what a key's action threw
 */

/**
 * Keys act on the queue unless a text field has the focus (Esc leaves it).
 * @param {KeyActions} act @param {readonly CategoryCode[]} numbered
 */
export function listenToKeys(act, numbered) {
  /** @type {Map<string, () => unknown>} */
  const byKey = new Map([
    ['j', act.next], ['k', act.previous], ['c', () => act.decide('confirm')], ['x', () => act.decide('reject')], ['e', () => act.decide('escalate')],
    ['u', act.undo], ['n', act.note], ['t', act.translation], ['Enter', act.send],
  ]);
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target;
    if (target instanceof window.HTMLElement && (target.matches('input, textarea, select') || target.isContentEditable)) {
      if (e.key === 'Escape') target.blur();
      return;
    }
    const numberKey = /^[1-9]$/.test(e.key) ? numbered[Number(e.key) - 1] : undefined;
    const action = byKey.get(e.key) ?? (numberKey ? () => act.decide('modify', numberKey) : undefined);
    if (!action && !/^[1-9]$/.test(e.key)) return;
    e.preventDefault();
    try {
      if (action) Promise.resolve(action()).catch(act.failed);
    } catch (error) {
      act.failed(error);
    }
  });
}
