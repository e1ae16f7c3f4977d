/**
 * The flags repository: what the analysis found, and the state the review workflow gives it.
 * Lists keep one stable order (document, page, offset), so pages of a list do not overlap.
 */
import { Types, type FilterQuery } from 'mongoose';
import { insertIgnoringDuplicates } from './duplicates';
import type { DocumentKind, DocumentRecord, FlagRecord, FlagStatus, Models, Withdrawal } from './models';
import { forLaggingRead, type ListReads, type PageOf, type Pagination } from './pagination';

export { FLAG_STATUSES } from './models';
export type { FlagRecord, FlagStatus, FlagUnmatched } from './models';

/** A flag as the analysis builds it, before it is stored. */
export type NewFlagRecord = Omit<FlagRecord, '_id' | 'createdAt' | 'updatedAt'>;

export const FLAG_SIGNALS = ['negated', 'quoted', 'condemned', 'fuzzy', 'untargeted'] as const;
export type FlagSignalName = (typeof FLAG_SIGNALS)[number];

/**
 * What a flag list or export may be narrowed by. Every value is a plain string or number (the
 * routes' zod schemas see to it), so none can carry a query operator. `kind` and `speaker` are
 * properties of the flag's document: they narrow to the documents that have them.
 */
export interface FlagFilter {
  document?: string;
  category?: string;
  status?: FlagStatus;
  severity?: number;
  kind?: DocumentKind;
  /** The statement's speaker as recorded on the document. */
  speaker?: string;
  /** A target group id (targets.groupId). */
  target?: string;
  /** A lexicon entry id (matches.entryId). */
  entry?: string;
  /** A frame id (frames.frameId). */
  frame?: string;
  /** Only flags with this signal set. */
  signal?: FlagSignalName;
  lang?: string;
  pageVersion?: number;
}

export const FLAG_SORTS = ['position', 'priority', 'severity', 'newest'] as const;
export type FlagSort = (typeof FLAG_SORTS)[number];

const FLAG_ORDER = { document: 1, page: 1, start: 1, _id: 1 } as const;
const SORT_ORDERS: Record<FlagSort, Record<string, 1 | -1>> = {
  position: FLAG_ORDER,
  priority: { priority: -1, _id: 1 },
  severity: { severity: -1, priority: -1, _id: 1 },
  newest: { createdAt: -1, _id: -1 },
};

/** The per-value counts the flags screen shows beside its filters. */
export const FLAG_COUNT_FIELDS = ['status', 'category', 'severity', 'lang'] as const;
export type FlagCounts = { total: number } & Record<(typeof FLAG_COUNT_FIELDS)[number], Array<{ value: string | number | null; n: number }>>;

export class FlagRepository {
  constructor(
    private readonly models: Pick<Models, 'Flag' | 'Document'>,
    private readonly reads: ListReads = {},
  ) {}

  /** The query for a filter; a document property (kind, speaker) becomes the list of documents that have it. */
  private async flagQuery(filter: FlagFilter): Promise<FilterQuery<FlagRecord>> {
    const query: FilterQuery<FlagRecord> = {};
    const byDocument: Array<FilterQuery<FlagRecord>> = [];
    if (filter.document) byDocument.push({ document: new Types.ObjectId(filter.document) });
    if (filter.kind || filter.speaker) {
      const docQuery: FilterQuery<DocumentRecord> = {};
      if (filter.kind) docQuery.kind = filter.kind;
      if (filter.speaker) docQuery['statement.speaker'] = filter.speaker;
      const ids = await this.models.Document.find(docQuery, { _id: 1 }).lean<Array<{ _id: Types.ObjectId }>>();
      byDocument.push({ document: { $in: ids.map((d) => d._id) } });
    }
    if (byDocument.length === 1) Object.assign(query, byDocument[0]);
    else if (byDocument.length > 1) query.$and = byDocument;
    if (filter.category) query.category = filter.category;
    if (filter.status) query.status = filter.status;
    if (filter.severity !== undefined) query.severity = filter.severity;
    if (filter.target) query['targets.groupId'] = filter.target;
    if (filter.entry) query['matches.entryId'] = filter.entry;
    if (filter.frame) query['frames.frameId'] = filter.frame;
    if (filter.signal) query[`signals.${filter.signal}`] = true;
    if (filter.lang) query.lang = filter.lang;
    // Flags from before page versions have no pageVersion: they are on version 1.
    if (filter.pageVersion !== undefined) query.pageVersion = filter.pageVersion === 1 ? { $in: [1, null] } : filter.pageVersion;
    return query;
  }

  /**
   * How many flags match, and how many of them have each status, category, severity and
   * language (`$match` + `$group` with `$sum`, which FerretDB v1 has).
   */
  async countFlags(filter: FlagFilter): Promise<FlagCounts> {
    const match = await this.flagQuery(filter);
    const groups = await Promise.all(
      FLAG_COUNT_FIELDS.map((field) =>
        this.models.Flag.aggregate<{ _id: string | number | null; n: number }>([{ $match: match }, { $group: { _id: `$${field}`, n: { $sum: 1 } } }]),
      ),
    );
    const sorted = (rows: Array<{ _id: string | number | null; n: number }>) =>
      rows.map((r) => ({ value: r._id ?? null, n: r.n })).sort((a, b) => b.n - a.n || String(a.value).localeCompare(String(b.value)));
    const counts = Object.fromEntries(FLAG_COUNT_FIELDS.map((field, i) => [field, sorted(groups[i]!)])) as Omit<FlagCounts, 'total'>;
    return { total: groups[0]!.reduce((sum, r) => sum + r.n, 0), ...counts };
  }

