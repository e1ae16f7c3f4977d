// @ts-check
/** One entry in full, its place in the published versions, and (admins) edit and retire. */
import { get, post } from '../../lib/api.js';
import { append, fieldTable, h, say } from '../../lib/dom.js';
import { busy, describe } from '../../lib/forms.js';
import { categoryName } from '../../lib/meta.js';
import { editEntry } from './entry-form.js';

/** @typedef {import('./context.js').LexiconContext} LexiconContext */
/** @typedef {import('./context.js').DetailPanel} DetailPanel */
/** @typedef {import('../../../../api-types').LexiconEntryData} Entry */
/** @typedef {import('../../lib/dom.js').Child} Child */

/** How many published versions an entry's history shows. */
const HISTORY = 10;

/** "key: value" pairs of a settings object (match settings, context rules), or "defaults". @param {object | undefined} obj */
function settings(obj) {
  const parts = Object.entries(obj ?? {})
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? Object.entries(v).map(([a, b]) => `${a} ${b}`).join(', ') : v}`);
  return parts.length ? parts.join(' · ') : 'defaults';
}

/** The entry in the newest published versions (at most HISTORY of them). @param {LexiconContext} ctx @param {string} id */
async function publishedIn(ctx, id) {
  const shown = ctx.history.list.slice(0, HISTORY);
  if (!shown.length) return 'not published yet';
  const data = await Promise.all(shown.map(async (v) => (await ctx.history.data(v.version)).data));
  const items = shown.map((v, i) => {
    const found = data[i]?.entries.find((x) => x.id === id);
    return h('li', null, h('code', null, v.version), found ? ` — entry version ${found.version}, ${found.status}, severity ${found.severity}` : ' — not in this version');
  });
  const older = ctx.history.list.length - HISTORY;
  return h('ul', { class: 'plain', id: 'entry-history' }, items, older > 0 ? h('li', { class: 'muted' }, `(${older} older versions not shown)`) : null);
}

/** @param {LexiconContext} ctx @param {Entry} e @returns {Promise<Array<[string, Child]>>} */
async function entryRows(ctx, e) {
  const source = `${e.source.type}: ${e.source.ref}${e.source.citation ? ` — ${e.source.citation}` : ''}`;
  return [
    ['Id', h('code', null, e.id)], ['Entry version', String(e.version)], ['Status', e.status], ['Language', e.lang], ['Role', e.role],
    ['Category', h('span', { title: categoryName(ctx.meta, e.category) }, e.category)], ['Severity', String(e.severity)], ['Terms', h('span', { lang: e.lang }, e.terms.join(' · '))],
    ['Exceptions', (e.exceptions ?? []).join(' · ') || 'none'], ['Meaning', e.meaning], ['Why harmful', e.whyHarmful], ['Basis', source],
    ['Match settings', settings(e.match)], ['Context rules', settings(e.context)],
    ['In published versions', await publishedIn(ctx, e.id)],
  ];
}

/** @param {DetailPanel} panel @param {Entry} e @param {HTMLButtonElement} button */
async function retire(panel, e, button) {
  await busy(button, async () => {
    try {
      await post(`/api/lexicon/entries/${encodeURIComponent(e.id)}/retire`);
      say(`Retired ${e.id} in the working copy (it leaves the next published version).`, 'ok');
      await panel.reload();
      await panel.show(e.id);
    } catch (error) {
      say(describe(error), 'error');
    }
  });
}

/** Shows entry `id` in the panel's detail area, and focuses it. @param {LexiconContext} ctx @param {DetailPanel} panel @param {string} id */
export async function showEntry(ctx, panel, id) {
  const e = /** @type {Entry} */ (await get(`/api/lexicon/entries/${encodeURIComponent(id)}`));
  const rows = await entryRows(ctx, e);
  const retireButton = h('button', { type: 'button', class: 'secondary', id: 'entry-retire' }, 'Retire');
  retireButton.addEventListener('click', () => retire(panel, e, retireButton));
  panel.detail.replaceChildren();
  append(panel.detail, [
    h('h2', { id: 'entry-title' }, `Entry ${e.id}`),
    fieldTable('entry-fields', rows),
    ctx.isAdmin ? h('p', { class: 'pager' },
      h('button', { type: 'button', id: 'entry-edit', onclick: () => editEntry(ctx, panel, e) }, 'Edit'),
      e.status === 'retired' ? null : retireButton) : null,
  ]);
  panel.detail.focus();
}
