/**
 * Page images for the reviewers' document view: a PDF page rendered by poppler's `pdftoppm`
 * (PNG, at most PAGE_IMAGE_SIDE px on its longest side), cached on disk; a PNG or JPEG original
 * is its own page image. The cache path is derived only from the original's SHA-256 and the
 * page index, never from anything a client sent, and files appear by rename (complete or not
 * at all), so concurrent requests for the same page are harmless.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Longest side of a rendered page: about 120 dpi for A4 or Letter, enough to read, small to send. */
export const PAGE_IMAGE_SIDE = 1400;
const RENDER_TIMEOUT_MS = 60_000;

export interface PageImage {
  file: string;
  contentType: 'image/png' | 'image/jpeg';
}

export class PageImageUnavailable extends Error {
  override readonly name = 'PageImageUnavailable';
}

export class PageImages {
  constructor(readonly cacheDir: string) {}

  /** Where page `index` of the PDF with this hash is cached. */
  cachePath(sha256: string, index: number): string {
    if (!/^[0-9a-f]{64}$/.test(sha256) || !Number.isInteger(index) || index < 0) throw new Error('not a page of a stored original');
    return path.join(this.cacheDir, sha256.slice(0, 2), `${sha256}-p${index}-${PAGE_IMAGE_SIDE}.png`);
  }

  /**
   * The image of page `index` of an original of the given type stored at `originalPath`.
   * Throws PageImageUnavailable for originals with no page image (text, HTML, DOCX; TIFF,
   * which browsers cannot show).
   */
  async image(original: { type: string; sha256: string }, originalPath: string, index: number): Promise<PageImage> {
    if (original.type === 'png' || original.type === 'jpeg') {
      if (index !== 0) throw new PageImageUnavailable('an image original has one page');
      return { file: originalPath, contentType: original.type === 'png' ? 'image/png' : 'image/jpeg' };
    }
    if (original.type === 'tiff') throw new PageImageUnavailable('TIFF originals are not shown as images (browsers cannot display TIFF); read the page text');
    if (original.type !== 'pdf') throw new PageImageUnavailable(`a ${original.type} original has no page images`);
    const file = this.cachePath(original.sha256, index);
    if (!fs.existsSync(file)) await this.render(originalPath, index, file);
    return { file, contentType: 'image/png' };
  }

  private async render(pdfPath: string, index: number, target: string): Promise<void> {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const base = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const n = String(index + 1);
    try {
      await execFileAsync('pdftoppm', ['-f', n, '-l', n, '-singlefile', '-scale-to', String(PAGE_IMAGE_SIDE), '-png', pdfPath, base], { timeout: RENDER_TIMEOUT_MS, killSignal: 'SIGKILL' });
      const png = await fs.promises.readFile(`${base}.png`);
      if (png.length < 8 || png.readUInt32BE(0) !== 0x89504e47) throw new Error('pdftoppm produced no PNG');
      await fs.promises.rename(`${base}.png`, target);
    } finally {
      await fs.promises.rm(`${base}.png`, { force: true });
    }
  }
}
