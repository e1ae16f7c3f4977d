/* global window, URLSearchParams */
import { api, ApiError } from './api.js';
import { h, render } from './dom.js';

/** Sign in with username and password; the session cookie is httpOnly, the CSRF token comes from /api/auth/me. */
export function loginScreen() {
  const error = h('p', { id: 'login-error', class: 'error', role: 'alert' });
  const username = h('input', { id: 'username', name: 'username', type: 'text', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h(
    'form',
    { class: 'panel', 'aria-describedby': 'login-error', onsubmit: async (e) => {
      e.preventDefault();
      error.textContent = '';
      try {
        await api('POST', '/api/auth/login', { username: username.value, password: password.value });
        const next = new URLSearchParams(window.location.search).get('next');
        // Only same-site paths: never redirect to another origin ("//host" and "/\\host" are other origins).
        window.location.assign(next && /^\/(?![/\\])/.test(next) ? next : '/');
      } catch (err) {
        error.textContent = err instanceof ApiError ? err.describe() : String(err);
        password.focus();
      }
    } },
    h('label', { for: 'username' }, 'Username'),
    username,
    h('label', { for: 'password' }, 'Password'),
    password,
    h('p', null, h('button', { type: 'submit' }, 'Sign in')),
    error,
  );
  render(h('h1', null, 'Sign in'), form);
}
