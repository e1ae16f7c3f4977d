/**
 * Persistence: every collection Lexwatch writes, in one place. Only MongoDB features that
 * FerretDB v1 also has (see docs/architecture.md): no transactions, no TTL or
 * partial indexes; exclusivity comes from unique indexes.
 */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { CATEGORY_CODES, type AnalysisFlag, type PassageQuote } from '../analyze/types';
import type { WordBox } from '../extract/types';
import { registerJobModels, type JobModels } from './job-models';
import { registerLexiconModels, type LexiconModels } from './lexicon-models';
import { registerPeopleModels, type PeopleModels } from './people-models';
import { registerSearchModels, type SearchModels } from './search-models';
import { captureSchema, storedFileSchema, type CaptureRecord, type StoredFileRecord } from './original-models';

export const DOCUMENT_KINDS = ['textbook', 'statement', 'article', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** `capturing`: a web capture (src/capture) has not yet stored the page; the document has no `original` until it has. */
export const DOCUMENT_STATUSES = ['capturing', 'queued', 'extracting', 'analyzing', 'done', 'failed', 'cancelled'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** Review states (see docs/taxonomy.md); `obsolete` = an untouched flag no longer found after a re-OCR or a re-analysis. */
export const FLAG_STATUSES = ['new', 'in_review', 'awaiting_second', 'confirmed', 'rejected', 'disputed', 'withdrawn', 'obsolete'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

export const SOURCE_TYPES = ['pdf', 'text', 'html', 'docx', 'png', 'jpeg', 'tiff'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export interface TextbookMeta {
  publisher?: string;
  subject?: string;
  grade?: string;
  edition?: string;
  year?: number;
  isbn?: string;
  country?: string;
}

export interface StatementMeta {
  speaker?: string;
  position?: string;
  date?: string;
  venue?: string;
  sourceUrl?: string;
}

export interface DocumentRecord {
  _id: Types.ObjectId;
  kind: DocumentKind;
  title: string;
  titleEnglish?: string;
  languages: string[];
  textbook?: TextbookMeta;
  statement?: StatementMeta;
  original: {
    sha256: string;
    bytes: number;
    mime: string;
    type: SourceType;
    /** Relative to the upload directory; always derived from the hash. */
    storedPath: string;
    /** As the client named it; for display only, never used as a path. */
    filename?: string;
  };
  /** Every stored file by role (absent on uploads: their one file is `original`, role `upload`). */
  originals?: StoredFileRecord[];
  /** Set on documents captured from the web (src/capture). */
  capture?: CaptureRecord;
  status: DocumentStatus;
  failure?: { stage: string; reason: string; at: Date };
  progress: DocumentProgress;
  /** Current pages that could not be read (state `failed`), counted when processing ends. */
  pagesFailed?: number;
  lexicon?: { id: string; version: string };
  /** OCR choices: languages (BCP-47) overriding `languages` for OCR; `force` OCRs every page. */
  ocr?: { languages: string[]; force: boolean };
  /**
   * Which reading of the pages is wanted: 1 at upload, +1 per re-OCR request. A page version
   * records the round that wrote it, so a resumed round knows which pages it already read.
   * Absent on records from before page versions: 1.
   */
  extractionRound?: number;
  /** Processing attempts that ended in an internal (retryable) error, and when to try again. */
  attempts?: number;
  retryAt?: Date | null;
  lastError?: string;
  /** Who uploaded it (user id); absent on records from before people existed. */
  uploadedBy?: Types.ObjectId;
  /** Evidence is never deleted: a withdrawn document stays, with who, when and why. */
  withdrawal?: Withdrawal;
  createdAt: Date;
  updatedAt: Date;
}

export const PROGRESS_STAGES = ['queued', 'extracting', 'ocr', 'analyzing', 'done'] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];

export interface DocumentProgress {
  pagesDone: number;
  pagesTotal: number;
  /** What pagesDone counts: pages read by OCR during `ocr`, pages analysed during `analyzing`. */
  stage?: ProgressStage;
  /** When the current stage started and how many pages were done then (for the time estimate). */
  stageStartedAt?: Date;
  stageStartDone?: number;
}

/** A word's offsets in the page text and its box as 0–1 fractions of the page (top-left origin): the extractor's type. */
export type WordBoxRecord = WordBox;

export const PAGE_METHODS = ['text-layer', 'plain-text', 'ocr'] as const;
export type PageMethod = (typeof PAGE_METHODS)[number];

export interface Withdrawal {
  by: Types.ObjectId;
  reason: string;
  at: Date;
}

/**
 * One version of one page's text. A page is never rewritten: reading it again (re-OCR) adds a
 * version, so flags keep pointing at the exact text they were computed on. The newest version
 * of each index is the document's current page (`current: true`).
 */
export interface PageRecord {
  _id: Types.ObjectId;
  document: Types.ObjectId;
  index: number;
  /** 1, 2, … per index; unique with (document, index). Absent on records from before versions: 1. */
  version?: number;
  /** The newest version of this index (the one the document is analysed on). Absent = true (older records). */
  current?: boolean;
  /** The document's extraction round that wrote this version (see DocumentRecord.extractionRound). */
  extractionRound?: number;
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
   * sentence for people; the other pages of the document were read. Absent on older records: read.
   */
  state?: PageState;
  failure?: { reason: string; at: Date };
}

export const PAGE_STATES = ['read', 'failed'] as const;
export type PageState = (typeof PAGE_STATES)[number];

/**
 * A flag as stored: the analyser's flag (src/analyze/types.ts) with where it is (document, page,
 * page version) and its review state. Frames and referents are absent on flags made before the
 * analyser had them; category and severity are plain values here (a reviewer's modify decision
 * and older lexicons may hold codes the current taxonomy does not list).
 */
export interface FlagRecord
  extends Pick<AnalysisFlag, keyof PassageQuote | 'sentenceStart' | 'sentenceEnd' | 'matches' | 'targets' | 'signals' | 'priority' | 'lang'>,
    Partial<Pick<AnalysisFlag, 'frames' | 'referents'>> {
  _id: Types.ObjectId;
  document: Types.ObjectId;
  page: number;
  /** The version of the page whose text `start`/`end` index into (absent on older records: 1). */
  pageVersion?: number;
  pageLabel: string | null;
  category: string;
  severity: number;
  lexicon: { id: string; version: string };
  /** Where the flagged span is on the page (union of its words' boxes); null without a layout. */
  box?: { x0: number; y0: number; x1: number; y1: number } | null;
  /** How the page text was obtained; OCR text may contain misreadings. */
  source?: { method: PageMethod; engine?: string; confidence?: number | null };
  /** Identity of a flag across re-runs: document, page, span, entries, lexicon version. */
  fingerprint: string;
  status: FlagStatus;
  /** Review version: 1 at creation, +1 on each reopen. Reviews refer to a version. */
  version?: number;
  /** The reviewed reading once confirmed (a `modify` decision may change category, severity, target). */
  outcome?: { category: string; severity: number; target: string | null; decidedAt: Date } | null;
  /** Earlier versions' results, appended on reopen; never rewritten. */
  history?: Array<{ version: number; status: string; outcome: unknown; closedAt: Date; reopenedBy: Types.ObjectId; reason: string }>;
  withdrawal?: Withdrawal;
  /** The re-analysis job that added this flag (absent for flags of the first analysis). */
  addedByReanalysis?: Types.ObjectId;
  /** The re-analysis job that marked this flag obsolete. */
  obsoletedByReanalysis?: Types.ObjectId;
  /** A later analysis of the page no longer finds it (see pipeline/flag-reconciliation.ts); gone once one finds it again. */
  unmatched?: FlagUnmatched;
  createdAt: Date;
  updatedAt: Date;
}

/** `text`: the page's new reading (version `pageVersion`) does not have it; `lexicon`: the same text, analysed with `lexicon`, does not. */
export interface FlagUnmatched {
  cause: 'text' | 'lexicon';
  /** For people: "text changed in page version 3" / "no longer matched by lexicon 2026.11.0+4". */
  note: string;
  pageVersion?: number;
  lexicon?: { id: string; version: string };
  /** The re-analysis job that found it unmatched, if one did. */
  reanalysis?: Types.ObjectId;
  at: Date;
}

const withdrawalSchema = new Schema<Withdrawal>({ by: Schema.Types.ObjectId, reason: String, at: Date }, { _id: false });
const unmatchedSchema = new Schema<FlagUnmatched>({
  cause: { type: String, enum: ['text', 'lexicon'], required: true }, note: { type: String, required: true }, pageVersion: Number,
  lexicon: { type: new Schema({ id: String, version: String }, { _id: false }), default: undefined }, reanalysis: Schema.Types.ObjectId, at: { type: Date, required: true },
}, { _id: false });

const documentSchema = new Schema<DocumentRecord>(
  {
    kind: { type: String, enum: DOCUMENT_KINDS, required: true },
    title: { type: String, required: true },
    titleEnglish: String,
    languages: { type: [String], default: [] },
    textbook: {
      type: new Schema<TextbookMeta>(
        { publisher: String, subject: String, grade: String, edition: String, year: Number, isbn: String, country: String },
        { _id: false },
      ),
      default: undefined,
    },
    statement: {
      type: new Schema<StatementMeta>(
        { speaker: String, position: String, date: String, venue: String, sourceUrl: String },
        { _id: false },
      ),
      default: undefined,
    },
    original: {
      type: new Schema(
        {
          sha256: { type: String, required: true },
          bytes: { type: Number, required: true },
          mime: { type: String, required: true },
          type: { type: String, enum: SOURCE_TYPES, required: true },
          storedPath: { type: String, required: true },
          filename: String,
        },
        { _id: false },
      ),
      // A capture gets its original (the rendered page) only once the page is stored.
      required: function (this: DocumentRecord) {
        return this.status !== 'capturing';
      },
      default: undefined,
    },
    originals: { type: [storedFileSchema], default: undefined },
    capture: { type: captureSchema, default: undefined },
    status: { type: String, enum: DOCUMENT_STATUSES, required: true, default: 'queued' },
    failure: { type: new Schema({ stage: String, reason: String, at: Date }, { _id: false }), default: undefined },
    pagesFailed: { type: Number, default: 0 },
    progress: {
      pagesDone: { type: Number, default: 0 },
      pagesTotal: { type: Number, default: 0 },
      stage: { type: String, enum: PROGRESS_STAGES },
      stageStartedAt: Date,
      stageStartDone: Number,
    },
    lexicon: { type: new Schema({ id: String, version: String }, { _id: false }), default: undefined },
    ocr: { type: new Schema({ languages: [String], force: Boolean }, { _id: false }), default: undefined },
    extractionRound: { type: Number, default: 1 },
    attempts: { type: Number, default: 0 },
    retryAt: { type: Date, default: null },
    lastError: String,
    uploadedBy: { type: Schema.Types.ObjectId, default: undefined },
    withdrawal: { type: withdrawalSchema, default: undefined },
  },
  { timestamps: true, collection: 'documents', strict: 'throw' },
);
// One document per original: the same bytes uploaded twice resolve to the first record.
// Sparse: a capture still being taken has no original yet (see migrate.ts).
documentSchema.index({ 'original.sha256': 1 }, { unique: true, sparse: true });
documentSchema.index({ 'capture.requestedUrl': 1, createdAt: -1 });
// The documents list (GET /api/documents): newest first, filtered by kind and/or status.
documentSchema.index({ createdAt: -1, _id: -1 });
documentSchema.index({ kind: 1, createdAt: -1, _id: -1 });
documentSchema.index({ kind: 1, status: 1, createdAt: -1, _id: -1 });
documentSchema.index({ status: 1, createdAt: -1, _id: -1 });
// The review queue leaves out a reviewer's own uploads (REVIEW_FORBID_OWN_UPLOADS).
documentSchema.index({ uploadedBy: 1 });

const pageSchema = new Schema<PageRecord>(
  {
    document: { type: Schema.Types.ObjectId, required: true },
    index: { type: Number, required: true },
    version: { type: Number, required: true, default: 1 },
    current: { type: Boolean, required: true, default: true },
    extractionRound: { type: Number, default: 1 },
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
    state: { type: String, enum: PAGE_STATES, default: 'read' },
    failure: { type: new Schema({ reason: String, at: Date }, { _id: false }), default: undefined },
  },
  { collection: 'pages', strict: 'throw' },
);
// One row per version: a resumed or concurrent re-read cannot write the same version twice.
pageSchema.index({ document: 1, index: 1, version: 1 }, { unique: true });
pageSchema.index({ document: 1, current: 1, index: 1 });

const flagSchema = new Schema<FlagRecord>(
  {
    document: { type: Schema.Types.ObjectId, required: true },
    page: { type: Number, required: true },
    pageVersion: { type: Number, default: 1 },
    pageLabel: { type: String, default: null },
    start: { type: Number, required: true },
    end: { type: Number, required: true },
    exact: { type: String, required: true },
    prefix: { type: String, default: '' },
    suffix: { type: String, default: '' },
    sentence: { type: String, default: '' },
    sentenceStart: Number,
    sentenceEnd: Number,
    matches: [
      new Schema(
        { entryId: String, entryVersion: Number, category: String, severity: Number, start: Number, end: Number, exact: String, term: String, fuzzy: Boolean },
        { _id: false },
      ),
    ],
    frames: {
      type: [new Schema(
        {
          frameId: String,
          frameVersion: Number,
          category: String,
          severity: Number,
          pattern: String,
          start: Number,
          end: Number,
          exact: String,
          slots: [new Schema({ slot: String, kind: String, classId: String, features: [String], start: Number, end: Number, exact: String }, { _id: false })],
          fuzzy: Boolean,
        },
        { _id: false },
      )],
      default: [],
    },
    targets: [new Schema({ groupId: String, start: Number, end: Number, exact: String }, { _id: false })],
    referents: {
      type: [new Schema(
        {
          kind: String,
          start: Number,
          end: Number,
          exact: String,
          antecedent: { type: new Schema({ start: Number, end: Number, exact: String, groupId: String }, { _id: false }), default: undefined },
        },
        { _id: false },
      )],
      default: [],
    },
    category: { type: String, enum: CATEGORY_CODES, required: true },
    severity: { type: Number, min: 1, max: 4, required: true },
    signals: {
      negated: { type: Boolean, default: false },
      quoted: { type: Boolean, default: false },
      condemned: { type: Boolean, default: false },
      fuzzy: { type: Boolean, default: false },
      untargeted: { type: Boolean, default: false },
    },
    priority: { type: Number, default: 0 },
    lang: { type: String, default: null },
    lexicon: { id: String, version: String },
    box: { type: new Schema({ x0: Number, y0: Number, x1: Number, y1: Number }, { _id: false }), default: null },
    source: { type: new Schema({ method: String, engine: String, confidence: Number }, { _id: false }), default: undefined },
    fingerprint: { type: String, required: true },
    status: { type: String, enum: FLAG_STATUSES, default: 'new' },
    version: { type: Number, default: 1 },
    outcome: {
      type: new Schema({ category: String, severity: Number, target: { type: String, default: null }, decidedAt: Date }, { _id: false }),
      default: null,
    },
    history: {
      type: [new Schema({ version: Number, status: String, outcome: Schema.Types.Mixed, closedAt: Date, reopenedBy: Schema.Types.ObjectId, reason: String }, { _id: false })],
      default: [],
    },
    withdrawal: { type: withdrawalSchema, default: undefined },
    addedByReanalysis: { type: Schema.Types.ObjectId, default: undefined },
    obsoletedByReanalysis: { type: Schema.Types.ObjectId, default: undefined },
    unmatched: { type: unmatchedSchema, default: undefined },
  },
  { timestamps: true, collection: 'flags', strict: 'throw' },
);
flagSchema.index({ fingerprint: 1 }, { unique: true });
// The flags lists (GET /api/flags, GET /api/documents/:id/flags) keep one order (document, page,
// offset): an index per filter the API has, equality fields first, then that order.
flagSchema.index({ document: 1, page: 1, start: 1, _id: 1 });
flagSchema.index({ document: 1, status: 1, page: 1, start: 1, _id: 1 });
flagSchema.index({ status: 1, document: 1, page: 1, start: 1, _id: 1 });
flagSchema.index({ category: 1, document: 1, page: 1, start: 1, _id: 1 });
flagSchema.index({ category: 1, status: 1, document: 1, page: 1, start: 1, _id: 1 });
// The review queue: open flags, highest priority first.
flagSchema.index({ status: 1, priority: -1, _id: 1 });

export type { SpeakerRecord } from './people-models';

export interface Models extends PeopleModels, LexiconModels, JobModels, SearchModels {
  Document: Model<DocumentRecord>;
  Page: Model<PageRecord>;
  Flag: Model<FlagRecord>;
}

export function registerModels(connection: Connection): Models {
  return {
    Document: connection.model<DocumentRecord>('Document', documentSchema),
    Page: connection.model<PageRecord>('Page', pageSchema),
    Flag: connection.model<FlagRecord>('Flag', flagSchema),
    ...registerJobModels(connection),
    ...registerPeopleModels(connection),
    ...registerLexiconModels(connection),
    ...registerSearchModels(connection),
  };
}
