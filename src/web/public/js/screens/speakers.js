// @ts-check
/**
 * The speaker registry: whom statements are attributed to, under every name they go by (original
 * script, transliterations, aliases) and with their positions; per-speaker dossiers match any of
 * these names. Everyone reads it; analysts and admins register a speaker.
 */
import { get, post } from '../lib/api.js';
import { append, h, render, say, scrollTable } from '../lib/dom.js';
import { alertBox, onSubmit, textareaField, textField } from '../lib/forms.js';

/** @typedef {import('../../../api-types').SpeakerView} SpeakerView */
/** @typedef {import('../../../api-types').User} User */

/** One name a line, blank lines left out. @param {string} text */
const lines = (text) => text.split('\n').map((s) => s.trim()).filter(Boolean);

/** @param {SpeakerView['positions'][number]} p */
const position = (p) => [p.title, p.institution, p.from || p.to ? `${p.from ?? '…'} – ${p.to ?? '…'}` : null].filter(Boolean).join(', ');

/** @param {{ user: User }} screen */
export async function speakersScreen({ user }) {
  const list = h('section', { 'aria-labelledby': 'speakers-title' });
  const reload = async () => {
    const page = /** @type {{ items: SpeakerView[], total: number }} */ (await get('/api/speakers?limit=200'));
    const body = h('tbody', null, page.items.map((s) => h('tr', { dataset: { speaker: s.id } },
      h('td', null, s.name),
      h('td', null, s.transliterations.join('; ') || '—'),
      h('td', null, s.aliases.join('; ') || '—'),
      h('td', null, s.positions.length ? h('ul', { class: 'plain' }, s.positions.map((p) => h('li', null, position(p)))) : '—'))));
    list.replaceChildren();
    append(list, [h('h2', { id: 'speakers-title' }, `Registered speakers (${page.total})`),
      page.total ? scrollTable({ id: 'speakers-table', label: 'Registered speakers', columns: ['Name', 'Transliterations', 'Aliases', 'Positions'], body }) : h('p', null, 'No speaker is registered yet.'),
      page.total > page.items.length ? h('p', { class: 'muted' }, `The first ${page.items.length} by name are shown.`) : null]);
  };

  /** @type {HTMLFormElement | null} */
  let form = null;
  if (user.roles.some((r) => r === 'analyst' || r === 'admin')) {
    const alert = alertBox('speaker-error');
    const f = h('form', { id: 'speaker-form', class: 'panel' },
      h('h2', null, 'Register a speaker'),
      textField('name', 'Name, in the original script', ''),
      h('div', { class: 'grid' },
        textareaField('transliterations', 'Transliterations (one a line)', ''),
        textareaField('aliases', 'Other names (one a line)', '')),
      h('fieldset', null, h('legend', null, 'A position (optional)'),
        h('div', { class: 'grid' },
          textField('positions.0.title', 'Title', ''),
          textField('positions.0.institution', 'Institution', ''),
          textField('positions.0.from', 'From (YYYY, YYYY-MM or YYYY-MM-DD)', ''),
          textField('positions.0.to', 'To', ''))),
      h('p', null, h('button', { type: 'submit' }, 'Register the speaker')),
      alert);
    const value = (/** @type {string} */ name) => /** @type {HTMLInputElement | HTMLTextAreaElement} */ (f.elements.namedItem(name)).value.trim();
    onSubmit(f, async () => {
      const title = value('positions.0.title');
      /** @type {Record<string, string>} */
      const pos = { title };
      for (const k of ['institution', 'from', 'to']) if (value(`positions.0.${k}`)) pos[k] = value(`positions.0.${k}`);
      const { speaker } = /** @type {{ speaker: SpeakerView }} */ (await post('/api/speakers', {
        name: value('name'), transliterations: lines(value('transliterations')), aliases: lines(value('aliases')), positions: title ? [pos] : [],
      }));
      f.reset();
      say(`${speaker.name} is registered.`, 'ok');
      await reload();
    }, { alert });
    form = f;
  }
  await reload();
  render(h('h1', null, 'Speakers'),
    h('p', null, 'Statements name their speaker; a per-speaker dossier finds a speaker’s statements under every name registered here.'),
    form, list);
}
