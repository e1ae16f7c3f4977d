/** Query and parameter validation: zod schemas that reject anything but plain expected values. */
import { z } from 'zod';
import { Invalid, NotFound } from '../errors';
import { isObjectIdHex } from '../store/models';

export const MAX_LIMIT = 200;

export const paginationShape = {
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`).default(50),
};

export const objectId = z.string().refine(isObjectIdHex, 'must be a 24-character hex id');

export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw Invalid.fromZod('invalid_query', parsed.error, 'query');
  return parsed.data;
}

/** A route parameter that must be an id; anything else is simply "not found". */
export function idParam(value: unknown, what: string): string {
  if (typeof value !== 'string' || !isObjectIdHex(value)) throw new NotFound(what);
  return value;
}
