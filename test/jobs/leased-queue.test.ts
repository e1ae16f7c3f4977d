/**
 * The job engine (src/jobs/leased-queue.ts) on the real database, with a queue of its own:
 * claim under a lease, takeover after expiry, heartbeat, retry with backoff, fail with reason,
 * cancel, and jobs sharing a lock key. Waits are for states (until()), never for moments.
 */
import { Schema } from 'mongoose';
import { Invalid } from '../../src/errors';
import { LeasedQueue, type JobRecord, type JobRun, type QueueDefinition } from '../../src/jobs/leased-queue';
import { connectDatabase, type Database } from '../../src/store/connection';
import { testDatabaseName } from '../support/service';
import { until } from '../support/until';

interface TestJob extends JobRecord {
  _id: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  key?: string;
  cancelAsked?: boolean;
  failure?: { stage?: string; reason: string; at: Date };
  createdAt: Date;
}

const testJobSchema = new Schema<TestJob>(
  {
    _id: String,
    status: { type: String, required: true },
    key: String,
    cancelAsked: Boolean,
    attempts: Number,
    retryAt: Date,
    lastError: String,
    failure: { type: new Schema({ stage: String, reason: String, at: Date }, { _id: false }), default: undefined },
    createdAt: { type: Date, required: true },
  },
  { collection: 'test_jobs', versionKey: false, strict: 'throw' },
);

let db: Database;
let Job: ReturnType<typeof registerJobs>;
const queues: Array<LeasedQueue<TestJob>> = [];
const silent = { info() {}, error() {} };

function registerJobs(database: Database) {
  return database.connection.model<TestJob>('TestJob', testJobSchema);
}

beforeAll(async () => {
  db = await connectDatabase(process.env.MONGODB_URI!, testDatabaseName('leased-queue'));
  Job = registerJobs(db);
});
afterEach(async () => {
  for (const queue of queues.splice(0)) await queue.stop();
});
afterAll(async () => {
  await db.connection.dropDatabase().catch(() => {});
  await db.close();
});

let seq = 0;
/** Jobs created now, in this order (the engine runs older ones first). */
async function createJobs(...specs: Array<Partial<TestJob> & { _id: string }>): Promise<void> {
  for (const spec of specs) await Job.create({ status: 'queued', createdAt: new Date(Date.now() + seq++), ...spec });
}

function queue(definition: Partial<QueueDefinition<TestJob>> & Pick<QueueDefinition<TestJob>, 'handle'>, options: { leaseMs?: number; concurrency?: number; holder?: string } = {}) {
  const q = new LeasedQueue<TestJob>(
    { name: 'test', model: Job, pending: { status: { $in: ['queued', 'running'] } }, ...definition },
    db.models.Lease,
    { pollMs: 50, cancelPollMs: 100, log: silent, ...options },
  );
  queues.push(q);
  q.start();
  return q;
}

const done = (id: string) => Job.updateOne({ _id: id }, { $set: { status: 'done' } }).then(() => {});
const statusOf = async (id: string) => (await Job.findById(id).lean())?.status;

it('leaves a job whose lease is held; takes it over once the lease expires, and releases it after', async () => {
  await createJobs({ _id: 'held' }, { _id: 'free' });
  const { Lease } = db.models;
  await Lease.create({ _id: 'test:held', holder: 'a-dead-worker', expiresAt: new Date(Date.now() + 60_000) });
  const holders = new Map<string, string | undefined>();
  const q = queue({
    handle: async (job) => {
      holders.set(job._id, (await Lease.findById(`test:${job._id}`).lean())?.holder);
      await done(job._id);
    },
  });
  // The older job is looked at first on every poll, and left: the younger one runs.
  await until('the free job done', async () => (await statusOf('free')) === 'done');
  expect(await statusOf('held')).toBe('queued');
  expect(holders.has('held')).toBe(false);

  // Its holder stops renewing: once the lease has expired, this engine takes the job over.
  await Lease.updateOne({ _id: 'test:held' }, { $set: { expiresAt: new Date(Date.now() - 1) } });
  await until('the held job done', async () => (await statusOf('held')) === 'done');
  expect(holders.get('held')).toBe(q.holder);
  expect(holders.get('free')).toBe(q.holder);
  await until('the leases released', async () => (await Lease.countDocuments({ _id: { $in: ['test:held', 'test:free'] } })) === 0);
});

