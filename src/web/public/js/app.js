/* global document, window */
/**
 * Entry point: who is signed in (GET /api/auth/me), the navigation their roles allow, and the
 * screen for the current path. Links are ordinary links (full page loads): simple, bookmarkable.
 */
import { api, ApiError, get, setCsrf } from './api.js';
import { h, render, say } from './dom.js';
import { loginScreen } from './login.js';
import { uploadScreen } from './upload.js';
import { documentsScreen, documentScreen } from './documents.js';
import { queueScreen } from './queue.js';
import { lexiconScreen } from './lexicon.js';
import { dossiersScreen } from './dossiers.js';
import { dashboardScreen } from './dashboard.js';

const has = (user, ...roles) => roles.some((r) => user.roles.includes(r));

/** Screens: path, title, who sees the link (the API enforces the same rules on every request). */
const SCREENS = [
  { path: '/documents', title: 'Documents', show: () => true },
  { path: '/upload', title: 'Upload', show: (u) => has(u, 'analyst', 'admin') },
  { path: '/queue', title: 'Review queue', show: (u) => has(u, 'reviewer') },
  { path: '/lexicon', title: 'Lexicon', show: () => true },
  { path: '/dossiers', title: 'Dossiers', show: () => true },
  { path: '/dashboard', title: 'Dashboard', show: (u) => has(u, 'reviewer', 'admin') },
];

function nav(user, path) {
  const items = SCREENS.filter((s) => s.show(user)).map((s) =>
    h('li', null, h('a', { href: s.path, 'aria-current': path === s.path || path.startsWith(s.path + '/') ? 'page' : undefined }, s.title)),
  );
  document.getElementById('nav').replaceChildren(h('ul', null, items));
  const signOut = h('button', { type: 'button', onclick: async () => {
    await api('POST', '/api/auth/logout', {}).catch(() => {});
    window.location.assign('/login');
  } }, 'Sign out');
  document.getElementById('who').replaceChildren(h('span', null, `${user.username} (${user.roles.join(', ')})`), signOut);
}

function home(user) {
  const visible = SCREENS.filter((s) => s.show(user));
  render(
    h('h1', null, 'Lexwatch'),
    h('p', null, 'Choose what to do:'),
    h('ul', null, visible.map((s) => h('li', null, h('a', { href: s.path }, s.title)))),
  );
}

async function main() {
  const path = window.location.pathname.replace(/\/+$/, '') || '/';
  if (path === '/login') return loginScreen();
  let me;
  try {
    me = await get('/api/auth/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      window.location.assign('/login?next=' + encodeURIComponent(window.location.pathname + window.location.search));
      return;
    }
    render(h('h1', null, 'Lexwatch'), h('p', { class: 'error', role: 'alert' }, `Cannot reach the service: ${error.message}`));
    return;
  }
  setCsrf(me.csrfToken);
  const user = me.user;
  nav(user, path);
  const screen = SCREENS.find((s) => s.path === path);
  if (screen && !screen.show(user)) {
    render(h('h1', null, screen.title), h('p', { class: 'error', role: 'alert' }, `Your roles (${user.roles.join(', ') || 'none'}) do not include this screen.`));
    return;
  }
  document.title = `${screen ? screen.title : 'Lexwatch'} · Lexwatch`;
  const docMatch = /^\/documents\/([0-9a-f]{24})$/.exec(path);
  try {
    if (path === '/') home(user);
    else if (path === '/upload') await uploadScreen(user);
    else if (path === '/documents') await documentsScreen(user);
    else if (docMatch) await documentScreen(user, docMatch[1]);
    else if (path === '/queue') await queueScreen(user);
    else if (path === '/lexicon') await lexiconScreen(user);
    else if (path === '/dossiers') await dossiersScreen(user);
    else if (path === '/dashboard') await dashboardScreen(user);
    else render(h('h1', null, 'Not found'), h('p', null, 'No such screen.'));
  } catch (error) {
    say(error instanceof ApiError ? error.describe() : String(error), 'error');
  }
}

main();