  /**
   * Inserts flags that may exist already (same fingerprint: written by an earlier or parallel
   * run), skipping those. The records are built complete by the analysis (typed, from the
   * schema's own field set), so they are written lean, with the schema's defaults, timestamps
   * and version key applied as mongoose would: hydrating each one (casting the match and target
   * subdocument arrays, validating) was ~1.5 s of service CPU per 1,000 pages, in line with
   * every database write. test/pipeline/stored-records.test.ts checks them against the schema.
   */
  async insertNewFlags(records: NewFlagRecord[]): Promise<void> {
    if (records.length === 0) return;
    const { Flag } = this.models;
    const now = new Date();
    const docs = records.map((record) => ({ ...Flag.applyDefaults({ ...record }), _id: new Types.ObjectId(), createdAt: now, updatedAt: now, __v: 0 }));
    await insertIgnoringDuplicates(() => Flag.insertMany(docs, { ordered: false, lean: true }));
  }

  /** How many flags a document has, in any state. */
  countFlagsOf(document: Types.ObjectId): Promise<number> {
    return this.models.Flag.countDocuments({ document });
  }

  findFlag(id: string | Types.ObjectId): Promise<FlagRecord | null> {
    return this.models.Flag.findById(typeof id === 'string' ? new Types.ObjectId(id) : id).lean<FlagRecord>();
  }

  async listFlags(filter: FlagFilter, page: Pagination, sort: FlagSort = 'position'): Promise<PageOf<FlagRecord>> {
    const query = await this.flagQuery(filter);
    const [items, total] = await Promise.all([
      forLaggingRead(this.models.Flag.find(query).sort(SORT_ORDERS[sort]).skip(page.offset).limit(page.limit).lean<FlagRecord[]>(), this.reads),
      forLaggingRead(this.models.Flag.countDocuments(query), this.reads),
    ]);
    return { items, total, ...page };
  }

  /** Stores the state derived from a version's reviews (only if the flag is still at that version). */
  async setReviewState(id: Types.ObjectId, version: number, status: FlagStatus, outcome: FlagRecord['outcome']): Promise<void> {
    await this.models.Flag.updateOne({ _id: id, version }, { $set: { status, outcome } });
  }

  async setWithdrawn(id: Types.ObjectId, withdrawal: Withdrawal): Promise<void> {
    await this.models.Flag.updateOne({ _id: id }, { $set: { status: 'withdrawn', withdrawal } });
  }

  /** Opens the next version of a decided flag, its result kept in `history`; false if the flag changed meanwhile. */
  async reopen(flag: Pick<FlagRecord, '_id' | 'status'>, version: number, closed: NonNullable<FlagRecord['history']>[number]): Promise<boolean> {
    const result = await this.models.Flag.updateOne(
      { _id: flag._id, version, status: flag.status },
      { $set: { status: 'new', outcome: null, version: version + 1 }, $push: { history: closed } },
    );
    return result.modifiedCount === 1;
  }

  /** Moves a flag from one state to another, only if it is still in the first (the queue's `new` ⇄ `in_review`). */
  async changeStatusIf(id: Types.ObjectId, from: FlagStatus, to: FlagStatus): Promise<void> {
    await this.models.Flag.updateOne({ _id: id, status: from }, { $set: { status: to } });
  }

  /** Flags in one of `statuses`, highest priority first, outside the given documents; streamed. */
  byPriority(statuses: readonly FlagStatus[], excludedDocuments: Types.ObjectId[]): AsyncIterable<FlagRecord> & { close(): Promise<unknown> } {
    const query: FilterQuery<FlagRecord> = { status: { $in: statuses } };
    if (excludedDocuments.length) query.document = { $nin: excludedDocuments };
    return this.models.Flag.find(query).sort({ priority: -1, _id: 1 }).lean<FlagRecord[]>().cursor() as unknown as AsyncIterable<FlagRecord> & { close(): Promise<unknown> };
  }

  /** How many flags there are of each category in each state (`$group` with `$sum`: FerretDB has no other accumulator). */
  countByCategoryAndStatus(): Promise<Array<{ _id: { category: string; status: FlagStatus }; n: number }>> {
    return this.models.Flag.aggregate<{ _id: { category: string; status: FlagStatus }; n: number }>([
      { $group: { _id: { category: '$category', status: '$status' }, n: { $sum: 1 } } },
    ]);
  }

  /** Every flag's category, state, review version and entry ids, streamed (for statistics). */
  reviewSummaries(): AsyncIterable<Pick<FlagRecord, '_id' | 'category' | 'status' | 'version'> & { matches?: Array<{ entryId: string }> }> {
    return this.models.Flag.find({}, { category: 1, status: 1, version: 1, 'matches.entryId': 1 }).lean().cursor() as unknown as AsyncIterable<
      Pick<FlagRecord, '_id' | 'category' | 'status' | 'version'> & { matches?: Array<{ entryId: string }> }
    >;
  }

  /** Every matching flag in the stable order, streamed (exports are not paginated). */
  async *streamFlags(filter: FlagFilter, sort: FlagSort = 'position'): AsyncIterable<FlagRecord> {
    const query = await this.flagQuery(filter);
    yield* this.models.Flag.find(query).sort(SORT_ORDERS[sort]).lean<FlagRecord[]>().cursor() as unknown as AsyncIterable<FlagRecord>;
  }
}
