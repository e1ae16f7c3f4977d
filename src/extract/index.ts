/**
 * Extract: original bytes in, pages out (index, printed label, NFC text). Offsets of every flag
 * refer to exactly the text returned here, so it is normalised to NFC once, here, and stored.
 */
import type { AcceptedType } from '../ingest/sniff';
import { extractPdfPages } from './pdf';
import { extractTextPages } from './text';
import { ExtractionError, type ExtractedPage } from './types';

export { ExtractionError, type ExtractedPage };

export async function extractPages(bytes: Buffer, type: AcceptedType): Promise<ExtractedPage[]> {
  if (bytes.length === 0) throw new ExtractionError('the file is empty (0 bytes)');
  return type === 'pdf' ? extractPdfPages(bytes) : extractTextPages(bytes);
}

export { extractPdfPages, extractTextPages };
