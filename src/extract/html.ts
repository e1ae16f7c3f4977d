/**
 * HTML → visible text with its paragraph structure: block elements end paragraphs, <br> ends a
 * line; scripts, styles, templates and hidden elements (hidden, aria-hidden, display:none,
 * visibility:hidden) are dropped. htmlparser2 is a streaming tokenizer, so deep nesting costs
 * no stack.
 */
import { Parser } from 'htmlparser2';
import { splitAtParagraphs } from './text';
import { ExtractionError, type ExtractedPage } from './types';

const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas', 'select', 'option', 'textarea', 'button']);
const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'aside', 'header', 'footer', 'main', 'nav', 'blockquote', 'pre', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'caption', 'figure', 'figcaption', 'hr',
  'address', 'details', 'summary', 'form', 'fieldset', 'legend', 'body', 'html',
]);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

function isHidden(name: string, attrs: Record<string, string>): boolean {
  if (DROPPED.has(name)) return true;
  if ('hidden' in attrs) return true;
  if ((attrs['aria-hidden'] ?? '').toLowerCase() === 'true') return true;
  if (name === 'input' && (attrs.type ?? '').toLowerCase() === 'hidden') return true;
  const style = (attrs.style ?? '').toLowerCase().replace(/\s+/g, '');
  return /(^|;)display:none/.test(style) || /(^|;)visibility:hidden/.test(style);
}

export function htmlToText(html: string): string {
  const out: string[] = [];
  let line = '';
  const stack: Array<{ name: string; hidden: boolean }> = [];
  let hiddenDepth = 0;
  const flushLine = () => {
    const clean = line.replace(/[ \t\f\v\r\n\u00a0]+/g, ' ').trim();
    line = '';
    return clean;
  };
  const endParagraph = () => {
    const text = flushLine();
    if (text) out.push(text, '\n\n');
    else if (out.length > 0 && out[out.length - 1] === '\n') out.push('\n');
  };
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const hidden = hiddenDepth > 0 || isHidden(name, attrs);
        if (VOID.has(name)) {
          if (hidden) return;
          if (name === 'br') {
            const text = flushLine();
            if (text) out.push(text, '\n');
          } else if (name === 'hr') endParagraph();
          else if (name === 'img' && attrs.alt) line += ` ${attrs.alt} `;
          return;
        }
        stack.push({ name, hidden });
        if (hidden) hiddenDepth += 1;
        else if (BLOCKS.has(name)) endParagraph();
      },
      ontext(text) {
        if (hiddenDepth === 0) line += text;
      },
      onclosetag(name) {
        if (VOID.has(name)) return;
        // Tolerate misnested tags: pop to the matching open element, if any.
        let at = stack.length - 1;
        while (at >= 0 && stack[at]!.name !== name) at--;
        if (at === -1) return;
        for (const e of stack.splice(at)) if (e.hidden) hiddenDepth -= 1;
        if (hiddenDepth === 0 && BLOCKS.has(name)) endParagraph();
        else if (hiddenDepth === 0 && (name === 'td' || name === 'th')) line += ' ';
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  endParagraph();
  return out.join('').replace(/\n{3,}/g, '\n\n').trim().normalize('NFC');
}

export function extractHtmlPages(bytes: Buffer): ExtractedPage[] {
  let html: string;
  try {
    html = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ExtractionError('the HTML file is not valid UTF-8');
  }
  const text = htmlToText(html);
  if (!text) throw new ExtractionError('the HTML page has no visible text');
  return splitAtParagraphs(text, 20_000).map((chunk, index) => ({ index, label: null, text: chunk, method: 'plain-text' as const }));
}
