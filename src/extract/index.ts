/**
 * Extract: original bytes in, pages out (index, printed label, NFC text). Offsets of every flag
 * refer to exactly the text returned here, so it is normalised to NFC once, here, and stored.
 */
import type { AcceptedType } from '../ingest/sniff';
import { extractPdfPages, type PageStream } from './pdf';
import { extractDocxPages } from './docx';
import { extractHtmlPages } from './html';
import { extractTextPages } from './text';
import { ExtractionError, type ExtractedPage } from './types';

export { ExtractionError, type ExtractedPage, type PageStream };

/** With `stream`, PDF pages are handed over as they are read and not returned (other types return theirs). */
export async function extractPages(bytes: Buffer, type: AcceptedType, stream?: PageStream): Promise<ExtractedPage[]> {
  if (bytes.length === 0) throw new ExtractionError('the file is empty (0 bytes)');
  switch (type) {
    case 'pdf':
      return extractPdfPages(bytes, stream);
    case 'html':
      return extractHtmlPages(bytes);
    case 'docx':
      return extractDocxPages(bytes);
    case 'text':
      return extractTextPages(bytes);
    default:
      // Images have no text to extract here: the pipeline reads them by OCR.
      throw new ExtractionError(`${type} files are read by OCR, not by text extraction`);
  }
}

export { extractPdfPages, extractTextPages };
