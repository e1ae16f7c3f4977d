/**
 * Captures as jobs on the job engine (src/jobs/leased-queue.ts): every document in status
 * `capturing` is pending, so a capture cut short by a crash or a restart is taken again (from the
 * start: a capture keeps nothing until it has all its files). The WARC, PDF and PNG are stored
 * under their SHA-256; the PDF becomes the document's original, so the pipeline reads its pages
 * (text layer and word boxes) like any upload's, and flags get boxes on the rendered page.
 */
import fs from 'node:fs';
import type { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/log';
import type { OriginalStore } from '../ingest/storage';
import { LeasedQueue } from '../jobs/leased-queue';
import { isDuplicateKeyError } from '../store/connection';
import type { CaptureRepository } from '../store/captures';
import { DocumentRepository } from '../store/documents';
import type { CancelRecord } from '../store/job-models';
import { JobRepository } from '../store/jobs';
import type { DocumentRecord, Models } from '../store/models';
import type { StoredFileRecord } from '../store/original-models';
import type { AddressGuard } from './address-guard';
import { capturePage } from './browser';
import { CaptureFailure, DEFAULT_CAPTURE_LIMITS, type CaptureLimits } from './fetcher';
import { mainTextCoverage } from './main-text';

/**
 * The main text is analysed when Readability found one and at least half of it (by word
 * trigrams) is in the page's visible text — the text the rendered PDF shows. Otherwise (an
 * article Readability took from hidden or generated markup) the whole page is.
 */
export function analysedText(pageText: string, mainText: string | null): 'main' | 'page' {
  return mainText !== null && mainTextCoverage(pageText, mainText) >= 0.5 ? 'main' : 'page';
}

export interface CaptureJobDeps {
  models: Models;
  captures: CaptureRepository;
  originals: OriginalStore;
  guard: AddressGuard;
  audit: AuditLog;
  log: Logger;
  limits?: Partial<CaptureLimits>;
  chromiumPath?: string;
  /** The document is queued for the pipeline: wake the document runner. */
  onCaptured: (id: Types.ObjectId) => void;
}

export class CaptureJobs {
  private readonly queue: LeasedQueue<DocumentRecord, CancelRecord>;

  constructor(
    private readonly deps: CaptureJobDeps,
    options: { pollMs?: number; leaseMs?: number; holder?: string; cancelPollMs?: number } = {},
  ) {
    const documents = new DocumentRepository(deps.models);
    const jobs = new JobRepository(deps.models);
    this.queue = new LeasedQueue<DocumentRecord, CancelRecord>(
      {
        name: 'capture',
        model: deps.models.Document,
        pending: { status: 'capturing' },
        lockKey: (doc) => `document:${String(doc._id)}`,
        handle: (doc, run) => this.capture(doc, run.signal, (stage) => (run.stage = stage)),
        retry: { maxAttempts: 2, baseDelayMs: 5_000 },
        isInputError: (error) => error instanceof CaptureFailure,
        // A cancel (POST /api/documents/:id/cancel) aborts run.signal: capturePage then closes
        // its browser at once, whatever the page is doing.
        cancel: { find: (doc) => jobs.findCancel(doc._id, doc.extractionRound ?? 1), settle: (_doc, cancel) => documents.markCancelled(cancel) },
        onFailed: async (doc, { reason }) => {
          await deps.audit.append({ actor: { id: 'system', role: 'system' }, action: 'analysis.failed', entity: { type: 'document', id: String(doc._id) }, change: { status: 'failed', stage: 'capturing', reason } });
        },
      },
      deps.models.Lease,
      { pollMs: options.pollMs, leaseMs: options.leaseMs ?? 120_000, concurrency: 1, holder: options.holder, cancelPollMs: options.cancelPollMs, log: deps.log },
    );
  }

  start(): void {
    this.queue.start();
  }

  poke(): void {
    this.queue.poke();
  }

  stop(): Promise<void> {
    return this.queue.stop();
  }

  idle(timeoutMs = 120_000): Promise<void> {
    return this.queue.idle(timeoutMs);
  }

  private async capture(doc: DocumentRecord, signal: AbortSignal, stage: (s: string) => void): Promise<void> {
    stage('capturing');
    const url = doc.capture!.requestedUrl;
    const page = await capturePage(url, { guard: this.deps.guard, limits: { ...DEFAULT_CAPTURE_LIMITS, ...this.deps.limits }, chromiumPath: this.deps.chromiumPath, signal });
    stage('storing the capture');
    const files: StoredFileRecord[] = [];
    for (const [role, bytes, mediaType] of [['warc', page.warc, 'application/warc'], ['pdf', page.pdf, 'application/pdf'], ['png', page.png, 'image/png']] as const) {
      const temp = this.deps.originals.incomingPath();
      fs.writeFileSync(temp, bytes);
      const stored = await this.deps.originals.commit(temp);
      files.push({ role, sha256: stored.sha256, bytes: stored.bytes, mediaType, storedPath: stored.storedPath });
    }
    const pdf = files.find((f) => f.role === 'pdf')!;
    const host = new URL(page.finalUrl).hostname;
    try {
      const done = await this.deps.captures.completeCapture(doc._id, {
        original: { sha256: pdf.sha256, bytes: pdf.bytes, mime: 'application/pdf', type: 'pdf', storedPath: pdf.storedPath, filename: `${host}.pdf` },
        originals: files,
        capture: {
          requestedUrl: url,
          finalUrl: page.finalUrl,
          status: page.main.status,
          headers: page.main.headers.map(([name, value]) => ({ name: name.toLowerCase(), value })),
          startedAt: page.startedAt,
          endedAt: page.endedAt,
          browserVersion: page.browserVersion,
          userAgent: page.userAgent,
          ...(page.main.tls ? { tls: page.main.tls } : {}),
          pageText: page.pageText,
          mainText: page.mainText ?? page.pageText,
          mainTextFrom: page.mainText ? 'readability' : 'page',
          analysed: analysedText(page.pageText, page.mainText),
          requests: page.requests,
          bytesReceived: page.bytesReceived,
        },
      });
      if (done) this.deps.onCaptured(doc._id);
    } catch (error) {
      // One document per original: the very same rendering is stored already.
      if (isDuplicateKeyError(error)) throw new CaptureFailure('the rendered page is byte for byte one stored already; nothing new was captured');
      throw error;
    }
  }
}
