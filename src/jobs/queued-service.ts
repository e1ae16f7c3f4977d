import type { JobRecord, LeasedQueue } from './leased-queue';

/**
 * A service whose work runs on a leased queue (dossiers, re-analyses): starting, waking and
 * stopping the service are its queue's.
 */
export abstract class QueuedService<J extends JobRecord> {
  protected abstract readonly queue: LeasedQueue<J>;

  start(): void {
    this.queue.start();
  }

  /** Look for work now instead of at the next poll. */
  poke(): void {
    this.queue.poke();
  }

  async stop(): Promise<void> {
    await this.queue.stop();
  }
}
