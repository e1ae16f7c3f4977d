/**
 * Work and data live in the database: a second instance sees them, and a run that died
 * mid-document is resumed by another instance without duplicate pages or flags.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { apiKeyHeaders, FIXTURES, startTestService, testDatabaseName, waitForStatus, type TestService } from '../support/service';

const TEXTBOOK = path.join(FIXTURES, 'textbook-sample.pdf');
const dbName = testDatabaseName('persistence');
const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-shared-uploads-'));
const started: TestService[] = [];
let auth: Record<string, string> | undefined;

async function instance(runner: boolean): Promise<TestService> {
  const service = await startTestService({ dbName, uploadDir, runner: { enabled: runner, pollMs: 100, leaseMs: 2_000 } });
  started.push(service);
  // Users live in the shared database, so one API key works on every instance.
  auth ??= { ...(await apiKeyHeaders(service, ['analyst', 'viewer'])) };
  return service;
}

afterAll(async () => {
  for (const [i, s] of started.entries()) await s.dispose({ dropDatabase: i === started.length - 1 });
  fs.rmSync(uploadDir, { recursive: true, force: true });
});

it('a second app instance on the same database sees the data', async () => {
  const a = await instance(true);
  const b = await instance(false);
  const res = await request(a.app).post('/api/documents').set(auth!).field('kind', 'textbook').field('title', 'Shared (synthetic)').attach('file', TEXTBOOK).expect(202);
  const id = res.body.document.id;
  await waitForStatus(a, id, ['done']);
  const seen = await request(b.app).get(`/api/documents/${id}`).set(auth!).expect(200);
  expect(seen.body.document.status).toBe('done');
  const flagsA = await request(a.app).get(`/api/documents/${id}/flags?limit=200`).set(auth!).expect(200);
  const flagsB = await request(b.app).get(`/api/documents/${id}/flags?limit=200`).set(auth!).expect(200);
  expect(flagsB.body.items).toEqual(flagsA.body.items);
  // And the second instance recognises the same bytes as a duplicate.
  await request(b.app).post('/api/documents').set(auth!).field('kind', 'textbook').field('title', 'again').attach('file', TEXTBOOK).expect(200);
  await a.close();
  started.splice(started.indexOf(a), 1);
});

it('resumes a document whose worker died mid-way, with no duplicate pages or flags', async () => {
  const reference = started[0]!;
  const doneDoc = await reference.db.models.Document.findOne({ status: 'done' }).lean();
  const expectedPages = await reference.db.models.Page.countDocuments({ document: doneDoc!._id });
  const expectedFlags = await reference.db.models.Flag.countDocuments({ document: doneDoc!._id });

  // Re-create the state a killed worker leaves: same original under a new record, status
  // `analyzing`, three pages stored and one of them analysed, its flags written, a lease never released.
  const { Document, Page, Flag, Lease } = reference.db.models;
  const crashed = await Document.create({
    ...doneDoc,
    _id: undefined,
    original: { ...doneDoc!.original, sha256: 'f'.repeat(64) },
    status: 'analyzing',
    lexicon: undefined,
    progress: { pagesDone: 1, pagesTotal: expectedPages },
  });
  const pages = await Page.find({ document: doneDoc!._id }).sort({ index: 1 }).lean();
  await Page.insertMany(pages.slice(0, 3).map((p, i) => ({ ...p, _id: undefined, document: crashed._id, analyzedWith: i === 1 ? p.analyzedWith : null })));
  const page1Flags = await Flag.find({ document: doneDoc!._id, page: 1 }).lean();
  expect(page1Flags.length).toBeGreaterThan(0);
  for (const f of page1Flags) await Flag.create({ ...f, _id: undefined, document: crashed._id, fingerprint: `${f.fingerprint}-crashed` });
  await Lease.create({ _id: `document:${crashed._id}`, holder: 'dead-worker', expiresAt: new Date(Date.now() - 1_000) });

  const restarted = await instance(true);
  await waitForStatus(restarted, String(crashed._id), ['done', 'failed']);
  const after = await Document.findById(crashed._id).lean();
  expect(after!.status).toBe('done');
  expect(await Page.countDocuments({ document: crashed._id })).toBe(expectedPages);
  const indexes = (await Page.find({ document: crashed._id }).lean()).map((p) => p.index).sort((x, y) => x - y);
  expect(indexes).toEqual([...Array(expectedPages).keys()]);
  expect(after!.progress).toMatchObject({ pagesDone: expectedPages, pagesTotal: expectedPages });
  // Page 1 kept its flags from before the crash and was not analysed again.
  expect(await Flag.countDocuments({ document: crashed._id })).toBe(expectedFlags);
  expect(await Lease.countDocuments({ _id: `document:${crashed._id}` })).toBe(0);
});

it('restarting keeps everything', async () => {
  const before = await started[0]!.db.models.Flag.countDocuments();
  for (const s of started.splice(0)) await s.close();
  const again = await instance(false);
  expect(await again.db.models.Flag.countDocuments()).toBe(before);
  const list = await request(again.app).get('/api/documents').set(auth!).expect(200);
  expect(list.body.total).toBe(2);
});
