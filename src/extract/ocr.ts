/**
 * OCR with the system's MuPDF (`mutool draw`) and `tesseract`, each a child process with a time
 * limit that is killed on timeout or cancellation. Tesseract runs single-threaded
 * (OMP_THREAD_LIMIT=1): measured, its default threading is ~5× slower in wall time on two busy
 * cores; callers run one per core instead, pages in parallel.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExtractionAbortedError, ExtractionError, type WordBox } from './types';

export interface OcrOptions {
  /** Tesseract language codes, e.g. ['eng'] or ['aze', 'rus']. */
  langs: string[];
  dpi?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface OcrPageResult {
  text: string;
  words: WordBox[];
  engine: string;
  /** Mean word confidence, 0–100; null when no word was read. */
  confidence: number | null;
}

/** 150 dpi reads body text well at a quarter of 300 dpi's pixels; see the issue's measurements. */
export const DEFAULT_OCR_DPI = 150;
/** Pixel cap of a rasterised page (longest side): absurd page sizes are scaled down, not rendered. */
export const MAX_RASTER_SIDE = 5_000;
/** Time allowed to each tool for one page (rasterising it, reading it). */
const DEFAULT_PAGE_TIMEOUT_MS = 120_000;
/** Images larger than this (pixels) are refused before tesseract reads them. */
export const MAX_IMAGE_PIXELS = 40_000_000;

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
export async function ocrPdfPages(pdfPath: string, pages: readonly PdfPageRef[], options: OcrOptions): Promise<OcrPageResult[]> {
  if (pages.length === 0) return [];
  const dpi = options.dpi ?? DEFAULT_OCR_DPI;
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lexwatch-ocr-'));
  try {
    const images: string[] = [];
    for (const page of pages) {
      const longest = Math.max(page.size?.width ?? 612, page.size?.height ?? 792, 1);
      const effectiveDpi = Math.max(20, Math.min(dpi, Math.floor((MAX_RASTER_SIDE * 72) / longest)));
      const image = path.join(dir, `p${page.index + 1}.pgm`);
      // Uncompressed greyscale PGM, not PNG: tesseract reads the same pixels (identical TSV), and
      // skipping the zlib encode and decode took ~0.45 s off a page at 150 dpi (measured with
      // pdftoppm: rasterising 0.47 → 0.2 s, reading 0.82 → 0.65 s); files live until read.
      await run('mutool', ['draw', '-q', '-r', String(effectiveDpi), '-c', 'gray', '-o', image, pdfPath, String(page.index + 1)], options, 'rasterising the page');
      // mutool answers 0 for a page it could not draw (out of range, broken): check what it wrote.
      if (!(await isPgm(image))) throw new ExtractionError(`page ${page.index + 1} could not be rasterised`);
      images.push(image);
    }
    const list = path.join(dir, 'pages.txt');
    await fs.promises.writeFile(list, `${images.join('\n')}\n`);
    const timeoutMs = (options.timeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS) * pages.length;
    const read = await ocrImagePages(images.length === 1 ? images[0]! : list, { ...options, timeoutMs });
    const empty = { text: '', words: [], engine: await tesseractEngine(), confidence: null };
    return pages.map((_, k) => read[k] ?? empty);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** One PDF page (0-based), rasterised and read. */
export async function ocrPdfPage(pdfPath: string, pageIndex: number, pageSize: { width: number; height: number } | undefined, options: OcrOptions): Promise<OcrPageResult> {
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
 * Reads an image file (PNG, JPEG, TIFF, PGM), or a text file listing images one per line; a
 * multi-page TIFF or a list gives one result per page, in order.
 */
export async function ocrImagePages(imagePath: string, options: OcrOptions): Promise<OcrPageResult[]> {
  const tsv = await run('tesseract', [imagePath, 'stdout', '-l', langArg(options.langs), '--psm', '3', 'tsv'], options, 'OCR');
  const engine = await tesseractEngine();
  return parseTsv(tsv).map((page) => ({ ...page, engine }));
}

export async function ocrImage(imagePath: string, options: OcrOptions): Promise<OcrPageResult> {
  const pages = await ocrImagePages(imagePath, options);
  return pages[0] ?? { text: '', words: [], engine: await tesseractEngine(), confidence: null };
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

/** Runs a tool with a time limit; its stdout is the result. Killed (SIGKILL) on timeout or abort. */
function run(command: string, args: string[], options: OcrOptions, what: string): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new OcrAbortedError());
    const child = spawn(command, args, { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(() => reject(new OcrAbortedError()));
    };
    options.signal?.addEventListener('abort', onAbort);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new ExtractionError(`${what} took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`)));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > 64 * 1024 * 1024) {
        child.kill('SIGKILL');
        finish(() => reject(new ExtractionError(`${what} produced too much output and was stopped`)));
      } else out.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      err = (err + chunk).slice(-2000);
    });
    child.on('error', (error) => finish(() => reject(new Error(`${command} could not be started (${error.message}); is it installed? see scripts/setup-system.sh`))));
    child.on('close', (code, signal) => {
      if (code === 0) finish(() => resolve(Buffer.concat(out).toString('utf8')));
      else finish(() => reject(new ExtractionError(`${what} failed (${signal ?? `exit code ${code}`}): ${err.trim().split('\n').slice(-2).join(' ') || 'no message'}`)));
    });
  });
}

export class OcrAbortedError extends ExtractionAbortedError {
  override readonly name = 'OcrAbortedError';
  constructor() {
    super('OCR was cancelled');
  }
}
