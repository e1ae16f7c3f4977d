import type { PdfJsTextItem } from './pdfjs-types';

/** Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms). */
const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const LTR_LETTER = /(?![\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF])[\p{L}\p{Nd}]/u;
/** Arabic presentation forms (contextual glyph shapes): read as the letters they show, as pdftotext does. */
const ARABIC_PRESENTATION_FORMS = /[\uFB50-\uFDFF\uFE70-\uFEFF]+/gu;

/**
 * The page's items with right-to-left lines in logical (reading) order. pdf.js gives a line's
 * items in the order they were drawn, which for right-to-left script is usually left to right,
 * often one glyph an item (each item's own text is logical); joined as they come, Arabic words
 * read backwards. Per line (items on one baseline), when it has right-to-left letters, the items
 * are put in visual order (by x) and reordered as the Unicode bidirectional algorithm does with
 * embedding levels (rule L2): the line's direction is that of most of its letters; runs of the
 * other direction keep their own order; neutral items (spaces, punctuation) between two runs
 * of one direction go with them, else with the line. Items of reordered lines are returned in
 * `rightToLeft`, so that the caller measures gaps between them right to left.
 */
export function inLogicalOrder(items: Array<PdfJsTextItem | object>): { items: Array<PdfJsTextItem | object>; rightToLeft: Set<PdfJsTextItem> } {
  const rightToLeft = new Set<PdfJsTextItem>();
  if (!items.some((i) => 'str' in i && RTL_LETTER.test((i as PdfJsTextItem).str))) return { items, rightToLeft };
  const out: Array<PdfJsTextItem | object> = [];
  let line: PdfJsTextItem[] = [];
  const flush = () => {
    if (line.some((i) => RTL_LETTER.test(i.str))) for (const segment of segments(line)) out.push(...reorderLine(segment, rightToLeft));
    else out.push(...line);
    line = [];
  };
  for (const raw of items) {
    if (!('str' in raw)) {
      flush();
      out.push(raw);
      continue;
    }
    const item = raw as PdfJsTextItem;
    if (line.length > 0 && Math.abs(line[0]!.transform[5]! - item.transform[5]!) >= 4.6) flush();
    line.push(item);
    if (item.hasEOL) flush();
  }
  flush();
  return { items: out, rightToLeft };
}

/**
 * A line cut where its items are further apart than a tab (table cells, columns side by side on
 * one baseline), in visual order left to right, as the page's lines are read: each segment is
 * reordered on its own.
 */
function segments(line: PdfJsTextItem[]): PdfJsTextItem[][] {
  const eol = line.some((i) => i.hasEOL);
  const visual = [...line].sort((a, b) => a.transform[4]! - b.transform[4]!).map((i) => ({ ...i, hasEOL: false }));
  const out: PdfJsTextItem[][] = [];
  for (const item of visual) {
    const segment = out[out.length - 1];
    const last = segment?.[segment.length - 1];
    if (last && item.transform[4]! - (last.transform[4]! + last.width) <= 7) segment!.push(item);
    else out.push([item]);
  }
  if (eol) out[out.length - 1]![out[out.length - 1]!.length - 1]!.hasEOL = true;
  return out;
}

function reorderLine(line: PdfJsTextItem[], rightToLeft: Set<PdfJsTextItem>): PdfJsTextItem[] {
  if (!line.some((i) => RTL_LETTER.test(i.str))) return line;
  const count = (re: RegExp) => line.reduce((n, i) => n + [...i.str].filter((ch) => re.test(ch)).length, 0);
  const baseRtl = count(RTL_LETTER) > count(LTR_LETTER);
  // The line's end-of-line mark belongs to its last item in reading order.
  const eol = line[line.length - 1]!.hasEOL;
  const visual = [...line].sort((a, b) => a.transform[4]! - b.transform[4]!).map((i) => ({ ...i, hasEOL: false, str: i.str.replace(ARABIC_PRESENTATION_FORMS, (m) => m.normalize('NFKC')) }));
  const kind = visual.map((i) => (RTL_LETTER.test(i.str) && !LTR_LETTER.test(i.str) ? 'R' : LTR_LETTER.test(i.str) ? 'L' : 'N'));
  // Neutrals between two runs of one direction take it; others take the line's.
  const resolved = kind.map((k, n) => {
    if (k !== 'N') return k;
    const before = kind.slice(0, n).reverse().find((x) => x !== 'N');
    const after = kind.slice(n + 1).find((x) => x !== 'N');
    return before && before === after ? before : baseRtl ? 'R' : 'L';
  });
  const levels = resolved.map((k) => (baseRtl ? (k === 'R' ? 1 : 2) : k === 'R' ? 1 : 0));
  const order = visual.map((_, n) => n);
  for (let level = Math.max(...levels); level >= 1; level--) {
    for (let n = 0; n < order.length; ) {
      if (levels[order[n]!]! < level) {
        n++;
        continue;
      }
      let end = n;
      while (end < order.length && levels[order[end]!]! >= level) end++;
      order.splice(n, end - n, ...order.slice(n, end).reverse());
      n = end;
    }
  }
  const reordered = order.map((n) => visual[n]!);
  if (eol) reordered[reordered.length - 1]!.hasEOL = true;
  for (const item of reordered) rightToLeft.add(item);
  return reordered;
}
