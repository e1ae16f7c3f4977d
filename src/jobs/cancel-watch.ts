/**
 * The cancel watcher of one job run: asks `find` for the job's cancel (every `intervalMs`, and
 * whenever the job asks) and, once there is one, aborts the run's work — child processes,
 * tools — through `signal`. Started by the job engine (leased-queue.ts) for queues that can be
 * cancelled; the job sees it as its JobRun.
 */

/** The job was cancelled while it ran: it stops quietly, and the engine settles the cancel. */
export class JobCancelled extends Error {
  constructor() {
    super('cancelled on request');
  }
}

export class CancelWatch<C> {
  private readonly controller = new AbortController();
  /** The cancel, once found. */
  cancel: C | null = null;
  private readonly timer: NodeJS.Timeout | null;

  constructor(
    private readonly find: (() => Promise<C | null>) | null,
    intervalMs = 1_000,
  ) {
    this.timer = find ? setInterval(() => void this.checkCancelled().catch(() => {}), intervalMs) : null;
    this.timer?.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Looks now; throws JobCancelled if the job was cancelled. */
  async checkCancelled(): Promise<void> {
    this.throwIfCancelled();
    const cancel = this.find ? await this.find() : null;
    if (cancel) {
      this.cancel = cancel;
      this.controller.abort();
      throw new JobCancelled();
    }
  }

  throwIfCancelled(): void {
    if (this.controller.signal.aborted) throw new JobCancelled();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
