/**
 * The documents repository: one record per uploaded original, its metadata, processing status
 * and withdrawal. Everything outside src/store reads and writes documents through here.
 */
import { Types, type FilterQuery } from 'mongoose';
import type { DocumentKind, DocumentRecord, DocumentStatus, Models, ProgressStage, Withdrawal } from './models';
import type { CancelRecord } from './job-models';
import { forLaggingRead, type ListReads, type PageOf, type Pagination } from './pagination';

export { DOCUMENT_KINDS, DOCUMENT_STATUSES, SOURCE_TYPES } from './models';
export type { DocumentKind, DocumentRecord, DocumentStatus, ProgressStage, SourceType, StatementMeta, TextbookMeta, Withdrawal } from './models';

export interface DocumentFilter {
  kind?: DocumentKind;
  status?: DocumentStatus;
}

/** Statuses after which a run does not continue by itself. */
const FINAL_STATUSES: DocumentStatus[] = ['done', 'failed', 'cancelled'];

type NewDocument = Omit<DocumentRecord, '_id' | 'createdAt' | 'updatedAt' | 'status' | 'progress' | 'extractionRound'>;

export class DocumentRepository {
  constructor(
    private readonly models: Pick<Models, 'Document'>,
    private readonly reads: ListReads = {},
  ) {}

  findDocument(id: string | Types.ObjectId): Promise<DocumentRecord | null> {
    return this.models.Document.findById(typeof id === 'string' ? new Types.ObjectId(id) : id).lean<DocumentRecord>();
  }

  /** The document stored for these bytes, if any (one document per original). */
  findByOriginal(sha256: string): Promise<DocumentRecord | null> {
    return this.models.Document.findOne({ 'original.sha256': sha256 }).lean<DocumentRecord>();
  }

  async listDocuments(filter: DocumentFilter, page: Pagination): Promise<PageOf<DocumentRecord>> {
    const query: FilterQuery<DocumentRecord> = {};
    if (filter.kind) query.kind = filter.kind;
    if (filter.status) query.status = filter.status;
    const [items, total] = await Promise.all([
      forLaggingRead(this.models.Document.find(query).sort({ createdAt: -1, _id: -1 }).skip(page.offset).limit(page.limit).lean<DocumentRecord[]>(), this.reads),
      forLaggingRead(this.models.Document.countDocuments(query), this.reads),
    ]);
    return { items, total, ...page };
  }

  /** Documents by id, for citations; fetched in one query per batch. */
  async documentsById(ids: Types.ObjectId[]): Promise<Map<string, DocumentRecord>> {
    const docs = await this.models.Document.find({ _id: { $in: ids } }).lean<DocumentRecord[]>();
    return new Map(docs.map((d) => [String(d._id), d]));
  }

  /** Who uploaded the document (absent for uploads from before people existed). */
  async uploaderOf(id: Types.ObjectId): Promise<Types.ObjectId | undefined> {
    return (await this.models.Document.findById(id, { uploadedBy: 1 }).lean<Pick<DocumentRecord, 'uploadedBy'>>())?.uploadedBy;
  }

  /** The ids of withdrawn documents, and (with `uploadedBy`) of those this user uploaded. */
  async idsWithdrawnOrUploadedBy(uploadedBy?: Types.ObjectId): Promise<Types.ObjectId[]> {
    const [withdrawn, own] = await Promise.all([
      this.models.Document.find({ withdrawal: { $exists: true } }, { _id: 1 }).lean<Array<Pick<DocumentRecord, '_id'>>>(),
      uploadedBy ? this.models.Document.find({ uploadedBy }, { _id: 1 }).lean<Array<Pick<DocumentRecord, '_id'>>>() : Promise.resolve([]),
    ]);
    return [...withdrawn, ...own].map((d) => d._id);
  }

  /** Inserts a queued document (extraction round 1); a second insert of the same original fails with E11000 (see isDuplicateKeyError). */
  async insertQueued(fields: NewDocument): Promise<DocumentRecord> {
    const created = await this.models.Document.create({ ...fields, status: 'queued', extractionRound: 1, progress: { pagesDone: 0, pagesTotal: 0 } });
    return created.toObject() as DocumentRecord;
  }

  /** Sets the given fields (dotted paths allowed) and returns the document as it is now. */
  async setFields(id: Types.ObjectId, set: Record<string, unknown>): Promise<DocumentRecord> {
    await this.models.Document.updateOne({ _id: id }, { $set: set });
    return (await this.findDocument(id))!;
  }

  /** Records how many pages of the current stage are done (and, when given, how many there are). */
  async setPagesDone(id: Types.ObjectId, pagesDone: number, pagesTotal?: number, unlessCancelled = false): Promise<void> {
    await this.models.Document.updateOne(
      { _id: id, ...(unlessCancelled ? { status: { $ne: 'cancelled' } } : {}) },
      { $set: { 'progress.pagesDone': pagesDone, ...(pagesTotal === undefined ? {} : { 'progress.pagesTotal': pagesTotal }) } },
    );
  }

  /** A run's stage and its page counts, from now; a document cancelled meanwhile is left alone. */
  async setStage(id: Types.ObjectId, status: 'extracting' | 'analyzing', stage: ProgressStage, done: number, total: number): Promise<void> {
    await this.models.Document.updateOne(
      { _id: id, status: { $ne: 'cancelled' } },
      {
        $set: {
          status,
          'progress.stage': stage,
          'progress.pagesDone': done,
          'progress.pagesTotal': total,
          'progress.stageStartedAt': new Date(),
          'progress.stageStartDone': done,
        },
      },
    );
  }

  /** A processed document is done, analysed with `lexicon`; a document cancelled meanwhile is left alone. */
  async markDone(id: Types.ObjectId, lexicon: { id: string; version: string }, pagesFailed: number): Promise<void> {
    await this.models.Document.updateOne(
      { _id: id, status: { $ne: 'cancelled' } },
      { $set: { status: 'done', lexicon, 'progress.stage': 'done', retryAt: null, pagesFailed } },
    );
  }

  async setWithdrawal(id: Types.ObjectId, withdrawal: Withdrawal): Promise<DocumentRecord> {
    return this.setFields(id, { withdrawal });
  }

  /**
   * Sets the status from a cancel record (again, if a racing write put the old one back). Only
   * in the round that was cancelled: a later re-OCR round is not touched.
   */
  async markCancelled(cancel: CancelRecord): Promise<void> {
    await this.models.Document.updateOne(
      { _id: cancel.document, status: { $nin: ['done', 'failed'] }, extractionRound: cancel.round },
      { $set: { status: 'cancelled', retryAt: null, failure: { stage: cancel.stage, reason: 'cancelled on request', at: cancel.at } } },
    );
  }

  /** Queues a finished document for a new extraction round read by OCR (only if it is still finished). */
  async queueOcrRound(doc: DocumentRecord, ocr: { languages: string[]; force: boolean }): Promise<DocumentRecord> {
    await this.models.Document.updateOne(
      { _id: doc._id, status: { $in: FINAL_STATUSES } },
      {
        $set: {
          status: 'queued',
          ocr,
          extractionRound: doc.extractionRound + 1,
          attempts: 0,
          retryAt: null,
          progress: { pagesDone: 0, pagesTotal: doc.progress?.pagesTotal ?? 0, stage: 'queued' },
        },
        $unset: { failure: 1, lastError: 1 },
      },
    );
    return (await this.findDocument(doc._id))!;
  }
}

export function isFinalStatus(status: DocumentStatus): boolean {
  return FINAL_STATUSES.includes(status);
}
