import type { Query } from 'mongoose';
import type { LaggingReadPreference } from './connection-settings';

/** Where lists read from: on a replica set they may read a secondary (MONGODB_LAGGING_READS). */
export interface ListReads {
  laggingReads?: LaggingReadPreference;
}

/** Sets the read preference for a list query, unless it is the default (primary). */
export function forLaggingRead<Q extends Query<unknown, unknown>>(query: Q, reads: ListReads): Q {
  return reads.laggingReads && reads.laggingReads !== 'primary' ? (query.read(reads.laggingReads) as Q) : query;
}

/** Paginated lists: a window of a stable order, and the total it was cut from. */
export interface Pagination {
  offset: number;
  limit: number;
}

export interface PageOf<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}
