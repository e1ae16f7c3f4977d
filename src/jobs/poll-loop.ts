/**
 * The job engine's polling (leased-queue.ts): run `work` now and then every `pollMs`; `poke`
 * asks for a run now. Never two runs at once: a poke during a run makes the next one start as
 * soon as it ends.
 */
export class PollLoop {
  private timer: NodeJS.Timeout | null = null;
  private working: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly pollMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** False once stopped (and before the first start): work in progress should wind down. */
  get running(): boolean {
    return !this.stopped;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  poke(): void {
    if (!this.stopped) this.schedule(0);
  }

  /** Stops polling and waits for the run in progress, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.working;
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private async tick(): Promise<void> {
    if (this.working) {
      this.again = true;
      return;
    }
    this.working = this.work().catch(this.onError);
    await this.working;
    this.working = null;
    if (this.stopped) return;
    this.schedule(this.again ? 0 : this.pollMs);
    this.again = false;
  }
}
