/**
 * Authorization as a matrix: every route × every role, plus anonymous. The expectations below
 * are written out independently of src/http/access.ts; the test also fails when the table
 * gains or loses a route that this matrix does not list.
 */
import express from 'express';
import request from 'supertest';
import { ACCESS_TABLE, accessControl } from '../../src/http/access';
import { errorHandler } from '../../src/http/errors';
import type { Role } from '../../src/store/people-models';
import { apiKeyHeaders, startTestService, type TestService } from '../support/service';

type Who = 'anonymous' | Role;
const WHO: Who[] = ['anonymous', 'viewer', 'analyst', 'reviewer', 'admin'];
const ID = '0123456789abcdef01234567';
const KEY_ID = 'AAAAAAAAAAAAAAAA';

// [method, table path, concrete path, who may call it]
const ANY = ['viewer', 'analyst', 'reviewer', 'admin'] as const;
const MATRIX: Array<[string, string, string, 'public' | readonly Role[]]> = [
  ['GET', '/api/health', '/api/health', 'public'],
  ['GET', '/api/openapi.json', '/api/openapi.json', 'public'],
  ['GET', '/api/meta', '/api/meta', ANY],
  ['POST', '/api/auth/login', '/api/auth/login', 'public'],
  ['POST', '/api/setup/check', '/api/setup/check', 'public'],
  ['POST', '/api/setup', '/api/setup', 'public'],
  ['POST', '/api/auth/logout', '/api/auth/logout', ANY],
  ['GET', '/api/auth/me', '/api/auth/me', ANY],
  ['GET', '/api/auth/keys', '/api/auth/keys', ANY],
  ['POST', '/api/auth/keys', '/api/auth/keys', ANY],
  ['POST', '/api/auth/keys/:id/revoke', `/api/auth/keys/${KEY_ID}/revoke`, ANY],
  ['GET', '/api/users', '/api/users', ['admin']],
  ['POST', '/api/users', '/api/users', ['admin']],
  ['PATCH', '/api/users/:id', `/api/users/${ID}`, ['admin']],
  ['POST', '/api/users/:id/unlock', `/api/users/${ID}/unlock`, ['admin']],
  ['GET', '/api/users/:id/keys', `/api/users/${ID}/keys`, ['admin']],
  ['GET', '/api/keys', '/api/keys', ['admin']],
  ['POST', '/api/documents', '/api/documents', ['analyst', 'admin']],
  ['GET', '/api/documents', '/api/documents', ANY],
  ['GET', '/api/documents/:id', `/api/documents/${ID}`, ANY],
  ['GET', '/api/documents/:id/pages/:n', `/api/documents/${ID}/pages/0`, ANY],
  ['GET', '/api/documents/:id/pages/:n/image', `/api/documents/${ID}/pages/0/image`, ANY],
  ['GET', '/api/documents/:id/flags', `/api/documents/${ID}/flags`, ANY],
  ['POST', '/api/captures', '/api/captures', ['analyst', 'admin']],
  ['GET', '/api/documents/:id/capture', `/api/documents/${ID}/capture`, ANY],
  ['GET', '/api/documents/:id/originals', `/api/documents/${ID}/originals`, ANY],
  ['GET', '/api/documents/:id/originals/:role', `/api/documents/${ID}/originals/upload`, ANY],
  ['PATCH', '/api/documents/:id', `/api/documents/${ID}`, ['analyst', 'admin']],
  ['POST', '/api/documents/:id/withdraw', `/api/documents/${ID}/withdraw`, ['analyst', 'admin']],
  ['GET', '/api/documents/:id/events', `/api/documents/${ID}/events`, ANY],
  ['POST', '/api/documents/:id/cancel', `/api/documents/${ID}/cancel`, ['analyst', 'admin']],
  ['POST', '/api/documents/:id/ocr', `/api/documents/${ID}/ocr`, ['analyst', 'admin']],
  ['POST', '/api/documents/:id/reanalyze', `/api/documents/${ID}/reanalyze`, ['analyst', 'admin']],
  ['GET', '/api/reanalyses/:id', `/api/reanalyses/${ID}`, ANY],
  ['GET', '/api/flags', '/api/flags', ANY],
  ['GET', '/api/flags/export', '/api/flags/export', ANY],
  ['GET', '/api/flags/counts', '/api/flags/counts', ANY],
  ['GET', '/api/search', '/api/search?q=word', ANY],
  ['GET', '/api/flags/:id', `/api/flags/${ID}`, ANY],
  ['GET', '/api/flags/:id/history', `/api/flags/${ID}/history`, ANY],
  ['GET', '/api/flags/:id/reviews', `/api/flags/${ID}/reviews`, ANY],
  ['GET', '/api/flags/:id/translations', `/api/flags/${ID}/translations`, ANY],
  ['POST', '/api/flags/:id/reviews', `/api/flags/${ID}/reviews`, ['reviewer']],
  ['POST', '/api/flags/:id/translations', `/api/flags/${ID}/translations`, ['analyst', 'reviewer']],
  ['POST', '/api/flags/:id/translations/:tid/check', `/api/flags/${ID}/translations/${ID}/check`, ['analyst', 'reviewer']],
  ['POST', '/api/flags/:id/withdraw', `/api/flags/${ID}/withdraw`, ['reviewer', 'admin']],
  ['POST', '/api/flags/:id/reopen', `/api/flags/${ID}/reopen`, ['reviewer', 'admin']],
  ['GET', '/api/review/next', '/api/review/next', ['reviewer']],
  ['POST', '/api/review/:flagId/skip', `/api/review/${ID}/skip`, ['reviewer']],
  ['POST', '/api/review/:flagId/release', `/api/review/${ID}/release`, ['reviewer']],
  ['GET', '/api/stats/review', '/api/stats/review', ['reviewer', 'admin']],
  ['POST', '/api/dossiers', '/api/dossiers', ['analyst', 'admin']],
  ['GET', '/api/dossiers', '/api/dossiers', ANY],
  ['GET', '/api/dossiers/:id', `/api/dossiers/${ID}`, ANY],
  ['GET', '/api/dossiers/:id/download', `/api/dossiers/${ID}/download`, ANY],
  ['POST', '/api/speakers', '/api/speakers', ['analyst', 'admin']],
  ['GET', '/api/speakers', '/api/speakers', ANY],
  ['GET', '/api/speakers/:id', `/api/speakers/${ID}`, ANY],
  ['GET', '/api/lexicon', '/api/lexicon', ANY],
  ['GET', '/api/lexicon/entries', '/api/lexicon/entries', ANY],
  ['GET', '/api/lexicon/entries/:id', '/api/lexicon/entries/en.dh.animal.vermin', ANY],
  ['POST', '/api/lexicon/entries', '/api/lexicon/entries', ['admin']],
  ['PATCH', '/api/lexicon/entries/:id', '/api/lexicon/entries/en.dh.animal.vermin', ['admin']],
  ['POST', '/api/lexicon/entries/:id/retire', '/api/lexicon/entries/no.such.entry/retire', ['admin']],
  ['GET', '/api/lexicon/targets', '/api/lexicon/targets', ANY],
  ['GET', '/api/lexicon/classes', '/api/lexicon/classes', ANY],
  ['GET', '/api/lexicon/frames', '/api/lexicon/frames', ANY],
  ['GET', '/api/lexicon/targets/:id', '/api/lexicon/targets/no.such.target', ANY],
  ['POST', '/api/lexicon/targets', '/api/lexicon/targets', ['admin']],
  ['PATCH', '/api/lexicon/targets/:id', '/api/lexicon/targets/no.such.target', ['admin']],
  ['POST', '/api/lexicon/targets/:id/retire', '/api/lexicon/targets/no.such.target/retire', ['admin']],
  ['GET', '/api/lexicon/versions', '/api/lexicon/versions', ANY],
  ['GET', '/api/lexicon/versions/:version', '/api/lexicon/versions/2026.11.0', ANY],
  ['POST', '/api/lexicon/versions', '/api/lexicon/versions', ['admin']],
  ['POST', '/api/lexicon/import', '/api/lexicon/import?format=json', ['admin']],
  ['POST', '/api/lexicon/import/preview', '/api/lexicon/import/preview?format=json', ['admin']],
  ['GET', '/api/lexicon/export', '/api/lexicon/export', ANY],
  ['GET', '/api/audit', '/api/audit', ['admin']],
  ['GET', '/api/audit/verify', '/api/audit/verify', ['admin']],
];

