/**
 * Domain errors: what services, the pipeline and the CLI throw when a request cannot be done.
 * They say what went wrong in the domain's terms — not found, in conflict with the current
 * state, invalid input, not allowed — and carry a stable machine `code` naming the kind of
 * problem (docs/errors.md lists every code). They know nothing of HTTP: src/http/errors.ts
 * alone turns them into statuses and response bodies; the CLI prints their message.
 *
 * Besides the four basic kinds there are two that login needs: `Unauthenticated` (wrong
 * credentials: the caller is not who they claim, which is not "forbidden") and `RateLimited`
 * (too many failed logins: try again later, with the wait).
 */
import type { ZodError } from 'zod';

/** Something that does not exist (or that the caller may not know exists). */
export type NotFoundCode = 'not_found';

/** The request is valid, but the current state of things does not allow it. */
export type ConflictCode =
  /** The state of the record does not allow the action (`details.status` when known). */
  | 'conflict'
  /** A record with this name or id exists already. */
  | 'already_exists'
  /** Another change got there first (a lost race): reload and try again. */
  | 'changed_concurrently'
  /** The caller has reviewed this version of the flag already. */
  | 'already_reviewed'
  /** The change would leave no active admin. */
  | 'last_admin'
  /** Publishing: no entry of the working copy compiles. */
  | 'nothing_to_publish'
  /** No lexicon version exists yet, so nothing can be analysed. */
  | 'no_lexicon_published'
  /** A stored original no longer matches the SHA-256 its record holds (or is missing): it is not served. */
  | 'original_altered';

/** The input itself is wrong; `details` name the problem (usually `[{field, message}]`). */
export type InvalidCode =
  /** A field of a JSON request body (`details`: the fields). */
  | 'invalid_request'
  /** A document's metadata, at upload or when edited (`details`: the fields). */
  | 'invalid_metadata'
  /** A query-string parameter (`details`: the parameters). */
  | 'invalid_query'
  | 'empty_file'
  | 'corrupt_image'
  | 'image_too_large'
  /** A ZIP container (DOCX) refused before anything is inflated (a zip bomb). */
  | 'unsafe_archive'
  /**
   * The file's content is of a type the service does not accept, is two types at once (PDF and
   * HTML), or contradicts its declared type or name (`details.detected`: what the bytes are).
   */
  | 'unsupported_media_type'
  /** A lexicon entry none (or some) of whose terms can be compiled. */
  | 'unusable_terms'
  /** A lexicon import file with problems (`details`: `[{line, message}]`); nothing imported. */
  | 'invalid_import'
  /** A web capture refused by the SSRF guard before any request (`details.rule` names the rule). */
  | 'capture_refused';

/** The caller is known but this action is not theirs to take. */
export type ForbiddenCode =
  /** Four eyes: a person may not review their own upload or check their own translation. */
  'self_review';

export type UnauthenticatedCode = 'invalid_credentials';
export type RateLimitedCode = 'too_many_requests';

export type DomainErrorCode = NotFoundCode | ConflictCode | InvalidCode | ForbiddenCode | UnauthenticatedCode | RateLimitedCode;

/** One problem with one input field (`field` is a dotted path; `(root)` for the whole input). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** One problem on one line of an input file (1-based). */
export interface LineProblem {
  line: number;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends DomainError {
  readonly code = 'not_found';
  /** `what`: "document", `lexicon entry "x"`… (the message is "<what> not found", unless `message` says more). */
  constructor(what: string, message?: string) {
    super(message ?? `${what} not found`);
  }
}

export class Conflict extends DomainError {
  constructor(
    readonly code: ConflictCode,
    message: string,
    details?: unknown,
  ) {
    super(message, details);
  }
}

export class Invalid extends DomainError {
  constructor(
    readonly code: InvalidCode,
    message: string,
    details?: FieldProblem[] | LineProblem[] | Record<string, unknown>,
  ) {
    super(message, details);
  }

  /** Zod issues as field problems, so the caller sees exactly which field is wrong. */
  static fromZod(code: InvalidCode, error: ZodError, what: string): Invalid {
    const details: FieldProblem[] = error.issues.map((issue) => ({
      field: issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(root)'),
      message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
    }));
    const fields = [...new Set(details.map((d) => d.field))].join(', ');
    return new Invalid(code, `invalid ${what}: ${fields}`, details);
  }
}

export class Forbidden extends DomainError {
  constructor(
    readonly code: ForbiddenCode,
    message: string,
    details?: unknown,
  ) {
    super(message, details);
  }
}

export class Unauthenticated extends DomainError {
  readonly code = 'invalid_credentials';
}

export class RateLimited extends DomainError {
  readonly code = 'too_many_requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryAfterSeconds });
  }
}
