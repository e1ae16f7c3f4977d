// @ts-check
/* global document, Node */
/**
 * DOM building without HTML strings: every value becomes a text node or an attribute set
 * through the DOM, so excerpts and metadata can never turn into markup.
 */

/** @typedef {Node | string | number | null | undefined | false} Leaf */
/**
 * What may be put inside an element: nodes, text, and lists of them nested up to three deep;
 * null, undefined and false are left out.
 * @typedef {Leaf | Leaf[] | Array<Leaf | Leaf[]> | Array<Leaf | Leaf[] | Array<Leaf | Leaf[]>>} Child
 */
/**
 * Attributes: `on…` functions become listeners, `class` the class name, `dataset` data-*
 * attributes, `value` the value property; true is an empty attribute, null/undefined/false none.
 * @typedef {{ [name: string]: string | number | boolean | null | undefined | ((event: Event) => unknown) | Record<string, string> }} Attrs
 */

/** Attributes that are states of the element (set as properties would be, for a new element). */
const BOOLEAN_STATES = new Set(['checked', 'selected', 'disabled', 'multiple']);

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs | null} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') {
      if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    } else if (typeof value === 'object') {
      if (key === 'dataset') Object.assign(el.dataset, value);
    } else if (key === 'class') el.className = String(value);
    else if (key === 'value' && 'value' in el) el.value = String(value);
    // A new element has no "dirty" state yet: the attribute is its checked/selected state.
    else if (BOOLEAN_STATES.has(key)) el.toggleAttribute(key, Boolean(value));
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** @template {Element} E @param {E} el @param {Child | Child[]} children @returns {E} */
export function append(el, children) {
  if (children === null || children === undefined || children === false) return el;
  if (Array.isArray(children)) for (const child of children) append(el, child);
  else el.append(children instanceof Node ? children : String(children));
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
/**
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag @param {Record<string, string | number>} attrs @param {...Child} children
 * @returns {SVGElementTagNameMap[K]}
 */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  append(el, children);
  return el;
}

/** An element of the page shell (index.html), which is always there. */
export function byId(/** @type {string} */ id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el;
}

/**
 * Replace the main area with a screen; the heading gets focus so screen readers announce it.
 * @param {...Child} children
 */
export function render(...children) {
  const main = byId('main');
  main.replaceChildren();
  append(main, children);
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

/** A message in the page's status line. @param {string} message @param {'error' | 'ok'} [kind] */
export function say(message, kind) {
  byId('status').replaceChildren(h('p', { class: kind ?? '' }, message));
}

/** An `href` only for http(s) URLs; anything else (javascript:, data:) stays plain text. */
export function safeLink(/** @type {unknown} */ url, /** @type {string} */ text = String(url ?? '')) {
  if (typeof url === 'string' && /^https?:\/\//i.test(url)) return h('a', { href: url, rel: 'noopener noreferrer nofollow' }, text);
  return text;
}

export function fmtDate(/** @type {string | null | undefined} */ value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** @typedef {{ start: number, end: number, label?: string, id?: string }} Span */

/**
 * Page text with the given spans marked; overlaps are clipped.
 * @param {string} text @param {Span[]} spans @param {string} [currentId] the span drawn as current
 * @returns {Array<string | HTMLElement>}
 */
export function markedText(text, spans, currentId) {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  /** @type {Array<string | HTMLElement>} */
  const out = [];
  let at = 0;
  for (const span of sorted) {
    const start = Math.max(span.start, at);
    if (span.end <= start) continue;
    if (start > at) out.push(text.slice(at, start));
    const current = span.id && span.id === currentId ? 'current' : undefined;
    out.push(h('mark', { id: span.id ? `flag-${span.id}` : undefined, class: current, title: span.label, dataset: span.id ? { flag: span.id } : undefined }, text.slice(start, span.end)));
    at = span.end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/**
 * A table of label/value rows (a record in full); values may be elements.
 * @param {string} id @param {Array<[string, Child]>} rows @param {string | null} [cls] its class (null: none)
 */
export function fieldTable(id, rows, cls = 'fields') {
  return h('table', { id, class: cls }, h('tbody', null, rows.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v)))));
}

/**
 * A wide table in a region of its own that scrolls sideways (by keyboard too: it is focusable),
 * so a narrow window never scrolls the whole page.
 * @param {{ id: string, label: string, caption?: string, columns: string[], body: HTMLTableSectionElement }} table
 */
export function scrollTable({ id, label, caption, columns, body }) {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label },
    h('table', { id }, caption ? h('caption', { class: 'muted' }, caption) : null, h('thead', null, h('tr', null, columns.map((t) => h('th', { scope: 'col' }, t)))), body));
}
