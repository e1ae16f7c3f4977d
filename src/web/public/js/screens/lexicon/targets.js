// @ts-check
/**
 * The target-groups panel: every group, retired ones marked, filtered in the page by language
 * and searched by name or term; a group in full, and (admins) create, edit and retire.
 */
import { get, post } from '../../lib/api.js';
import { append, fieldTable, h, say, scrollTable } from '../../lib/dom.js';
import { busy, describe, selectOptions } from '../../lib/forms.js';
import { editTarget } from './target-form.js';

/** @typedef {import('./context.js').LexiconContext} LexiconContext */
/** @typedef {import('./context.js').DetailPanel} DetailPanel */
/** @typedef {import('../../../../api-types').TargetGroup} TargetGroup */
/** @typedef {import('../../../../api-types').List<TargetGroup>} TargetList */

/** "en demonym: a · b" per term set, in the set's language. @param {TargetGroup['terms']} sets */
const termSets = (sets) => h('ul', { class: 'plain' }, sets.map((s) => h('li', { lang: s.lang }, `${s.lang} ${s.kind}: ${s.terms.join(' · ')}`)));

/** @param {TargetGroup} t @param {string} lang @param {string} q lower-case search text */
const shows = (t, lang, q) => (!lang || t.terms.some((s) => s.lang === lang))
  && (!q || [t.id, t.name, ...t.terms.flatMap((s) => s.terms)].some((s) => s.toLocaleLowerCase().includes(q)));

/** @param {DetailPanel} panel @param {TargetGroup} t @param {HTMLButtonElement} button */
async function retire(panel, t, button) {
  await busy(button, async () => {
    try {
      await post(`/api/lexicon/targets/${encodeURIComponent(t.id)}/retire`);
      say(`Retired target group ${t.id} in the working copy (it leaves the next published version).`, 'ok');
      await panel.reload();
      await panel.show(t.id);
    } catch (error) {
      say(describe(error), 'error');
    }
  });
}

/** @param {LexiconContext} ctx @param {DetailPanel} panel @param {string} id */
async function showTarget(ctx, panel, id) {
  const t = /** @type {TargetGroup} */ (await get(`/api/lexicon/targets/${encodeURIComponent(id)}`));
  const retireButton = h('button', { type: 'button', class: 'secondary', id: 'target-retire' }, 'Retire');
  retireButton.addEventListener('click', () => retire(panel, t, retireButton));
  panel.detail.replaceChildren();
  append(panel.detail, [
    h('h3', { id: 'target-title' }, `Target group ${t.id}`),
    fieldTable('target-fields', [
      ['Id', h('code', null, t.id)], ['Name', t.name], ['Status', t.retired ? 'retired' : 'active'], ['Fictional', t.fictional ? 'yes' : 'no'], ['Terms', termSets(t.terms)],
    ]),
    ctx.isAdmin ? h('p', { class: 'pager' },
      h('button', { type: 'button', id: 'target-edit', onclick: () => editTarget(ctx, panel, t) }, 'Edit'),
      t.retired ? null : retireButton) : null,
  ]);
  panel.detail.focus();
}

/** @param {LexiconContext} ctx */
export function targetsPanel(ctx) {
  /** @type {TargetGroup[]} */
  let targets = [];
  const lang = h('select', { id: 'tg-lang', 'aria-controls': 'targets-table' }, selectOptions(['', ...ctx.active.languages], ''));
  const search = h('input', { id: 'tg-search', type: 'search', 'aria-controls': 'targets-table' });
  const body = h('tbody');
  const detail = h('section', { id: 'target-detail', 'aria-label': 'Target group', tabindex: '-1' });
  /** @type {DetailPanel} */
  const panel = { detail, reload: load, show: (id) => showTarget(ctx, panel, id) };
  const open = (/** @type {string} */ id) => panel.show(id).catch((error) => say(describe(error), 'error'));

  function list() {
    const q = search.value.trim().toLocaleLowerCase();
    body.replaceChildren(...targets.filter((t) => shows(t, lang.value, q)).map((t) => h('tr', { dataset: { target: t.id, status: t.retired ? 'retired' : 'active' } },
      h('td', null, h('button', { type: 'button', class: 'linklike', onclick: () => open(t.id) }, t.id)),
      h('td', null, t.name, t.fictional && !/fictional/i.test(t.name) ? ' (fictional)' : ''),
      h('td', null, t.retired ? 'retired' : 'active'),
      h('td', null, termSets(t.terms.filter((s) => !lang.value || s.lang === lang.value))))));
  }
  async function load() {
    targets = /** @type {TargetList} */ (await get('/api/lexicon/targets?retired=true')).items;
    list();
  }
  lang.addEventListener('change', list);
  search.addEventListener('input', list);

  const section = h('section', { id: 'targets-section', 'aria-labelledby': 'targets-title' }, h('h2', { id: 'targets-title' }, 'Target groups'),
    ctx.isAdmin ? h('p', null, h('button', { type: 'button', id: 'target-new', onclick: () => editTarget(ctx, panel, null) }, 'New target group')) : null,
    detail,
    h('div', { class: 'filters' }, h('div', null, h('label', { for: 'tg-lang' }, 'Language'), lang), h('div', { class: 'grow' }, h('label', { for: 'tg-search' }, 'Search names and terms'), search)),
    scrollTable({ id: 'targets-table', label: 'Target groups table (scrolls sideways)', caption: 'Target groups (data, not code)', columns: ['Group', 'Name', 'Status', 'Terms'], body }));
  return { section, load };
}
