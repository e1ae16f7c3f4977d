/**
 * The flags repository: what the analysis found, and the state the review workflow gives it.
 * Lists keep one stable order (document, page, offset), so pages of a list do not overlap.
 */
import { Types, type FilterQuery } from 'mongoose';
import type { FlagRecord, FlagStatus, Models } from './models';
import type { PageOf, Pagination } from './pagination';

export { FLAG_STATUSES } from './models';
export type { FlagRecord, FlagStatus, FlagUnmatched } from './models';

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
  constructor(private readonly models: Pick<Models, 'Flag'>) {}

  findFlag(id: string | Types.ObjectId): Promise<FlagRecord | null> {
    return this.models.Flag.findById(typeof id === 'string' ? new Types.ObjectId(id) : id).lean<FlagRecord>();
  }

  async listFlags(filter: FlagFilter, page: Pagination): Promise<PageOf<FlagRecord>> {
    const query = flagQuery(filter);
    const [items, total] = await Promise.all([
      this.models.Flag.find(query).sort(FLAG_ORDER).skip(page.offset).limit(page.limit).lean<FlagRecord[]>(),
      this.models.Flag.countDocuments(query),
    ]);
    return { items, total, ...page };
  }

  /** Every matching flag in the stable order, streamed (exports are not paginated). */
  streamFlags(filter: FlagFilter): AsyncIterable<FlagRecord> {
    return this.models.Flag.find(flagQuery(filter)).sort(FLAG_ORDER).lean<FlagRecord[]>().cursor() as unknown as AsyncIterable<FlagRecord>;
  }
}
