// @ts-check
/* global URLSearchParams, window */
/**
 * The audit trail (admins): events in sequence order, filtered by entity, and the check of the
 * hash chain (GET /api/audit/verify: every event's hash recomputed and linked to the one before).
 */
import { get } from '../lib/api.js';
import { fmtDate, h, render, scrollTable } from '../lib/dom.js';
import { alertBox, busy, describe, textField } from '../lib/forms.js';

/** @typedef {import('../../../api-types').AuditEventView} AuditEventView */
/** @typedef {import('../../../api-types').AuditVerification} AuditVerification */

const PAGE_SIZE = 100;

/** @param {AuditEventView} e */
function row(e) {
  return h('tr', { dataset: { seq: String(e.seq) } },
    h('td', null, String(e.seq)),
    h('td', null, fmtDate(e.at)),
    h('td', null, e.action),
    h('td', null, `${e.entity.type} `, h('code', null, e.entity.id)),
    h('td', null, h('code', null, e.actor), h('br'), h('span', { class: 'muted' }, e.role)),
    h('td', null, e.change === null || e.change === undefined ? '—' : h('code', { class: 'change' }, JSON.stringify(e.change)), e.reason ? [h('br'), `Reason: ${e.reason}`] : null));
}

export async function auditScreen() {
  const params = new URLSearchParams(window.location.search);
  const filter = { entityType: params.get('entityType') ?? '', entityId: params.get('entityId') ?? '' };

  const result = h('div', { id: 'chain-result', role: 'status' });
  const verify = h('button', { type: 'button', id: 'verify-chain' }, 'Check the chain');
  verify.addEventListener('click', () => busy(verify, async () => {
    result.replaceChildren(h('p', null, 'Checking every event…'));
    try {
      const v = /** @type {AuditVerification} */ (await get('/api/audit/verify'));
      result.replaceChildren(v.ok
        ? h('p', { class: 'ok' }, `The chain is intact: ${v.events} events${v.head ? `, the last is #${v.head.seq} with hash ` : ''}`, v.head ? h('code', { class: 'hash' }, v.head.hash) : null, '.')
        : h('p', { class: 'error' }, `The chain is broken at event #${v.broken?.seq ?? '?'}: ${v.broken?.problem ?? 'unknown problem'}. ${v.events} events checked.`));
    } catch (error) {
      result.replaceChildren(h('p', { class: 'error' }, describe(error)));
    }
  }));

  const alert = alertBox('audit-error');
  const form = h('form', { id: 'audit-filter', class: 'panel', method: 'get', action: '/audit' },
    h('div', { class: 'filters' },
      textField('entityType', 'Entity type (such as flag, user, document)', filter.entityType, { pattern: '[a-z_]{1,40}' }),
      textField('entityId', 'Entity id', filter.entityId)),
    h('p', { class: 'pager' }, h('button', { type: 'submit' }, 'Show events'), h('a', { href: '/audit', class: 'button secondary' }, 'Clear')),
    alert);

  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show later events');
  const count = h('p', { id: 'audit-count' });
  let afterSeq = 0;
  let shown = 0;
  const load = async () => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(afterSeq ? { afterSeq: String(afterSeq) } : {}) });
    if (filter.entityType) query.set('entityType', filter.entityType);
    if (filter.entityId) query.set('entityId', filter.entityId);
    const page = /** @type {{ items: AuditEventView[], next: { afterSeq: number } | null }} */ (await get(`/api/audit?${query}`));
    for (const e of page.items) body.append(row(e));
    shown += page.items.length;
    afterSeq = page.next?.afterSeq ?? afterSeq;
    more.hidden = !page.next;
    count.textContent = shown ? `${shown} event${shown === 1 ? '' : 's'} shown, oldest first${page.next ? '; there are more' : ''}.` : 'No event matches.';
  };
  more.addEventListener('click', () => busy(more, async () => {
    try {
      await load();
    } catch (error) {
      alert.textContent = describe(error);
    }
  }));
  await load();
  render(
    h('h1', null, 'Audit trail'),
    h('p', null, 'Every change is an event in a hash chain: each event carries the hash of the one before, so a removed or altered event breaks the chain from that point.'),
    h('section', { class: 'panel', 'aria-labelledby': 'chain-title' }, h('h2', { id: 'chain-title' }, 'The chain'), h('p', null, verify), result),
    form, count,
    scrollTable({ id: 'audit-table', label: 'Audit events', columns: ['#', 'When', 'Action', 'Entity', 'Actor, role', 'Change'], body }),
    more);
}
