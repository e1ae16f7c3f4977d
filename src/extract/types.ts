export interface ExtractedPage {
  index: number;
  /** Printed page label where the source has one (PDF /PageLabels), else null. */
  label: string | null;
  /** NFC; flag offsets refer to exactly this string. */
  text: string;
  method: 'text-layer' | 'plain-text';
}

/** Raised for input that cannot be extracted; `message` is meant for people. */
export class ExtractionError extends Error {
  override readonly name = 'ExtractionError';
}