let service: TestService;
const headers = new Map<Who, Record<string, string>>();
beforeAll(async () => {
  service = await startTestService({ runner: { enabled: false } });
  headers.set('anonymous', {});
  for (const role of WHO.slice(1) as Role[]) headers.set(role, { ...(await apiKeyHeaders(service, [role])) });
});
afterAll(async () => {
  await service.dispose();
});

it('lists exactly the routes of the access table', () => {
  const table = ACCESS_TABLE.map((r) => `${r.method} ${r.path}`).sort();
  expect(MATRIX.map(([m, p]) => `${m} ${p}`).sort()).toEqual(table);
});

describe.each(MATRIX)('%s %s', (method, _pattern, url, allowed) => {
  it.each(WHO)('as %s', async (who) => {
    const call = request(service.app)[method.toLowerCase() as 'get' | 'post' | 'patch'](url).set(headers.get(who)!);
    const res = method === 'GET' ? await call : await call.send({});
    const permitted = allowed === 'public' || (who !== 'anonymous' && allowed.includes(who));
    if (permitted) {
      expect([401, 403]).not.toContain(res.status);
    } else {
      expect(res.status).toBe(who === 'anonymous' ? 401 : 403);
      expect(res.body.error.code).toBe(who === 'anonymous' ? 'unauthorized' : 'forbidden');
    }
  });
});

it('a user with several roles gets the union of their rights', async () => {
  const both = await apiKeyHeaders(service, ['viewer', 'reviewer']);
  await request(service.app).get('/api/review/next').set(both).expect(200);
  await request(service.app).get('/api/documents').set(both).expect(200);
  await request(service.app).get('/api/users').set(both).expect(403);
});

it('denies by default: a handler without a row in the table is never reached', async () => {
  const app = express();
  let reached = false;
  app.use(accessControl(service.auth));
  app.get('/api/unlisted', (_req, res) => {
    reached = true;
    res.json({ secret: true });
  });
  app.use(errorHandler({ maxUploadBytes: 1, log: () => {} }));
  const res = await request(app).get('/api/unlisted').set(headers.get('admin')!);
  expect(res.status).toBe(404);
  expect(reached).toBe(false);
  // And unknown routes of the real app answer 404 without reaching anything.
  expect((await request(service.app).get('/api/nope').expect(404)).body.error.code).toBe('not_found');
  expect((await request(service.app).delete('/api/documents/' + ID).set(headers.get('admin')!).expect(404)).body.error.code).toBe('not_found');
});
