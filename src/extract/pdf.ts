import { PDFParse } from 'pdf-parse';
import { extractPdfPagesWithPoppler } from './poppler-text';
import { ExtractionError, type ExtractedPage, type WordBox } from './types';

/** Fewer visible characters than this on a page means "no usable text layer": OCR it. */
export const MIN_TEXT_LAYER_CHARS = 16;
/** A PDF with more pages than this is refused before any work (worker-side cap). */
export const MAX_PDF_PAGES = 5_000;
/** A page with more text than this (~20 dense printed pages) is a hostile content stream; analysing it would stall the service. */
export const MAX_PAGE_TEXT_CHARS = 100_000;

/** Pages handed over one by one as they are read (instead of kept and returned at the end). */
export interface PageStream {
  /** The first page to read (0-based); the pages before it are skipped. */
  fromPage?: number;
  onTotal(total: number): void;
  /** May return a promise: the next page is read once it settles (the reader yields to I/O). */
  onPage(page: ExtractedPage): void | Promise<void>;
}

/**
 * Per-page text layer with pdf.js (through pdf-parse's loader), with printed page labels where
 * the PDF has them and a box for every word, from the text content positions.
 */
export async function extractPdfPages(bytes: Buffer, stream?: PageStream): Promise<ExtractedPage[]> {
  const warnings = captureWarnings();
  let started = false;
  // pdf.js may detach the buffer it is given: hand it a copy.
  // Verbosity 1: warnings, which readPage looks at (they are not printed).
  const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: 1, stopAtErrors: false });
  try {
    const info = await parser.getInfo();
    if (!info.total) throw new ExtractionError('the PDF has no pages');
    if (info.total > MAX_PDF_PAGES) throw new ExtractionError(`the PDF has ${info.total} pages; at most ${MAX_PDF_PAGES} are accepted`);
    const labels = await pageLabels(parser);
    const doc = (await (parser as unknown as { load(): Promise<PdfJsDocument> }).load());
    started = true;
    stream?.onTotal(doc.numPages);
    const pages: ExtractedPage[] = [];
    for (let num = (stream?.fromPage ?? 0) + 1; num <= doc.numPages; num++) {
      const extracted = await readPage(doc, num, labels?.[num - 1] || null, warnings.list);
      if (stream) await stream.onPage(extracted);
      else pages.push(extracted);
    }
    return pages;
  } catch (error) {
    // pdf.js refused the file as a whole (before any page). Poppler may read it: pdf.js asks for
    // the password of the whole file even when only its attachments are encrypted (poppler's
    // pages are then used, text or not), and poppler rebuilds some damaged files pdf.js gives up
    // on (used if it reads text on them; otherwise pdf.js's reason stands).
    if (!started && !(error instanceof ExtractionError)) {
      const pages = await popplerPages(bytes, stream, (error as { name?: string })?.name !== 'PasswordException');
      if (pages) return pages;
    }
    throw toExtractionError(error);
  } finally {
    warnings.stop();
    await parser.destroy().catch(() => {});
  }
}

/**
 * One page's text layer. A page that pdf.js cannot read (a broken page tree entry, a content
 * stream it chokes on, one too large for the memory the reader may use) or that has absurdly
 * much text is a failed page, with a reason: the other pages go on.
 */
