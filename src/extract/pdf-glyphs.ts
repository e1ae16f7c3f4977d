/**
 * Where each character of a pdf.js text item sits, from the glyphs themselves. pdf.js's text
 * content gives one origin and one width per item (a run of text, often a whole line); spreading
 * that width evenly over the characters put boxes a letter off ("exterminate" ending before its
 * "e"). The page's operator list has every glyph with its width, the spacing numbers of TJ
 * arrays, the character and word spacing and the text and graphics matrices: played back here
 * as a PDF viewer does (pdf.js's own canvas code is the model), they give each glyph's start
 * and advance on the page. Glyphs are then matched to the items' characters in content order.
 */
import type { PdfJsPage, PdfJsTextItem } from './pdfjs-types';

/** pdf.js's OPS codes (src/shared/util.js), the ones played back. */
const OP = {
  save: 10,
  restore: 11,
  transform: 12,
  beginText: 31,
  setCharSpacing: 33,
  setWordSpacing: 34,
  setHScale: 35,
  setLeading: 36,
  setFont: 37,
  setTextRise: 39,
  moveText: 40,
  setLeadingMoveText: 41,
  setTextMatrix: 42,
  nextLine: 43,
  showText: 44,
  showSpacedText: 45,
  nextLineShowText: 46,
  nextLineSetSpacingShowText: 47,
  paintFormXObjectBegin: 74,
  paintFormXObjectEnd: 75,
} as const;

type Matrix = [number, number, number, number, number, number];

