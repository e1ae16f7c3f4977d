/**
 * The job engine: one leased queue over a collection of job records, used by every background
 * worker (documents, dossiers, re-analyses; the OCR page tasks of the scale-out work next).
 * Work lives in the database, not in memory, so a restart or another process on the same
 * database picks up whatever is unfinished.
 *
 * The contract:
 * - A QUEUE is a collection and a `pending` query: every record it matches is a job still to
 *   do. The engine adds "due now" (`retryAt` unset or past) and runs jobs oldest first
 *   (`createdAt`, then `_id`).
 * - CLAIM: a job runs under the lease of its `lockKey` (default `<name>:<id>`), an insert guarded
 *   by the unique _id of the lease record — atomic on MongoDB and FerretDB alike, where
 *   conditional updates are not. Jobs sharing a key never run at once, and run in pending order
 *   (a re-analysis takes its document's key, so it never runs beside the document's processing
 *   or another re-analysis of it). Once claimed, the job is read again: one that stopped being
 *   pending meanwhile is left alone.
 * - HEARTBEAT: the holder renews the lease every third of `leaseMs`. TAKEOVER: a lease not
 *   renewed for `leaseMs` (its holder died) is removed and claimed by whoever comes next; the
 *   job runs again from its own checkpoints, so a handler must be idempotent and resume from
 *   what it already wrote.
 * - The HANDLER does the work and writes the job's progress and its `done` state itself (what
 *   "done" records differs by queue). It names what it is doing in `run.stage`.
 * - An error the queue calls an INPUT error (`isInputError`; by default a domain error) FAILS
 *   the job at once: `status: 'failed'`, `failure: {reason: <its message>, stage?, at}`.
 *   Any other error is RETRIED with exponential backoff (`attempts`, `retryAt` = now +
 *   baseDelayMs·2^(attempts−1), `lastError`) until `maxAttempts`, then fails with the reason
 *   "internal error while <stage> (gave up after N attempts): <message>". `onFailed` runs
 *   first (an audit event), so whoever sees the failure finds it recorded. Every state write
 *   is guarded by the pending query: a job that ended meanwhile is not overwritten.
 * - CANCEL (queues with `cancel`): the engine asks `cancel.find` before the handler and about
 *   once a second while it runs; once a cancel is there, `run.signal` aborts (kill the job's
 *   child processes) and `run.checkCancelled()` throws. Whatever the handler then throws, the
 *   engine calls `cancel.settle` (set the cancelled state from the cancel record, again) and
 *   neither retries nor fails the job.
 *
 * Many workers: each process runs its own engine on the same queue (a holder id of its own);
 * `concurrency` jobs at a time each. For OCR page tasks keyed by (document, page, round): a
 * collection of task records with `_id` "<document>:<page>:<round>", pending while not done; the
 * default lock key is the task's own, so every worker takes different pages; `cancel.find`
 * reads the document's cancel record of that round, so a cancel reaches every worker holding
 * one of its pages within a second; exact resume comes from the handler writing its page
 * version under the unique (document, index, version) index before marking the task done, so a
 * task taken over re-reads nothing that was stored. `afterRun` lets the last page settle the
 * document.
 */
import type { FilterQuery, Model } from 'mongoose';
import { DomainError } from '../errors';
import { claimLease, keepLeaseAlive, newHolderId, releaseLease } from '../store/leases';
import type { LeaseRecord } from '../store/job-models';
import { CancelWatch } from './cancel-watch';
import { PollLoop } from './poll-loop';

/** The fields the engine reads and writes on every job record. */
export interface JobRecord {
  _id: unknown;
  status: string;
  attempts?: number;
  retryAt?: Date | null;
  lastError?: string;
}

/** What a handler sees of its run. */
export interface JobRun {
  /** Aborted once the job is found cancelled: pass it to child processes and tools. */
  readonly signal: AbortSignal;
  /** What the job is doing now ("extracting"), named in retry and failure reasons. */
  stage: string | undefined;
  /** Looks for a cancel now; throws JobCancelled if there is one. */
  checkCancelled(): Promise<void>;
  /** Throws JobCancelled if a cancel was found already (no database read). */
  throwIfCancelled(): void;
}

