/**
 * OCR with the system's MuPDF (`mutool draw`) and `tesseract`, each a child process under the
 * render or OCR limits (src/limited-process.ts: memory, CPU time, wall clock), killed at a cap or
 * on cancellation. A page that cannot be drawn or read is a failed page with a reason for people
 * (the tool's own output is kept apart, for the log); the other pages go on. Tesseract runs single-threaded
 * (OMP_THREAD_LIMIT=1): measured, its default threading is ~5× slower in wall time on two busy
 * cores; callers run one per core instead, pages in parallel.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChildAborted, ChildLimitExceeded, ChildUnavailable, DEFAULT_CHILD_LIMITS, forPages, overLimitReason, runLimited, type ChildLimits } from '../limited-process';
import { ExtractionAbortedError, ExtractionError, type WordBox } from './types';

export interface OcrOptions {
  /** Tesseract language codes, e.g. ['eng'] or ['aze', 'rus']. */
  langs: string[];
  dpi?: number;
  /** Caps of `mutool draw` (render) and `tesseract` (ocr, per page); default DEFAULT_CHILD_LIMITS. */
  limits?: Pick<ChildLimits, 'render' | 'ocr'>;
  signal?: AbortSignal;
}

/** A page that could not be read: a sentence for people naming the page, and the tool's output for the log. */
export interface OcrPageFailure {
  failed: { reason: string; detail?: string };
}

export function isOcrFailure(result: OcrPageResult | OcrPageFailure): result is OcrPageFailure {
  return 'failed' in result;
}

export interface OcrPageResult {
  text: string;
  words: WordBox[];
  engine: string;
  /** Mean word confidence, 0–100; null when no word was read. */
  confidence: number | null;
}

/** 150 dpi reads body text well at a quarter of 300 dpi's pixels; see the measurements. */
export const DEFAULT_OCR_DPI = 150;
/** Pixel cap of a rasterised page (longest side): absurd page sizes are scaled down, not rendered. */
export const MAX_RASTER_SIDE = 5_000;
/** Images larger than this (pixels, per frame) are refused before tesseract reads them. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** The pixel budget of all frames of a multi-page TIFF: about 450 A4 pages scanned at 300 dpi. */
export const MAX_IMAGE_TOTAL_PIXELS = 4_000_000_000;

/** BCP-47 language (as documents carry them) → tesseract traineddata names. */
const TESSERACT_LANGS: Record<string, string[]> = {
  en: ['eng'],
  ru: ['rus'],
  az: ['aze', 'aze_cyrl'],
  hy: ['hye'],
  tr: ['tur'],
};

export function tesseractLangs(languages: readonly string[]): string[] {
  const out = new Set<string>();
  for (const l of languages) for (const t of TESSERACT_LANGS[l.toLowerCase().split('-')[0]!] ?? []) out.add(t);
  return [...out];
}

let engineVersion: Promise<string> | null = null;
/** "tesseract@5.3.0", once per process. */
export function tesseractEngine(): Promise<string> {
  engineVersion ??= new Promise((resolve) => {
    execFile('tesseract', ['--version'], { timeout: 10_000 }, (error, stdout, stderr) => {
      const m = /tesseract\s+v?([\d.]+)/i.exec(`${stdout}\n${stderr}`);
      resolve(`tesseract@${m?.[1] ?? 'unknown'}`);
    });
  });
  return engineVersion;
}

/** A PDF page to read: its 0-based index and its size in points (pdf.js's, the crop box). */
export interface PdfPageRef {
  index: number;
  size?: { width: number; height: number };
}

/**
 * Rasterises PDF pages and reads them with ONE tesseract process, which is given the list of
 * page images: its model is loaded once for all of them instead of once a page (~0.08 s of the
 * ~0.7 s a page takes in English, measured here; the words and boxes read are the same).
 * Results come in the order of `pages`. Pages are drawn by MuPDF's `mutool draw`: on scanned
 * pages (one big embedded image) it rasterises ~3× faster than poppler's `pdftoppm` (0.06
 * against 0.19 s a page of the bench's 20-page scan at 150 dpi), with the same words read from
 * all 20 pages. It draws the page's crop box, as pdf.js's page size is.
 */
