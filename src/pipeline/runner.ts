/**
 * Runs the pipeline off the request, on the job engine (src/jobs/leased-queue.ts): any document
 * whose status is not final is pending, so a restart (or another instance on the same
 * database) picks it up. A document is processed by one holder at a time under its lease
 * (`document:<id>`), renewed by heartbeat and taken over once expired; internal errors are
 * retried with backoff, input errors fail the document at once, and a cancel stops the run.
 */
import { replenishSpareChild, retainSpareChild } from '../extract/isolated';
import { ExtractionError } from '../extract';
import { LeasedQueue } from '../jobs/leased-queue';
import { DocumentRepository, type DocumentRecord } from '../store/documents';
import { JobRepository, type CancelRecord } from '../store/jobs';
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
  private readonly queue: LeasedQueue<DocumentRecord, CancelRecord>;
  private readonly spare: boolean;
  private releaseSpareChild: (() => void) | null = null;
  private readonly runEndListeners = new Set<(documentId: string) => void>();

  constructor(
    private readonly deps: PipelineDeps,
    options: RunnerOptions = {},
  ) {
    this.spare = options.spareExtractionChild !== false;
    const { models, audit, log } = deps;
    const documents = new DocumentRepository(models);
    const jobs = new JobRepository(models);
    this.queue = new LeasedQueue<DocumentRecord, CancelRecord>(
      {
        name: 'document',
        model: models.Document,
        pending: { status: { $in: PENDING_STATUSES } },
        handle: (doc, run) => processDocument(deps, doc, run),
        retry: { maxAttempts: deps.retry?.maxAttempts ?? 3, baseDelayMs: deps.retry?.baseDelayMs ?? 5_000 },
        // Input errors are deterministic: the document fails at once; the original stays stored.
        isInputError: (error) => error instanceof ExtractionError,
        cancel: { find: (doc) => jobs.findCancel(doc._id, doc.extractionRound), settle: (_doc, cancel) => documents.markCancelled(cancel) },
        onFailed: async (doc, { stage, reason }) => {
          await audit?.append({ actor: { id: 'system', role: 'system' }, action: 'analysis.failed', entity: { type: 'document', id: String(doc._id) }, change: { status: 'failed', stage, reason } });
        },
        afterRun: (doc) => this.runEnded(String(doc._id)),
      },
      models.Lease,
      { leaseMs: options.leaseMs, pollMs: options.pollMs, concurrency: options.concurrency, holder: options.holder, log },
    );
  }

  get holder(): string {
    return this.queue.holder;
  }

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
    if (this.spare) this.releaseSpareChild ??= retainSpareChild(this.deps.limits?.extract);
    this.queue.start();
  }

  /** Look for work now instead of at the next poll. */
  poke(): void {
    this.queue.poke();
  }

  /** Stops taking work and waits for documents in hand; their leases are released. */
  async stop(): Promise<void> {
    await this.queue.stop();
    this.releaseSpareChild?.();
    this.releaseSpareChild = null;
  }

  /** Resolves once nothing is pending or in hand (tests and CLI use it). */
  idle(timeoutMs = 60_000): Promise<void> {
    return this.queue.idle(timeoutMs);
  }

  private runEnded(documentId: string): void {
    if (this.queue.running) replenishSpareChild();
    for (const listener of this.runEndListeners) {
      try {
        listener(documentId);
      } catch (err) {
        this.deps.log.error({ err, document: documentId }, 'a run-end listener failed');
      }
    }
  }
}
