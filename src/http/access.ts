/**
 * Who may call what: the ONE route × role table, enforced by `accessControl` before any route
 * handler runs. A request whose method and path match no row is refused (404) without reaching
 * a handler, so a route added without a row here is unreachable: deny by default. To add a
 * route, add its row. `public` rows need no credentials; `authenticated` rows need any signed-in
 * user; otherwise the user needs at least one of the listed roles (admins are not implied).
 * Paths outside /api are the web interface's static shell and assets (src/web): they carry no
 * data, and every screen fetches its data through the rows below.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { AuthService } from '../auth/service';
import { SESSION_COOKIE } from '../auth/service';
import type { Principal } from '../auth/principal';
import type { Role } from '../store/people';
import { ApiError, errors } from './errors';

export type Access = 'public' | 'authenticated' | readonly Role[];
export interface AccessRule {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express-style path with `:param` segments. */
  path: string;
  access: Access;
}

const ANY_ROLE: readonly Role[] = ['viewer', 'analyst', 'reviewer', 'admin'];
const ANALYST: readonly Role[] = ['analyst', 'admin'];
const REVIEWER: readonly Role[] = ['reviewer'];
const CURATOR: readonly Role[] = ['reviewer', 'admin'];
// Translations of a quote, and their check by a second person: the people who work the material.
const TRANSLATOR: readonly Role[] = ['analyst', 'reviewer'];
const ADMIN: readonly Role[] = ['admin'];

