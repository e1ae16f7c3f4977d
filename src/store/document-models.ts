/**
 * The documents collection: one record per original (upload or web capture), its metadata,
 * processing status and withdrawal. Same FerretDB v1 subset as every store module (see
 * docs/architecture.md): exclusivity only through unique indexes.
 */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { captureSchema, storedFileSchema, type CaptureRecord, type StoredFileRecord } from './original-models';

export const DOCUMENT_KINDS = ['textbook', 'statement', 'article', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** `capturing`: a web capture (src/capture) has not yet stored the page; the document has no `original` until it has. */
export const DOCUMENT_STATUSES = ['capturing', 'queued', 'extracting', 'analyzing', 'done', 'failed', 'cancelled'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

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
   */
  extractionRound: number;
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

export interface Withdrawal {
  by: Types.ObjectId;
  reason: string;
  at: Date;
}

/** Who withdrew a document or a flag, when and why (shared by both records). */
export const withdrawalSchema = new Schema<Withdrawal>({ by: Schema.Types.ObjectId, reason: String, at: Date }, { _id: false });

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
    extractionRound: { type: Number, required: true, min: 1 },
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

export interface DocumentModels {
  Document: Model<DocumentRecord>;
}

export function registerDocumentModels(connection: Connection): DocumentModels {
  return { Document: connection.model<DocumentRecord>('Document', documentSchema) };
}
