// @ts-check
/** The published versions with their reasons, and (admins) publishing a new one. */
import { post } from '../../lib/api.js';
import { fmtDate, h, scrollTable } from '../../lib/dom.js';
import { alertBox, onSubmit, textareaField } from '../../lib/forms.js';

/** @typedef {import('./context.js').LexiconContext} LexiconContext */
/** @typedef {import('../../../../api-types').LexiconVersionSummary} LexiconVersionSummary */

/** @param {LexiconContext} ctx */
export function versionsPanel(ctx) {
  const body = h('tbody');
  async function load() {
    await ctx.history.load();
    body.replaceChildren(...ctx.history.list.map((v) => h('tr', { dataset: { version: v.version } },
      h('td', null, h('code', null, v.version)), h('td', null, String(v.number)), h('td', null, String(v.entryCount)), h('td', null, String(v.targetCount)),
      h('td', null, v.note ?? ''), h('td', null, fmtDate(v.createdAt)))));
  }
  const section = h('section', { id: 'versions-section', 'aria-labelledby': 'versions-title' }, h('h2', { id: 'versions-title' }, 'Published versions'),
    scrollTable({ id: 'versions-table', label: 'Published versions table (scrolls sideways)', columns: ['Version', 'Number', 'Entries', 'Target groups', 'Reason', 'Published'], body }));
  return { section, load };
}

/**
 * Publishing snapshots the working copy with a reason; `published` runs after (the list reloads).
 * @param {() => Promise<void>} published
 */
export function publishForm(published) {
  const result = h('div', { id: 'publish-result', role: 'status' });
  const alert = alertBox('publish-error');
  const form = h('form', { id: 'publish-form', class: 'panel', 'aria-labelledby': 'publish-title' },
    h('h2', { id: 'publish-title' }, 'Publish a new version'),
    h('p', null, 'Publishing snapshots the working copy; new uploads and re-analysis then use it. Retired entries and target groups are left out; drafts are matched like reviewed entries, so check them first.'),
    textareaField('publish-note', 'Reason for this version', '', { name: 'note', required: true }),
    h('p', null, h('button', { type: 'submit', id: 'publish-submit' }, 'Publish')), result, alert);
  const note = /** @type {HTMLTextAreaElement} */ (form.querySelector('#publish-note'));
  onSubmit(form, async () => {
    result.replaceChildren();
    const { version, warnings } = /** @type {{ version: LexiconVersionSummary, warnings: string[] }} */ (await post('/api/lexicon/versions', { note: note.value.trim() }));
    result.replaceChildren(h('p', { class: 'ok', dataset: { version: version.version } }, `Published ${version.version} (number ${version.number}, ${version.entryCount} entries).`),
      warnings.length ? h('ul', null, warnings.map((w) => h('li', null, w))) : '');
    note.value = '';
    await published();
  }, { alert });
  return form;
}
