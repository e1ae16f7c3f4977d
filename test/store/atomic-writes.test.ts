/**
 * Writes to one document are atomic on the run's server, as MongoDB makes them. Stock FerretDB
 * v1.24.2 is not: it reads the document and writes all of it back with nothing held in between,
 * so a progress update racing a user's edit put the old value back (measured: 294 lost writes in
 * 300 pairs). The embedded build takes a lock around those commands (tools/ferretdb/_patch);
 * these tests fail on a stock build. Many connections send at once, as the service's pool does.
 */
import mongoose, { type Connection } from 'mongoose';
import { testDatabaseName } from '../support/service';

let connection: Connection;

beforeAll(async () => {
  connection = await mongoose.createConnection(process.env.MONGODB_URI!, { dbName: testDatabaseName('atomic-writes'), maxPoolSize: 20 }).asPromise();
});
afterAll(async () => {
  await connection.dropDatabase().catch(() => {});
  await connection.close();
});

const ROUNDS = 100;

it('two updates of different fields of one document, sent at once, both stay', async () => {
  const docs = connection.collection<{ _id: number; a: number; b: number; pad: string }>('pairs');
  await docs.insertMany(Array.from({ length: ROUNDS }, (_, k) => ({ _id: k, a: 0, b: 0, pad: 'x'.repeat(2_000) })));
  await Promise.all(Array.from({ length: ROUNDS }, (_, k) => [docs.updateOne({ _id: k }, { $set: { a: 1 } }), docs.updateOne({ _id: k }, { $set: { b: 1 } })]).flat());
  const lost = await docs.countDocuments({ $or: [{ a: { $ne: 1 } }, { b: { $ne: 1 } }] });
  expect(lost).toBe(0);
});

it('$inc from many writers at once counts every one', async () => {
  const counters = connection.collection<{ _id: string; n: number }>('counters');
  await counters.insertOne({ _id: 'c', n: 0 });
  await Promise.all(Array.from({ length: ROUNDS }, () => counters.updateOne({ _id: 'c' }, { $inc: { n: 1 } })));
  expect((await counters.findOne({ _id: 'c' }))!.n).toBe(ROUNDS);
});

it('of two conditional updates racing for one document, exactly one wins', async () => {
  const slots = connection.collection<{ _id: number; state: string; by: string | null }>('slots');
  await slots.insertMany(Array.from({ length: ROUNDS }, (_, k) => ({ _id: k, state: 'open', by: null })));
  const claim = (k: number, by: string) => slots.updateOne({ _id: k, state: 'open' }, { $set: { state: 'taken', by } }).then((r) => r.modifiedCount);
  const wins = await Promise.all(Array.from({ length: ROUNDS }, (_, k) => Promise.all([claim(k, 'first'), claim(k, 'second')])));
  expect(wins.filter(([x, y]) => x + y !== 1)).toEqual([]);
  // The stored winner is the one that was told it won.
  const stored = await slots.find().sort({ _id: 1 }).toArray();
  expect(stored.every((doc, k) => doc.by === (wins[k]![0] === 1 ? 'first' : 'second'))).toBe(true);
});
