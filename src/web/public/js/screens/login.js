// @ts-check
/* global window, URL, URLSearchParams */
import { api } from '../lib/api.js';
import { h, render } from '../lib/dom.js';
import { alertBox, onSubmit } from '../lib/forms.js';

/**
 * Where to go after signing in: `next` only if it is a path that resolves to this origin, as the
 * browser will resolve it (it drops tabs and newlines, reads "\\" as "/"), so "/%09/evil.example/",
 * "//evil", "/\\evil" and "https:evil" all lead home; and then the path as parsed, never the raw text.
 * @param {string | null} next @param {string} origin @returns {string}
 */
export function sameOriginPath(next, origin) {
  if (!next || !next.startsWith('/')) return '/';
  let url;
  try {
    url = new URL(next, origin);
  } catch {
    return '/';
  }
  return url.origin === origin ? url.pathname + url.search + url.hash : '/';
}

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
    window.location.assign(sameOriginPath(new URLSearchParams(window.location.search).get('next'), window.location.origin));
  }, { alert, focusOnError: password });
  render(h('h1', null, 'Sign in'), form);
}
