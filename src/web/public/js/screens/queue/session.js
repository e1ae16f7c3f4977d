// @ts-check
/* global setTimeout, clearTimeout */
/**
 * A reviewer's session in the queue: the flag in hand, a decision waiting to be sent (so `u` can
 * take it back), and the flags decided in this session (k goes back to them, read-only).
 */
import { get, post } from '../../lib/api.js';
import { h, say } from '../../lib/dom.js';
import { describe } from '../../lib/forms.js';
import { renderFlag } from './flag-card.js';

/** @typedef {import('../../../../api-types').Meta} Meta */
/** @typedef {import('../../../../api-types').ReviewItem} ReviewItem */
/** @typedef {import('../../../../api-types').ReviewNext} ReviewNext */
/** @typedef {{ decision: string, modification?: { category: string }, note?: string }} ReviewBody */
/** @typedef {ReviewItem & { decided: string }} DecidedItem */

/** A decision waits this long before it is sent, so `u` can take it back. Sent reviews are evidence and stay. */
const UNDO_MS = 3000;
/** How a decision reads on the screen; one the server adds later shows its own name. */
const VERB = /** @type {Readonly<Record<string, string>>} */ ({ confirm: 'Confirm', reject: 'Reject', escalate: 'Escalate', modify: 'Confirm as' });

export class ReviewSession {
  /** @type {ReviewItem | null} */
  current = null;
  /** @type {{ body: ReviewBody, label: string } | null} */
  pending = null;
  /** @type {number | undefined} */
  timer = undefined;
  /** @type {DecidedItem[]} */
  history = [];
  /** How many steps back (k) from the flag in hand; 0 is the flag in hand. */
  back = 0;
  /** A request is under way: decisions wait. */
  busy = false;
  /** The next flag is loading: keys wait, so nothing acts on a flag that is being replaced. */
  loading = false;

  /**
   * @param {Meta} meta
   * @param {{ card: HTMLElement, pendingBox: HTMLElement, note: HTMLTextAreaElement, category: HTMLSelectElement }} view
   */
  constructor(meta, view) {
    this.meta = meta;
    this.view = view;
  }

  /** @param {ReviewItem} item @param {string | null} readOnly */
  show(item, readOnly) {
    renderFlag(this.view.card, this.meta, item, readOnly);
  }

  async loadNext() {
    const { card, note, category } = this.view;
    this.back = 0;
    this.current = null;
    card.replaceChildren(h('p', null, 'Loading the next flag…'));
    delete card.dataset.flag;
    this.loading = true;
    /** @type {ReviewNext} */
    let next;
    try {
      next = /** @type {ReviewNext} */ (await get('/api/review/next'));
    } finally {
      this.loading = false;
    }
    if (!next.flag) {
      card.replaceChildren(h('p', { id: 'queue-empty' }, 'Nothing left for you to review.'));
      return;
    }
    this.current = next;
    note.value = '';
    category.value = '';
    this.show(next, null);
  }

  /** j: forward through the flags gone back to, else skip the flag in hand. */
  async skip() {
    if (this.pending || this.loading || (this.busy && this.back === 0)) return;
    if (this.back > 0) {
      this.back -= 1;
      if (this.back === 0) return this.current ? this.show(this.current, null) : this.loadNext();
      const item = this.history[this.history.length - this.back];
      return item && this.show(item, item.decided);
    }
    if (!this.current) return this.loadNext();
    this.busy = true;
    try {
      await post(`/api/review/${this.current.flag.id}/skip`);
      say('Skipped.');
      await this.loadNext();
    } finally {
      this.busy = false;
    }
  }

  /** k: one flag back among those decided in this session. */
  previous() {
    if (this.pending || this.loading || this.back >= this.history.length) return;
    this.back += 1;
    const item = this.history[this.history.length - this.back];
    if (item) this.show(item, item.decided);
  }

  /** @param {string} decision @param {string} [category] a "modify" to this category */
  decide(decision, category) {
    if (!this.current || this.pending || this.busy || this.loading || this.back > 0) return;
    /** @type {ReviewBody} */
    const body = { decision };
    if (category) body.modification = { category };
    const note = this.view.note.value.trim();
    if (note) body.note = note;
    const label = `${VERB[decision] ?? decision}${category ? ` ${category}` : ''}`;
    this.pending = { body, label };
    this.view.pendingBox.replaceChildren(h('p', { class: 'pending', id: 'pending-decision', dataset: { decision } },
      `${label} — sending in ${UNDO_MS / 1000} s. Press `, h('kbd', null, 'u'), ' to undo, ', h('kbd', null, 'Enter'), ' to send now.'));
    this.timer = setTimeout(() => this.commit(), UNDO_MS);
  }

  undo() {
    if (!this.pending) {
      say('Nothing to undo: decisions already sent are part of the record (an admin or reviewer can reopen a flag).');
      return;
    }
    clearTimeout(this.timer);
    say(`Undone: ${this.pending.label}.`);
    this.pending = null;
    this.view.pendingBox.replaceChildren();
  }

  /** Sends the pending decision (after the wait, or at once by Enter). */
  async commit() {
    clearTimeout(this.timer);
    const { pending, current } = this;
    if (!pending || !current) return;
    this.busy = true;
    try {
      await post(`/api/flags/${current.flag.id}/reviews`, pending.body);
      this.history.push({ ...current, decided: pending.label });
      say(`${pending.label}: sent.`, 'ok');
      this.pending = null;
      this.view.pendingBox.replaceChildren();
      await this.loadNext();
    } catch (error) {
      this.pending = null;
      this.view.pendingBox.replaceChildren(h('p', { class: 'error', role: 'alert' }, describe(error)));
    } finally {
      this.busy = false;
    }
  }
}