it('renews the lease of a running job, so another engine on the queue never takes it over', async () => {
  await createJobs({ _id: 'long' }, { _id: 'short' });
  const { Lease } = db.models;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const runs: Array<{ job: string; holder: string }> = [];
  const definition = (holder: string) => ({
    handle: async (job: TestJob) => {
      runs.push({ job: job._id, holder });
      if (job._id === 'long') await released;
      await done(job._id);
    },
  });
  // Two workers, a 1.5 s lease renewed every second.
  queue(definition('first'), { leaseMs: 1_500, holder: 'first' });
  queue(definition('second'), { leaseMs: 1_500, holder: 'second' });
  await until('the short job done', async () => (await statusOf('short')) === 'done');
  const taken = (await Lease.findById('test:long').lean())!;
  // Renewed twice: without the heartbeat the lease would have expired meanwhile.
  let renewals = 0;
  let last = taken.expiresAt.getTime();
  await until('two renewals', async () => {
    const now = (await Lease.findById('test:long').lean())!.expiresAt.getTime();
    if (now > last) renewals += 1;
    last = now;
    return renewals >= 2;
  }, 20_000);
  expect(last - taken.expiresAt.getTime()).toBeGreaterThanOrEqual(1_000);
  expect(runs.filter((r) => r.job === 'long')).toEqual([{ job: 'long', holder: taken.holder }]);
  release();
  await until('the long job done', async () => (await statusOf('long')) === 'done');
  expect(runs.filter((r) => r.job === 'long')).toHaveLength(1);
});

it('retries an internal error with exponential backoff, naming the stage, then runs it to the end', async () => {
  await createJobs({ _id: 'flaky' });
  const calls: Array<{ at: number; job: TestJob }> = [];
  queue({
    retry: { maxAttempts: 3, baseDelayMs: 300 },
    handle: async (job, run) => {
      calls.push({ at: Date.now(), job });
      run.stage = 'reading';
      if (calls.length < 3) throw new Error(`database hiccup ${calls.length}`);
      await done(job._id);
    },
  });
  await until('the flaky job done', async () => (await statusOf('flaky')) === 'done');
  expect(calls).toHaveLength(3);
  // Each try saw what the one before recorded: the attempt, the error, when it was due.
  expect(calls[1]!.job).toMatchObject({ attempts: 1, lastError: 'while reading: database hiccup 1' });
  expect(calls[2]!.job).toMatchObject({ attempts: 2, lastError: 'while reading: database hiccup 2' });
  const firstDelay = calls[1]!.job.retryAt!.getTime() - calls[0]!.at;
  const secondDelay = calls[2]!.job.retryAt!.getTime() - calls[1]!.at;
  expect(firstDelay).toBeGreaterThanOrEqual(300);
  expect(secondDelay).toBeGreaterThanOrEqual(600);
  // Not run before it was due.
  expect(calls[1]!.at).toBeGreaterThanOrEqual(calls[1]!.job.retryAt!.getTime());
  expect(calls[2]!.at).toBeGreaterThanOrEqual(calls[2]!.job.retryAt!.getTime());
});

