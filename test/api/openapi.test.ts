/**
 * GET /api/openapi.json: an OpenAPI 3.1 description generated from the access table and the zod
 * schemas the routes validate with. Checked here: it covers every route of src/http/access.ts and
 * nothing else, with the same access; it passes a standard OpenAPI validator; and what it says a
 * query accepts is what the running routes accept (a bound or an enum it documents is enforced).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { ACCESS_TABLE } from '../../src/http/access';
import { ROUTE_DOCS } from '../../src/http/api-docs';
import { buildOpenApiDocument } from '../../src/http/openapi';
import { apiKeyHeaders, startTestService, withHeaders, type TestService } from '../support/service';

type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: Record<string, any> };

let service: TestService;
let doc: Doc;
beforeAll(async () => {
  service = await startTestService({ runner: { enabled: false } });
  // Anonymous: the description is public (it says what the published code says, and no data).
  const res = await request(service.app).get('/api/openapi.json').expect(200).expect('Content-Type', /application\/json/);
  doc = res.body as Doc;
});
afterAll(async () => {
  await service.dispose();
});

/**
 * The validator (@seriousme/openapi-schema-validator: the OpenAPI Initiative's JSON Schemas for
 * 3.0 and 3.1, with ajv) ships as an ES module, which Jest's CommonJS runtime cannot load: it
 * runs through the package's own command line in a child Node, on the document written to a file.
 */
function validateOpenApi(document: unknown): { valid: boolean; errors?: unknown } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-openapi-')), 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(document));
  const cli = require.resolve('@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
  const run = spawnSync(process.execPath, [cli, file], { encoding: 'utf8' });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  if (run.error || !run.stdout.trim()) throw new Error(`validator did not run: ${run.error?.message ?? run.stderr}`);
  return JSON.parse(run.stdout) as { valid: boolean; errors?: unknown };
}

const operations = (d: Doc) => Object.entries(d.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
const openApiPath = (p: string) => p.replace(/:([A-Za-z]+)/g, '{$1}');

it('describes every route of the access table, and no other, with its access', () => {
  const table = ACCESS_TABLE.map((r) => `${r.method} ${openApiPath(r.path)}`);
  expect(operations(doc).sort()).toEqual([...table].sort());
  for (const rule of ACCESS_TABLE) {
    const op = doc.paths[openApiPath(rule.path)]![rule.method.toLowerCase()];
    expect(op.summary).toMatch(/\S/);
    expect(op['x-access']).toEqual(rule.access);
    expect(op.security).toEqual(rule.access === 'public' ? [] : [{ apiKey: [] }, { session: [] }]);
    const inPath = op.parameters?.filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name) ?? [];
    expect(inPath).toEqual([...rule.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]));
  }
  expect(new Set(operations(doc).map((o) => doc.paths[o.split(' ')[1]!]![o.split(' ')[0]!.toLowerCase()].operationId)).size).toBe(ACCESS_TABLE.length);
});

it('refuses to build when a route lacks a description or a description has no route', () => {
  const { ['GET /api/meta']: _meta, ...missing } = ROUTE_DOCS;
  expect(() => buildOpenApiDocument(ACCESS_TABLE, missing)).toThrow('GET /api/meta is in the access table but has no description');
  const extra = { ...ROUTE_DOCS, 'GET /api/nowhere': { summary: 'x', answers: [] } };
  expect(() => buildOpenApiDocument(ACCESS_TABLE, extra)).toThrow('described but not in the access table: GET /api/nowhere');
});

it('passes a standard OpenAPI 3.1 validator', () => {
  expect(doc.openapi).toBe('3.1.0');
  expect(validateOpenApi(doc)).toEqual({ valid: true });
  // The validator does reject a broken document: a path parameter that is not required.
  const broken = JSON.parse(JSON.stringify(doc)) as Doc;
  broken.paths['/api/users/{id}']!.patch.parameters[0].required = false;
  expect(validateOpenApi(broken).valid).toBe(false);
});

it('carries the request schemas the routes validate with', () => {
  const upload = doc.paths['/api/documents']!.post.requestBody.content['multipart/form-data'].schema;
  expect(upload.required).toEqual(expect.arrayContaining(['file', 'kind', 'title']));
  const review = doc.paths['/api/flags/{id}/reviews']!.post.requestBody;
  expect(review.required).toBe(true);
  expect(review.content['application/json'].schema.properties.decision.enum).toEqual(['confirm', 'reject', 'modify', 'escalate']);
  expect(review.content['application/json'].schema.additionalProperties).toBe(false);
  // A body whose fields are all optional may be left out.
  expect(doc.paths['/api/documents/{id}/reanalyze']!.post.requestBody.required).toBe(false);
  expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual(expect.arrayContaining(['invalid_query', 'not_found', 'csrf_failed']));
});

it('documents query bounds and values that the running routes enforce', async () => {
  const admin = withHeaders(service.app, await apiKeyHeaders(service, ['admin']));
  let checked = 0;
  for (const rule of ACCESS_TABLE) {
    if (rule.method !== 'GET' || rule.path.includes(':')) continue;
    const params = (doc.paths[rule.path]!.get.parameters ?? []).filter((p: { in: string }) => p.in === 'query');
    // A required parameter (the search's words) is given a plain value while the others are tried.
    const required = (params as Array<{ name: string; required: boolean }>).filter((p) => p.required).map((p) => `&${p.name}=word`).join('');
    for (const p of params as Array<{ name: string; schema: { maximum?: number; enum?: string[] } }>) {
      const wrong = p.schema.maximum !== undefined ? String(p.schema.maximum + 1) : p.schema.enum ? 'no-such-value' : undefined;
      if (wrong === undefined) continue;
      const res = await admin.get(`${rule.path}?${p.name}=${wrong}${required}`);
      expect({ route: rule.path, param: p.name, status: res.status, code: res.body.error?.code }).toEqual({ route: rule.path, param: p.name, status: 400, code: 'invalid_query' });
      expect(JSON.stringify(res.body.error.details)).toContain(p.name);
      if (p.schema.maximum !== undefined) await admin.get(`${rule.path}?${p.name}=${p.schema.maximum}${required}`).expect((r) => expect(r.status).toBeLessThan(300));
      checked++;
    }
    // Strict queries: an unknown parameter is refused, as additionalProperties: false would say.
    if (params.length) await admin.get(`${rule.path}?unknownParameter=1`).expect(400);
  }
  expect(checked).toBeGreaterThan(15);
});
