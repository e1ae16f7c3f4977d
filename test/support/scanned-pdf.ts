/**
 * Synthetic scanned books for tests: each page typeset with pdfkit, rasterised with the real
 * pdftoppm, and placed as a full-page image in a new PDF with no text layer.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';

function finish(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** A text PDF, one page per entry (lines of text at 14 pt). */
export async function textPdf(pages: string[][]): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false, size: 'A4', info: { Title: 'synthetic test document' } });
  for (const lines of pages) {
    doc.addPage({ margin: 72 });
    doc.fontSize(14);
    for (const line of lines) doc.text(line, { width: 450 }).moveDown(0.6);
  }
  return finish(doc);
}

/** The same pages as images only (no text layer), rasterised at `dpi`. */
export async function scannedPdf(pages: string[][], dpi = 100): Promise<Buffer> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-scan-'));
  try {
    const src = path.join(tmp, 'src.pdf');
    fs.writeFileSync(src, await textPdf(pages));
    execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', src, path.join(tmp, 'p')]);
    const images = fs.readdirSync(tmp).filter((f) => f.endsWith('.png')).sort();
    const doc = new PDFDocument({ autoFirstPage: false, info: { Title: 'synthetic scanned document' } });
    for (const image of images) {
      doc.addPage({ size: 'A4', margin: 0 });
      doc.image(path.join(tmp, image), 0, 0, { width: doc.page.width, height: doc.page.height });
    }
    return await finish(doc);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Page k of a synthetic book: a neutral line naming the page and one dehumanizing sentence. */
export function bookPage(k: number): string[] {
  return [`Page ${k + 1} of the Ormund leaflet collection (synthetic).`, 'The Merenites spread like a plague across Ormund.'];
}

/**
 * A page whose crop box (what viewers, pdf.js and MuPDF show) is only part of its MediaBox:
 * MediaBox 600×800 pt, CropBox [30 0 570 360] in PDF coordinates (origin bottom left), i.e. the
 * lower part of the page, 540×360 pt (aspect 1.5), offset in both directions.
 */
export const CROPPED_PAGE = { media: { width: 600, height: 800 }, crop: { x: 30, y: 0, width: 540, height: 360 } } as const;

/** A one-page text PDF of CROPPED_PAGE with `lines` (14 pt) inside the crop box; the rest of the MediaBox is blank. */
export async function croppedTextPdf(lines: string[]): Promise<Buffer> {
  const { media, crop } = CROPPED_PAGE;
  const doc = new PDFDocument({ autoFirstPage: false, info: { Title: 'synthetic cropped document' } });
  doc.addPage({ size: [media.width, media.height], margin: 0 });
  // pdfkit has no crop box option; its page dictionary is written when the page ends.
  (doc.page as unknown as { dictionary: { data: Record<string, unknown> } }).dictionary.data.CropBox = [crop.x, crop.y, crop.x + crop.width, crop.y + crop.height];
  const cropTop = media.height - (crop.y + crop.height);
  doc.fontSize(14);
  doc.x = crop.x + 30;
  doc.y = cropTop + 40;
  for (const line of lines) doc.text(line, { width: crop.width - 60 }).moveDown(0.6);
  return finish(doc);
}