async function readPage(doc: PdfJsDocument, num: number, label: string | null, warnings: string[]): Promise<ExtractedPage> {
  const index = num - 1;
  let page: PdfJsPage;
  try {
    page = await doc.getPage(num);
  } catch (error) {
    return failedPage(index, label, 'could not be read: the PDF does not describe this page in a form that can be read; a re-OCR can read it from its image', error);
  }
  // pdf.js reads on past errors in a content stream and only warns: a failed allocation (the
  // reader's memory cap) would otherwise leave a page that is silently empty or cut short.
  warnings.length = 0;
  try {
    const { text, words, size } = await pageTextWithBoxes(page);
    const memory = warnings.find((w) => OUT_OF_MEMORY.test(w));
    if (memory) return failedPage(index, label, 'could not be read: it needs more memory than the text reader may use', memory, size, 'memory');
    if (text.length > MAX_PAGE_TEXT_CHARS) {
      return failedPage(index, label, `could not be read: it has ${text.length} characters of text; at most ${MAX_PAGE_TEXT_CHARS} per page are read`, null, size);
    }
    const visible = text.replace(/\s+/g, '').length;
    return { index, label, text, method: 'text-layer', words, size, needsOcr: visible < MIN_TEXT_LAYER_CHARS };
  } catch (error) {
    const memory = OUT_OF_MEMORY.test((error as Error)?.message ?? '');
    return failedPage(index, label, memory ? 'could not be read: it needs more memory than the text reader may use' : 'could not be read: its text layer is damaged; a re-OCR can read it from its image', error, undefined, memory ? 'memory' : undefined);
  } finally {
    page.cleanup();
  }
}

const OUT_OF_MEMORY = /allocation failed|out of memory|invalid array length/i;

/** pdf.js's warnings (it writes them with console.warn) while a page is read; they are not printed. */
function captureWarnings(): { list: string[]; stop(): void } {
  const list: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    const line = args.map(String).join(' ');
    if (line.startsWith('Warning:')) list.push(line.slice(0, 500));
    else original(...args);
  };
  return { list, stop: () => void (console.warn = original) };
}

function failedPage(index: number, label: string | null, reason: string, error: unknown, size?: { width: number; height: number }, limit?: 'memory'): ExtractedPage {
  const detail = error ? String((error as Error)?.message ?? error).slice(0, 500) : undefined;
  return { index, label, text: '', method: 'text-layer', failed: { reason, ...(detail ? { detail } : {}), ...(limit ? { limit } : {}) }, ...(size ? { size } : {}) };
}

interface PdfJsTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
}
interface PdfJsPage {
  getViewport(o: { scale: number }): { width: number; height: number; convertToViewportPoint(x: number, y: number): number[] };
  getTextContent(o: object): Promise<{ items: Array<PdfJsTextItem | object> }>;
  getAnnotations(o: { intent: string }): Promise<PdfJsAnnotation[]>;
  cleanup(): void;
}
interface PdfJsAnnotation {
  annotationType: number;
  fieldType?: string;
  fieldValue?: unknown;
  rect?: number[];
  hidden?: boolean;
  options?: Array<{ exportValue: string; displayValue: string }>;
}

const WIDGET_ANNOTATION = 20;

/**
 * The values of a page's form fields (AcroForm text fields and choices), as text items where the
 * field sits: pdf.js's text content has only the page's own text, while a filled form's answers
 * live in its fields (pdftotext shows them). Each value line is an item at the field's top left,
 * as wide as the field (its box is the field's, where glyph positions are not known).
 */
async function formFieldItems(page: PdfJsPage): Promise<PdfJsTextItem[]> {
  let annotations: PdfJsAnnotation[];
  try {
    annotations = await page.getAnnotations({ intent: 'display' });
  } catch {
    return []; // a broken annotation array loses the fields, not the page
  }
  const items: PdfJsTextItem[] = [];
  for (const a of annotations) {
    if (a.annotationType !== WIDGET_ANNOTATION || a.hidden || !a.rect || a.rect.length !== 4) continue;
    let value = '';
    if (a.fieldType === 'Tx' && typeof a.fieldValue === 'string') value = a.fieldValue;
    else if (a.fieldType === 'Ch') {
      const chosen = Array.isArray(a.fieldValue) ? a.fieldValue : typeof a.fieldValue === 'string' ? [a.fieldValue] : [];
      value = chosen.map((v) => a.options?.find((o) => o.exportValue === v)?.displayValue ?? String(v)).join(', ');
    }
    const lines = value.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trim()).filter(Boolean);
    if (lines.length === 0) continue;
    const [x0, y0, x1, y1] = [Math.min(a.rect[0]!, a.rect[2]!), Math.min(a.rect[1]!, a.rect[3]!), Math.max(a.rect[0]!, a.rect[2]!), Math.max(a.rect[1]!, a.rect[3]!)];
    const lineHeight = Math.max(1, Math.min(12, (y1 - y0) / lines.length));
    lines.forEach((line, k) => {
      const baseline = y1 - lineHeight * (k + 1) + lineHeight * 0.2;
      items.push({ str: line, transform: [lineHeight, 0, 0, lineHeight, x0 + 2, baseline], width: Math.max(1, x1 - x0 - 4), height: lineHeight, hasEOL: true });
    });
  }
  return items;
}

