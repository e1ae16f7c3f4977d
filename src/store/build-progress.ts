/**
 * Progress of the one-time FerretDB build (`go build -v` names each package as it compiles it),
 * reported at most every `everyMs` so that a first `npm start` never sits silent for minutes.
 */
export const EXPECTED_BUILD = 'usually 2 to 4 minutes on a 2-core machine';

export class BuildProgress {
  private compiled = 0;
  private lastReport: number;
  private readonly started: number;

  constructor(
    private readonly total: number,
    private readonly report: (line: string) => void,
    private readonly now: () => number = Date.now,
    private readonly everyMs = 10_000,
  ) {
    this.started = now();
    this.lastReport = this.started;
  }

  /** One line of `go build -v` output: a package name, or a compiler message (shown as is). */
  line(text: string): void {
    const line = text.trim();
    if (!line) return;
    if (/^[\w.-]+(?:\/[\w.@~+-]+)*$/.test(line)) this.compiled += 1;
    else this.report(line);
    this.tick();
  }

  /** Reports when `everyMs` passed since the last report (also called by a timer). */
  tick(): void {
    const now = this.now();
    if (now - this.lastReport < this.everyMs) return;
    this.lastReport = now;
    this.report(this.status());
  }

  status(): string {
    const seconds = Math.round((this.now() - this.started) / 1000);
    const elapsed = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    const share = this.total > 0 ? ` (${Math.min(99, Math.floor((100 * this.compiled) / this.total))}%)` : '';
    return `building FerretDB: ${this.compiled} of ${this.total || '?'} packages compiled${share}, ${elapsed} elapsed`;
  }
}
