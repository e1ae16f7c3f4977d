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
