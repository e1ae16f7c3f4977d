/** Start-up migration of stored pages from before page versions, on the run's real server. */
import mongoose, { Types } from 'mongoose';
import { connectDatabase, type Database } from '../../src/store/connection';
import { testDatabaseName } from '../support/service';

let db: Database | null = null;
const dbName = testDatabaseName('migrate');

afterAll(async () => {
  await db?.connection.dropDatabase().catch(() => {});
  await db?.close();
});

it('makes pre-version pages version 1 and current, drops the old one-page-per-index unique index, and allows a second version', async () => {
  // A database as the previous release left it: pages unique per (document, index), no version.
  const raw = mongoose.createConnection(process.env.MONGODB_URI!, { dbName, retryWrites: false });
  await raw.asPromise();
  const pages = raw.collection('pages');
  await pages.createIndex({ document: 1, index: 1 }, { unique: true });
  const document = new Types.ObjectId();
  await pages.insertMany([0, 1].map((index) => ({ document, index, label: null, text: `page ${index}`, textSha256: 'x', method: 'ocr', lang: null, analyzedWith: null })));
  await raw.close();

  db = await connectDatabase(process.env.MONGODB_URI!, dbName);
  const { Page } = db.models;
  const migrated = await Page.find({ document }).sort({ index: 1 }).lean();
  expect(migrated.map((p) => [p.index, p.version, p.current, p.extractionRound])).toEqual([[0, 1, true, 1], [1, 1, true, 1]]);
  const indexes = await Page.collection.indexes();
  expect(indexes.some((i) => i.unique && Object.keys(i.key).join(',') === 'document,index')).toBe(false);
  await Page.create({ document, index: 0, version: 2, text: 'page 0 again', textSha256: 'y', method: 'ocr' });
  // …but never the same version twice.
  await expect(Page.create({ document, index: 0, version: 2, text: 'dup', textSha256: 'z', method: 'ocr' })).rejects.toMatchObject({ code: 11000 });
  // Idempotent: a second start changes nothing.
  await db.close();
  db = await connectDatabase(process.env.MONGODB_URI!, dbName);
  expect(await db.models.Page.countDocuments({ document })).toBe(3);
});
