/** Start-up migrations of records older releases stored, on the run's real server. */
import mongoose, { Types } from 'mongoose';
import { connectDatabase, type Database } from '../../src/store/connection';
import { BACKFILL_LEGACY_FIELDS, migrate } from '../../src/store/migrate';
import { apiKeyHeaders, startTestService, testDatabaseName, withHeaders, type TestService } from '../support/service';

let db: Database | null = null;
let service: TestService | null = null;
let raw: mongoose.Connection | null = null;

afterEach(async () => {
  await raw?.close();
  raw = null;
  await db?.connection.dropDatabase().catch(() => {});
  await db?.close();
  db = null;
  await service?.dispose();
  service = null;
});

async function rawConnection(dbName: string): Promise<mongoose.Connection> {
  const raw = mongoose.createConnection(process.env.MONGODB_URI!, { dbName, retryWrites: false });
  await raw.asPromise();
  return raw;
}

it('makes pre-version pages version 1 and current, drops the old one-page-per-index unique index, and allows a second version', async () => {
  const dbName = testDatabaseName('migrate');
  // A database as the previous release left it: pages unique per (document, index), no version.
  raw = await rawConnection(dbName);
  const pages = raw.collection('pages');
  await pages.createIndex({ document: 1, index: 1 }, { unique: true });
  const document = new Types.ObjectId();
  await pages.insertMany([0, 1].map((index) => ({ document, index, label: null, text: `page ${index}`, textSha256: 'x', method: 'ocr', lang: null, analyzedWith: null })));

  db = await connectDatabase(process.env.MONGODB_URI!, dbName);
  const { Page } = db.models;
  const migrated = await Page.find({ document }).sort({ index: 1 }).lean();
  expect(migrated.map((p) => [p.index, p.version, p.current, p.extractionRound, p.state])).toEqual([[0, 1, true, 1, 'read'], [1, 1, true, 1, 'read']]);
  const indexes = await Page.collection.indexes();
  expect(indexes.some((i) => i.unique && Object.keys(i.key).join(',') === 'document,index')).toBe(false);
  await Page.create({ document, index: 0, version: 2, extractionRound: 2, text: 'page 0 again', textSha256: 'y', method: 'ocr' });
  // …but never the same version twice.
  await expect(Page.create({ document, index: 0, version: 2, extractionRound: 2, text: 'dup', textSha256: 'z', method: 'ocr' })).rejects.toMatchObject({ code: 11000 });
  // A second start changes nothing.
  await db.close();
  db = await connectDatabase(process.env.MONGODB_URI!, dbName);
  expect(await db.models.Page.countDocuments({ document })).toBe(3);
});

it('backfills the fields old documents, pages and flags lack, once; the app reads the records as it reads new ones', async () => {
  const dbName = testDatabaseName('migrate-legacy');
  const at = new Date('2025-03-01T10:00:00Z');
  const text = 'In the old reader the Tarvanis are called vermin by the narrator (synthetic passage).';
  const start = text.indexOf('vermin');
  const document = new Types.ObjectId();
  const flag = new Types.ObjectId();
  // Records as releases before page versions and review rounds wrote them: no extractionRound,
  // no page version, current, round or state, no flag pageVersion or version.
  const old = (raw = await rawConnection(dbName));
  await raw.collection('documents').insertOne({
    _id: document, kind: 'textbook', title: 'Old Tarvani reader (synthetic)', languages: ['en'],
    original: { sha256: 'e'.repeat(64), bytes: text.length, mime: 'text/plain', type: 'text', storedPath: `ee/${'e'.repeat(64)}.txt` },
    status: 'done', progress: { pagesDone: 1, pagesTotal: 1 }, pagesFailed: 0, attempts: 0, retryAt: null, createdAt: at, updatedAt: at, __v: 0,
  });
  await raw.collection('pages').insertOne({ document, index: 0, label: null, text, textSha256: 'f'.repeat(64), method: 'plain-text', lang: 'en', analyzedWith: 'old', __v: 0 });
  await raw.collection('flags').insertOne({
    _id: flag, document, page: 0, pageLabel: null, start, end: start + 6, exact: 'vermin', prefix: '', suffix: '', sentence: text, matches: [], targets: [],
    category: 'DH.ANIMAL', severity: 3, signals: { negated: false, quoted: false, condemned: false, fuzzy: false, untargeted: false }, priority: 9, lang: 'en',
    lexicon: { id: 'starter', version: 'old' }, box: null, fingerprint: 'legacy-flag', status: 'new', outcome: null, history: [], createdAt: at, updatedAt: at, __v: 0,
  });
  const snapshot = async () => ({
    documents: await old.collection('documents').find({}).toArray(),
    pages: await old.collection('pages').find({}).toArray(),
    flags: await old.collection('flags').find({}).toArray(),
  });

  service = await startTestService({ dbName });
  const after = await snapshot();
  expect(after.documents[0]).toMatchObject({ extractionRound: 1, updatedAt: at });
  expect(after.pages[0]).toMatchObject({ version: 1, current: true, extractionRound: 1, state: 'read' });
  expect(after.flags[0]).toMatchObject({ pageVersion: 1, version: 1, updatedAt: at });
  const record = await service.db.models.Migration.findById(BACKFILL_LEGACY_FIELDS).lean();
  expect(record?.changed).toEqual({
    documents: { extractionRound: 1 },
    pages: { version: 1, current: 1, extractionRound: 1, state: 1 },
    flags: { pageVersion: 1, version: 1 },
  });

  // The app reads them: the page as version 1, the flag on it, the review queue with its context.
  const viewer = withHeaders(service.app, await apiKeyHeaders(service, ['viewer']));
  const page = (await viewer.get(`/api/documents/${String(document)}/pages/0`).expect(200)).body.page;
  expect(page).toMatchObject({ version: 1, current: true, state: 'read', text });
  const flags = (await viewer.get(`/api/documents/${String(document)}/flags`).expect(200)).body.items;
  expect(flags).toMatchObject([{ id: String(flag), pageVersion: 1, exact: 'vermin' }]);
  const reviewer = withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']));
  const next = (await reviewer.get('/api/review/next').expect(200)).body;
  expect(next.flag).toMatchObject({ id: String(flag), version: 1, pageVersion: 1 });
  expect(next.context.text.slice(next.context.start, next.context.end)).toBe('vermin');
  expect(next.context.pageVersion).toBe(1);
  await reviewer.post(`/api/review/${String(flag)}/release`).expect(200);

  // A second start changes nothing, and the step itself changes nothing when run again.
  await service.dispose({ dropDatabase: false });
  service = null;
  const before = await snapshot();
  db = await connectDatabase(process.env.MONGODB_URI!, dbName);
  expect(await snapshot()).toEqual(before);
  expect((await db.models.Migration.findById(BACKFILL_LEGACY_FIELDS).lean())?.appliedAt).toEqual(record!.appliedAt);
  await db.models.Migration.deleteOne({ _id: BACKFILL_LEGACY_FIELDS });
  await migrate(db.models);
  expect(await snapshot()).toEqual(before);
  const again = (await db.models.Migration.findById(BACKFILL_LEGACY_FIELDS).lean())!.changed;
  expect(Object.values(again).flatMap((fields) => Object.values(fields))).toEqual([0, 0, 0, 0, 0, 0, 0]);
});
