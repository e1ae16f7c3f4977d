/**
 * A second PDF text engine: poppler's `pdftotext -bbox-layout`, which gives every word with its
 * box. It reads what pdf.js refuses to open but whose pages are readable: a PDF that encrypts only
 * its attachments (pdf.js asks for the password of the whole file; poppler reads the pages), and
 * some damaged files poppler rebuilds where pdf.js gives up (qpdf's bad18.pdf). It
 * gives the same ExtractedPage shape as the pdf.js engine (NFC text, word boxes as fractions of
 * the crop box, origin top left), so another engine can take its place page for page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChildLimitExceeded, DEFAULT_CHILD_LIMITS, runLimited, type ToolLimits } from '../limited-process';
import { ExtractionError, type ExtractedPage, type WordBox } from './types';

export interface PopplerOptions {
  minTextChars: number;
  maxPageChars: number;
  maxPages: number;
  limits?: ToolLimits;
  fromPage?: number;
  onTotal?(total: number): void;
  onPage?(page: ExtractedPage): void | Promise<void>;
}

/** The pages of `bytes` read by pdftotext; throws ExtractionError when poppler cannot open the file either. */
export async function extractPdfPagesWithPoppler(bytes: Buffer, options: PopplerOptions): Promise<ExtractedPage[]> {
  const file = await TempPdf.write(bytes);
  try {
    let xhtml: string;
    try {
      xhtml = await bboxLayout(file.path, [], options.limits);
    } catch (error) {
      if (error instanceof ChildLimitExceeded) throw new ExtractionError(`the PDF could not be read: poppler went over its ${error.limit} limit`);
      throw new ExtractionError('the PDF could not be read by poppler either');
    }
    const pages = parseBboxLayout(xhtml, options);
    if (pages.length === 0) throw new ExtractionError('the PDF has no pages');
    if (pages.length > options.maxPages) throw new ExtractionError(`the PDF has ${pages.length} pages; at most ${options.maxPages} are accepted`);
    options.onTotal?.(pages.length);
    const out: ExtractedPage[] = [];
    for (const page of pages.slice(options.fromPage ?? 0)) {
      if (options.onPage) await options.onPage(page);
      else out.push(page);
    }
    return out;
  } finally {
    await file.remove();
  }
}

/** Pages poppler reads per pdftotext run when single pages are asked for. */
const WINDOW_PAGES = 32;

/**
 * Poppler's reading of single pages, asked for the pages pdf.js reads empty or cannot read while
 * pdftotext reads text on them (a damaged cross-reference table each reader repairs its own way, a
 * media box pdf.js will not lay text out in). Read lazily, a window of pages per run, so that a
 * scanned book costs a few runs rather than one a page; and only trusted when poppler counts the
 * same pages as pdf.js, so that page k is the same page in both readings.
 */
export class PopplerPageReader {
  private file: TempPdf | null = null;
  private readonly pages = new Map<number, ExtractedPage | null>();
  private usable: boolean | null = null;

  constructor(
    private readonly bytes: Buffer,
    private readonly total: number,
    private readonly options: Pick<PopplerOptions, 'minTextChars' | 'maxPageChars' | 'limits'>,
  ) {}

  /** Poppler's page `index` (0-based), or null when poppler cannot give it. */
  async page(index: number): Promise<ExtractedPage | null> {
    if (this.usable === false || index >= this.total) return null;
    if (!this.pages.has(index)) await this.readWindow(index);
    return this.pages.get(index) ?? null;
  }

  async close(): Promise<void> {
    await this.file?.remove();
    this.file = null;
  }

  private async readWindow(first: number): Promise<void> {
    const last = Math.min(this.total, first + WINDOW_PAGES) - 1;
    try {
      this.file ??= await TempPdf.write(this.bytes);
      if (this.usable === null) {
        const info = (await runLimited('pdfinfo', [this.file.path], { limits: this.options.limits ?? DEFAULT_CHILD_LIMITS.extract, maxOutputBytes: 1024 * 1024 })).stdout.toString('utf8');
        this.usable = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]) === this.total;
        if (!this.usable) return;
      }
      const xhtml = await bboxLayout(this.file.path, ['-f', String(first + 1), '-l', String(last + 1)], this.options.limits);
      const read = parseBboxLayout(xhtml, this.options);
      for (let k = first; k <= last; k++) this.pages.set(k, read[k - first] ? { ...read[k - first]!, index: k } : null);
    } catch {
      // Poppler cannot open the file or went over a limit: pdf.js's reading stands.
      this.usable = false;
    }
  }
}

async function bboxLayout(file: string, range: string[], limits: ToolLimits | undefined): Promise<string> {
  const result = await runLimited('pdftotext', ['-cropbox', '-bbox-layout', '-enc', 'UTF-8', ...range, file, '-'], { limits: limits ?? DEFAULT_CHILD_LIMITS.extract, maxOutputBytes: 512 * 1024 * 1024 });
  return result.stdout.toString('utf8');
}

/** The PDF in a private temporary directory, for tools that read a file. */
class TempPdf {
  private constructor(readonly path: string, private readonly dir: string) {}

  static async write(bytes: Buffer): Promise<TempPdf> {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lexwatch-poppler-'));
    const file = path.join(dir, 'in.pdf');
    await fs.promises.writeFile(file, bytes);
    return new TempPdf(file, dir);
  }

  async remove(): Promise<void> {
    await fs.promises.rm(this.dir, { recursive: true, force: true });
  }
}

const unescapeXml = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&');

/**
 * `pdftotext -bbox-layout` output → pages: words joined by a space within a line, lines by a
 * line break, blocks by a blank line; each word's box as fractions of the page.
 */
export function parseBboxLayout(xhtml: string, options: Pick<PopplerOptions, 'minTextChars' | 'maxPageChars'>): ExtractedPage[] {
  const pages: ExtractedPage[] = [];
  const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g;
  for (let m = pageRe.exec(xhtml); m; m = pageRe.exec(xhtml)) {
    const width = Number(m[1]) || 1;
    const height = Number(m[2]) || 1;
    const index = pages.length;
    let text = '';
    const words: WordBox[] = [];
    for (const block of m[3]!.split(/<\/block>/)) {
      let blockStarted = false;
      for (const line of block.split(/<\/line>/)) {
        const wordRe = /<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<\/word>/g;
        let lineStarted = false;
        for (let w = wordRe.exec(line); w; w = wordRe.exec(line)) {
          const word = unescapeXml(w[5]!).normalize('NFC');
          if (!word) continue;
          if (text.length > 0) text += lineStarted ? ' ' : blockStarted ? '\n' : '\n\n';
          lineStarted = blockStarted = true;
          words.push({ start: text.length, end: text.length + word.length, x0: frac(Number(w[1]) / width), y0: frac(Number(w[2]) / height), x1: frac(Number(w[3]) / width), y1: frac(Number(w[4]) / height) });
          text += word;
        }
      }
    }
    if (text.length > options.maxPageChars) {
      pages.push({ index, label: null, text: '', method: 'text-layer', size: { width, height }, failed: { reason: `could not be read: it has ${text.length} characters of text; at most ${options.maxPageChars} per page are read` } });
      continue;
    }
    const visible = text.replace(/\s+/g, '').length;
    pages.push({ index, label: null, text, method: 'text-layer', words, size: { width, height }, needsOcr: visible < options.minTextChars });
  }
  return pages;
}

function frac(v: number): number {
  return Math.round(Math.min(1, Math.max(0, v)) * 10_000) / 10_000;
}