export const ACCESS_TABLE = [
  { method: 'GET', path: '/api/health', access: 'public' },
  // The API described as OpenAPI 3.1 (src/http/openapi.ts): what the published code already says
  { method: 'GET', path: '/api/openapi.json', access: 'public' },
  // The server's vocabulary (category codes and names, states, kinds): what every screen reads
  { method: 'GET', path: '/api/meta', access: ANY_ROLE },
  // People and credentials
  { method: 'POST', path: '/api/auth/login', access: 'public' },
  // First run: the one-time setup link creates the first admin (src/auth/setup.ts)
  { method: 'POST', path: '/api/setup/check', access: 'public' },
  { method: 'POST', path: '/api/setup', access: 'public' },
  { method: 'POST', path: '/api/auth/logout', access: 'authenticated' },
  { method: 'GET', path: '/api/auth/me', access: 'authenticated' },
  { method: 'GET', path: '/api/auth/keys', access: 'authenticated' },
  { method: 'POST', path: '/api/auth/keys', access: 'authenticated' },
  { method: 'POST', path: '/api/auth/keys/:id/revoke', access: 'authenticated' },
  { method: 'GET', path: '/api/users', access: ADMIN },
  { method: 'POST', path: '/api/users', access: ADMIN },
  { method: 'PATCH', path: '/api/users/:id', access: ADMIN },
  { method: 'POST', path: '/api/users/:id/unlock', access: ADMIN },
  { method: 'GET', path: '/api/users/:id/keys', access: ADMIN },
  { method: 'GET', path: '/api/keys', access: ADMIN },
  // Documents: reading is for everyone with a role; uploading and withdrawing for analysts
  { method: 'POST', path: '/api/documents', access: ANALYST },
  { method: 'GET', path: '/api/documents', access: ANY_ROLE },
  { method: 'GET', path: '/api/documents/:id', access: ANY_ROLE },
  { method: 'GET', path: '/api/documents/:id/pages/:n', access: ANY_ROLE },
  { method: 'GET', path: '/api/documents/:id/pages/:n/image', access: ANY_ROLE },
  { method: 'GET', path: '/api/documents/:id/flags', access: ANY_ROLE },
  // Web captures: like an upload, for analysts.
  { method: 'POST', path: '/api/captures', access: ANALYST },
  { method: 'GET', path: '/api/documents/:id/capture', access: ANY_ROLE },
  // The stored files (upload, or a capture's WARC, PDF and PNG): every role may download; audited.
  { method: 'GET', path: '/api/documents/:id/originals', access: ANY_ROLE },
  { method: 'GET', path: '/api/documents/:id/originals/:role', access: ANY_ROLE },
  { method: 'PATCH', path: '/api/documents/:id', access: ANALYST },
  { method: 'POST', path: '/api/documents/:id/withdraw', access: ANALYST },
  // Processing: anyone may follow it; stopping it or reading it again by OCR is the uploaders' job.
  { method: 'GET', path: '/api/documents/:id/events', access: ANY_ROLE },
  { method: 'POST', path: '/api/documents/:id/cancel', access: ANALYST },
  { method: 'POST', path: '/api/documents/:id/ocr', access: ANALYST },
  // Re-analysis with the active lexicon: adds flags and marks vanished ones obsolete (never
  // deletes), so the people who upload documents may run it, not only admins.
  { method: 'POST', path: '/api/documents/:id/reanalyze', access: ANALYST },
  // Following a re-analysis job (state, progress, counts), like following a document: any role.
  { method: 'GET', path: '/api/reanalyses/:id', access: ANY_ROLE },
  // Flags: reading and exporting for everyone with a role
  { method: 'GET', path: '/api/flags', access: ANY_ROLE },
  { method: 'GET', path: '/api/flags/export', access: ANY_ROLE },
  { method: 'GET', path: '/api/flags/counts', access: ANY_ROLE },
  // Word search over page text, like reading documents: everyone with a role
  { method: 'GET', path: '/api/search', access: ANY_ROLE },
  { method: 'GET', path: '/api/flags/:id', access: ANY_ROLE },
  { method: 'GET', path: '/api/flags/:id/history', access: ANY_ROLE },
  { method: 'GET', path: '/api/flags/:id/reviews', access: ANY_ROLE },
  { method: 'GET', path: '/api/flags/:id/translations', access: ANY_ROLE },
  // Review: reviewers decide; analysts and reviewers translate any flag in any state, and check
  // each other's translations; withdrawing and reopening also for admins
  { method: 'POST', path: '/api/flags/:id/reviews', access: REVIEWER },
  { method: 'POST', path: '/api/flags/:id/translations', access: TRANSLATOR },
  { method: 'POST', path: '/api/flags/:id/translations/:tid/check', access: TRANSLATOR },
  { method: 'POST', path: '/api/flags/:id/withdraw', access: CURATOR },
  { method: 'POST', path: '/api/flags/:id/reopen', access: CURATOR },
  { method: 'GET', path: '/api/review/next', access: REVIEWER },
  { method: 'POST', path: '/api/review/:flagId/skip', access: REVIEWER },
  { method: 'POST', path: '/api/review/:flagId/release', access: REVIEWER },
  { method: 'GET', path: '/api/stats/review', access: CURATOR },
  // Evidence dossiers: requesting one (it leaves the system) is for analysts; every role may
  // follow and download it. The speaker registry: analysts curate it, every role reads it.
  { method: 'POST', path: '/api/dossiers', access: ANALYST },
  { method: 'GET', path: '/api/dossiers', access: ANY_ROLE },
  { method: 'GET', path: '/api/dossiers/:id', access: ANY_ROLE },
  { method: 'GET', path: '/api/dossiers/:id/download', access: ANY_ROLE },
  { method: 'POST', path: '/api/speakers', access: ANALYST },
  { method: 'GET', path: '/api/speakers', access: ANY_ROLE },
  { method: 'GET', path: '/api/speakers/:id', access: ANY_ROLE },
  // Lexicon: reading for everyone with a role; every write changes what gets flagged: admins only
  { method: 'GET', path: '/api/lexicon', access: ANY_ROLE },
  { method: 'GET', path: '/api/lexicon/entries', access: ANY_ROLE },
  { method: 'GET', path: '/api/lexicon/entries/:id', access: ANY_ROLE },
  { method: 'POST', path: '/api/lexicon/entries', access: ADMIN },
  { method: 'PATCH', path: '/api/lexicon/entries/:id', access: ADMIN },
  { method: 'POST', path: '/api/lexicon/entries/:id/retire', access: ADMIN },
  { method: 'GET', path: '/api/lexicon/targets', access: ANY_ROLE },
  { method: 'GET', path: '/api/lexicon/classes', access: ANY_ROLE },
  { method: 'GET', path: '/api/lexicon/frames', access: ANY_ROLE },
  { method: 'GET', path: '/api/lexicon/targets/:id', access: ANY_ROLE },
  { method: 'POST', path: '/api/lexicon/targets', access: ADMIN },
  { method: 'PATCH', path: '/api/lexicon/targets/:id', access: ADMIN },
  { method: 'POST', path: '/api/lexicon/targets/:id/retire', access: ADMIN },
  { method: 'GET', path: '/api/lexicon/versions', access: ANY_ROLE },
  { method: 'GET', path: '/api/lexicon/versions/:version', access: ANY_ROLE },
  { method: 'POST', path: '/api/lexicon/versions', access: ADMIN },
  { method: 'POST', path: '/api/lexicon/import', access: ADMIN },
  // A preview writes nothing, but it is the first step of an import: for the people who import.
  { method: 'POST', path: '/api/lexicon/import/preview', access: ADMIN },
  { method: 'GET', path: '/api/lexicon/export', access: ANY_ROLE },
  // Audit
  { method: 'GET', path: '/api/audit', access: ADMIN },
  { method: 'GET', path: '/api/audit/verify', access: ADMIN },
] as const satisfies readonly AccessRule[];

