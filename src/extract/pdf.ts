import { PDFParse } from 'pdf-parse';
import { ExtractionError, type ExtractedPage } from './types';

/** Per-page text layer with pdf.js (through pdf-parse), with printed page labels where the PDF has them. */
export async function extractPdfPages(bytes: Buffer): Promise<ExtractedPage[]> {
  // pdf.js may detach the buffer it is given: hand it a copy.
  const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: 0, stopAtErrors: false });
  try {
    const info = await parser.getInfo();
    if (!info.total) throw new ExtractionError('the PDF has no pages');
    const labels = await pageLabels(parser);
    const result = await parser.getText({ pageJoiner: '' });
    return result.pages
      .slice()
      .sort((a, b) => a.num - b.num)
      .map((page) => ({
        index: page.num - 1,
        label: labels?.[page.num - 1] || null,
        text: page.text.normalize('NFC'),
        method: 'text-layer' as const,
      }));
  } catch (error) {
    throw toExtractionError(error);
  } finally {
    await parser.destroy().catch(() => {});
  }
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
      return new ExtractionError(`the PDF could not be read: ${message}`);
  }
}
