// @ts-check
/**
 * The lexicon: browse and search the working copy's entries and target groups, read either in
 * full, and — for admins — create, edit and retire entries and target groups, publish a version
 * with a reason, and import a file after a preview of what it would change. Everyone else sees
 * no edit controls; the API refuses them anyway (src/http/access.ts). Each panel is a module of
 * its own; this one puts them on the page.
 */
import { ApiError, get } from '../../lib/api.js';
import { h, render } from '../../lib/dom.js';
import { loadMeta } from '../../lib/meta.js';
import { VersionHistory } from './context.js';
import { entriesPanel } from './entries.js';
import { importForm } from './import.js';
import { targetsPanel } from './targets.js';
import { publishForm, versionsPanel } from './versions.js';

/** @typedef {import('./context.js').LexiconContext} LexiconContext */
/** @typedef {import('../../../../api-types').LexiconOverview} LexiconOverview */
/** @typedef {import('../../app.js').ScreenContext} ScreenContext */

/** The active version, or null on a server without the lexicon API. */
async function overview() {
  try {
    return /** @type {LexiconOverview} */ (await get('/api/lexicon'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** @param {ScreenContext} screen */
export async function lexiconScreen({ user }) {
  const [found, meta] = await Promise.all([overview(), loadMeta()]);
  if (!found) {
    render(h('h1', null, 'Lexicon'), h('p', { class: 'panel', id: 'unavailable', role: 'status' }, 'Browsing, editing and importing the lexicon is not available on this server (it has no lexicon API). The method and entries are documented in lexicons/README.md of the project.'));
    return;
  }
  const { active } = found;
  /** @type {LexiconContext} */
  const ctx = { isAdmin: user.roles.includes('admin'), meta, active, history: new VersionHistory() };
  const entries = entriesPanel(ctx);
  const targets = targetsPanel(ctx);
  const versions = versionsPanel(ctx);
  render(
    h('h1', null, 'Lexicon'),
    h('p', { id: 'lexicon-active' }, `Active version: ${active.id} ${active.version} (number ${active.number}), ${active.entries} matching entries, languages ${active.languages.join(', ')}. Below is the working copy; changes take effect when a version is published.`),
    ctx.isAdmin ? h('p', null, h('button', { type: 'button', id: 'entry-new', onclick: entries.newEntry }, 'New entry')) : null,
    entries.section,
    targets.section,
    ctx.isAdmin ? [publishForm(versions.load), importForm(ctx, () => Promise.all([entries.load(), targets.load()]))] : null,
    versions.section,
  );
  await Promise.all([entries.load(), targets.load(), versions.load()]);
}