/**
 * Puts field items into the page's items in reading position: before the first item of the
 * page's own text that lies lower on the page (PDF y grows upwards), or on the same line further
 * right; fields top to bottom, left to right.
 */
function withFormFields(items: Array<PdfJsTextItem | object>, fields: PdfJsTextItem[]): Array<PdfJsTextItem | object> {
  if (fields.length === 0) return items;
  const out = [...items];
  const ordered = [...fields].sort((a, b) => b.transform[5]! - a.transform[5]! || a.transform[4]! - b.transform[4]!);
  let from = 0;
  for (const field of ordered) {
    const [y, x, half] = [field.transform[5]!, field.transform[4]!, field.height / 2];
    const after = (item: PdfJsTextItem) => {
      const [ix, iy] = [item.transform[4]!, item.transform[5]!];
      return iy < y - half || (Math.abs(iy - y) <= half && ix > x);
    };
    let at = out.findIndex((item, k) => k >= from && 'str' in item && (item as PdfJsTextItem).str.trim() !== '' && after(item as PdfJsTextItem));
    if (at === -1) at = out.length;
    out.splice(at, 0, field);
    from = at + 1;
  }
  return out;
}
interface PdfJsDocument {
  numPages: number;
  getPage(n: number): Promise<PdfJsPage>;
}

/**
 * The page text exactly as pdf-parse 2's getPageText joins it (same thresholds: a new line when
 * the baseline moves by more than 4.6, a tab between cells more than 7 apart), while keeping
 * the offset and position of every text run so that each word gets a box.
 */
