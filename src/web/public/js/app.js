// @ts-check
/* global document, window */
/**
 * Entry point: who is signed in (GET /api/auth/me), the navigation their roles allow, and the
 * screen for the current path. Links are ordinary links (full page loads): simple, bookmarkable.
 * A screen's module is loaded only when it is shown. To add a screen, add its row to SCREENS
 * (and its path to WEB_SCREENS in src/web/index.ts, which serves the shell there).
 */
import { api, ApiError, get, setCsrf } from './lib/api.js';
import { h, byId, render, say } from './lib/dom.js';

/** @typedef {import('../../api-types').User} User */
/** @typedef {import('../../api-types').Me} Me */

/**
 * What a screen is given: the signed-in user, and the parts of the path its pattern captured.
 * @typedef {{ user: User, params: string[] }} ScreenContext
 */
/**
 * @typedef {object} Screen
 * @property {string | RegExp} path a path, or a pattern whose groups become `params`
 * @property {string} title
 * @property {boolean} [menu] listed in the navigation (paths only)
 * @property {(user: User) => boolean} show who may open it (the API enforces the same rules on every request)
 * @property {(screen: ScreenContext) => Promise<void>} run loads the module and draws the screen
 */

const has = (/** @type {User} */ user, /** @type {string[]} */ ...roles) => roles.some((r) => user.roles.includes(r));
const anyone = () => true;

/** @type {Screen[]} */
const SCREENS = [
  { path: '/documents', title: 'Documents', menu: true, show: anyone, run: async () => (await import('./screens/documents/list.js')).documentsScreen() },
  { path: /^\/documents\/([0-9a-f]{24})$/, title: 'Document', show: anyone, run: async (s) => (await import('./screens/documents/document.js')).documentScreen(s) },
  { path: '/upload', title: 'Upload', menu: true, show: (u) => has(u, 'analyst', 'admin'), run: async () => (await import('./screens/upload.js')).uploadScreen() },
  { path: '/queue', title: 'Review queue', menu: true, show: (u) => has(u, 'reviewer'), run: async () => (await import('./screens/queue/screen.js')).queueScreen() },
  { path: '/lexicon', title: 'Lexicon', menu: true, show: anyone, run: async (s) => (await import('./screens/lexicon/screen.js')).lexiconScreen(s) },
  { path: '/flags', title: 'Flags', menu: true, show: anyone, run: async () => (await import('./screens/flags.js')).flagsScreen() },
  { path: /^\/flags\/([0-9a-f]{24})$/, title: 'Flag', show: anyone, run: async (s) => (await import('./screens/flag.js')).flagScreen(s) },
  { path: '/search', title: 'Search', menu: true, show: anyone, run: async () => (await import('./screens/search.js')).searchScreen() },
  { path: '/search/page', title: 'Search hit', show: anyone, run: async () => (await import('./screens/search.js')).searchPageScreen() },
  { path: '/dossiers', title: 'Dossiers', menu: true, show: anyone, run: async () => (await import('./screens/dossiers.js')).dossiersScreen() },
  { path: '/speakers', title: 'Speakers', menu: true, show: anyone, run: async (s) => (await import('./screens/speakers.js')).speakersScreen(s) },
  { path: '/audit', title: 'Audit', menu: true, show: (u) => has(u, 'admin'), run: async () => (await import('./screens/audit.js')).auditScreen() },
  { path: '/users', title: 'People', menu: true, show: (u) => has(u, 'admin'), run: async () => (await import('./screens/access/users.js')).usersScreen() },
  { path: '/keys', title: 'API keys', menu: true, show: anyone, run: async () => (await import('./screens/access/keys.js')).keysScreen() },
  { path: '/dashboard', title: 'Dashboard', menu: true, show: (u) => has(u, 'reviewer', 'admin'), run: async () => (await import('./screens/dashboard.js')).dashboardScreen() },
];

/** The screen for `path`, with what its pattern captured. @param {string} path */
function route(path) {
  for (const screen of SCREENS) {
    if (typeof screen.path === 'string') {
      if (screen.path === path) return { screen, params: [] };
    } else {
      const match = screen.path.exec(path);
      if (match) return { screen, params: match.slice(1) };
    }
  }
  return null;
}

/** @param {User} user */
const menu = (user) => SCREENS.filter((s) => s.menu && s.show(user) && typeof s.path === 'string');

/** @param {User} user @param {string} path */
function nav(user, path) {
  const items = menu(user).map((s) => h('li', null, h('a', { href: String(s.path), 'aria-current': path === s.path || path.startsWith(s.path + '/') ? 'page' : undefined }, s.title)));
  byId('nav').replaceChildren(h('ul', null, items));
  const signOut = h('button', { type: 'button', onclick: async () => {
    await api('POST', '/api/auth/logout', {}).catch(() => {});
    window.location.assign('/login');
  } }, 'Sign out');
  byId('who').replaceChildren(h('span', null, `${user.username} (${user.roles.join(', ')})`), signOut);
}

/** @param {User} user */
function home(user) {
  render(
    h('h1', null, 'Lexwatch'),
    h('p', null, 'Choose what to do:'),
    h('ul', null, menu(user).map((s) => h('li', null, h('a', { href: String(s.path) }, s.title)))),
  );
}

/** Who is signed in, or null after sending them to sign in. */
async function signedIn() {
  try {
    return /** @type {Me} */ (await get('/api/auth/me'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      window.location.assign('/login?next=' + encodeURIComponent(window.location.pathname + window.location.search));
      return null;
    }
    render(h('h1', null, 'Lexwatch'), h('p', { class: 'error', role: 'alert' }, `Cannot reach the service: ${error instanceof Error ? error.message : String(error)}`));
    return null;
  }
}

async function main() {
  const path = window.location.pathname.replace(/\/+$/, '') || '/';
  if (path === '/login') return (await import('./screens/login.js')).loginScreen();
  if (path === '/setup') return (await import('./screens/setup.js')).setupScreen();
  const me = await signedIn();
  if (!me) return;
  setCsrf(me.csrfToken);
  const user = me.user;
  nav(user, path);
  const found = route(path);
  if (found && !found.screen.show(user)) {
    render(h('h1', null, found.screen.title), h('p', { class: 'error', role: 'alert' }, `Your roles (${user.roles.join(', ') || 'none'}) do not include this screen.`));
    return;
  }
  document.title = `${found && typeof found.screen.path === 'string' ? found.screen.title : 'Lexwatch'} · Lexwatch`;
  try {
    if (path === '/') home(user);
    else if (found) await found.screen.run({ user, params: found.params });
    else render(h('h1', null, 'Not found'), h('p', null, 'No such screen.'));
  } catch (error) {
    say(error instanceof ApiError ? error.describe() : String(error), 'error');
  }
}

main();
