/**
 * What the stages of one run of the pipeline on a document share: the dependencies, the tally
 * of what the run wrote, and the progress writes.
 */
import type { AuditLog } from '../audit/log';
import type { ChildLimits } from '../limited-process';
import type { OriginalStore } from '../ingest/storage';
import { DocumentRepository, type DocumentRecord, type ProgressStage } from '../store/documents';
import type { Models } from '../store/models';
import type { ActiveLexicon } from './page-analysis';

export interface PipelineDeps {
  models: Models;
  originals: OriginalStore;
  lexicon: ActiveLexicon;
  /** When set, the lexicon to use is asked for per document (the active published version). */
  activeLexicon?: () => Promise<ActiveLexicon>;
  /** Caps of the child processes (extraction child, mutool, tesseract); default DEFAULT_CHILD_LIMITS. */
  limits?: ChildLimits;
  /** Records each finished analysis run in the audit trail. */
  audit?: AuditLog;
  ocr?: { concurrency?: number; dpi?: number; pagesPerRun?: number };
  /** Internal (non-input) errors are retried with exponential backoff up to this many attempts. */
  retry?: { maxAttempts?: number; baseDelayMs?: number };
  log: { info(obj: object, msg?: string): void; warn?(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

/**
 * What this run wrote. A document never processed before (queued, first extraction round) has
 * no pages or flags but this run's: when no write of it met an existing page, its current pages
 * are exactly the pages it stored, all analysed with this run's lexicon, and its flags exactly
 * the distinct fingerprints it wrote. Then the run's end needs no query over the pages or flags
 * (on FerretDB each such query or count reads the whole collection: ~0.4 s and ~1.7 s at 1,000
 * pages and 3,000 flags). Any other run (resumed, re-OCR) queries as before.
 */
export class RunTally {
  readonly fresh: boolean;
  readonly flags = new Set<string>();
  pages = 0;
  /** Pages this run stored as failed, and the first one's reason. */
  failedPages = 0;
  firstFailure: string | null = null;
  metStoredPage = false;
  constructor(doc: DocumentRecord) {
    this.fresh = doc.status === 'queued' && doc.extractionRound === 1;
  }
  complete(): boolean {
    return this.fresh && !this.metStoredPage;
  }
}

export async function setStage(deps: PipelineDeps, doc: DocumentRecord, status: 'extracting' | 'analyzing', stage: ProgressStage, done: number, total: number): Promise<void> {
  await new DocumentRepository(deps.models).setStage(doc._id, status, stage, done, total);
}
