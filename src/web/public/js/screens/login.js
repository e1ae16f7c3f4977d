// @ts-check
/* global window, URLSearchParams */
import { api } from '../lib/api.js';
import { h, render } from '../lib/dom.js';
import { alertBox, onSubmit } from '../lib/forms.js';

/** Sign in with username and password; the session cookie is httpOnly, the CSRF token comes from /api/auth/me. */
export function loginScreen() {
  const alert = alertBox('login-error');
  const username = h('input', { id: 'username', name: 'username', type: 'text', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'panel', 'aria-describedby': 'login-error' },
    h('label', { for: 'username' }, 'Username'),
    username,
    h('label', { for: 'password' }, 'Password'),
    password,
    h('p', null, h('button', { type: 'submit' }, 'Sign in')),
    alert);
  onSubmit(form, async () => {
    await api('POST', '/api/auth/login', { username: username.value, password: password.value });
    const next = new URLSearchParams(window.location.search).get('next');
    // Only same-site paths: never redirect to another origin ("//host" and "/\\host" are other origins).
    window.location.assign(next && /^\/(?![/\\])/.test(next) ? next : '/');
  }, { alert, focusOnError: password });
  render(h('h1', null, 'Sign in'), form);
}
