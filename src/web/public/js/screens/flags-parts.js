// @ts-check
/** Pieces of the flags screen: a flag's table row, and a flag filter as dossier filters. */
import { h } from '../lib/dom.js';
import { categoryName } from '../lib/meta.js';

/** @typedef {import('../../../api-types').Meta} Meta */
/** @typedef {import('../../../api-types').FlagView} FlagView */
/** @typedef {import('../../../api-types').DocumentView} DocumentView */

export const FLAG_COLUMNS = ['Document, page', 'Passage', 'Category', 'Severity', 'Status', 'Target groups', 'Signals', 'Language'];

/** @param {FlagView} f @param {string} title @param {Meta} meta */
export function flagRow(f, title, meta) {
  const signals = Object.entries(f.signals).filter(([, on]) => on).map(([name]) => name);
  const page = `page ${f.pageLabel ?? f.pageNumber}${f.pageVersion > 1 ? ` (version ${f.pageVersion})` : ''}`;
  const sentence = f.sentence || f.exact;
  const at = sentence.indexOf(f.exact);
  const passage = at >= 0 ? [sentence.slice(0, at), h('mark', null, f.exact), sentence.slice(at + f.exact.length)] : [h('mark', null, f.exact)];
  return h('tr', { dataset: { flag: f.id, status: f.status } },
    h('td', null, h('a', { href: `/documents/${f.document}?page=${f.page}&view=text` }, title), h('br'), h('span', { class: 'muted' }, page), ' · ',
      h('a', { href: `/flags/${f.id}`, class: 'flag-link' }, 'flag and translations')),
    h('td', { lang: f.lang ?? undefined }, passage),
    h('td', null, h('abbr', { title: categoryName(meta, f.category) }, f.category)),
    h('td', null, String(f.severity)),
    h('td', null, f.status),
    h('td', null, [...new Set(f.targets.map((t) => t.groupId))].join(', ') || '—'),
    h('td', null, signals.join(', ') || '—'),
    h('td', null, f.lang ?? '—'));
}

/**
 * The flag filter as the filters of POST /api/dossiers, and the names of the filters a dossier
 * cannot take (they are shown, not dropped silently). A kind becomes the documents of that kind.
 * @param {Record<string, string>} f @param {DocumentView[]} docs
 */
export function dossierFiltersOf(f, docs) {
  // A dossier holds decided flags only (confirmed, and rejected ones when asked for): a filter on
  // a state still under review is named as left out, and the dossier takes the confirmed flags.
  const decided = f.status === 'confirmed' || f.status === 'rejected';
  /** @type {Record<string, unknown>} */
  const filters = { states: [decided ? f.status : 'confirmed'] };
  const left = f.status && !decided ? ['status'] : [];
  let documents = f.document ? [f.document] : null;
  if (f.kind) {
    const ofKind = docs.filter((d) => d.kind === f.kind).map((d) => d.id);
    documents = documents ? documents.filter((id) => ofKind.includes(id)) : ofKind;
  }
  if (documents) filters.documents = documents;
  if (f.speaker) filters.speakers = [f.speaker];
  if (f.category) filters.categories = [f.category];
  if (f.severity) {
    filters.severityMin = Number(f.severity);
    filters.severityMax = Number(f.severity);
  }
  for (const name of ['target', 'entry', 'frame', 'signal', 'lang', 'pageVersion']) if (f[name]) left.push(name);
  return { filters, left };
}
