/**
 * One error map for the whole API: every failure leaves as JSON {error: {code, message, details?}}
 * with the right status. Services throw ApiError; everything else is mapped here.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import multer from 'multer';
import { ZodError } from 'zod';

export type ErrorCode =
  | 'bad_request'
  | 'invalid_metadata'
  | 'invalid_query'
  | 'invalid_request'
  | 'missing_file'
  | 'not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'csrf_failed'
  | 'too_many_requests'
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const errors = {
  badRequest: (message: string, details?: unknown) => new ApiError(400, 'bad_request', message, details),
  missingFile: () => new ApiError(400, 'missing_file', 'a file is required in the multipart field "file"'),
  notFound: (what: string) => new ApiError(404, 'not_found', `${what} not found`),
  tooLarge: (limit: number) => new ApiError(413, 'payload_too_large', `the file exceeds the upload limit of ${limit} bytes`, { limitBytes: limit }),
  unsupportedType: (message: string, details?: unknown) => new ApiError(415, 'unsupported_media_type', message, details),
  unauthorized: (message = 'authentication required: log in or send an API key as "Authorization: Bearer <key>"') => new ApiError(401, 'unauthorized', message),
  forbidden: (message: string, details?: unknown) => new ApiError(403, 'forbidden', message, details),
  conflict: (message: string, details?: unknown) => new ApiError(409, 'conflict', message, details),
};

/** Zod issues as {field, message} pairs, so the client sees exactly which field is wrong. */
export function fromZod(error: ZodError, code: 'invalid_metadata' | 'invalid_query' | 'invalid_request', what: string): ApiError {
  const details = error.issues.map((issue) => ({
    field: issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(root)'),
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  const fields = [...new Set(details.map((d) => d.field))].join(', ');
  return new ApiError(400, code, `invalid ${what}: ${fields}`, details);
}

export const notFoundHandler: RequestHandler = (req, _res, next) => next(errors.notFound(`route ${req.method} ${req.path}`));

export function errorHandler(options: { maxUploadBytes: number; log: (error: unknown) => void }): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const apiError = toApiError(error, options.maxUploadBytes);
    if (apiError.status >= 500) options.log(error);
    res.status(apiError.status).json({
      error: { code: apiError.code, message: apiError.message, ...(apiError.details !== undefined ? { details: apiError.details } : {}) },
    });
  };
}

function toApiError(error: unknown, maxUploadBytes: number): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) return fromZod(error, 'invalid_query', 'request');
  if (error instanceof multer.MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE') return errors.tooLarge(maxUploadBytes);
    if (error.code === 'LIMIT_UNEXPECTED_FILE') return errors.badRequest(`unexpected file field "${error.field ?? ''}"; send one file in "file"`);
    return errors.badRequest(`malformed upload: ${error.message}`);
  }
  const status = (error as { status?: unknown; statusCode?: unknown })?.status ?? (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // body-parser and busboy errors: malformed JSON or multipart, oversized bodies.
    const type = (error as { type?: string }).type;
    if (status === 413) return new ApiError(413, 'payload_too_large', 'request body too large');
    return errors.badRequest(type === 'entity.parse.failed' ? 'malformed JSON body' : (error as Error).message || 'bad request');
  }
  if (error instanceof Error && /Multipart|Unexpected end of form|boundary|Malformed part header|Malformed content-disposition/i.test(error.message)) return errors.badRequest(`malformed multipart body: ${error.message}`);
  return new ApiError(500, 'internal', 'internal error');
}
