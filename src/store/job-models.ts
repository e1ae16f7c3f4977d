/**
 * Persistence for background jobs and their coordination: dossier builds and re-analyses (the
 * job records), the leases the job engine claims, and document cancels. Same FerretDB v1 subset
 * as models.ts: exclusivity only through unique indexes (a lease is an insert under its _id).
 */
import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * What the job engine (src/jobs/leased-queue.ts) records on every job (documents, dossiers,
 * re-analyses): internal errors retried so far, when the next try is due, the last error.
 */
export interface JobState {
  attempts?: number;
  retryAt?: Date | null;
  lastError?: string;
}

const jobStateFields = { attempts: { type: Number, default: undefined }, retryAt: { type: Date, default: undefined }, lastError: String };

/** A worker's exclusive hold on a job (a document's processing, a dossier build); exclusivity = unique _id. */
export interface LeaseRecord {
  _id: string;
  holder: string;
  expiresAt: Date;
}

/**
 * A cancel of one extraction round of a document (`_id` is `<document id>:<round>`). It lives
 * apart from the document because a stock FerretDB v1 update rewrites the whole document (the
 * embedded build locks around it, see store/embedded-ferretdb): there, a progress write racing
 * the cancel put the old status back. An inserted record cannot be undone that way, so runners
 * take it, not the status, as the word, and set the status again from it.
 */
export interface CancelRecord {
  _id: string;
  document: Types.ObjectId;
  round: number;
  /** The status the document had when it was cancelled. */
  stage: string;
  at: Date;
}

const cancelSchema = new Schema<CancelRecord>(
  {
    _id: { type: String, required: true },
    document: { type: Schema.Types.ObjectId, required: true },
    round: { type: Number, required: true },
    stage: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'cancels', versionKey: false, strict: 'throw' },
);

const leaseSchema = new Schema<LeaseRecord>(
  {
    _id: { type: String, required: true },
    holder: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'leases', versionKey: false },
);

export const DOSSIER_STATUSES = ['queued', 'building', 'done', 'failed'] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/** What a dossier selects; every field optional except the states (confirmed by default). */
export interface DossierFilters {
  documents?: string[];
  series?: string[];
  speakers?: string[];
  categories?: string[];
  severityMin?: number;
  severityMax?: number;
  from?: string;
  to?: string;
  states: string[];
}

/** An export job: a dossier package built in the background, status and progress like a document. */
export interface DossierRecord extends JobState {
  _id: Types.ObjectId;
  title: string;
  submitter: string;
  addressee: string;
  filters: DossierFilters;
  /** Reviewer protection (absent on jobs from before it: treated as pseudonymous, no notes). */
  protection?: { reviewers: 'named' | 'pseudonymous' | 'roles-only'; includeNotes: boolean };
  status: DossierStatus;
  progress: { itemsDone: number; itemsTotal: number };
  failure?: { reason: string; at: Date };
  result?: { file: string; bytes: number; sha256: string; items: number; pdfPages: number; finishedAt: Date };
  createdAt: Date;
  updatedAt: Date;
}

const dossierSchema = new Schema<DossierRecord>(
  {
    title: { type: String, required: true },
    submitter: { type: String, required: true },
    addressee: { type: String, required: true },
    filters: {
      type: new Schema<DossierFilters>(
        {
          documents: { type: [String], default: undefined },
          series: { type: [String], default: undefined },
          speakers: { type: [String], default: undefined },
          categories: { type: [String], default: undefined },
          severityMin: Number,
          severityMax: Number,
          from: String,
          to: String,
          states: { type: [String], required: true },
        },
        { _id: false },
      ),
      required: true,
    },
    protection: {
      type: new Schema({ reviewers: { type: String, enum: ['named', 'pseudonymous', 'roles-only'], required: true }, includeNotes: { type: Boolean, required: true } }, { _id: false }),
      default: undefined,
    },
    status: { type: String, enum: DOSSIER_STATUSES, required: true, default: 'queued' },
    progress: { itemsDone: { type: Number, default: 0 }, itemsTotal: { type: Number, default: 0 } },
    failure: { type: new Schema({ reason: String, at: Date }, { _id: false }), default: undefined },
    result: {
      type: new Schema({ file: String, bytes: Number, sha256: String, items: Number, pdfPages: Number, finishedAt: Date }, { _id: false }),
      default: undefined,
    },
    ...jobStateFields,
  },
  { timestamps: true, collection: 'dossiers', strict: 'throw' },
);
dossierSchema.index({ status: 1, createdAt: 1 });

export const REANALYSIS_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ReanalysisStatus = (typeof REANALYSIS_STATUSES)[number];

/**
 * A re-analysis job: one document analysed again with one lexicon version, in the background.
 * Who asked, with which version and why are recorded at request time; counts are final once done.
 */
export interface ReanalysisRecord extends JobState {
  _id: Types.ObjectId;
  document: Types.ObjectId;
  /** The requesting user's id and role, as the audit log records actors. */
  requestedBy: { id: string; role: string };
  lexicon: { id: string; version: string };
  reason: string | null;
  status: ReanalysisStatus;
  /** Pages finished (each one's new flags written and vanished ones marked); a resumed job starts after them. */
  progress: { pagesDone: number; pagesTotal: number };
  counts: { added: number; kept: number; obsoleted: number };
  failure?: { reason: string; at: Date };
  /** When the job last started running (a resumed job: when it was taken over). */
  startedAt?: Date | null;
  finishedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const reanalysisSchema = new Schema<ReanalysisRecord>(
  {
    document: { type: Schema.Types.ObjectId, required: true },
    requestedBy: { type: new Schema({ id: String, role: String }, { _id: false }), required: true },
    lexicon: { type: new Schema({ id: String, version: String }, { _id: false }), required: true },
    reason: { type: String, default: null },
    status: { type: String, enum: REANALYSIS_STATUSES, required: true, default: 'queued' },
    progress: { pagesDone: { type: Number, default: 0 }, pagesTotal: { type: Number, default: 0 } },
    counts: { added: { type: Number, default: 0 }, kept: { type: Number, default: 0 }, obsoleted: { type: Number, default: 0 } },
    failure: { type: new Schema({ reason: String, at: Date }, { _id: false }), default: undefined },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    ...jobStateFields,
  },
  { timestamps: true, collection: 'reanalyses', strict: 'throw' },
);
reanalysisSchema.index({ status: 1, createdAt: 1 });
reanalysisSchema.index({ document: 1, createdAt: -1 });

export interface JobModels {
  Lease: Model<LeaseRecord>;
  Cancel: Model<CancelRecord>;
  Dossier: Model<DossierRecord>;
  Reanalysis: Model<ReanalysisRecord>;
}

export function registerJobModels(connection: Connection): JobModels {
  return {
    Lease: connection.model<LeaseRecord>('Lease', leaseSchema),
    Cancel: connection.model<CancelRecord>('Cancel', cancelSchema),
    Dossier: connection.model<DossierRecord>('Dossier', dossierSchema),
    Reanalysis: connection.model<ReanalysisRecord>('Reanalysis', reanalysisSchema),
  };
}
