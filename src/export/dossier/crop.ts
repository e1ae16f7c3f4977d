/**
 * Page-region images for PDF sources (and image sources, through a working PDF: image-pdf.ts): the region around an excerpt, rendered with `pdftoppm`
 * from the stored original. The box is the flag's own (fractions of the page) when it has one;
 * otherwise it is found by searching `pdftotext -bbox-layout` word boxes for the exact text.
 * "The page" is its crop box throughout (`-cropbox` for both tools), as for pdf.js, whose
 * text-layer boxes the flags carry: a page whose crop box differs from its MediaBox would
 * otherwise be cropped in the wrong place.
 * Only fixed binaries with argument arrays are run (no shell); paths come from content addresses.
 */
import { DEFAULT_CHILD_LIMITS, runLimited, type ToolLimits } from '../../limited-process';

/** Fractions of the page (0–1), origin top left. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PageCrop {
  png: Buffer;
  /** The excerpt's box in pixels of `png`. */
  boxPx: { x: number; y: number; w: number; h: number };
  width: number;
  height: number;
  boxSource: 'flag' | 'text-search';
  box: Box;
}

interface Word {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A text line's vertical extent, in points from the top of the page. */
interface TextLine {
  y0: number;
  y1: number;
}

interface PageWords {
  width: number;
  height: number;
  words: Word[];
  /** The page's text lines (pdftotext's), which a crop band never cuts through. */
  lines?: TextLine[];
}

const CROP_DPI = 110;

/** Per-page word boxes, cached per builder run (one pdftotext call per page). */
export class PageLocator {
  private readonly cache = new Map<string, Promise<PageWords | null>>();
  constructor(private readonly limits: ToolLimits = DEFAULT_CHILD_LIMITS.render) {}

