/**
 * The embedded FerretDB hands equality filters on top-level fields to SQLite, where the indexes
 * created by `createIndexes` answer them (tools/ferretdb/_patch/pushdown.go). The SQL is a
 * pre-filter that FerretDB's own matching then completes, so it must never drop a document that
 * matches: each filter is run pushed down and not pushed down (wrapped in `$and`, which is left to
 * FerretDB) and the two answers must be the same set, for arrays, numbers of each type, null,
 * missing fields and strings that JSON escapes. On MongoDB there is nothing of this to check.
 */
import { Double, Int32, Long, MongoClient, ObjectId, type Collection, type Document, type Filter } from 'mongodb';
import { testDatabaseName } from '../support/service';

let client: MongoClient;
let dbName: string;
interface Thing extends Document {
  _id: string;
}
let things: Collection<Thing>;
let onFerretdb = false;

const sharedId = new ObjectId();
const awkward = 'Tarvani <&> "quoted" \\ é 😀 \u2028 end';
const seeded: Thing[] = [
  { _id: 'scalar', tag: 'a', n: new Int32(5), ok: true, ref: sharedId },
  { _id: 'in-array', tag: ['b', 'a'], n: [new Int32(1), new Double(5)], ok: [false, true], ref: [sharedId] },
  { _id: 'subdocument', tag: { a: 'a' }, n: { n: 5 } },
  { _id: 'null', tag: null, n: null, ok: null, ref: null },
  { _id: 'missing' },
  { _id: 'long', tag: 'b', n: Long.fromNumber(5), ok: false },
  { _id: 'double', tag: 'c', n: new Double(5), ref: new ObjectId() },
  { _id: 'double-half', tag: 'c', n: new Double(2.5) },
  { _id: 'zero', tag: 'z', n: new Int32(0) },
  { _id: 'negative-zero', tag: 'z', n: new Double(-0) },
  { _id: 'long-zero', tag: 'z', n: Long.fromNumber(0) },
  { _id: 'string-number', tag: '5', n: '5' },
  { _id: 'awkward', tag: awkward, n: new Int32(-7) },
  { _id: 'big', tag: 'big', n: Long.fromString('9007199254740993') },
];

beforeAll(async () => {
  client = await MongoClient.connect(process.env.MONGODB_URI!, { directConnection: true });
  dbName = testDatabaseName('ferretdb-pushdown');
  const db = client.db(dbName);
  onFerretdb = 'ferretdbVersion' in (await db.admin().command({ buildInfo: 1 }));
  things = db.collection<Thing>('things');
  await things.createIndexes([{ key: { tag: 1 } }, { key: { n: 1 } }, { key: { ok: 1 } }, { key: { ref: 1 } }, { key: { tag: 1, n: -1, _id: 1 } }]);
  const filler = Array.from({ length: 300 }, (_, i) => ({ _id: `filler-${i}`, tag: `filler-${i % 7}`, n: new Int32(100 + i), ok: i % 2 === 0, ref: new ObjectId() }));
  await things.insertMany([...seeded, ...filler]);
});
afterAll(async () => {
  await client.db(dbName).dropDatabase().catch(() => {});
  await client.close();
});

interface Explained {
  filterPushdown: boolean;
  queryPlanner: { Plan?: string[] };
}
const explain = async (filter: Filter<Thing>) => (await things.find(filter).explain()) as unknown as Explained;
const ids = async (filter: Filter<Thing>) => (await things.find(filter).toArray()).map((d) => String(d._id)).sort();

const filters: Array<[string, Filter<Thing>, string[]]> = [
  ['a string, also inside an array', { tag: 'a' }, ['in-array', 'scalar']],
  ['$in of strings', { tag: { $in: ['a', 'c'] } }, ['double', 'double-half', 'in-array', 'scalar']],
  ['$eq', { tag: { $eq: 'b' } }, ['in-array', 'long']],
  ['an int32 equals int64 and double', { n: new Int32(5) }, ['double', 'in-array', 'long', 'scalar']],
  ['a double equals int32 and int64', { n: new Double(5) }, ['double', 'in-array', 'long', 'scalar']],
  ['an int64', { n: Long.fromNumber(5) }, ['double', 'in-array', 'long', 'scalar']],
  ['zero of each type', { n: new Double(-0) }, ['long-zero', 'negative-zero', 'zero']],
  ['a fraction', { n: new Double(2.5) }, ['double-half']],
  ['a negative number', { n: -7 }, ['awkward']],
  ['$in of numbers', { n: { $in: [new Int32(0), new Double(2.5)] } }, ['double-half', 'long-zero', 'negative-zero', 'zero']],
  ['a string is not a number', { n: '5' }, ['string-number']],
  ['a bool, also inside an array', { ok: true }, ['in-array', 'scalar', ...Array.from({ length: 150 }, (_, i) => `filler-${i * 2}`)]],
  ['an ObjectId, also inside an array', { ref: sharedId }, ['in-array', 'scalar']],
  ['an escaped string', { tag: awkward }, ['awkward']],
  ['two fields, one an array', { tag: 'a', n: 5 }, ['in-array', 'scalar']],
  ['an _id', { _id: 'long' }, ['long']],
  ['$in of _ids', { _id: { $in: ['zero', 'null', 'nobody'] } }, ['null', 'zero']],
];

it.each(filters)('pushes down %s to an index and answers as FerretDB does without it', async (_label, filter, expected) => {
  if (!onFerretdb) return;
  const pushed = await explain(filter);
  expect(pushed.filterPushdown).toBe(true);
  expect(pushed.queryPlanner.Plan?.join('\n')).toMatch(/USING INDEX things_[0-9a-f]+_/);
  expect(pushed.queryPlanner.Plan?.join('\n')).not.toMatch(/\bSCAN\b/);
  const unpushed = { $and: [filter] };
  expect((await explain(unpushed)).filterPushdown).toBe(false);
  const answer = await ids(filter);
  expect(answer).toEqual(await ids(unpushed));
  expect(answer).toEqual([...expected].sort());
});

it('leaves to FerretDB what it cannot push down, with the same answers', async () => {
  if (!onFerretdb) return;
  for (const filter of [{ tag: null }, { n: Long.fromString('9007199254740993') }, { tag: { $in: ['a', null] } }, { tag: /^a/ }, { tag: { a: 'a' } }, { 'tag.a': 'a' }] as Array<Filter<Thing>>) {
    expect((await explain(filter)).filterPushdown).toBe(false);
    expect(await ids(filter)).toEqual(await ids({ $and: [filter] }));
  }
  expect(await ids({ tag: null })).toEqual(['missing', 'null']);
  expect(await ids({ n: Long.fromString('9007199254740993') })).toEqual(['big']);
  // A field that can be pushed down narrows the rows; the rest is still FerretDB's.
  expect((await explain({ tag: 'z', n: { $gt: -1 } })).filterPushdown).toBe(true);
  expect(await ids({ tag: 'z', n: { $gt: -1 } })).toEqual(['long-zero', 'negative-zero', 'zero']);
});

it('updates and deletes by _id through the _id index', async () => {
  if (!onFerretdb) return;
  await things.updateOne({ _id: 'missing' }, { $set: { tag: 'found' } });
  expect(await ids({ tag: 'found' })).toEqual(['missing']);
  await things.deleteOne({ _id: 'missing' });
  expect(await ids({ tag: 'found' })).toEqual([]);
  expect(await things.countDocuments({})).toBe(seeded.length - 1 + 300);
});
