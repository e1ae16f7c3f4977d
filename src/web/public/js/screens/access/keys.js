// @ts-check
/**
 * One's own API keys (everyone): make one (its secret is shown once, here, and never again),
 * see the others with their state, revoke one.
 */
import { get, post } from '../../lib/api.js';
import { h, render, say } from '../../lib/dom.js';
import { alertBox, onSubmit, textField } from '../../lib/forms.js';
import { apiKeyTable } from './key-table.js';

/** @typedef {import('../../../../api-types').ApiKeyView} ApiKeyView */
/** @typedef {import('../../../../api-types').NewApiKey} NewApiKey */

export async function keysScreen() {
  const list = h('section', { 'aria-labelledby': 'your-keys-title' });
  const reload = async () => {
    const { items } = /** @type {{ items: ApiKeyView[] }} */ (await get('/api/auth/keys'));
    list.replaceChildren(h('h2', { id: 'your-keys-title' }, 'Your keys'), apiKeyTable({ id: 'my-keys', label: 'Your API keys', keys: items, showOwner: false, onRevoked: reload }));
  };

  const shown = h('div', { id: 'new-key', class: 'panel', hidden: true, tabindex: '-1' });
  const alert = alertBox('key-error');
  const form = h('form', { id: 'key-form', class: 'panel' },
    h('h2', null, 'Make a key'),
    textField('name', 'Name (what the key is for)', '', { required: true, maxlength: 100 }),
    h('div', null, h('label', { for: 'expiresInDays' }, 'Expires after (days, 1 to 366)'), h('input', { id: 'expiresInDays', name: 'expiresInDays', type: 'number', min: 1, max: 366, value: 90, required: true })),
    h('p', null, h('button', { type: 'submit' }, 'Make the key')),
    alert);
  onSubmit(form, async () => {
    const name = /** @type {HTMLInputElement} */ (form.elements.namedItem('name'));
    const days = /** @type {HTMLInputElement} */ (form.elements.namedItem('expiresInDays'));
    const made = /** @type {NewApiKey} */ (await post('/api/auth/keys', { name: name.value.trim(), expiresInDays: Number(days.value) }));
    // The secret lives only in this panel: it is not kept anywhere else on the page.
    shown.replaceChildren(
      h('h2', null, `Your new key "${made.apiKey.name}"`),
      h('p', { class: 'ok' }, 'It is shown only now. Copy it and store it safely: nobody can show it again, not even an admin.'),
      h('p', null, h('code', { id: 'new-key-secret', class: 'secret' }, made.key)),
      h('p', { class: 'muted' }, 'Send it as the header "Authorization: Bearer <key>".'),
      h('button', { type: 'button', class: 'secondary', onclick: () => { shown.hidden = true; shown.replaceChildren(); } }, 'I have stored it; hide it'));
    shown.hidden = false;
    shown.focus();
    name.value = '';
    say(`The key "${made.apiKey.name}" is made.`, 'ok');
    await reload();
  }, { alert });

  await reload();
  render(
    h('h1', null, 'API keys'),
    h('p', null, 'Keys let your scripts use the API as you, with your roles. A key stops working when it expires, when you revoke it, or when an admin resets your password or changes your roles.'),
    form, shown, list);
}