/** "METHOD /path" of every row: src/http/api-docs.ts must describe each one, and nothing else. */
type KeyOf<R> = R extends { method: infer M extends string; path: infer P extends string } ? `${M} ${P}` : never;
export type RouteKey = KeyOf<(typeof ACCESS_TABLE)[number]>;

interface CompiledRule extends AccessRule {
  pattern: RegExp;
}

function compile(rule: AccessRule): CompiledRule {
  const body = rule.path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  // Case-insensitive like Express's routers, so /API/Users cannot slip past the table.
  return { ...rule, pattern: new RegExp(`^${body}/?$`, 'i') };
}

export function findRule(rules: readonly CompiledRule[], method: string, path: string): CompiledRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  // Literal segments win over parameters (/api/flags/export before /api/flags/:id): same as the routers.
  return rules.find((r) => r.method === m && r.pattern.test(path));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Authentication (API key in `Authorization: Bearer`, else the session cookie), authorization
 * by the table, and CSRF for cookie-authenticated unsafe requests (synchronizer token: the
 * session's token must come back in `X-CSRF-Token`). API-key requests carry no ambient
 * credentials, so they need no CSRF token.
 */
export function accessControl(auth: AuthService, table: readonly AccessRule[] = ACCESS_TABLE): RequestHandler {
  const rules = table.map(compile);
  return async (req, res, next) => {
    try {
      const lower = req.path.toLowerCase();
      if (!lower.startsWith('/api/') && lower !== '/api') return next();
      const rule = findRule(rules, req.method, req.path);
      if (!rule) throw new ApiError('not_found', `route ${req.method} ${req.path} not found`);

      let principal: Principal | null = null;
      const authorization = req.headers.authorization;
      if (authorization !== undefined) {
        const bearer = /^Bearer (\S+)$/.exec(authorization);
        principal = bearer ? await auth.principalFromApiKey(bearer[1]!) : null;
        if (!principal) throw errors.unauthorized('invalid, expired or revoked API key');
      } else {
        const token = readCookie(req, SESSION_COOKIE);
        if (token) principal = await auth.principalFromSession(token);
      }
      if (principal) res.locals.principal = principal;
      if (rule.access === 'public') return next();
      if (!principal) throw errors.unauthorized();

      if (rule.access !== 'authenticated') {
        const acting = rule.access.find((role) => principal.roles.includes(role));
        if (!acting) throw errors.forbidden(`${req.method} ${rule.path} needs one of the roles: ${rule.access.join(', ')}`, { required: rule.access });
        res.locals.actingRole = acting;
      }

      if (principal.via === 'session' && !SAFE_METHODS.has(req.method)) {
        const sent = req.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !principal.csrfToken || !sameToken(sent, principal.csrfToken)) {
          throw new ApiError('csrf_failed', 'missing or wrong X-CSRF-Token header (get it from POST /api/auth/login or GET /api/auth/me)');
        }
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}
