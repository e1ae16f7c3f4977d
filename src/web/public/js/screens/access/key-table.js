// @ts-check
/**
 * A table of API keys (never their secrets) with a Revoke button on each live one: one's own keys
 * (/keys) and, for admins, every key with its owner (/users). Revoking goes through
 * POST /api/auth/keys/:id/revoke, which lets owners revoke their own keys and admins any key.
 */
import { post } from '../../lib/api.js';
import { fmtDate, h, say, scrollTable } from '../../lib/dom.js';
import { busy, describe } from '../../lib/forms.js';

/** @typedef {import('../../../../api-types').ApiKeyView} ApiKeyView */

/** What a key is now: revoked, expired or live. @param {ApiKeyView} key */
export function keyState(key) {
  if (key.revokedAt) return `revoked ${fmtDate(key.revokedAt)}`;
  return new Date(key.expiresAt).getTime() <= Date.now() ? 'expired' : 'live';
}

/**
 * @param {{ id: string, label: string, keys: ApiKeyView[], showOwner: boolean, onRevoked: () => Promise<void> }} options
 */
export function apiKeyTable({ id, label, keys, showOwner, onRevoked }) {
  const columns = [...(showOwner ? ['Owner'] : []), 'Name', 'Key id', 'Created', 'Expires', 'Last used', 'State', 'Action'];
  const body = h('tbody', null, keys.map((key) => {
    const owner = key.user?.username ?? key.user?.id ?? '';
    const revoke = keyState(key) === 'live'
      ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Revoke the key "${key.name}"${showOwner ? ` of ${owner}` : ''}` }, 'Revoke')
      : null;
    revoke?.addEventListener('click', () => busy(revoke, async () => {
      try {
        await post(`/api/auth/keys/${encodeURIComponent(key.id)}/revoke`);
        say(`The key "${key.name}" is revoked.`, 'ok');
        await onRevoked();
      } catch (error) {
        say(describe(error), 'error');
      }
    }));
    return h('tr', { dataset: { key: key.id } },
      showOwner ? h('td', null, owner) : null,
      h('td', null, key.name),
      h('td', null, h('code', null, key.id)),
      h('td', null, fmtDate(key.createdAt)),
      h('td', null, fmtDate(key.expiresAt)),
      h('td', null, key.lastUsedAt ? fmtDate(key.lastUsedAt) : 'never'),
      h('td', null, keyState(key)),
      h('td', null, revoke ?? '—'));
  }));
  if (keys.length === 0) return h('p', { id }, 'No API keys.');
  return scrollTable({ id, label, columns, body });
}
