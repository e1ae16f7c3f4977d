/**
 * Page images for the reviewers' document view: a PDF page's crop box rendered by poppler's
 * `pdftoppm` (PNG, at most PAGE_IMAGE_SIDE px on its longest side), cached on disk; a PNG or
 * JPEG original is its own page image; a TIFF original (which browsers cannot display) is
 * converted once to a PDF by libtiff's `tiff2pdf` — every frame a page — and rendered like one.
 * The cache paths are derived only from the original's SHA-256 and the page index, never from
 * anything a client sent, and files appear by rename (complete or not at all), so concurrent
 * requests for the same page are harmless.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ChildLimitExceeded, ChildUnavailable, DEFAULT_CHILD_LIMITS, overLimitReason, runLimited, type ToolLimits } from '../limited-process';

/** Longest side of a rendered page: about 120 dpi for A4 or Letter, enough to read, small to send. */
export const PAGE_IMAGE_SIDE = 1400;
/**
 * Names what a cached page image is: the crop box (as pdf.js, whose text-layer word boxes the
 * web UI draws on it, and MuPDF's OCR rendering see the page) at PAGE_IMAGE_SIDE. Part of the
 * cache file name and the ETag, so images rendered before (the whole MediaBox) are never served.
 */
const RENDERING = `cropbox-${PAGE_IMAGE_SIDE}`;

/** The ETag of page `index` of the original with this hash: changes whenever the rendering does. */
export function pageImageTag(sha256: string, index: number): string {
  return `"${sha256}-p${index}-${RENDERING}"`;
}

export interface PageImage {
  file: string;
  contentType: 'image/png' | 'image/jpeg';
}

/** Originals that have page images: PDF and TIFF pages are rendered, a PNG or JPEG is its own. */
export const PAGE_IMAGE_TYPES: readonly string[] = ['pdf', 'png', 'jpeg', 'tiff'];

/** No image of this page can be had; the message is a sentence for people (no paths, no tool output). */
export class PageImageUnavailable extends Error {
  override readonly name = 'PageImageUnavailable';
  constructor(
    message: string,
    /** The tool's own output, for the log only. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export class PageImages {
  constructor(
    readonly cacheDir: string,
    /** Caps of `pdftoppm` and `tiff2pdf` (the render limits). */
    private readonly limits: ToolLimits = DEFAULT_CHILD_LIMITS.render,
  ) {}

  /** Where page `index` of the PDF with this hash is cached. */
  cachePath(sha256: string, index: number): string {
    if (!/^[0-9a-f]{64}$/.test(sha256) || !Number.isInteger(index) || index < 0) throw new Error('not a page of a stored original');
    return path.join(this.cacheDir, sha256.slice(0, 2), `${sha256}-p${index}-${RENDERING}.png`);
  }

  /**
   * The image of page `index` of an original of the given type stored at `originalPath`.
   * Throws PageImageUnavailable for originals with no page image (text, HTML, DOCX) and for
   * pages that do not exist.
   */
  async image(original: { type: string; sha256: string }, originalPath: string, index: number): Promise<PageImage> {
    if (original.type === 'png' || original.type === 'jpeg') {
      if (index !== 0) throw new PageImageUnavailable('an image original has one page');
      return { file: originalPath, contentType: original.type === 'png' ? 'image/png' : 'image/jpeg' };
    }
    if (!PAGE_IMAGE_TYPES.includes(original.type)) throw new PageImageUnavailable(`a ${original.type} original has no page images`);
    const file = this.cachePath(original.sha256, index);
    if (!fs.existsSync(file)) {
      const pdfPath = original.type === 'tiff' ? await this.tiffAsPdf(original.sha256, originalPath) : originalPath;
      await this.render(pdfPath, index, file);
    }
    return { file, contentType: 'image/png' };
  }

  /** The TIFF original as a PDF (one page per frame), converted once and cached beside the page images. */
  private async tiffAsPdf(sha256: string, tiffPath: string): Promise<string> {
    const target = path.join(path.dirname(this.cachePath(sha256, 0)), `${sha256}.tiff.pdf`);
    if (fs.existsSync(target)) return target;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await runLimited('tiff2pdf', ['-o', tmp, tiffPath], { limits: this.limits });
      await fs.promises.rename(tmp, target);
    } catch (error) {
      throw unavailable(error, 'the TIFF could not be converted for display', 'to convert for display');
    } finally {
      await fs.promises.rm(tmp, { force: true });
    }
    return target;
  }

  private async render(pdfPath: string, index: number, target: string): Promise<void> {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const base = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const n = String(index + 1);
    try {
      // -cropbox: the page as viewers show it; -scale-to then sizes the crop box's longest side.
      await runLimited('pdftoppm', ['-f', n, '-l', n, '-cropbox', '-singlefile', '-scale-to', String(PAGE_IMAGE_SIDE), '-png', pdfPath, base], { limits: this.limits });
      const png = await fs.promises.readFile(`${base}.png`).catch(() => Buffer.alloc(0));
      if (png.length < 8 || png.readUInt32BE(0) !== 0x89504e47) throw new PageImageUnavailable('the page could not be drawn (poppler found nothing it could draw on it)', 'pdftoppm produced no PNG');
      await fs.promises.rename(`${base}.png`, target);
    } catch (error) {
      throw unavailable(error, 'the page could not be drawn (it is damaged or uses something poppler does not support)', 'to draw');
    } finally {
      await fs.promises.rm(`${base}.png`, { force: true });
    }
  }
}

/** A tool's failure as a sentence for people; its raw output (which names server paths) stays in `detail`. */
function unavailable(error: unknown, failed: string, activity: string): PageImageUnavailable {
  if (error instanceof PageImageUnavailable) return error;
  if (error instanceof ChildUnavailable) return new PageImageUnavailable('a tool the page images need is not installed (see scripts/setup-system.sh)', error.message);
  if (error instanceof ChildLimitExceeded) return new PageImageUnavailable(`the page ${overLimitReason(error, 'render', activity, 'read its text instead')}`, error.detail);
  return new PageImageUnavailable(failed, (error as { detail?: string }).detail ?? String((error as Error)?.message ?? error));
}
