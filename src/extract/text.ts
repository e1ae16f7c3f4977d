import { ExtractionError, type ExtractedPage } from './types';

/** Plain text has no pages; form feeds mark them where present, else long text is cut at paragraphs. */
const MAX_PAGE_CHARS = 20_000;

export function extractTextPages(bytes: Buffer): ExtractedPage[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ExtractionError('the text file is not valid UTF-8');
  }
  text = text.replace(/\r\n?/g, '\n').normalize('NFC');
  const chunks = text.includes('\f') ? text.split('\f') : splitAtParagraphs(text, MAX_PAGE_CHARS);
  return chunks.map((chunk, index) => ({ index, label: null, text: chunk, method: 'plain-text' as const }));
}

export function splitAtParagraphs(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const pages: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + max, text.length);
    if (end < text.length) {
      const paragraph = text.lastIndexOf('\n\n', end);
      const line = text.lastIndexOf('\n', end);
      if (paragraph > start + max / 2) end = paragraph + 2;
      else if (line > start + max / 2) end = line + 1;
    }
    pages.push(text.slice(start, end));
    start = end;
  }
  return pages;
}
