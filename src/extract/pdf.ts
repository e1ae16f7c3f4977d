import { PDFParse } from 'pdf-parse';
import { extractPdfPagesWithPoppler, PopplerPageReader } from './poppler-text';
import { inLogicalOrder } from './pdf-bidi';
import { formFieldItems, withFormFields } from './pdf-forms';
import { glyphEdges, type GlyphPage } from './pdf-glyphs';
import type { PdfJsPage, PdfJsTextItem } from './pdfjs-types';
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
  let poppler: PopplerPageReader | null = null;
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
    poppler = new PopplerPageReader(bytes, doc.numPages, { minTextChars: MIN_TEXT_LAYER_CHARS, maxPageChars: MAX_PAGE_TEXT_CHARS });
    const pages: ExtractedPage[] = [];
    for (let num = (stream?.fromPage ?? 0) + 1; num <= doc.numPages; num++) {
      const extracted = await withPopplerText(await readPage(doc, num, labels?.[num - 1] || null, warnings.list), poppler);
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
    await poppler?.close();
    await parser.destroy().catch(() => {});
  }
}

/**
 * A page pdf.js reads empty or too thin, or cannot read (short of one of the reader's caps), takes
 * poppler's reading of it where poppler finds more text: both are text layers of the same page,
 * and a page pdftotext reads should never be stored empty. A thin reading (a word or two) still
 * goes to OCR, and is kept if OCR reads nothing there.
 */
async function withPopplerText(page: ExtractedPage, poppler: PopplerPageReader): Promise<ExtractedPage> {
  const ours = visibleChars(page.text);
  if (page.failed?.limit || (!page.failed && ours >= MIN_TEXT_LAYER_CHARS)) return page;
  const theirs = await poppler.page(page.index);
  if (!theirs || theirs.failed || visibleChars(theirs.text) <= ours) return page;
  return { ...theirs, label: page.label };
}

const visibleChars = (text: string): number => text.replace(/\s+/g, '').length;

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
    const { text, words, size } = await pageTextWithBoxes(page, warnings);
    const memory = warnings.find((w) => OUT_OF_MEMORY.test(w));
    if (memory) return failedPage(index, label, 'could not be read: it needs more memory than the text reader may use', memory, size, 'memory');
    if (text.length > MAX_PAGE_TEXT_CHARS) {
      return failedPage(index, label, `could not be read: it has ${text.length} characters of text; at most ${MAX_PAGE_TEXT_CHARS} per page are read`, null, size);
    }
    return { index, label, text, method: 'text-layer', words, size, needsOcr: visibleChars(text) < MIN_TEXT_LAYER_CHARS };
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

interface PdfJsDocument {
  numPages: number;
  getPage(n: number): Promise<PdfJsPage>;
}

/**
 * The page text exactly as pdf-parse 2's getPageText joins it (same thresholds: a new line when
 * the baseline moves by more than 4.6, a tab between cells more than 7 apart), while keeping
 * the offset and position of every text run so that each word gets a box: its glyphs' extent
 * along the line (pdf-glyphs.ts), from the font's ascent to its descent.
 */
async function pageTextWithBoxes(page: PdfJsPage, warnings: string[]): Promise<{ text: string; words: WordBox[]; size: { width: number; height: number } }> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent({ includeMarkedContent: false, disableNormalization: false });
  // A page over the text cap fails anyway (readPage): its operator list, as large as its text,
  // is not read for glyph edges, which could cost more memory than the reader may use.
  const chars = content.items.reduce((n, i) => n + ('str' in i ? (i as PdfJsTextItem).str.length : 0), 0);
  const edges = chars > MAX_PAGE_TEXT_CHARS ? new Map<PdfJsTextItem, Float64Array>() : await glyphEdgesOf(page, content.items, warnings);
  const { items, rightToLeft } = inLogicalOrder(withFormFields(content.items, await formFieldItems(page)));
  const parts: string[] = [];
  const runs: TextRun[] = [];
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
    const style = item.fontName ? content.styles?.[item.fontName] : undefined;
    runs.push({ start: length + (str.length - item.str.length), str: item.str, x, y, width: item.width, height: item.height, edges: edges.get(item), style });
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
  const size = { width: viewport.width, height: viewport.height };
  // NFC changed lengths (decomposed input): offsets no longer line up, so no boxes rather than wrong ones.
  if (text.length !== joined.length) return { text, words: [], size };
  return { text, words: runs.flatMap((run) => runWords(run, size)), size };
}

interface TextRun {
  /** Offset of the run's first character in the page text. */
  start: number;
  str: string;
  /** The run's origin on the page (viewport points, origin top left), its width along the line and font size. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Each character's start and end along the line from the origin (pdf-glyphs.ts); absent when its glyphs could not be matched. */
  edges: Float64Array | undefined;
  /** The font's ascent and descent as fractions of its size (pdf.js text content styles). */
  style: { ascent?: number; descent?: number } | undefined;
}

/**
 * A word box for each run of letters, marks and digits and each run of other visible characters
 * (punctuation apart from the word it follows, so that a flag ending at "earth" ends before the
 * full stop of "earth."). Without glyph edges, the run's width is spread evenly.
 */
function runWords(run: TextRun, page: { width: number; height: number }): WordBox[] {
  if (!run.str || run.width <= 0) return [];
  const W = page.width || 1;
  const H = page.height || 1;
  const perChar = run.width / run.str.length;
  const start = (i: number) => (run.edges ? run.edges[i * 2]! : perChar * i);
  const end = (i: number) => (run.edges ? run.edges[i * 2 + 1]! : perChar * (i + 1));
  const ascent = run.style?.ascent && run.style.ascent > 0 ? run.style.ascent : 1;
  // Without a descent, descenders reach about a fifth of the font size below the baseline.
  const descent = run.style?.descent && run.style.descent < 0 ? -run.style.descent : 0.2;
  const top = clamp((run.y - run.height * ascent) / H);
  const bottom = clamp((run.y + run.height * descent) / H);
  const words: WordBox[] = [];
  for (const m of run.str.matchAll(WORD_PARTS)) {
    const s = m.index;
    const e = s + m[0].length;
    words.push({ start: run.start + s, end: run.start + e, x0: clamp((run.x + start(s)) / W), y0: top, x1: clamp((run.x + end(e - 1)) / W), y1: bottom });
  }
  return words;
}

const WORD_PARTS = /[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]+/gu;

/**
 * Glyph edges of the page's text items; none (even spreading) when the operator list cannot be
 * had. Reading it (it decodes the page's images too) must not fail a page whose text was read:
 * its warnings, a memory cap's included, are dropped.
 */
async function glyphEdgesOf(page: PdfJsPage, items: ReadonlyArray<PdfJsTextItem | object>, warnings: string[]): Promise<Map<PdfJsTextItem, Float64Array>> {
  const seen = warnings.length;
  try {
    return await glyphEdges(page as GlyphPage, items.filter((i): i is PdfJsTextItem => 'str' in i));
  } catch {
    return new Map();
  } finally {
    warnings.length = seen;
  }
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