  words(pdfPath: string, pageIndex: number): Promise<PageWords | null> {
    const key = `${pdfPath}#${pageIndex}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = readWords(pdfPath, pageIndex, this.limits).catch(() => null);
      this.cache.set(key, hit);
    }
    return hit;
  }

  /** The box of `exact` on the page, found in the text layer's word boxes; null if not found. */
  async locate(pdfPath: string, pageIndex: number, exact: string, context?: { prefix: string }): Promise<Box | null> {
    const page = await this.words(pdfPath, pageIndex);
    if (!page) return null;
    return locateInWords(page, exact, context?.prefix ?? '');
  }
}

async function readWords(pdfPath: string, pageIndex: number, limits: ToolLimits): Promise<PageWords | null> {
  const n = String(pageIndex + 1);
  const stdout = (await runLimited('pdftotext', ['-f', n, '-l', n, '-cropbox', '-bbox-layout', '-enc', 'UTF-8', pdfPath, '-'], { limits })).stdout.toString('utf8');
  const pageMatch = /<page width="([\d.]+)" height="([\d.]+)">/.exec(stdout);
  if (!pageMatch) return null;
  const lines: TextLine[] = [];
  for (const m of stdout.matchAll(/<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">/g)) lines.push({ y0: +m[1]!, y1: +m[2]! });
  const words: Word[] = [];
  const re = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (let m = re.exec(stdout); m; m = re.exec(stdout)) {
    words.push({ x0: +m[1]!, y0: +m[2]!, x1: +m[3]!, y1: +m[4]!, text: unescapeXml(m[5]!).normalize('NFC') });
  }
  return { width: +pageMatch[1]!, height: +pageMatch[2]!, words, lines };
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

const squash = (s: string): string => s.normalize('NFC').replace(/[\s\u00AD]+/gu, '').toLocaleLowerCase('und');

/**
 * Finds `exact` in the concatenation of the page's words (whitespace ignored, so line breaks and
 * hyphenless wraps do not matter). When it occurs more than once, the occurrence whose preceding
 * text best matches the flag's prefix wins.
 */
export function locateInWords(page: PageWords, exact: string, prefix: string): Box | null {
  const needle = squash(exact);
  if (!needle) return null;
  let joined = '';
  const owner: number[] = [];
  page.words.forEach((w, i) => {
    const t = squash(w.text);
    joined += t;
    for (let k = 0; k < t.length; k++) owner.push(i);
  });
  const wantedBefore = squash(prefix).slice(-40);
  let best = -1;
  let bestScore = -1;
  for (let at = joined.indexOf(needle); at >= 0; at = joined.indexOf(needle, at + 1)) {
    const before = joined.slice(Math.max(0, at - wantedBefore.length), at);
    let score = 0;
    while (score < before.length && before[before.length - 1 - score] === wantedBefore[wantedBefore.length - 1 - score]) score++;
    if (score > bestScore) {
      best = at;
      bestScore = score;
    }
  }
  if (best < 0) return null;
  const hit = page.words.slice(owner[best]!, owner[best + needle.length - 1]! + 1);
  return {
    x0: Math.min(...hit.map((w) => w.x0)) / page.width,
    y0: Math.min(...hit.map((w) => w.y0)) / page.height,
    x1: Math.max(...hit.map((w) => w.x1)) / page.width,
    y1: Math.max(...hit.map((w) => w.y1)) / page.height,
  };
}

/** Context shown above and below the excerpt, as a share of the page height (about four lines of body text on A4). */
const BAND_MARGIN = 0.06;
/** Blank room kept between a band's edge and the nearest line it takes in, in points (the ink of accents and descenders can pass a line's box). */
const BAND_PAD_PT = 3;

/**
 * The band of the page a crop shows, in points from the top: the excerpt's box plus a margin,
 * widened so that neither edge cuts through a text line, then eased into the gap beyond (at most
 * BAND_PAD_PT, never into the next line), within the page.
 */
export function cropBand(box: Box, page: { height: number; lines?: readonly TextLine[] }): { top: number; bottom: number } {
  const H = page.height;
  const lines = page.lines ?? [];
  let top = Math.max(0, Math.min(H, (box.y0 - BAND_MARGIN) * H));
  let bottom = Math.max(0, Math.min(H, (box.y1 + BAND_MARGIN) * H));
  // Widening one edge to a tall line can make it cut another (overlapping columns): repeat until none is cut.
  for (let changed = true; changed; ) {
    changed = false;
    for (const l of lines) {
      if (l.y0 < top && top < l.y1) {
        top = l.y0;
        changed = true;
      }
      if (l.y0 < bottom && bottom < l.y1) {
        bottom = l.y1;
        changed = true;
      }
    }
  }
  const above = Math.max(0, ...lines.filter((l) => l.y1 <= top).map((l) => l.y1));
  const below = Math.min(H, ...lines.filter((l) => l.y0 >= bottom).map((l) => l.y0));
  top = Math.max(0, top - Math.min(BAND_PAD_PT, (top - above) / 2));
  bottom = Math.min(H, bottom + Math.min(BAND_PAD_PT, (below - bottom) / 2));
  return { top, bottom };
}

/**
 * Renders the full-width band of the page (its crop box, `page` in points, with its text lines
 * where known) around the box as PNG: see cropBand. Only the flag's page is rendered.
 */
export async function renderCrop(pdfPath: string, pageIndex: number, box: Box, boxSource: PageCrop['boxSource'], page: { width: number; height: number; lines?: readonly TextLine[] }, limits: ToolLimits = DEFAULT_CHILD_LIMITS.render): Promise<PageCrop> {
  const scale = CROP_DPI / 72;
  const pageW = Math.round(page.width * scale);
  const pageH = Math.round(page.height * scale);
  const band = cropBand(box, page);
  const top = Math.max(0, Math.floor(band.top * scale));
  const bottom = Math.min(pageH, Math.ceil(band.bottom * scale));
  const height = Math.max(1, bottom - top);
  const n = String(pageIndex + 1);
  const { stdout: png } = await runLimited(
    'pdftoppm',
    ['-f', n, '-l', n, '-cropbox', '-r', String(CROP_DPI), '-x', '0', '-y', String(top), '-W', String(pageW), '-H', String(height), '-png', pdfPath],
    { limits },
  );
  if (png.length < 8 || png.readUInt32BE(0) !== 0x89504e47) throw new Error('pdftoppm produced no PNG');
  return {
    png,
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    boxPx: { x: box.x0 * pageW, y: box.y0 * pageH - top, w: (box.x1 - box.x0) * pageW, h: (box.y1 - box.y0) * pageH },
    boxSource,
    box,
  };
}
