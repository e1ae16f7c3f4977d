/**
 * The flags collection: the analyser's findings where they are (document, page, page version)
 * with their review state. Same FerretDB v1 subset as every store module: exclusivity only
 * through unique indexes (a flag's fingerprint).
 */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { CATEGORY_CODES, type AnalysisFlag, type PassageQuote } from '../analyze/types';
import type { PageMethod } from '../extract/types';
import { withdrawalSchema, type Withdrawal } from './document-models';

/** Review states (see docs/taxonomy.md); `obsolete` = an untouched flag no longer found after a re-OCR or a re-analysis. */
export const FLAG_STATUSES = ['new', 'in_review', 'awaiting_second', 'confirmed', 'rejected', 'disputed', 'withdrawn', 'obsolete'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

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
  /** The version of the page whose text `start`/`end` index into. */
  pageVersion: number;
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
  version: number;
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

const unmatchedSchema = new Schema<FlagUnmatched>({
  cause: { type: String, enum: ['text', 'lexicon'], required: true }, note: { type: String, required: true }, pageVersion: Number,
  lexicon: { type: new Schema({ id: String, version: String }, { _id: false }), default: undefined }, reanalysis: Schema.Types.ObjectId, at: { type: Date, required: true },
}, { _id: false });

const flagSchema = new Schema<FlagRecord>(
  {
    document: { type: Schema.Types.ObjectId, required: true },
    page: { type: Number, required: true },
    pageVersion: { type: Number, required: true, min: 1 },
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
    version: { type: Number, required: true, default: 1, min: 1 },
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

export interface FlagModels {
  Flag: Model<FlagRecord>;
}

export function registerFlagModels(connection: Connection): FlagModels {
  return { Flag: connection.model<FlagRecord>('Flag', flagSchema) };
}
