// @ts-check
/* global window, document, URLSearchParams */
/**
 * First run: the one-time link `npm start` prints while no admin exists (/setup#token=…; the
 * token is in the fragment, so it never reaches a server log). The form creates the first admin,
 * then signs them in. The token dies when used.
 */
import { api, post } from '../lib/api.js';
import { h, render } from '../lib/dom.js';
import { alertBox, onSubmit } from '../lib/forms.js';

export async function setupScreen() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  // The token leaves the address bar (and the history) at once.
  window.history.replaceState(null, '', '/setup');
  const { valid } = /** @type {{ valid: boolean }} */ (await post('/api/setup/check', { token }));
  document.title = 'Set up · Lexwatch';
  if (!valid) {
    render(
      h('h1', null, 'Set up Lexwatch'),
      h('p', { class: 'error', role: 'alert' }, 'This setup link is not valid: it was used already, or the service was restarted and printed a new one.'),
      h('p', null, 'If an admin exists, ', h('a', { href: '/login' }, 'sign in'), '. Otherwise use the newest link the service printed when it started.'),
    );
    return;
  }
  const alert = alertBox('setup-error');
  const field = (/** @type {string} */ id, /** @type {string} */ label, /** @type {Record<string, unknown>} */ attrs, /** @type {string} */ hint = '') =>
    h('div', null, h('label', { for: id }, label), hint ? h('p', { class: 'muted', id: `${id}-hint` }, hint) : null, h('input', { id, name: id, ...(hint ? { 'aria-describedby': `${id}-hint` } : {}), ...attrs }));
  const form = h('form', { class: 'panel', 'aria-describedby': 'setup-error' },
    field('username', 'Username', { type: 'text', autocomplete: 'username', required: true }, 'Letters, digits, ".", "_" or "-".'),
    field('displayName', 'Display name (optional)', { type: 'text', autocomplete: 'name' }),
    field('password', 'Password', { type: 'password', autocomplete: 'new-password', required: true, minlength: 12 }, '12 characters or more; not a common password, not your username.'),
    field('again', 'The same password again', { type: 'password', autocomplete: 'new-password', required: true }),
    h('p', null, h('button', { type: 'submit' }, 'Create the admin')),
    alert);
  const value = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.querySelector(`[name="${name}"]`)).value;
  onSubmit(/** @type {HTMLFormElement} */ (form), async () => {
    if (value('password') !== value('again')) throw new Error('The two passwords differ.');
    const displayName = value('displayName').trim();
    await post('/api/setup', { token, username: value('username'), password: value('password'), ...(displayName ? { displayName } : {}) });
    await api('POST', '/api/auth/login', { username: value('username'), password: value('password') });
    window.location.assign('/');
  }, { alert });
  render(
    h('h1', null, 'Set up Lexwatch'),
    h('p', null, 'No admin exists yet. Create the first one: the admin adds the other people (analysts, reviewers) from the web interface.'),
    form,
  );
}
