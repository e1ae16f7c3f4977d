// @ts-check
/* global window, URLSearchParams */
/**
 * A page of a document, shown either as text with its flags marked at their offsets or as the
 * page image with each flag's box outlined on it, and the page's flag lists. Selecting a flag
 * anywhere (mark, box, list line) calls `select`.
 */
import { h, markedText } from '../../lib/dom.js';

/** @typedef {import('../../../../api-types').PageView} PageView */
/** @typedef {import('../../../../api-types').FlagView} FlagView */
/** @typedef {import('../../../../api-types').Box} Box */
/** @typedef {(flagId: string) => void} Select */

/** A flag's box: its own, else the union of the page's word boxes its offsets cover (older flags have none). @param {FlagView} flag @param {PageView} page @returns {Box | null} */
export function boxOf(flag, page) {
  if (flag.box) return flag.box;
  const words = (page.words ?? []).filter((w) => w.end > flag.start && w.start < flag.end);
  if (!words.length) return null;
  return { x0: Math.min(...words.map((w) => w.x0)), y0: Math.min(...words.map((w) => w.y0)), x1: Math.max(...words.map((w) => w.x1)), y1: Math.max(...words.map((w) => w.y1)) };
}

/** @param {PageView} page @param {FlagView[]} onPage @param {Select} select */
export function textView(page, onPage, select) {
  const spans = onPage.map((f) => ({ start: f.start, end: f.end, id: f.id, label: `${f.category}, severity ${f.severity}` }));
  const text = h('div', { class: 'pagetext', lang: page.lang || undefined, id: 'page-text' }, markedText(page.text, spans));
  for (const mark of text.querySelectorAll('mark[data-flag]')) {
    if (!(mark instanceof window.HTMLElement)) continue;
    const id = mark.dataset.flag ?? '';
    mark.setAttribute('tabindex', '0');
    mark.addEventListener('focus', () => select(id));
    mark.addEventListener('click', () => select(id));
  }
  return text;
}

/**
 * @param {{ id: string, title: string }} doc @param {number} index @param {PageView} page
 * @param {FlagView[]} onPage @param {Select} select
 */
export function imageView(doc, index, page, onPage, select) {
  const boxed = onPage.flatMap((f) => {
    const box = boxOf(f, page);
    return box ? [{ flag: f, box }] : [];
  });
  const img = h('img', {
    id: 'page-image', src: `/api/documents/${doc.id}/pages/${index}/image`,
    alt: `Image of page ${index + 1}${page.label ? ` (printed “${page.label}”)` : ''} of “${doc.title}”, with ${boxed.length} flagged passage(s) outlined; the flags are listed below the image.`,
  });
  const figure = h('div', { class: 'page-figure', id: 'page-figure' }, img);
  img.addEventListener('error', () => figure.replaceChildren(h('p', { class: 'error', role: 'alert' }, 'The page image could not be loaded; choose the text view.')));
  for (const { flag: f, box: b } of boxed) {
    const box = h('button', { type: 'button', class: 'flag-box', dataset: { flag: f.id }, 'aria-label': `Flag “${f.exact}”: ${f.category}, severity ${f.severity}` });
    // Positions in % of the image (boxes are 0–1 fractions of the page), set through the CSSOM: no inline style attribute.
    box.style.left = `${b.x0 * 100}%`;
    box.style.top = `${b.y0 * 100}%`;
    box.style.width = `${Math.max(0.4, (b.x1 - b.x0) * 100)}%`;
    box.style.height = `${Math.max(0.4, (b.y1 - b.y0) * 100)}%`;
    box.addEventListener('focus', () => select(f.id));
    box.addEventListener('click', () => select(f.id));
    figure.append(box);
  }
  return h('figure', { id: 'page-image-view' }, figure, h('figcaption', { class: 'muted' }, `Page ${index + 1}: ${boxed.length} of ${onPage.length} flag(s) have a box on the page.`));
}

/** The signals that are set, as "(quoted, negated)", or nothing. @param {FlagView} f */
const signalNote = (f) => {
  const on = Object.entries(f.signals ?? {}).filter(([, v]) => v).map(([k]) => k);
  return on.length ? ` (${on.join(', ')})` : '';
};

/** The flags marked on this page, each a link that selects it. @param {PageView} page @param {FlagView[]} onPage */
export function flagList(page, onPage) {
  if (!onPage.length) return h('p', { class: 'muted' }, 'No flags on this page.');
  return h('ol', { class: 'page-flags', id: 'page-flags', 'aria-label': 'Flags on this page' }, onPage.map((f) =>
    h('li', { dataset: { flag: f.id } }, h('a', { href: `#flag-${f.id}`, dataset: { flag: f.id } }, f.exact), ` — ${f.category}, severity ${f.severity}, ${f.status}`,
      signalNote(f), boxOf(f, page) ? '' : ' (no box on the page)')));
}

/** Flags found in another reading (text version) of the page, each linked to that text. @param {number} index @param {FlagView[]} elsewhere */
export function otherVersionList(index, elsewhere) {
  if (!elsewhere.length) return [];
  const versionLink = (/** @type {number} */ v) => {
    const link = new URLSearchParams(window.location.search);
    link.set('page', String(index));
    link.set('version', String(v));
    return `${window.location.pathname}?${link}`;
  };
  return [h('p', { class: 'muted' }, 'Found in another reading (text version) of this page; each link shows that text:'),
    h('ol', { class: 'page-flags', id: 'other-version-flags', 'aria-label': 'Flags on other text versions of this page' }, elsewhere.map((f) =>
      h('li', null, h('a', { href: versionLink(f.pageVersion ?? 1) }, f.exact), ` — on text version ${f.pageVersion ?? 1} of this page, ${f.category}, ${f.status}`)))];
}
