/**
 * Dossier page crops (issue 15, item 5): the band around each flag of the sample textbook takes
 * in whole text lines (no line is cut at its top or bottom edge, checked on the rendered pixels
 * and against pdftotext's lines), keeps a margin of context, holds the flag's box, and never
 * leaves the flag's page.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { analyzePage, compileLexicon } from '../../src/analyze';
import { cropBand, PageLocator, renderCrop } from '../../src/export/dossier/crop';
import { extractPagesIsolated } from '../../src/extract/isolated';
import { loadLexicon } from '../../src/lexicon';
import { spanBox } from '../../src/pipeline/page-analysis';
import { decodePng, inkShare } from '../support/png';

const TEXTBOOK = path.resolve(__dirname, '..', '..', 'fixtures', 'textbook-sample.pdf');
const DPI = 110;

/** pdftotext's text lines of one page, in points from the top. */
function lines(pageIndex: number): Array<{ y0: number; y1: number }> {
  const n = String(pageIndex + 1);
  const xml = execFileSync('pdftotext', ['-f', n, '-l', n, '-cropbox', '-bbox-layout', TEXTBOOK, '-'], { encoding: 'utf8' });
  return [...xml.matchAll(/<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">/g)].map((m) => ({ y0: +m[1]!, y1: +m[2]! }));
}

describe('crop bands', () => {
  it('take whole text lines around every flag of the sample textbook, with a margin, on its page', async () => {
    const lexicon = compileLexicon(loadLexicon());
    const locator = new PageLocator();
    let checked = 0;
    for (const page of await extractPagesIsolated(TEXTBOOK, 'pdf')) {
      if (!page.words?.length) continue;
      for (const flag of analyzePage(page.text, lexicon, { fuzzy: false, obfuscation: false }).flags) {
        const box = spanBox(page.words, flag.start, flag.end)!;
        const words = (await locator.words(TEXTBOOK, page.index))!;
        const band = cropBand(box, words);
        const crop = await renderCrop(TEXTBOOK, page.index, box, 'flag', words);
        const image = decodePng(crop.png);
        const where = `page ${page.index}, "${flag.exact}"`;
        // On the page, and holding the flag's box with room for context around it.
        expect({ where, inside: band.top >= 0 && band.bottom <= words.height }).toEqual({ where, inside: true });
        expect(band.top).toBeLessThanOrEqual(box.y0 * words.height - 12);
        expect(band.bottom).toBeGreaterThanOrEqual(box.y1 * words.height + 12);
        expect(crop.boxPx.y).toBeGreaterThan(0);
        expect(crop.boxPx.y + crop.boxPx.h).toBeLessThan(image.height);
        // No text line straddles either edge…
        for (const l of lines(page.index)) {
          for (const edge of [band.top, band.bottom]) expect({ where, line: l, cut: l.y0 < edge - 0.01 && edge > 0 && edge < l.y1 - 0.01 }).toMatchObject({ cut: false });
        }
        // …and none is cut in the image: its first and last pixel rows are blank paper.
        expect({ where, top: inkShare(image, { x0: 0, y0: 0, x1: image.width, y1: 1 }) }).toEqual({ where, top: 0 });
        expect({ where, bottom: inkShare(image, { x0: 0, y0: image.height - 1, x1: image.width, y1: image.height }) }).toEqual({ where, bottom: 0 });
        expect(image.height).toBeCloseTo(((band.bottom - band.top) * DPI) / 72, -1);
        checked += 1;
      }
    }
    expect(checked).toBe(8);
  }, 120_000);

  it('snap outwards to the lines an edge would cut, and stop short of the next line', () => {
    const page = { height: 800, lines: [{ y0: 106, y1: 120 }, { y0: 122, y1: 138 }, { y0: 140, y1: 154 }, { y0: 200, y1: 214 }] };
    // Box on the line 200–214; the 6 % margin (48 pt) puts the top edge at 152, inside the line 140–154.
    const band = cropBand({ x0: 0.1, y0: 200 / 800, x1: 0.5, y1: 214 / 800 }, page);
    expect(band.top).toBeCloseTo(139, 5); // widened to 140, then half the 2 pt gap to the line above
    expect(band.bottom).toBeCloseTo(265, 5); // no line cut below: margin (262), plus 3 pt of blank room
    // Near the page's top edge the band stops at the page.
    expect(cropBand({ x0: 0, y0: 0.01, x1: 1, y1: 0.02 }, page).top).toBe(0);
  });
});