async function pageTextWithBoxes(page: PdfJsPage): Promise<{ text: string; words: WordBox[]; size: { width: number; height: number } }> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent({ includeMarkedContent: false, disableNormalization: false });
  const { items, rightToLeft } = inLogicalOrder(withFormFields(content.items, await formFieldItems(page)));
  const parts: string[] = [];
  const runs: Array<{ start: number; str: string; x: number; y: number; width: number; height: number }> = [];
  let length = 0;
  let lastX: number | undefined;
  let lastLeft: number | undefined;
  let lastY: number | undefined;
  let lineHeight = 0;
  const push = (s: string) => {
    parts.push(s);
    length += s.length;
  };
  for (const raw of items) {
    if (!('str' in raw)) continue;
    const item = raw as PdfJsTextItem;
    const [x, y] = viewport.convertToViewportPoint(item.transform[4]!, item.transform[5]!) as [number, number];
    if (lastY !== undefined && Math.abs(lastY - y) > 4.6) {
      const previous = parts[parts.length - 1];
      const startsLine = item.str.startsWith('\n') || (item.str.trim() === '' && item.hasEOL);
      if (previous !== undefined && !previous.endsWith('\n') && !startsLine && Math.abs(lastY - y) - 1 > lineHeight) {
        push('\n');
        lineHeight = 0;
      }
    }
    let str = item.str;
    // Items of a right-to-left line come right to left: the gap is between the item's right edge and the last one's left edge.
    const gap = rightToLeft.has(item) && lastLeft !== undefined ? Math.abs(lastLeft - (x + item.width)) : lastX !== undefined ? Math.abs(lastX - x) : 0;
    if (lastY !== undefined && Math.abs(lastY - y) < 4.6 && lastX !== undefined && gap > 7) str = `\t${str}`;
    runs.push({ start: length + (str.length - item.str.length), str: item.str, x, y, width: item.width, height: item.height });
    push(str);
    lastX = x + item.width;
    lastLeft = x;
    lastY = y;
    lineHeight = Math.max(lineHeight, item.height);
    if (item.hasEOL) push('\n');
    if (item.hasEOL || str.endsWith('\n')) lineHeight = 0;
  }
  const joined = parts.join('');
  const text = joined.normalize('NFC');
  // NFC changed lengths (decomposed input): offsets no longer line up, so no boxes rather than wrong ones.
  if (text.length !== joined.length) return { text, words: [], size: { width: viewport.width, height: viewport.height } };
  const words: WordBox[] = [];
  const W = viewport.width || 1;
  const H = viewport.height || 1;
  for (const run of runs) {
    if (!run.str || run.width <= 0) continue;
    const perChar = run.width / run.str.length;
    const top = clamp((run.y - run.height) / H);
    // Descenders reach about a fifth of the font size below the baseline.
    const bottom = clamp((run.y + run.height * 0.2) / H);
    for (const m of run.str.matchAll(/\S+/g)) {
      const s = m.index;
      words.push({
        start: run.start + s,
        end: run.start + s + m[0].length,
        x0: clamp((run.x + perChar * s) / W),
        y0: top,
        x1: clamp((run.x + perChar * (s + m[0].length)) / W),
        y1: bottom,
      });
    }
  }
  return { text, words, size: { width: viewport.width, height: viewport.height } };
}

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
function inLogicalOrder(items: Array<PdfJsTextItem | object>): { items: Array<PdfJsTextItem | object>; rightToLeft: Set<PdfJsTextItem> } {
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

function clamp(v: number): number {
  return Math.round(Math.min(1, Math.max(0, v)) * 10_000) / 10_000;
}

/**
 * Printed page labels (/PageLabels), straight from pdf.js: pdf-parse 2.4.5's own `pageLabel`
 * is off by one (it indexes pdf.js's 0-based array with the 1-based page number).
 */
async function pageLabels(parser: PDFParse): Promise<Array<string | null> | null> {
  const doc = (parser as unknown as { doc?: { getPageLabels(): Promise<Array<string | null> | null> } }).doc;
  if (!doc) return null;
  try {
    return await doc.getPageLabels();
  } catch {
    return null; // a broken label tree loses labels, not the text
  }
}

/**
 * The pages poppler reads, or null when it cannot open the file (or, with `needText`, reads no
 * text on any page). Read whole first, then handed over as pdf.js would hand them.
 */
async function popplerPages(bytes: Buffer, stream: PageStream | undefined, needText: boolean): Promise<ExtractedPage[] | null> {
  const options = { minTextChars: MIN_TEXT_LAYER_CHARS, maxPageChars: MAX_PAGE_TEXT_CHARS, maxPages: MAX_PDF_PAGES };
  const pages = await extractPdfPagesWithPoppler(bytes, options).catch(() => null);
  if (!pages || (needText && !pages.some((p) => p.text.trim() !== ''))) return null;
  if (!stream) return pages;
  stream.onTotal(pages.length);
  for (const page of pages.slice(stream.fromPage ?? 0)) await stream.onPage(page);
  return [];
}

function toExtractionError(error: unknown): ExtractionError {
  if (error instanceof ExtractionError) return error;
  const name = (error as { name?: string })?.name ?? '';
  const message = (error as { message?: string })?.message ?? String(error);
  switch (name) {
    case 'PasswordException':
      return new ExtractionError('the PDF is encrypted (password-protected); upload an unencrypted copy');
    case 'InvalidPDFException':
      return new ExtractionError(`the PDF is corrupt, truncated or not a PDF (${message})`);
    case 'MissingPDFException':
      return new ExtractionError('the PDF is empty or missing');
    default:
      // A stack overflow (a RangeError, which pdf.js's worker passes on under another name).
      if (/maximum call stack/i.test(message)) return new ExtractionError('the PDF could not be read: its structure is nested too deeply');
      return new ExtractionError(`the PDF could not be read: ${message}`);
  }
}
