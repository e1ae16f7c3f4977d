/**
 * One error map for the whole API: every failure leaves as JSON {error: {code, message, details?}}
 * with the status its code has in HTTP_STATUS — the one place where codes meet statuses.
 * Services throw domain errors (src/errors.ts); the HTTP layer's own refusals (credentials,
 * roles, CSRF, request bodies it cannot parse) are ApiErrors; everything else is `internal`.
 * docs/errors.md documents every code (test/api/error-codes.test.ts keeps the two in step).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import multer from 'multer';
import { ZodError } from 'zod';
import { DomainError, Invalid, type DomainErrorCode } from '../errors';

/** Refusals that only the HTTP layer makes. */
export type HttpErrorCode =
  | 'bad_request'
  | 'missing_file'
  | 'not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unauthorized'
  | 'forbidden'
  | 'csrf_failed'
  | 'too_many_streams'
  | 'internal';

export type ErrorCode = DomainErrorCode | HttpErrorCode;

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  invalid_request: 400,
  invalid_metadata: 400,
  invalid_query: 400,
  missing_file: 400,
  empty_file: 400,
  corrupt_image: 400,
  image_too_large: 400,
  unsafe_archive: 400,
  unusable_terms: 400,
  invalid_import: 400,
  capture_refused: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  self_review: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  already_exists: 409,
  changed_concurrently: 409,
  already_reviewed: 409,
  last_admin: 409,
  nothing_to_publish: 409,
  no_lexicon_published: 409,
  original_altered: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  too_many_streams: 429,
  internal: 500,
};

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = HTTP_STATUS[code];
  }
}

export const errors = {
  badRequest: (message: string, details?: unknown) => new ApiError('bad_request', message, details),
  missingFile: () => new ApiError('missing_file', 'a file is required in the multipart field "file"'),
  tooLarge: (limit: number) => new ApiError('payload_too_large', `the file exceeds the upload limit of ${limit} bytes`, { limitBytes: limit }),
  unsupportedType: (message: string, details?: unknown) => new ApiError('unsupported_media_type', message, details),
  unauthorized: (message = 'authentication required: log in or send an API key as "Authorization: Bearer <key>"') => new ApiError('unauthorized', message),
  forbidden: (message: string, details?: unknown) => new ApiError('forbidden', message, details),
};

export const notFoundHandler: RequestHandler = (req, _res, next) => next(new ApiError('not_found', `route ${req.method} ${req.path} not found`));

export function errorHandler(options: { maxUploadBytes: number; log: (error: unknown) => void }): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const apiError = toApiError(error, options.maxUploadBytes);
    if (apiError.status >= 500) options.log(error);
    const retryAfter = (apiError.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (apiError.status === 429 && typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    res.status(apiError.status).json({
      error: { code: apiError.code, message: apiError.message, ...(apiError.details !== undefined ? { details: apiError.details } : {}) },
    });
  };
}

function toApiError(error: unknown, maxUploadBytes: number): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) return new ApiError(error.code, error.message, error.details);
  if (error instanceof ZodError) return toApiError(Invalid.fromZod('invalid_request', error, 'request'), maxUploadBytes);
  if (error instanceof multer.MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE') return errors.tooLarge(maxUploadBytes);
    if (error.code === 'LIMIT_UNEXPECTED_FILE') return errors.badRequest(`unexpected file field "${error.field ?? ''}"; send one file in "file"`);
    return errors.badRequest(`malformed upload: ${error.message}`);
  }
  const status = (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // body-parser and busboy errors: malformed JSON or multipart, oversized bodies.
    const type = (error as { type?: string }).type;
    if (status === 413) return new ApiError('payload_too_large', 'request body too large');
    return errors.badRequest(type === 'entity.parse.failed' ? 'malformed JSON body' : (error as Error).message || 'bad request');
  }
  if (error instanceof Error && /Multipart|Unexpected end of form|boundary|Malformed part header|Malformed content-disposition/i.test(error.message)) return errors.badRequest(`malformed multipart body: ${error.message}`);
  return new ApiError('internal', 'internal error');
}