export interface QueueDefinition<J extends JobRecord, C = unknown> {
  /** Names the queue in logs and in default lock keys. */
  name: string;
  model: Model<J>;
  /** The pending-job query. */
  pending: FilterQuery<J>;
  /** The fields `lockKey` needs of a candidate (besides _id). */
  keyFields?: string[];
  lockKey?(job: J): string;
  handle(job: J, run: JobRun): Promise<void>;
  /** Internal errors are tried this many times in all (default 1: no retry). */
  retry?: { maxAttempts?: number; baseDelayMs?: number };
  /** Errors that fail the job at once (default: domain errors). */
  isInputError?(error: unknown): boolean;
  cancel?: {
    /** The job's cancel, if one was asked for. */
    find(job: J): Promise<C | null>;
    /** Sets the job's state from its cancel (called again if a racing write undid it). */
    settle(job: J, cancel: C): Promise<void>;
  };
  /** Called before a job is marked failed (to record it). */
  onFailed?(job: J, failure: { reason: string; stage?: string }): Promise<void>;
  /** Called after every run of a job, whatever its end. */
  afterRun?(job: Pick<J, '_id'>): void;
}

export interface QueueOptions {
  leaseMs?: number;
  pollMs?: number;
  /** Jobs this engine runs at once (default 1). */
  concurrency?: number;
  holder?: string;
  /** How often a running job's cancel is looked for (default 1 s). */
  cancelPollMs?: number;
  log: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

/** Candidates read per poll. */
const CANDIDATES = 50;

export class LeasedQueue<J extends JobRecord, C = unknown> {
  readonly holder: string;
  private readonly loop: PollLoop;
  /** Runs in hand, by lock key. */
  private readonly active = new Map<string, Promise<void>>();

  constructor(
    private readonly definition: QueueDefinition<J, C>,
    private readonly lease: Model<LeaseRecord>,
    private readonly options: QueueOptions,
  ) {
    this.holder = options.holder ?? newHolderId();
    this.loop = new PollLoop(() => this.fillSlots(), options.pollMs ?? 2_000, (err) => options.log.error({ err }, `${definition.name} queue: polling failed`));
  }

  /** False once stopped (and before the first start). */
  get running(): boolean {
    return this.loop.running;
  }

  start(): void {
    this.loop.start();
  }

  /** Look for work now instead of at the next poll. */
  poke(): void {
    this.loop.poke();
  }

