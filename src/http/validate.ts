/** Query and parameter validation: zod schemas that reject anything but plain expected values. */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { Invalid, NotFound } from '../errors';
import { controlCharacterProblems } from '../text';
import { isObjectIdHex } from '../store/ids';

export const MAX_LIMIT = 200;

export const paginationShape = {
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`).default(50),
};

/** The set isObjectIdHex accepts, written as a pattern so the OpenAPI description shows it. */
export const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be a 24-character hex id');

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

/**
 * Refuses a JSON body with a control character in any string (src/text.ts), naming each field:
 * 400 `invalid_metadata` for a document's metadata edit, `invalid_request` elsewhere. Upload
 * form fields are checked by the metadata schema; file names are cleaned at ingest.
 */
export const refuseControlCharacters: RequestHandler = (req, _res, next) => {
  if (req.body === undefined || req.body === null || typeof req.body !== 'object') return next();
  const problems = controlCharacterProblems(req.body);
  if (problems.length === 0) return next();
  const metadata = req.method === 'PATCH' && /^\/api\/documents\/[^/]+\/?$/i.test(req.path);
  const fields = [...new Set(problems.map((p) => p.field))].join(', ');
  next(new Invalid(metadata ? 'invalid_metadata' : 'invalid_request', `control characters are not allowed in text: ${fields}`, problems));
};
