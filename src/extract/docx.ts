/** DOCX → HTML with mammoth (headings, paragraphs, lists, tables) → visible text as for web pages. */
import mammoth from 'mammoth';
import { htmlToText } from './html';
import { splitAtParagraphs } from './text';
import { ExtractionError, type ExtractedPage } from './types';

export async function extractDocxPages(bytes: Buffer): Promise<ExtractedPage[]> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: bytes })).value;
  } catch (error) {
    throw new ExtractionError(`the Word document could not be read: ${(error as Error)?.message ?? String(error)}`);
  }
  const text = htmlToText(html);
  if (!text) throw new ExtractionError('the Word document has no text');
  return splitAtParagraphs(text, 20_000).map((chunk, index) => ({ index, label: null, text: chunk, method: 'plain-text' as const }));
}