  /** Stops taking work and waits for the jobs in hand; their leases are released. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.allSettled(this.active.values());
  }

  /** Resolves once nothing is pending (due or not) and nothing is in hand. */
  async idle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.active.size === 0 && (await this.definition.model.countDocuments(this.definition.pending)) === 0) return;
      this.poke();
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${this.definition.name} queue did not become idle in time`);
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 60_000;
  }

  private lockKey(job: J): string {
    return this.definition.lockKey ? this.definition.lockKey(job) : `${this.definition.name}:${String(job._id)}`;
  }

  private async fillSlots(): Promise<void> {
    const concurrency = this.options.concurrency ?? 1;
    if (!this.loop.running || this.active.size >= concurrency) return;
    const due = { $or: [{ retryAt: null }, { retryAt: { $lte: new Date() } }] };
    const fields = Object.fromEntries(['_id', ...(this.definition.keyFields ?? [])].map((f) => [f, 1]));
    const candidates = await this.definition.model
      .find({ $and: [this.definition.pending, due] } as FilterQuery<J>, fields)
      .sort({ createdAt: 1, _id: 1 })
      .limit(CANDIDATES)
      .lean<J[]>();
    // A key is tried once a pass: a later job of the same key waits for the earlier one.
    const tried = new Set<string>();
    for (const candidate of candidates) {
      if (!this.loop.running || this.active.size >= concurrency) return;
      const key = this.lockKey(candidate);
      if (tried.has(key) || this.active.has(key)) continue;
      tried.add(key);
      if (!(await claimLease(this.lease, key, this.holder, this.leaseMs))) continue;
      const run = this.run(candidate, key).finally(() => {
        this.active.delete(key);
        try {
          this.definition.afterRun?.(candidate);
        } catch (err) {
          this.options.log.error({ err, [this.definition.name]: String(candidate._id) }, `${this.definition.name} queue: an after-run hook failed`);
        }
        this.poke();
      });
      this.active.set(key, run);
    }
  }

  /** One run of a claimed job, under its lease; never throws (a failed engine write leaves the job pending). */
  private async run(candidate: J, key: string): Promise<void> {
    const { definition } = this;
    const stopHeartbeat = keepLeaseAlive(this.lease, key, this.holder, this.leaseMs);
    let watch: CancelWatch<C> | null = null;
    try {
      const job = await definition.model.findOne({ $and: [{ _id: candidate._id }, definition.pending] } as FilterQuery<J>).lean<J>();
      if (!job) return;
      const cancelled = await definition.cancel?.find(job);
      if (cancelled) return await definition.cancel!.settle(job, cancelled);
      const cancel = definition.cancel;
      const active = new CancelWatch<C>(cancel ? () => cancel.find(job) : null, this.options.cancelPollMs);
      watch = active;
      const run: JobRun = {
        signal: active.signal,
        stage: undefined,
        checkCancelled: () => active.checkCancelled(),
        throwIfCancelled: () => active.throwIfCancelled(),
      };
      try {
        await definition.handle(job, run);
      } catch (error) {
        await this.settleError(job, run, active, error);
      }
    } catch (err) {
      // The lease is released; the job is still pending and is tried again at the next poll.
      this.options.log.error({ err, [definition.name]: String(candidate._id) }, `${definition.name} run interrupted`);
    } finally {
      watch?.stop();
      stopHeartbeat();
      await releaseLease(this.lease, key, this.holder);
    }
  }

  private async settleError(job: J, run: JobRun, watch: CancelWatch<C>, error: unknown): Promise<void> {
    const { definition } = this;
    const id = String(job._id);
    const cancel = watch.cancel ?? (await definition.cancel?.find(job)) ?? null;
    if (cancel) {
      // Nothing of the run writes any more: the state is set from the cancel, over any racing write.
      await definition.cancel!.settle(job, cancel);
      this.options.log.info({ [definition.name]: id }, `${definition.name} cancelled`);
      return;
    }
    const message = (error as Error)?.message ?? String(error);
    const during = run.stage ? ` while ${run.stage}` : '';
    const isInput = definition.isInputError ? definition.isInputError(error) : error instanceof DomainError;
    if (isInput) return this.fail(job, message, run.stage);
    this.options.log.error({ err: error, [definition.name]: id }, `${definition.name} failed`);
    const attempts = (job.attempts ?? 0) + 1;
    const maxAttempts = definition.retry?.maxAttempts ?? 1;
    if (attempts < maxAttempts) {
      const delay = (definition.retry?.baseDelayMs ?? 5_000) * 2 ** (attempts - 1);
      await definition.model.updateOne(this.stillPending(job), { $set: { attempts, retryAt: new Date(Date.now() + delay), lastError: run.stage ? `while ${run.stage}: ${message}` : message } });
      return;
    }
    const gaveUp = maxAttempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
    await this.fail(job, `internal error${during}${gaveUp}: ${message}`, run.stage, attempts);
  }

  private async fail(job: J, reason: string, stage: string | undefined, attempts?: number): Promise<void> {
    await this.definition.onFailed?.(job, { reason, ...(stage ? { stage } : {}) })
      .catch((err: unknown) => this.options.log.error({ err, [this.definition.name]: String(job._id) }, `${this.definition.name}: recording the failure failed`));
    await this.definition.model.updateOne(this.stillPending(job), {
      $set: { status: 'failed', retryAt: null, failure: { ...(stage ? { stage } : {}), reason, at: new Date() }, ...(attempts === undefined ? {} : { attempts }) },
    });
  }

  private stillPending(job: J): FilterQuery<J> {
    return { $and: [{ _id: job._id }, this.definition.pending] } as FilterQuery<J>;
  }
}