/** A glyph as shown: its text (as pdf.js's text content writes it), and its start and end on the baseline in PDF user space. */
interface PlacedGlyph {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface OperatorGlyph {
  unicode?: string;
  width?: number;
  isSpace?: boolean;
}

export interface GlyphPage extends PdfJsPage {
  getOperatorList(): Promise<{ fnArray: number[]; argsArray: unknown[][] }>;
  commonObjs?: { has(id: string): boolean; get(id: string): { fontMatrix?: number[]; vertical?: boolean } };
}

/**
 * For each item whose characters could all be matched to glyphs: the start and end of each of
 * its UTF-16 code units, as distances along the item's baseline from its origin (the same units
 * as `item.width`). Items with any character left unmatched are absent: the caller spreads them.
 */
export async function glyphEdges(page: GlyphPage, items: readonly PdfJsTextItem[]): Promise<Map<PdfJsTextItem, Float64Array>> {
  const ops = await page.getOperatorList();
  const fonts = new Map<string, { fontMatrix: number[]; vertical: boolean }>();
  const font = (name: string) => fonts.get(name) ?? fonts.set(name, fontInfo(page, name)).get(name)!;
  return matchItems(items, placeGlyphs(ops.fnArray, ops.argsArray, font));
}

function fontInfo(page: GlyphPage, name: string): { fontMatrix: number[]; vertical: boolean } {
  try {
    if (page.commonObjs?.has(name)) {
      const font = page.commonObjs.get(name);
      return { fontMatrix: font.fontMatrix ?? DEFAULT_FONT_MATRIX, vertical: Boolean(font.vertical) };
    }
  } catch {
    // not loaded: the usual 1/1000 glyph space
  }
  return { fontMatrix: DEFAULT_FONT_MATRIX, vertical: false };
}

const DEFAULT_FONT_MATRIX = [0.001, 0, 0, 0.001, 0, 0];

/** Plays the text operators back (pdf.js canvas.js showText), placing every glyph. */
export function placeGlyphs(fnArray: readonly number[], argsArray: readonly unknown[][], font: (name: string) => { fontMatrix: number[]; vertical: boolean }): PlacedGlyph[] {
  interface State {
    ctm: Matrix;
    charSpacing: number;
    wordSpacing: number;
    hScale: number;
    leading: number;
    rise: number;
    fontName: string;
    fontSize: number;
    fontDirection: number;
  }
  let state: State = { ctm: [1, 0, 0, 1, 0, 0], charSpacing: 0, wordSpacing: 0, hScale: 1, leading: 0, rise: 0, fontName: '', fontSize: 0, fontDirection: 1 };
  const stack: State[] = [];
  let textMatrix: Matrix = [1, 0, 0, 1, 0, 0];
  let x = 0;
  let y = 0;
  let lineX = 0;
  let lineY = 0;
  const placed: PlacedGlyph[] = [];
  const moveText = (dx: number, dy: number) => {
    x = lineX += dx;
    y = lineY += dy;
  };
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  for (let i = 0; i < fnArray.length; i++) {
    const args = argsArray[i] ?? [];
    switch (fnArray[i]) {
      case OP.save:
        stack.push({ ...state, ctm: [...state.ctm] });
        break;
      case OP.restore:
        state = stack.pop() ?? state;
        break;
      case OP.transform:
        state.ctm = multiply(state.ctm, args.map(num) as Matrix);
        break;
      case OP.paintFormXObjectBegin: {
        stack.push({ ...state, ctm: [...state.ctm] });
        const m = args[0] as ArrayLike<number> | null | undefined;
        if (m && m.length === 6) state.ctm = multiply(state.ctm, Array.from(m, num) as Matrix);
        break;
      }
      case OP.paintFormXObjectEnd:
        state = stack.pop() ?? state;
        break;
      case OP.beginText:
        textMatrix = [1, 0, 0, 1, 0, 0];
        x = y = lineX = lineY = 0;
        break;
      case OP.setTextMatrix: {
        const m = (args.length === 6 ? args : (args[0] as ArrayLike<number>)) ?? [];
        textMatrix = Array.from({ length: 6 }, (_, k) => num(m[k])) as Matrix;
        x = y = lineX = lineY = 0;
        break;
      }
      case OP.setCharSpacing:
        state.charSpacing = num(args[0]);
        break;
      case OP.setWordSpacing:
        state.wordSpacing = num(args[0]);
        break;
      case OP.setHScale:
        state.hScale = num(args[0]) / 100;
        break;
      case OP.setLeading:
        state.leading = -num(args[0]);
        break;
      case OP.setTextRise:
        state.rise = num(args[0]);
        break;
      case OP.setFont: {
        state.fontName = String(args[0] ?? '');
        const size = num(args[1]);
        state.fontDirection = size < 0 ? -1 : 1;
        state.fontSize = Math.abs(size);
        break;
      }
      case OP.moveText:
        moveText(num(args[0]), num(args[1]));
        break;
      case OP.setLeadingMoveText:
        state.leading = num(args[1]);
        moveText(num(args[0]), num(args[1]));
        break;
      case OP.nextLine:
        moveText(0, state.leading);
        break;
      case OP.nextLineSetSpacingShowText:
        state.wordSpacing = num(args[0]);
        state.charSpacing = num(args[1]);
        moveText(0, state.leading);
        x += show(args[2]);
        break;
      case OP.nextLineShowText:
        moveText(0, state.leading);
        x += show(args[0]);
        break;
      case OP.showText:
      case OP.showSpacedText:
        x += show(args[0]);
        break;
      default:
        break;
    }
  }
  return placed;

  /** Places the glyphs of one show operation; returns the text-space advance (canvas.js showText). */
  function show(list: unknown): number {
    if (!Array.isArray(list)) return 0;
    const { fontMatrix, vertical } = font(state.fontName);
    const { fontSize, charSpacing, wordSpacing, fontDirection } = state;
    const hScale = state.hScale * fontDirection;
    const widthScale = fontSize * (fontMatrix[0] ?? 0.001);
    const spacingDir = vertical ? 1 : -1;
    // Text space → user space for this operation: the CTM after the text matrix.
    const m = multiply(state.ctm, textMatrix);
    const at = (tx: number, ty: number): [number, number] => [m[0] * tx + m[2] * ty + m[4], m[1] * tx + m[3] * ty + m[5]];
    let advance = 0;
    for (const item of list as Array<number | OperatorGlyph | null>) {
      if (typeof item === 'number') {
        advance += (spacingDir * item * fontSize) / 1000;
        continue;
      }
      if (!item) continue;
      const spacing = (item.isSpace ? wordSpacing : 0) + charSpacing;
      const charWidth = num(item.width) * widthScale + spacing * fontDirection;
      if (!vertical) {
        const baseline = y + state.rise;
        const [sx, sy] = at(x + advance * hScale, baseline);
        // A glyph's box is its own width: character and word spacing are room after it, as for poppler and MuPDF.
        const [ex, ey] = at(x + (advance + num(item.width) * widthScale) * hScale, baseline);
        placed.push({ text: glyphText(item.unicode ?? ''), x0: sx, y0: sy, x1: ex, y1: ey });
      } else {
        placed.push({ text: glyphText(item.unicode ?? ''), x0: NaN, y0: NaN, x1: NaN, y1: NaN });
      }
      advance += charWidth;
    }
    return advance * hScale;
  }
}

function multiply(a: Matrix, b: Matrix): Matrix {
  return [
    a[0] * b[0] + a[2] * b[1],
    a[1] * b[0] + a[3] * b[1],
    a[0] * b[2] + a[2] * b[3],
    a[1] * b[2] + a[3] * b[3],
    a[0] * b[4] + a[2] * b[5] + a[4],
    a[1] * b[4] + a[3] * b[5] + a[5],
  ];
}

/** How far (in the item's units) a matched glyph may stray from where it should start before the match is distrusted. */
const SLACK = 0.5;
/** How many glyphs ahead a character is looked for after a mismatch (glyphs pdf.js left out of the text). */
const LOOKAHEAD = 32;

/**
 * Walks the items in content order alongside the glyphs: a character takes the glyph that shows
 * it; whitespace pdf.js inserted for a gap takes no glyph (a zero-width edge where it sits);
 * glyphs with no text (or space glyphs pdf.js dropped) are skipped. An item is kept only when
 * every character was matched and its glyphs start at its origin and run along its baseline.
 */
function matchItems(items: readonly PdfJsTextItem[], glyphs: readonly PlacedGlyph[]): Map<PdfJsTextItem, Float64Array> {
  const out = new Map<PdfJsTextItem, Float64Array>();
  let g = 0;
  for (const item of items) {
    const str = item.str;
    if (!str) continue;
    const ox = item.transform[4]!;
    const oy = item.transform[5]!;
    const len = Math.hypot(item.transform[0]!, item.transform[1]!) || 1;
    const ux = item.transform[0]! / len;
    const uy = item.transform[1]! / len;
    const along = (px: number, py: number) => (px - ox) * ux + (py - oy) * uy;
    const across = (px: number, py: number) => Math.abs(-(px - ox) * uy + (py - oy) * ux);
    const edges = new Float64Array(str.length * 2);
    let ok = true;
    let i = 0;
    let lastEnd = 0;
    let lastStart = 0;
    while (i < str.length) {
      const ch = str[i]!;
      const glyph = glyphs[g];
      const text = glyph ? glyph.text : '';
      if (glyph && text && str.startsWith(text, i)) {
        const s = along(glyph.x0, glyph.y0);
        const e = along(glyph.x1, glyph.y1);
        // The first glyph starts at the item's origin, the others follow it, all on its baseline
        // (pdf.js's item width leaves character spacing out, so it bounds nothing here).
        const startsRight = i === 0 ? Math.abs(s) <= SLACK : s >= lastStart - SLACK;
        if (!startsRight || across(glyph.x0, glyph.y0) > Math.max(1, len * 0.5)) ok = false;
        lastStart = s;
        // A glyph that stands for several characters (a ligature) is shared out among them.
        for (let k = 0; k < text.length; k++) {
          edges[(i + k) * 2] = s + ((e - s) * k) / text.length;
          edges[(i + k) * 2 + 1] = s + ((e - s) * (k + 1)) / text.length;
        }
        i += text.length;
        g += 1;
        lastEnd = e;
        continue;
      }
      if (/\s/u.test(ch)) {
        // A space with no glyph behind it (pdf.js's, for a gap); or a space glyph it stands for.
        if (glyph && text !== '' && /^\s+$/u.test(text)) g += 1;
        edges[i * 2] = lastEnd;
        edges[i * 2 + 1] = lastEnd;
        i += 1;
        continue;
      }
      if (glyph && (text === '' || /^\s+$/u.test(text))) {
        g += 1;
        continue;
      }
      // Not the next glyph: look a little further (glyphs whose text pdf.js changed or left out).
      let found = -1;
      for (let k = g + 1; k < Math.min(glyphs.length, g + LOOKAHEAD); k++) {
        const t = glyphs[k]!.text;
        if (t && str.startsWith(t, i)) {
          found = k;
          break;
        }
      }
      if (found < 0) {
        ok = false;
        break;
      }
      g = found;
    }
    if (ok) out.set(item, edges);
  }
  return out;
}

/** A glyph's text as pdf.js's text content gives it (NFKC for ligatures and compatibility forms). */
function glyphText(unicode: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(unicode) ? unicode : unicode.normalize('NFKC');
}
