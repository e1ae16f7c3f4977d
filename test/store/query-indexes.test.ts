/**
 * Every query a list or page route makes has an index declared for it: the queries are captured
 * as mongoose sends them (its debug hook), from the real repository calls behind GET /api/flags
 * (each filter), GET /api/documents/:id/flags, the review queue, GET /api/documents/:id/pages/:n,
 * GET /api/documents and GET /api/audit; each must be served by a declared index (its equality
 * fields first, in any order, then its sort keys in order). On MongoDB that makes them index
 * scans (docs/operations.md lists the indexes). The embedded FerretDB (v1.24, patched) hands
 * SQLite the equality conditions on top-level fields, which the same indexes then answer:
 * `explain` there shows it, and that is asserted too.
 */
import { Types } from 'mongoose';
import { connectDatabase, type Database } from '../../src/store/connection';
import { FLAG_STATUSES } from '../../src/store/flags';
import { testDatabaseName } from '../support/service';

let db: Database;
const captured: Array<{ collection: string; method: string; filter: Record<string, unknown>; sort: Record<string, number> }> = [];

beforeAll(async () => {
  db = await connectDatabase(process.env.MONGODB_URI!, testDatabaseName('query-indexes'));
  db.connection.set('debug', (collection: string, method: string, ...args: unknown[]) => {
    const [filter, options] = args as [Record<string, unknown> | undefined, { sort?: Record<string, number> } | undefined];
    if (['find', 'findOne', 'countDocuments'].includes(method)) captured.push({ collection, method, filter: filter ?? {}, sort: options?.sort ?? {} });
  });
});
afterAll(async () => {
  await db.connection.dropDatabase().catch(() => {});
  await db.close();
});

/** The index keys, in order, of every index declared on the collection's model (plus `_id`). */
function declaredIndexes(collection: string): Array<Array<[string, number]>> {
  const model = Object.values(db.models).find((m) => m.collection.collectionName === collection);
  if (!model) throw new Error(`no model for ${collection}`);
  return [[['_id', 1]], ...model.schema.indexes().map((entry: unknown[]) => Object.entries(entry[0] as Record<string, number>))];
}

function isEquality(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || value instanceof Types.ObjectId) return true;
  return Object.keys(value).length === 1 && '$in' in (value as object);
}

/** Whether an index serves the query: its first keys are the equality fields, then the sort keys in order (one direction). */
function served(filter: Record<string, unknown>, sort: Record<string, number>, index: Array<[string, number]>): boolean {
  const equality = new Set(Object.keys(filter).filter((field) => isEquality(filter[field])));
  const head = index.slice(0, equality.size).map(([k]) => k);
  if (head.length !== equality.size || !head.every((k) => equality.has(k))) return false;
  const sortKeys = Object.entries(sort).filter(([k]) => !equality.has(k));
  // No filter and no order (the total of an unfiltered list): a count of everything, no index helps.
  if (sortKeys.length === 0) return Object.keys(filter).length === 0 || equality.size > 0 || Object.keys(filter).some((f) => index[0]![0] === f);
  const rest = index.slice(equality.size, equality.size + sortKeys.length);
  if (rest.length !== sortKeys.length) return false;
  const flip = rest[0]![1] === sortKeys[0]![1] ? 1 : -1;
  return rest.every(([k, dir], i) => k === sortKeys[i]![0] && dir * flip === sortKeys[i]![1]);
}

it('backs every query of the list and page routes with a declared index', async () => {
  const { repos } = db;
  const document = new Types.ObjectId();
  const page = { offset: 0, limit: 50 };
  for (const filter of [{}, { document: String(document) }, { status: 'new' as const }, { category: 'DH.ANIMAL' }, { category: 'DH.ANIMAL', status: 'new' as const }, { document: String(document), status: 'new' as const }]) {
    await repos.flags.listFlags(filter, page);
  }
  const queue = repos.flags.byPriority(FLAG_STATUSES.filter((s) => s === 'new' || s === 'in_review'), [new Types.ObjectId()]);
  for await (const _ of queue) break;
  await queue.close();
  await repos.reviews.seenBy(new Types.ObjectId());
  await repos.documents.idsWithdrawnOrUploadedBy(new Types.ObjectId());
  await repos.pages.pageWithVersions(String(document), 3);
  await repos.pages.findPage(String(document), 3, 2);
  await repos.pages.pageOfFlag({ document, page: 3, pageVersion: 1 });
  for (const filter of [{}, { kind: 'textbook' as const }, { status: 'done' as const }, { kind: 'textbook' as const, status: 'done' as const }]) await repos.documents.listDocuments(filter, page);
  await repos.documents.findDocument(document);
  for (const filter of [{}, { entityType: 'flag' }, { entityType: 'flag', entityId: String(document) }, { afterSeq: 10 }]) await repos.audit.listEvents(filter, 50);

  // `{withdrawal: {$exists: true}}` is the one unindexed query: FerretDB ignores sparse and partial indexes, and withdrawn documents are few.
  const checked = captured.filter((q) => !('withdrawal' in q.filter));
  expect(checked.length).toBeGreaterThanOrEqual(25);
  const unserved = checked.filter((q) => !declaredIndexes(q.collection).some((index) => served(q.filter, q.sort, index)));
  expect(unserved.map((q) => `${q.collection}.${q.method}(${JSON.stringify(q.filter)}) sort ${JSON.stringify(q.sort)}`)).toEqual([]);
});

it('on the embedded FerretDB, answers the equality part of these queries from the indexes (explain)', async () => {
  const info = await db.connection.db!.admin().command({ buildInfo: 1 });
  if (!('ferretdbVersion' in info)) return; // MongoDB: index scans, not this server's pushdown
  await db.models.Flag.collection.insertOne({ _id: new Types.ObjectId(), document: new Types.ObjectId(), status: 'new' });
  await db.models.Page.collection.insertOne({ _id: new Types.ObjectId(), document: new Types.ObjectId(), index: 0, version: 1 });
  const explain = async (query: { explain(): Promise<unknown> }) => (await query.explain()) as { filterPushdown: boolean; queryPlanner: { Plan?: string[] } };
  // tools/ferretdb/_patch/pushdown.go: equality on top-level fields becomes SQL in the indexes' own form.
  for (const query of [
    db.models.Flag.findOne({ _id: new Types.ObjectId() }),
    db.models.Flag.find({ document: new Types.ObjectId(), status: 'new' }).sort({ page: 1 }),
    db.models.Flag.find({ status: { $in: ['new', 'in_review'] } }).sort({ priority: -1, _id: 1 }),
    db.models.Flag.find({ category: 'DH.ANIMAL', status: 'new' }),
    db.models.Page.find({ document: new Types.ObjectId(), index: 3 }).sort({ version: -1 }),
  ]) {
    const explained = await explain(query);
    expect(explained.filterPushdown).toBe(true);
    expect(explained.queryPlanner.Plan?.join(' ')).toMatch(/USING INDEX/);
    expect(explained.queryPlanner.Plan?.join(' ')).not.toMatch(/\bSCAN\b/);
  }
  // Without an equality (the unfiltered list, ranges) FerretDB still reads the whole collection.
  const unfiltered = await explain(db.models.Flag.find({}).sort({ document: 1, page: 1 }));
  expect(unfiltered.filterPushdown).toBe(false);
  expect(unfiltered.queryPlanner.Plan?.join(' ')).toMatch(/SCAN/);
});
