/**
 * The pages collection: every version of every page's text, its word boxes and how it was read.
 * Same FerretDB v1 subset as every store module: exclusivity only through unique indexes.
 */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { PAGE_METHODS, type PageMethod, type WordBox } from '../extract/types';

export { PAGE_METHODS };
export type { PageMethod };

/** A word's offsets in the page text and its box as 0–1 fractions of the page (top-left origin): the extractor's type. */
export type WordBoxRecord = WordBox;

/**
 * One version of one page's text. A page is never rewritten: reading it again (re-OCR) adds a
 * version, so flags keep pointing at the exact text they were computed on. The newest version
 * of each index is the document's current page (`current: true`).
 */
export interface PageRecord {
  _id: Types.ObjectId;
  document: Types.ObjectId;
  index: number;
  /** 1, 2, … per index; unique with (document, index). */
  version: number;
  /** The newest version of this index (the one the document is analysed on). */
  current: boolean;
  /** The document's extraction round that wrote this version (see DocumentRecord.extractionRound). */
  extractionRound: number;
  createdAt?: Date;
  label: string | null;
  /** NFC; flag offsets refer to exactly this string. */
  text: string;
  textSha256: string;
  method: PageMethod;
  /** How OCR text was obtained (method `ocr` only). */
  ocr?: { engine: string; confidence: number | null; langs: string[]; dpi: number | null };
  /** Word boxes (PDF text layer, OCR), packed (see word-boxes.ts); absent for plain text. */
  words?: Buffer;
  lang: string | null;
  /** Lexicon version this page was last analysed with (checkpoint for resuming). */
  analyzedWith: string | null;
  /**
   * `failed`: the page could not be read (its text is empty) and `failure.reason` says why, in a
   * sentence for people; the other pages of the document were read.
   */
  state: PageState;
  failure?: { reason: string; at: Date };
}

export const PAGE_STATES = ['read', 'failed'] as const;
export type PageState = (typeof PAGE_STATES)[number];

const pageSchema = new Schema<PageRecord>(
  {
    document: { type: Schema.Types.ObjectId, required: true },
    index: { type: Number, required: true },
    version: { type: Number, required: true, min: 1 },
    current: { type: Boolean, required: true, default: true },
    extractionRound: { type: Number, required: true, min: 1 },
    createdAt: { type: Date, default: () => new Date() },
    label: { type: String, default: null },
    text: { type: String, default: '' },
    textSha256: { type: String, required: true },
    method: { type: String, enum: PAGE_METHODS, required: true },
    ocr: {
      type: new Schema({ engine: String, confidence: Number, langs: [String], dpi: Number }, { _id: false }),
      default: undefined,
    },
    words: { type: Buffer, default: undefined },
    lang: { type: String, default: null },
    analyzedWith: { type: String, default: null },
    state: { type: String, enum: PAGE_STATES, required: true, default: 'read' },
    failure: { type: new Schema({ reason: String, at: Date }, { _id: false }), default: undefined },
  },
  { collection: 'pages', strict: 'throw' },
);
// One row per version: a resumed or concurrent re-read cannot write the same version twice.
pageSchema.index({ document: 1, index: 1, version: 1 }, { unique: true });
pageSchema.index({ document: 1, current: 1, index: 1 });

export interface PageModels {
  Page: Model<PageRecord>;
}

export function registerPageModels(connection: Connection): PageModels {
  return { Page: connection.model<PageRecord>('Page', pageSchema) };
}
