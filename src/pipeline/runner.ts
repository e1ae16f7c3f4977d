/**
 * Runs the pipeline off the request. Work lives in the database, not in memory: any document
 * whose status is not final is pending, so a restart (or another instance on the same
 * database) picks it up. A document is processed by one holder at a time through a lease —
 * an insert guarded by the unique _id, which is atomic on MongoDB and FerretDB alike —
 * renewed by heartbeat and taken over once expired.
 */
import type { Types } from 'mongoose';
import { replenishSpareChild, retainSpareChild } from '../extract/isolated';
import { claimLease, keepLeaseAlive, newHolderId, releaseLease } from '../store/leases';
import { PollLoop } from '../store/poll-loop';
import type { PipelineDeps } from './document-run';
import { processDocument } from './process-document';

export interface RunnerOptions {
  /** Keep an extraction child started and waiting for the next document (default true; see extract/isolated). */
  spareExtractionChild?: boolean;
  leaseMs?: number;
  pollMs?: number;
  concurrency?: number;
  holder?: string;
}

const PENDING_STATUSES = ['queued', 'extracting', 'analyzing'];

export class DocumentRunner {
  readonly holder: string;
  private readonly leaseMs: number;
  private readonly spare: boolean;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly active = new Map<string, Promise<void>>();
  private readonly loop: PollLoop;

  constructor(
    private readonly deps: PipelineDeps,
    options: RunnerOptions = {},
  ) {
    this.spare = options.spareExtractionChild !== false;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 2_000;
    this.concurrency = options.concurrency ?? 1;
    this.holder = options.holder ?? newHolderId();
    this.loop = new PollLoop(() => this.fillSlots(), this.pollMs, (err) => deps.log.error({ err }, 'polling for work failed'));
  }

  private releaseSpareChild: (() => void) | null = null;
  private readonly runEndListeners = new Set<(documentId: string) => void>();

  /**
   * Calls `listener` with the document's id each time this runner ends a run of it (done, failed,
   * cancelled, or left for a retry); returns the unsubscribe. The ingest benchmark waits on it
   * instead of polling the database while it measures.
   */
  onRunEnd(listener: (documentId: string) => void): () => void {
    this.runEndListeners.add(listener);
    return () => this.runEndListeners.delete(listener);
  }

  start(): void {
    // An extraction child waits, started, for the next document (see extract/isolated).
    if (this.spare) this.releaseSpareChild ??= retainSpareChild(this.deps.extractLimits?.maxMemoryMb);
    this.loop.start();
  }

  /** Look for work now instead of at the next poll. */
  poke(): void {
    this.loop.poke();
  }

  /** Stops taking work and waits for documents in hand; their leases are released. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.allSettled(this.active.values());
    this.releaseSpareChild?.();
    this.releaseSpareChild = null;
  }

  /** Resolves once nothing is pending or in hand (tests and CLI use it). */
  async idle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const pending = await this.deps.models.Document.countDocuments({ status: { $in: PENDING_STATUSES } });
      if (pending === 0 && this.active.size === 0) return;
      this.poke();
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('runner did not become idle in time');
  }

  private async fillSlots(): Promise<void> {
    if (!this.loop.running || this.active.size >= this.concurrency) return;
    // Documents waiting out a retry backoff are not due yet.
    const due = { $or: [{ retryAt: null }, { retryAt: { $lte: new Date() } }] };
    const candidates = await this.deps.models.Document.find({ status: { $in: PENDING_STATUSES }, ...due }, { _id: 1 })
      .sort({ createdAt: 1, _id: 1 })
      .limit(50)
      .lean();
    for (const { _id } of candidates) {
      if (!this.loop.running || this.active.size >= this.concurrency) return;
      const key = String(_id);
      if (this.active.has(key)) continue;
      if (!(await this.claim(key))) continue;
      const job = this.run(_id, key).finally(() => {
        this.active.delete(key);
        if (this.loop.running) replenishSpareChild();
        for (const listener of this.runEndListeners) {
          try {
            listener(key);
          } catch (err) {
            this.deps.log.error({ err, document: key }, 'a run-end listener failed');
          }
        }
        this.poke();
      });
      this.active.set(key, job);
    }
  }

  private async run(documentId: Types.ObjectId, key: string): Promise<void> {
    const { Lease } = this.deps.models;
    const leaseId = `document:${key}`;
    const stopHeartbeat = keepLeaseAlive(Lease, leaseId, this.holder, this.leaseMs);
    try {
      await processDocument(this.deps, documentId);
    } catch (error) {
      // The lease expires and the document is retried (by us or another instance).
      this.deps.log.error({ err: error, document: key }, 'processing interrupted');
    } finally {
      stopHeartbeat();
      await releaseLease(Lease, leaseId, this.holder);
    }
  }

  /** True if this runner now holds the document's lease. */
  private claim(key: string): Promise<boolean> {
    return claimLease(this.deps.models.Lease, `document:${key}`, this.holder, this.leaseMs);
  }
}
