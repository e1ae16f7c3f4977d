/**
 * GET /api/openapi.json: the API as an OpenAPI 3.1 document, built from the access table (who
 * may call what) and the route descriptions (src/http/api-docs.ts), whose request schemas are the
 * zod schemas the routes validate with, turned into JSON Schema 2020-12 (OpenAPI 3.1's dialect)
 * by zod itself. Nothing here is written per route, so the document cannot drift from the code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SESSION_COOKIE } from '../auth/service';
import { ACCESS_TABLE, type AccessRule, type RouteKey } from './access';
import { ROUTE_DOCS, type RouteDoc } from './api-docs';
import { HTTP_STATUS, type ErrorCode } from './errors';

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

/** The error body every failure has (src/http/errors.ts), with every code there is. */
const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(HTTP_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ description: 'Every failure: a stable code (docs/errors.md), a message for people, and details naming the field or line when there is one.' });

/** A zod schema as the JSON Schema of what a client sends (defaults make fields optional). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const ERROR = { $ref: '#/components/schemas/Error' };
const errorAnswer = (description: string) => ({ description, content: { 'application/json': { schema: ERROR } } });
const RESPONSES = {
  BadRequest: errorAnswer('The request is malformed or refused by name (invalid_query, invalid_request, …).'),
  Unauthorized: errorAnswer('No valid session or API key.'),
  Forbidden: errorAnswer('Signed in without a role this route needs, or a session request without its CSRF token.'),
  NotFound: errorAnswer('No such record (any id of the wrong shape is not found too).'),
  Error: errorAnswer('Any other failure: conflicts (409), too large (413), wrong media type (415), too many requests (429, with Retry-After), internal (500).'),
};

const openApiPath = (p: string) => p.replace(/:([A-Za-z]+)/g, '{$1}');
const pathParams = (p: string) => [...p.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);

function operationId(rule: AccessRule): string {
  const words = rule.path
    .split('/')
    .filter((s) => s && s !== 'api')
    .map((s) => (s.startsWith(':') ? `by-${s.slice(1)}` : s))
    .flatMap((s) => s.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return rule.method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function accessText(rule: AccessRule): string {
  if (rule.access === 'public') return 'Public: no credentials needed.';
  if (rule.access === 'authenticated') return 'Any signed-in user.';
  return `Roles: ${rule.access.join(', ')}.`;
}

function parameters(rule: AccessRule, doc: RouteDoc): unknown[] {
  const out: unknown[] = [];
  for (const name of pathParams(rule.path)) {
    const schema = doc.params?.[name];
    if (!schema) throw new Error(`${rule.method} ${rule.path}: no schema for path parameter ${name}`);
    out.push({ name, in: 'path', required: true, schema: jsonSchemaOf(schema) });
  }
  const extra = Object.keys(doc.params ?? {}).filter((name) => !pathParams(rule.path).includes(name));
  if (extra.length) throw new Error(`${rule.method} ${rule.path}: schemas for parameters it does not have: ${extra.join(', ')}`);
  if (doc.query) {
    const schema = jsonSchemaOf(doc.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      out.push({ name, in: 'query', required: (schema.required ?? []).includes(name), schema: property });
    }
  }
  const cookieWrite = rule.access !== 'public' && rule.method !== 'GET';
  if (cookieWrite) {
    out.push({ name: 'X-CSRF-Token', in: 'header', required: false, schema: { type: 'string' }, description: "Required with a session cookie: the session's CSRF token. Not used with an API key." });
  }
  return out;
}

function requestBody(doc: RouteDoc): unknown {
  if (doc.body) {
    // A body that may be left out (all its fields optional) is not required.
    return { required: !doc.body.safeParse({}).success, content: { 'application/json': { schema: jsonSchemaOf(doc.body) } } };
  }
  if (doc.upload) {
    const fields = jsonSchemaOf(doc.upload) as { properties?: Record<string, unknown>; required?: string[] };
    const schema = {
      type: 'object',
      properties: { file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'the document file' }, ...fields.properties },
      required: ['file', ...(fields.required ?? [])],
    };
    return { required: true, content: { 'multipart/form-data': { schema } } };
  }
  if (doc.text) return { required: true, description: doc.text, content: { '*/*': { schema: { type: 'string' } } } };
  return undefined;
}

function operation(rule: AccessRule, doc: RouteDoc): Operation {
  const responses: Record<string, unknown> = {};
  for (const answer of doc.answers) {
    const types = answer.types ?? (answer.status === 204 ? [] : ['application/json']);
    const content = Object.fromEntries(types.map((type) => [type, {}]));
    const existing = responses[answer.status] as { description: string } | undefined;
    responses[answer.status] = { description: existing ? `${existing.description}; or ${answer.description}` : answer.description, ...(types.length ? { content } : {}) };
  }
  if (doc.query || doc.body || doc.upload || doc.text) responses['400'] = { $ref: '#/components/responses/BadRequest' };
  if (rule.access !== 'public') responses['401'] = { $ref: '#/components/responses/Unauthorized' };
  if (rule.access !== 'public' && (rule.access !== 'authenticated' || rule.method !== 'GET')) responses['403'] = { $ref: '#/components/responses/Forbidden' };
  if (pathParams(rule.path).length) responses['404'] = { $ref: '#/components/responses/NotFound' };
  responses.default = { $ref: '#/components/responses/Error' };
  const body = requestBody(doc);
  const params = parameters(rule, doc);
  return {
    operationId: operationId(rule),
    summary: doc.summary,
    description: accessText(rule),
    tags: [rule.path.split('/')[2]!.replace(/\..*$/, '')],
    'x-access': rule.access,
    security: rule.access === 'public' ? [] : [{ apiKey: [] }, { session: [] }],
    ...(params.length ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses,
  };
}

function packageVersion(): string {
  // src/http and dist/http both sit two folders below the package.
  return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

export function buildOpenApiDocument(table: readonly AccessRule[] = ACCESS_TABLE, docs: Readonly<Record<string, RouteDoc>> = ROUTE_DOCS): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  const described = new Set<string>();
  for (const rule of table) {
    const key = `${rule.method} ${rule.path}`;
    const doc = docs[key as RouteKey];
    if (!doc) throw new Error(`${key} is in the access table but has no description in src/http/api-docs.ts`);
    described.add(key);
    (paths[openApiPath(rule.path)] ??= {})[rule.method.toLowerCase()] = operation(rule, doc);
  }
  const extra = Object.keys(docs).filter((key) => !described.has(key));
  if (extra.length) throw new Error(`described but not in the access table: ${extra.join(', ')}`);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lexwatch API',
      version: packageVersion(),
      description: 'Tracks hate speech and dehumanizing content in school textbooks and public statements, for human review. Conventions, workflows and examples: docs/api.md in the repository.',
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: jsonSchemaOf(ErrorBody) },
      responses: RESPONSES,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (lwk_<id>_<secret>) from POST /api/auth/keys.' },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The session cookie from POST /api/auth/login; unsafe methods also need X-CSRF-Token.' },
      },
    },
  };
}

let cached: Record<string, unknown> | undefined;

/** The document, built once per process (the table and schemas are fixed at start). */
export function openApiDocument(): Record<string, unknown> {
  return (cached ??= buildOpenApiDocument());
}
