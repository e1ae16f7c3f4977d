/**
 * GET /api/meta: the server's vocabulary for the web interface and other clients. Its lists are
 * the ones the server validates with, so a client that reads them (instead of keeping copies)
 * offers exactly the values the API accepts; checked here against the validators themselves.
 */
import request from 'supertest';
import { CATEGORY_CODES } from '../../src/analyze/types';
import { FLAG_STATUSES, DOCUMENT_KINDS, DOCUMENT_STATUSES, SOURCE_TYPES } from '../../src/store/models';
import { DECISIONS } from '../../src/store/people-models';
import { apiKeyHeaders, startTestService, withHeaders, type TestService } from '../support/service';

let service: TestService;
let viewer: ReturnType<typeof withHeaders>;
let admin: ReturnType<typeof withHeaders>;
let meta: Record<string, any>;
beforeAll(async () => {
  service = await startTestService({ runner: { enabled: false } });
  viewer = withHeaders(service.app, await apiKeyHeaders(service, ['viewer']));
  admin = withHeaders(service.app, await apiKeyHeaders(service, ['admin']));
  meta = (await viewer.get('/api/meta').expect(200)).body;
});
afterAll(async () => {
  await service.dispose();
});

it('lists every category code in the taxonomy order, each with a name and what it covers', () => {
  expect(meta.categories.map((c: { code: string }) => c.code)).toEqual([...CATEGORY_CODES]);
  for (const c of meta.categories) {
    expect(c.name).toMatch(/\S/);
    expect(c.covers).toMatch(/\S/);
  }
  expect(new Set(meta.categories.map((c: { name: string }) => c.name)).size).toBe(CATEGORY_CODES.length);
  expect(meta.severities.map((s: { level: number }) => s.level)).toEqual([1, 2, 3, 4]);
});

it('lists the states, decisions, signals and kinds the server stores', () => {
  expect(meta.flagStatuses).toEqual([...FLAG_STATUSES]);
  expect(meta.reviewDecisions).toEqual([...DECISIONS]);
  expect(meta.documents.kinds).toEqual([...DOCUMENT_KINDS]);
  expect(meta.documents.statuses).toEqual([...DOCUMENT_STATUSES]);
  expect(meta.documents.sourceTypes).toEqual([...SOURCE_TYPES]);
  expect(meta.documents.finalStatuses.every((s: string) => DOCUMENT_STATUSES.includes(s as never))).toBe(true);
  expect(meta.documents.pageImageTypes.every((t: string) => SOURCE_TYPES.includes(t as never))).toBe(true);
  const stored = Object.keys(service.db.models.Flag.schema.paths).filter((p) => p.startsWith('signals.')).map((p) => p.slice('signals.'.length));
  expect(meta.signals.map((s: { name: string }) => s.name).sort()).toEqual(stored.sort());
});

it('offers exactly the values the API accepts', async () => {
  // Every listed category, entry status and document kind passes the list filters; anything else is refused.
  for (const { code } of meta.categories) await viewer.get(`/api/lexicon/entries?category=${encodeURIComponent(code)}&limit=1`).expect(200);
  await viewer.get('/api/lexicon/entries?category=DH.NOPE').expect(400);
  for (const status of meta.lexicon.entryStatuses) await viewer.get(`/api/lexicon/entries?status=${status}&limit=1`).expect(200);
  await viewer.get('/api/lexicon/entries?status=pending').expect(400);
  for (const kind of meta.documents.kinds) await viewer.get(`/api/documents?kind=${kind}`).expect(200);
  for (const status of meta.documents.statuses) await viewer.get(`/api/documents?status=${status}`).expect(200);
  await viewer.get('/api/documents?kind=novel').expect(400);

  // An entry built from the listed lexicon values is accepted; an unlisted target kind is not.
  const lx = meta.lexicon;
  const entry = {
    id: 'en.test.meta.values', lang: 'en', role: lx.entryRoles.at(-1), status: lx.entryStatuses[0], category: meta.categories.at(-1).code, severity: 1,
    terms: ['meta check term'], meaning: 'synthetic', whyHarmful: 'synthetic', source: { type: lx.sourceTypes.at(-1), ref: 'test' },
    match: { diacritics: lx.diacritics.at(-1) }, context: { negation: lx.negation.at(-1), quotation: lx.quotation.at(-1) },
  };
  await admin.post('/api/lexicon/entries').send(entry).expect(201);
  const target = (kind: string) => ({ id: `meta-${kind}`, name: 'Meta check (fictional)', fictional: true, terms: [{ lang: 'en', kind, terms: ['metaville'] }] });
  for (const kind of lx.targetKinds) await admin.post('/api/lexicon/targets').send(target(kind)).expect(201);
  await admin.post('/api/lexicon/targets').send(target('river')).expect(400);
  // Every listed import format is understood (a file it cannot read is a normal answer listing its errors); another is refused by name.
  const preview = (format: string) => admin.post(`/api/lexicon/import/preview?format=${format}&lang=en`).set('Content-Type', 'text/plain').send('x');
  for (const format of lx.importFormats) expect((await preview(format)).status).toBe(200);
  expect((await preview('xlsx').expect(400)).body.error.details).toEqual([expect.objectContaining({ field: 'format' })]);
});

it('is revalidated by ETag rather than cached blind, and needs a signed-in user', async () => {
  const first = await viewer.get('/api/meta').expect(200);
  expect(first.headers['cache-control']).toBe('private, no-cache');
  const etag = String(first.headers.etag ?? '');
  expect(etag).toMatch(/\S/);
  await viewer.get('/api/meta').set('If-None-Match', etag).expect(304);
  await request(service.app).get('/api/meta').expect(401);
});
