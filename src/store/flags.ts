/**
 * The flags repository: what the analysis found, and the state the review workflow gives it.
 * Lists keep one stable order (document, page, offset), so pages of a list do not overlap.
 */
import { Types, type FilterQuery } from 'mongoose';
import { insertIgnoringDuplicates } from './duplicates';
import type { FlagRecord, FlagStatus, Models, Withdrawal } from './models';
import { forLaggingRead, type ListReads, type PageOf, type Pagination } from './pagination';

export { FLAG_STATUSES } from './models';
export type { FlagRecord, FlagStatus, FlagUnmatched } from './models';

/** A flag as the analysis builds it, before it is stored. */
export type NewFlagRecord = Omit<FlagRecord, '_id' | 'createdAt' | 'updatedAt'>;

export interface FlagFilter {
  document?: string;
  category?: string;
  status?: FlagStatus;
}

const FLAG_ORDER = { document: 1, page: 1, start: 1, _id: 1 } as const;

function flagQuery(filter: FlagFilter): FilterQuery<FlagRecord> {
  const query: FilterQuery<FlagRecord> = {};
  if (filter.document) query.document = new Types.ObjectId(filter.document);
  if (filter.category) query.category = filter.category;
  if (filter.status) query.status = filter.status;
  return query;
}

export class FlagRepository {
  constructor(
    private readonly models: Pick<Models, 'Flag'>,
    private readonly reads: ListReads = {},
  ) {}

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

  findFlag(id: string | Types.ObjectId): Promise<FlagRecord | null> {
    return this.models.Flag.findById(typeof id === 'string' ? new Types.ObjectId(id) : id).lean<FlagRecord>();
  }

  async listFlags(filter: FlagFilter, page: Pagination): Promise<PageOf<FlagRecord>> {
    const query = flagQuery(filter);
    const [items, total] = await Promise.all([
      forLaggingRead(this.models.Flag.find(query).sort(FLAG_ORDER).skip(page.offset).limit(page.limit).lean<FlagRecord[]>(), this.reads),
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
  streamFlags(filter: FlagFilter): AsyncIterable<FlagRecord> {
    return this.models.Flag.find(flagQuery(filter)).sort(FLAG_ORDER).lean<FlagRecord[]>().cursor() as unknown as AsyncIterable<FlagRecord>;
  }
}
