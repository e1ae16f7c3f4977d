/**
 * Pages waiting for OCR, and the readers that take them: one single-threaded tesseract per
 * reader, each taking a few pages a run (the model loads once for them). Readers wait on the
 * queue while the text-layer pass may still add pages; the first reader error stops the others
 * after the pages in hand.
 */
import type { ExtractedPage } from '../extract';

/** What a round writes for one page: its first version, or a new version read again by OCR. */
export interface PagePlan {
  page: ExtractedPage;
  version: number;
  ocr: boolean;
}

export class OcrQueue {
  private readonly items: PagePlan[] = [];
  private readonly waiting: Array<(plan: PagePlan | null) => void> = [];
  private closed = false;
  get size(): number {
    return this.items.length;
  }
  push(plan: PagePlan): void {
    const reader = this.waiting.shift();
    if (reader) reader(plan);
    else this.items.push(plan);
  }
  peek(): PagePlan | undefined {
    return this.items[0];
  }
  /**
   * Waits for a page, then takes it with a share of those waiting behind it: up to `max`, and no
   * more than 1/readers of them, so that readers finish together. [] once closed and empty.
   */
  async take(readers: number, max: number): Promise<PagePlan[]> {
    const first = this.items.shift() ?? (this.closed ? null : await new Promise<PagePlan | null>((resolve) => this.waiting.push(resolve)));
    if (!first) return [];
    const share = Math.min(max, Math.ceil((this.items.length + 1) / Math.max(1, readers)));
    return [first, ...this.items.splice(0, share - 1)];
  }
  /** No more pages will come: waiting readers finish. */
  close(): void {
    this.closed = true;
    for (const reader of this.waiting.splice(0)) reader(null);
  }
  /** Stop: pages not yet taken are dropped (they stay unread; a later run reads them). */
  abandon(): void {
    this.items.length = 0;
    this.close();
  }
}

export interface OcrReaderOptions {
  readers: number;
  /** Pages one tesseract process reads at most. */
  pagesPerRun: number;
  /** Reads and stores these pages in `langs` (tesseract codes). */
  read(plans: PagePlan[], langs: string[]): Promise<void>;
  /** Called once, on the first reader error (after the queue was abandoned). */
  onFailure(): void;
}

export class OcrReaderPool {
  /** The first reader error, once a reader failed. */
  failure: { error: unknown } | null = null;

  constructor(
    private readonly queue: OcrQueue,
    private readonly options: OcrReaderOptions,
  ) {}

  /** Starts the readers; resolves once the queue is closed and read, rejects with the first reader error. */
  start(langs: string[]): Promise<void> {
    const { readers, pagesPerRun } = this.options;
    const reader = async () => {
      try {
        for (let plans = await this.queue.take(readers, pagesPerRun); plans.length > 0 && !this.failure; plans = await this.queue.take(readers, pagesPerRun)) {
          await this.options.read(plans, langs);
        }
      } catch (error) {
        if (this.failure) return;
        this.failure = { error };
        this.queue.abandon();
        this.options.onFailure();
      }
    };
    return Promise.all(Array.from({ length: readers }, reader)).then(() => {
      if (this.failure) throw this.failure.error;
    });
  }
}
