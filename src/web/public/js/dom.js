/* global document, Node */
/**
 * DOM building without HTML strings: every value becomes a text node or an attribute set
 * through the DOM, so excerpts and metadata can never turn into markup.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value') el.value = value;
    else if (key === 'checked' || key === 'selected' || key === 'disabled' || key === 'multiple') el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs ?? {})) el.setAttribute(key, String(value));
  append(el, children);
  return el;
}

/** Replace the main area with a screen; the heading gets focus so screen readers announce it. */
export function render(...children) {
  const main = document.getElementById('main');
  main.replaceChildren(...children.flat().filter(Boolean));
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

export function say(message, kind) {
  const status = document.getElementById('status');
  status.replaceChildren(h('p', { class: kind === 'error' ? 'error' : kind === 'ok' ? 'ok' : '' }, message));
}

/** An `href` only for http(s) URLs; anything else (javascript:, data:) stays plain text. */
export function safeLink(url, text) {
  if (typeof url === 'string' && /^https?:\/\//i.test(url)) return h('a', { href: url, rel: 'noopener noreferrer nofollow' }, text ?? url);
  return text ?? url ?? '';
}

export function fmtDate(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** Page text with the given spans marked: `spans` are {start, end, label, id}; overlaps are clipped. */
export function markedText(text, spans, currentId) {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const out = [];
  let at = 0;
  for (const span of sorted) {
    const start = Math.max(span.start, at);
    if (span.end <= start) continue;
    if (start > at) out.push(text.slice(at, start));
    out.push(h('mark', { id: span.id ? `flag-${span.id}` : undefined, class: span.id && span.id === currentId ? 'current' : undefined, title: span.label, dataset: span.id ? { flag: span.id } : undefined }, text.slice(start, span.end)));
    at = span.end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
