/** A word (or text run) on the page: UTF-16 offsets into the page text and a box as 0–1 fractions of the page (origin top left). */
export interface WordBox {
  start: number;
  end: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export const PAGE_METHODS = ['text-layer', 'plain-text', 'ocr'] as const;
export type PageMethod = (typeof PAGE_METHODS)[number];

export interface ExtractedPage {
  index: number;
  /** Printed page label where the source has one (PDF /PageLabels), else null. */
  label: string | null;
  /** NFC; flag offsets refer to exactly this string. */
  text: string;
  method: PageMethod;
  /** Word boxes where the source has a layout (PDF text layer, OCR); empty otherwise. */
  words?: WordBox[];
  /**
   * The same boxes flat, six numbers a word (start, end, x0, y0, x1, y1): how the extraction
   * child sends them (one buffer to copy, not an object a word; see flattenWords).
   */
  wordBoxes?: Float64Array;
  /** Page size in PDF points (PDF only): used to cap the rasterising resolution. */
  size?: { width: number; height: number };
  /** The text layer is missing or too thin to trust: the page must be read by OCR. */
  needsOcr?: boolean;
  /**
   * The page could not be read: `reason` is the sentence for people without its subject, the
   * page ("could not be read: its text layer is damaged…"); `detail` is the reader's own message,
   * for the log only; `limit`: the reader's cap it ran into (the caller names the setting).
   */
  failed?: { reason: string; detail?: string; limit?: 'memory' | 'cpu' | 'time' | 'output' };
}

/** Raised for input that cannot be extracted; `message` is meant for people. */
export class ExtractionError extends Error {
  override readonly name = 'ExtractionError';
}

/** Processing was stopped on request (cancel): every child process of it was killed. */
export class ExtractionAbortedError extends Error {
  override readonly name: string = 'ExtractionAbortedError';
  constructor(message = 'extraction was cancelled') {
    super(message);
  }
}

/** Numbers a word takes in ExtractedPage.wordBoxes. */
export const WORD_BOX_FIELDS = 6;

/** A page whose word boxes travel flat (ExtractedPage.wordBoxes) instead of as objects. */
export function withFlatWords(page: ExtractedPage): ExtractedPage {
  if (!page.words) return page;
  const flat = new Float64Array(page.words.length * WORD_BOX_FIELDS);
  page.words.forEach((w, i) => flat.set([w.start, w.end, w.x0, w.y0, w.x1, w.y1], i * WORD_BOX_FIELDS));
  const { words: _words, ...rest } = page;
  return { ...rest, wordBoxes: flat };
}