it('gives up after the last attempt: failed with the reason and the stage, recorded before the status', async () => {
  await createJobs({ _id: 'broken' });
  let calls = 0;
  const recorded: Array<{ reason: string; stage?: string; statusThen?: string }> = [];
  queue({
    retry: { maxAttempts: 2, baseDelayMs: 100 },
    handle: async (_job, run) => {
      calls += 1;
      run.stage = 'writing';
      throw new Error('disk full');
    },
    onFailed: async (job, failure) => {
      recorded.push({ ...failure, statusThen: await statusOf(job._id) });
    },
  });
  await until('the broken job failed', async () => (await statusOf('broken')) === 'failed');
  const job = (await Job.findById('broken').lean())!;
  expect(calls).toBe(2);
  expect(job).toMatchObject({ attempts: 2, retryAt: null, failure: { stage: 'writing', reason: 'internal error while writing (gave up after 2 attempts): disk full' } });
  expect(recorded).toEqual([{ stage: 'writing', reason: job.failure!.reason, statusThen: 'queued' }]);
});

it('fails an input error at once, with its message as the reason', async () => {
  await createJobs({ _id: 'bad-input' });
  let calls = 0;
  queue({
    retry: { maxAttempts: 3, baseDelayMs: 100 },
    handle: async () => {
      calls += 1;
      throw new Invalid('invalid_request', 'the input cannot be read');
    },
  });
  await until('the job failed', async () => (await statusOf('bad-input')) === 'failed');
  const job = (await Job.findById('bad-input').lean())!;
  expect(calls).toBe(1);
  expect(job.failure).toMatchObject({ reason: 'the input cannot be read' });
  expect(job.attempts).toBeUndefined();
});

it('cancel: aborts a running job and settles it, neither retried nor failed; a job cancelled before it starts never runs', async () => {
  await createJobs({ _id: 'running-then-cancelled' }, { _id: 'cancelled-before' });
  await Job.updateOne({ _id: 'cancelled-before' }, { $set: { cancelAsked: true } });
  const started: string[] = [];
  const aborted: string[] = [];
  queue({
    retry: { maxAttempts: 3, baseDelayMs: 100 },
    cancel: {
      find: async (job) => ((await Job.findById(job._id).lean())?.cancelAsked ? { asked: true } : null),
      settle: async (job) => {
        await Job.updateOne({ _id: job._id }, { $set: { status: 'cancelled' } });
      },
    },
    handle: async (job, run: JobRun) => {
      started.push(job._id);
      await Job.updateOne({ _id: job._id }, { $set: { status: 'running' } });
      // A child process the job waits on, killed by the abort.
      await new Promise<void>((_resolve, reject) => run.signal.addEventListener('abort', () => {
        aborted.push(job._id);
        reject(new Error('killed'));
      }));
    },
  });
  await until('the job running', async () => (await statusOf('running-then-cancelled')) === 'running');
  await Job.updateOne({ _id: 'running-then-cancelled' }, { $set: { cancelAsked: true } });
  await until('the job cancelled', async () => (await statusOf('running-then-cancelled')) === 'cancelled');
  await until('the other job cancelled', async () => (await statusOf('cancelled-before')) === 'cancelled');
  const job = (await Job.findById('running-then-cancelled').lean())!;
  expect(job.failure).toBeUndefined();
  expect(job.attempts).toBeUndefined();
  expect(started).toEqual(['running-then-cancelled']);
  expect(aborted).toEqual(['running-then-cancelled']);
});

it('runs jobs that share a lock key one at a time, in order, and others beside them', async () => {
  await createJobs({ _id: 'k1', key: 'shared' }, { _id: 'k2', key: 'shared' }, { _id: 'other', key: 'other' });
  const events: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const q = queue(
    {
      keyFields: ['key'],
      lockKey: (job) => `test-key:${job.key}`,
      handle: async (job) => {
        events.push(`start ${job._id}`);
        if (job._id === 'k1') await released;
        events.push(`end ${job._id}`);
        await done(job._id);
      },
    },
    { concurrency: 2 },
  );
  // k1 holds the shared key; the other key runs beside it; k2 waits.
  await until('the other job done', async () => (await statusOf('other')) === 'done');
  expect(await statusOf('k2')).toBe('queued');
  release();
  await q.idle(20_000);
  expect(events.filter((e) => e.includes('k'))).toEqual(['start k1', 'end k1', 'start k2', 'end k2']);
});