export async function ocrPdfPages(pdfPath: string, pages: readonly PdfPageRef[], options: OcrOptions): Promise<Array<OcrPageResult | OcrPageFailure>> {
  if (pages.length === 0) return [];
  const dpi = options.dpi ?? DEFAULT_OCR_DPI;
  const limits = options.limits ?? DEFAULT_CHILD_LIMITS;
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lexwatch-ocr-'));
  try {
    const results: Array<OcrPageResult | OcrPageFailure | null> = pages.map(() => null);
    const drawn: Array<{ k: number; image: string }> = [];
    for (const [k, page] of pages.entries()) {
      const longest = Math.max(page.size?.width ?? 612, page.size?.height ?? 792, 1);
      const effectiveDpi = Math.max(20, Math.min(dpi, Math.floor((MAX_RASTER_SIDE * 72) / longest)));
      const image = path.join(dir, `p${page.index + 1}.pgm`);
      // Uncompressed greyscale PGM, not PNG: tesseract reads the same pixels (identical TSV), and
      // skipping the zlib encode and decode took ~0.45 s off a page at 150 dpi (measured with
      // pdftoppm: rasterising 0.47 → 0.2 s, reading 0.82 → 0.65 s); files live until read.
      const failure = await toolStep(() => runLimited('mutool', ['draw', '-q', '-r', String(effectiveDpi), '-c', 'gray', '-o', image, pdfPath, String(page.index + 1)], { limits: limits.render, signal: options.signal }), 'render', 'to render');
      // mutool answers 0 for a page it could not draw (out of range, broken): check what it wrote.
      if (failure) results[k] = pageFailure(page.index, failure);
      else if (!(await isPgm(image))) results[k] = pageFailure(page.index, { predicate: 'could not be drawn for OCR: MuPDF found nothing it could draw on it', detail: 'mutool draw wrote no image' });
      else drawn.push({ k, image });
    }
    const read = await readDrawn(drawn.map((d) => d.image), dir, options, limits);
    drawn.forEach(({ k }, j) => {
      const outcome = read[j]!;
      results[k] = 'predicate' in outcome ? pageFailure(pages[k]!.index, outcome) : outcome;
    });
    return results.map((r) => r!);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Reads drawn page images with one tesseract process (given the list of images). If that process
 * fails, each image is read on its own, so that only the page at fault fails.
 */
async function readDrawn(images: string[], dir: string, options: OcrOptions, limits: Pick<ChildLimits, 'render' | 'ocr'>): Promise<Array<OcrPageResult | StepFailure>> {
  if (images.length === 0) return [];
  const engine = await tesseractEngine();
  const empty = (): OcrPageResult => ({ text: '', words: [], engine, confidence: null });
  let input = images[0]!;
  if (images.length > 1) {
    input = path.join(dir, 'pages.txt');
    await fs.promises.writeFile(input, `${images.join('\n')}\n`);
  }
  let tsv = '';
  const failure = await toolStep(async () => {
    tsv = (await runTesseract(input, options, forPages(limits.ocr, images.length))).stdout.toString('utf8');
  }, 'ocr', 'to read by OCR');
  if (!failure) {
    const read = parseTsv(tsv).map((page) => ({ ...page, engine }));
    return images.map((_, k) => read[k] ?? empty());
  }
  if (images.length === 1) return [failure];
  const one: Array<OcrPageResult | StepFailure> = [];
  for (const image of images) one.push(...(await readDrawn([image], dir, options, limits)));
  return one;
}

interface StepFailure {
  /** The sentence without its subject (the page). */
  predicate: string;
  detail?: string;
}

/**
 * Runs one tool step; a failure that belongs to the page (a cap, the tool's own failure) comes
 * back as a sentence, anything else (cancel, a missing tool) is thrown.
 */
async function toolStep(step: () => Promise<unknown>, kind: 'render' | 'ocr', activity: string): Promise<StepFailure | null> {
  try {
    await step();
    return null;
  } catch (error) {
    if (error instanceof ChildAborted) throw new OcrAbortedError();
    if (error instanceof ChildUnavailable) throw error;
    if (error instanceof ChildLimitExceeded) return { predicate: overLimitReason(error, kind, activity, 'skip the page'), detail: error.detail };
    const detail = (error as { detail?: string }).detail ?? String((error as Error)?.message ?? error);
    return kind === 'render'
      ? { predicate: 'could not be drawn for OCR: MuPDF cannot draw it (the page is damaged or uses something it does not support)', detail }
      : { predicate: 'could not be read by OCR: tesseract failed on its image', detail };
  }
}

function pageFailure(index: number, failure: StepFailure): OcrPageFailure {
  return { failed: { reason: `page ${index + 1} ${failure.predicate}`, ...(failure.detail ? { detail: failure.detail } : {}) } };
}

/** One PDF page (0-based), rasterised and read. */
export async function ocrPdfPage(pdfPath: string, pageIndex: number, pageSize: { width: number; height: number } | undefined, options: OcrOptions): Promise<OcrPageResult | OcrPageFailure> {
  const [result] = await ocrPdfPages(pdfPath, [{ index: pageIndex, size: pageSize }], options);
  return result!;
}

async function isPgm(file: string): Promise<boolean> {
  const fd = await fs.promises.open(file, 'r').catch(() => null);
  if (!fd) return false;
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fd.read(head, 0, 2, 0);
    return bytesRead === 2 && head.toString('latin1') === 'P5';
  } finally {
    await fd.close();
  }
}

/**
 * Reads an image original (PNG, JPEG, TIFF): a multi-page TIFF gives one result per frame, in
 * order. Its failures are the document's, as sentences (the tool's output goes with them, for the log).
 */
export async function ocrImagePages(imagePath: string, options: OcrOptions & { pages?: number }): Promise<OcrPageResult[]> {
  const limits = options.limits ?? DEFAULT_CHILD_LIMITS;
  let tsv = '';
  const failure = await toolStep(async () => {
    tsv = (await runTesseract(imagePath, options, forPages(limits.ocr, options.pages ?? 1))).stdout.toString('utf8');
  }, 'ocr', 'to read by OCR');
  if (failure) throw Object.assign(new ExtractionError(`the image ${failure.predicate.replace(/skip the page$/, 'split the image')}`), { detail: failure.detail });
  const engine = await tesseractEngine();
  return parseTsv(tsv).map((page) => ({ ...page, engine }));
}

function runTesseract(input: string, options: OcrOptions, limits: ChildLimits['ocr']) {
  return runLimited('tesseract', [input, 'stdout', '-l', langArg(options.langs), '--psm', '3', 'tsv'], {
    limits,
    signal: options.signal,
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
}

function langArg(langs: string[]): string {
  const clean = langs.filter((l) => /^[a-z_]{3,12}$/.test(l));
  return clean.length > 0 ? clean.join('+') : 'eng';
}

/**
 * Tesseract TSV → page text (words joined by spaces, lines by \n, paragraphs and blocks by a
 * blank line) with each word's offsets and box as fractions of the image.
 */
export function parseTsv(tsv: string): Array<Omit<OcrPageResult, 'engine'>> {
  const pages = new Map<number, { width: number; height: number; rows: string[][] }>();
  for (const line of tsv.split('\n').slice(1)) {
    const cols = line.split('\t');
    if (cols.length < 12) continue;
    const pageNum = Number(cols[1]);
    let page = pages.get(pageNum);
    if (!page) pages.set(pageNum, (page = { width: 1, height: 1, rows: [] }));
    if (cols[0] === '1') {
      page.width = Number(cols[8]) || 1;
      page.height = Number(cols[9]) || 1;
    } else if (cols[0] === '5') {
      page.rows.push(cols);
    }
  }
  return [...pages.keys()].sort((a, b) => a - b).map((k) => {
    const { width, height, rows } = pages.get(k)!;
    let text = '';
    const words: WordBox[] = [];
    let confSum = 0;
    let confCount = 0;
    let lastBlock = '';
    let lastLine = '';
    for (const cols of rows) {
      const word = (cols[11] ?? '').normalize('NFC').trim();
      if (!word) continue;
      const blockKey = `${cols[2]}.${cols[3]}`;
      const lineKey = `${blockKey}.${cols[4]}`;
      if (text.length > 0) text += blockKey !== lastBlock ? '\n\n' : lineKey !== lastLine ? '\n' : ' ';
      lastBlock = blockKey;
      lastLine = lineKey;
      const left = Number(cols[6]);
      const top = Number(cols[7]);
      words.push({
        start: text.length,
        end: text.length + word.length,
        x0: frac(left / width),
        y0: frac(top / height),
        x1: frac((left + Number(cols[8])) / width),
        y1: frac((top + Number(cols[9])) / height),
      });
      text += word;
      const conf = Number(cols[10]);
      if (conf >= 0) {
        confSum += conf;
        confCount += 1;
      }
    }
    return { text, words, confidence: confCount > 0 ? Math.round((confSum / confCount) * 10) / 10 : null };
  });
}

function frac(v: number): number {
  return Math.round(Math.min(1, Math.max(0, v)) * 10_000) / 10_000;
}

export class OcrAbortedError extends ExtractionAbortedError {
  override readonly name = 'OcrAbortedError';
  constructor() {
    super('OCR was cancelled');
  }
}
