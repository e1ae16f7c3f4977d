/**
 * The cancel watcher of a document's run: looks for the document's cancel record (once a
 * second, and whenever a stage asks) and, once it is there, aborts the run's work — the
 * extraction child, OCR tools — through `signal`.
 */
import type { CancelRecord, DocumentRecord, Models } from '../store/models';
import { findCancel } from './control';

/** The document was cancelled while being processed: stop quietly, the status already says so. */
export class CancelledError extends Error {}

export class CancelWatch {
  readonly controller = new AbortController();
  /** The cancel record, once found. */
  cancel: CancelRecord | null = null;
  private timer: NodeJS.Timeout;
  constructor(
    private readonly models: Models,
    private readonly doc: DocumentRecord,
  ) {
    this.timer = setInterval(() => void this.check().catch(() => {}), 1_000);
    this.timer.unref();
  }
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  /** Looks now; throws CancelledError if the document was cancelled. */
  async check(): Promise<void> {
    if (this.controller.signal.aborted) throw new CancelledError();
    const cancel = await findCancel(this.models, this.doc);
    if (cancel) {
      this.cancel = cancel;
      this.controller.abort();
      throw new CancelledError();
    }
  }
  throwIfCancelled(): void {
    if (this.controller.signal.aborted) throw new CancelledError();
  }
  stop(): void {
    clearInterval(this.timer);
  }
}
