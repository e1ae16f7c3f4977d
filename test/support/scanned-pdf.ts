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
