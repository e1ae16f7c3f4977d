/**
 * The document pipeline: extract → analyze → store, for one document. Every step is
 * idempotent and checkpointed in the database (pages keyed by document+index, a page's
 * `analyzedWith`, flags keyed by fingerprint), so a run that dies anywhere resumes where it
 * stopped with no duplicate pages or flags. No transactions: the original and the document
 * record exist before any derived data, and `status` says how far processing got.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { Types } from 'mongoose';
import { analyzePage, detectLanguage, type CompiledLexicon } from '../analyze';
import type { AnalysisFlag } from '../analyze/types';
import { ExtractionError, type ExtractedPage } from '../extract';
import { ExtractionAbortedError } from '../extract/types';
import { imageDimensions } from '../extract/image';
import { extractPagesIsolated, type IsolationLimits } from '../extract/isolated';
import {
  DEFAULT_OCR_DPI,
  MAX_IMAGE_PIXELS,
  ocrImagePages,
  ocrPdfPage,
  ocrPdfPages,
  tesseractLangs,
  type OcrPageResult,
} from '../extract/ocr';
import type { AcceptedType } from '../ingest/sniff';
import type { OriginalStore } from '../ingest/storage';
import type { AuditLog } from '../audit/log';
import { insertIgnoringDuplicates } from '../store/connection';
import { packWordBoxes, packWords, unpackWords } from '../store/word-boxes';
import type { CancelRecord, DocumentRecord, FlagRecord, Models, PageRecord, ProgressStage, WordBoxRecord } from '../store/models';
import { findCancel, markCancelled } from './control';

export interface ActiveLexicon {
  id: string;
  version: string;
  compiled: CompiledLexicon;
}

export interface PipelineDeps {
  models: Models;
  originals: OriginalStore;
  lexicon: ActiveLexicon;
  /** When set, the lexicon to use is asked for per document (the active published version). */
  activeLexicon?: () => Promise<ActiveLexicon>;
  extractLimits?: IsolationLimits;
  /** Records each finished analysis run in the audit trail. */
  audit?: AuditLog;
  ocr?: { concurrency?: number; dpi?: number; pageTimeoutMs?: number; pagesPerRun?: number };
  /** Internal (non-input) errors are retried with exponential backoff up to this many attempts. */
  retry?: { maxAttempts?: number; baseDelayMs?: number };
  log: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

const IMAGE_TYPES = new Set(['png', 'jpeg', 'tiff']);

/** The document was cancelled while being processed: stop quietly, the status already says so. */
class CancelledError extends Error {}

export async function processDocument(pipelineDeps: PipelineDeps, documentId: Types.ObjectId): Promise<void> {
  const deps = pipelineDeps.activeLexicon ? { ...pipelineDeps, lexicon: await pipelineDeps.activeLexicon() } : pipelineDeps;
  const { Document } = deps.models;
  const doc = await Document.findById(documentId).lean<DocumentRecord>();
  if (!doc || doc.status === 'done' || doc.status === 'failed' || doc.status === 'cancelled') return;
  // Cancelled, but a racing write put the old status back (see CancelRecord): say so again.
  const cancelled = await findCancel(deps.models, doc);
  if (cancelled) return markCancelled(deps.models, cancelled);
  const watch = new CancelWatch(deps.models, doc);
  const tally = new RunTally(doc);
  let stage = 'extracting';
  try {
    await extractStage(deps, doc, watch, tally);
    stage = 'analyzing';
    await analyzeStage(deps, doc, watch, tally);
    // Recorded before the final status, so whoever sees `done` also finds the audit event.
    const flagCount = tally.complete() ? tally.flags.size : await deps.models.Flag.countDocuments({ document: doc._id });
    await deps.audit?.append({ actor: { id: 'system', role: 'system' }, action: 'analysis.run', entity: { type: 'document', id: String(doc._id) }, change: { status: 'done', lexicon: { id: deps.lexicon.id, version: deps.lexicon.version }, flags: flagCount } });
    await Document.updateOne(
      { _id: doc._id, status: { $ne: 'cancelled' } },
      { $set: { status: 'done', lexicon: { id: deps.lexicon.id, version: deps.lexicon.version }, 'progress.stage': 'done', retryAt: null } },
    );
    deps.log.info({ document: String(doc._id) }, 'document processed');
  } catch (error) {
    if (error instanceof CancelledError || error instanceof ExtractionAbortedError) {
      // Nothing of this run writes any more: the status is set from the record, over any progress
      // write that raced the cancel.
      const cancel = watch.cancel ?? (await findCancel(deps.models, doc));
      if (cancel) await markCancelled(deps.models, cancel);
      deps.log.info({ document: String(doc._id) }, 'processing cancelled');
      return;
    }
    const input = error instanceof ExtractionError;
    const message = (error as Error)?.message ?? String(error);
    if (!input) {
      deps.log.error({ err: error, document: String(doc._id) }, 'processing failed');
      // Internal errors (database, a crashed tool) may pass: retry with backoff, then give up.
      const attempts = (doc.attempts ?? 0) + 1;
      const maxAttempts = deps.retry?.maxAttempts ?? 3;
      if (attempts < maxAttempts) {
        const delay = (deps.retry?.baseDelayMs ?? 5_000) * 2 ** (attempts - 1);
        await Document.updateOne(
          { _id: doc._id, status: { $ne: 'cancelled' } },
          { $set: { attempts, retryAt: new Date(Date.now() + delay), lastError: `while ${stage}: ${message}` } },
        );
        return;
      }
      const reason = `internal error while ${stage} (gave up after ${attempts} attempts): ${message}`;
      await fail(deps, doc, stage, reason, attempts);
      return;
    }
    // Input errors are deterministic: failing at once. The original stays stored.
    await fail(deps, doc, stage, message, doc.attempts ?? 0);
  } finally {
    watch.stop();
  }
}

async function fail(deps: PipelineDeps, doc: DocumentRecord, stage: string, reason: string, attempts: number): Promise<void> {
  await deps.audit?.append({ actor: { id: 'system', role: 'system' }, action: 'analysis.failed', entity: { type: 'document', id: String(doc._id) }, change: { status: 'failed', stage, reason } })
    .catch((auditError: unknown) => deps.log.error({ err: auditError, document: String(doc._id) }, 'audit append failed'));
  await deps.models.Document.updateOne(
    { _id: doc._id, status: { $ne: 'cancelled' } },
    { $set: { status: 'failed', attempts, retryAt: null, failure: { stage, reason, at: new Date() } } },
  );
}

/**
 * What this run wrote. A document never processed before (queued, first extraction round) has
 * no pages or flags but this run's: when no write of it met an existing page, its current pages
 * are exactly the pages it stored, all analysed with this run's lexicon, and its flags exactly
 * the distinct fingerprints it wrote. Then the run's end needs no query over the pages or flags
 * (on FerretDB each such query or count reads the whole collection: ~0.4 s and ~1.7 s at 1,000
 * pages and 3,000 flags). Any other run (resumed, re-OCR) queries as before.
 */
class RunTally {
  readonly fresh: boolean;
  readonly flags = new Set<string>();
  pages = 0;
  metStoredPage = false;
  constructor(doc: DocumentRecord) {
    this.fresh = doc.status === 'queued' && (doc.extractionRound ?? 1) === 1;
  }
  complete(): boolean {
    return this.fresh && !this.metStoredPage;
  }
}

/** Looks for the document's cancel record (once a second) and aborts running work when it is there. */
class CancelWatch {
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

async function setStage(deps: PipelineDeps, doc: DocumentRecord, status: 'extracting' | 'analyzing', stage: ProgressStage, done: number, total: number): Promise<void> {
  await deps.models.Document.updateOne(
    { _id: doc._id, status: { $ne: 'cancelled' } },
    {
      $set: {
        status,
        'progress.stage': stage,
        'progress.pagesDone': done,
        'progress.pagesTotal': total,
        'progress.stageStartedAt': new Date(),
        'progress.stageStartDone': done,
      },
    },
  );
}

/** The newest stored version of each page index (what the pipeline reads and writes against). */
interface StoredPageHead {
  _id: Types.ObjectId;
  index: number;
  version?: number;
  current?: boolean;
  method: PageRecord['method'];
  extractionRound?: number;
}

async function storedPages(deps: PipelineDeps, doc: DocumentRecord): Promise<{ all: StoredPageHead[]; newest: Map<number, StoredPageHead> }> {
  const all = await deps.models.Page.find({ document: doc._id }, { index: 1, version: 1, current: 1, method: 1, extractionRound: 1 })
    .sort({ index: 1, version: -1 })
    .lean<StoredPageHead[]>();
  const newest = new Map<number, StoredPageHead>();
  for (const p of all) if (!newest.has(p.index)) newest.set(p.index, p);
  return { all, newest };
}

/**
 * Exactly the newest version of each index is `current`. A new version is inserted as current
 * before older ones are demoted, so a crash in between leaves two current versions: settled here,
 * once extraction is complete and before analysis reads the current pages.
 */
async function settleCurrentVersions(deps: PipelineDeps, doc: DocumentRecord): Promise<void> {
  const { all, newest } = await storedPages(deps, doc);
  const demote = all.filter((p) => newest.get(p.index) !== p && p.current !== false).map((p) => p._id);
  const promote = [...newest.values()].filter((p) => p.current === false).map((p) => p._id);
  if (demote.length > 0) await deps.models.Page.updateMany({ _id: { $in: demote } }, { $set: { current: false } });
  if (promote.length > 0) await deps.models.Page.updateMany({ _id: { $in: promote } }, { $set: { current: true } });
}

/** What this round writes for one page: its first version, or a new version read again by OCR. */
interface PagePlan {
  page: ExtractedPage;
  version: number;
  ocr: boolean;
}

async function extractStage(deps: PipelineDeps, doc: DocumentRecord, watch: CancelWatch, tally: RunTally): Promise<void> {
  const round = doc.extractionRound ?? 1;
  const { newest } = await storedPages(deps, doc);
  if (newest.size > 0) tally.metStoredPage = true;
  const upToDate = (index: number) => (newest.get(index)?.extractionRound ?? 1) >= round;
  // Versions beyond 1 exist (or are written now): `current` may need settling at the end.
  let versioned = [...newest.values()].some((p) => (p.version ?? 1) > 1);
  const settle = () => (versioned ? settleCurrentVersions(deps, doc) : Promise.resolve());
  if (doc.status === 'analyzing' && newest.size > 0 && newest.size === doc.progress.pagesTotal && [...newest.keys()].every(upToDate)) {
    return settle();
  }
  await setStage(deps, doc, 'extracting', 'extracting', 0, doc.progress.pagesTotal);
  const filePath = deps.originals.resolve(doc.original.storedPath);

  if (IMAGE_TYPES.has(doc.original.type)) {
    // An image is read in one go: this round is done once every page it gave has a version from it.
    if (newest.size > 0 && [...newest.keys()].every(upToDate)) return settle();
    await setStage(deps, doc, 'extracting', 'ocr', 0, Math.max(1, newest.size));
    const head = await deps.originals.head(filePath, 256 * 1024);
    const dims = imageDimensions(head);
    if (dims && dims.width * dims.height > MAX_IMAGE_PIXELS) {
      throw new ExtractionError(`the image is ${dims.width}×${dims.height} pixels; at most ${MAX_IMAGE_PIXELS / 1e6} megapixels are read`);
    }
    const langs = tesseractLangs(ocrLanguages(doc)).length > 0 ? tesseractLangs(ocrLanguages(doc)) : ['eng'];
    const results = await ocrImagePages(filePath, { langs, timeoutMs: deps.ocr?.pageTimeoutMs, signal: watch.signal });
    if (results.length === 0) throw new ExtractionError('no text could be read from the image');
    const records = results
      .map((r, index) => ({ r, index }))
      .filter(({ index }) => !newest.has(index) || !upToDate(index))
      .map(({ r, index }) => ocrPageRecord(doc, { index, label: null }, r, langs, null, (newest.get(index)?.version ?? 0) + 1));
    versioned ||= records.some((r) => r.version > 1);
    await storeAnalysedPages(deps, doc, records, tally);
    return settle();
  }

  // Pages arrive from the extraction child in batches while it reads on; text pages are analysed
  // and stored at once (the database works while pdf.js parses). Pages that need OCR go to a
  // queue read by one single-threaded tesseract per core: when the OCR languages are known (named
  // at upload or for the re-OCR) the readers start on the first such page, while the text-layer
  // pass goes on; otherwise they start after it, once the text layer has told the languages.
  // A page never stored gets version 1 (OCR when its text layer is too thin, or forced); a page
  // stored by an earlier round is read again (a new version) if it was OCR'd or OCR is forced.
  const force = doc.ocr?.force === true;
  const queue = new OcrQueue();
  const languageSample: string[] = [];
  let seen = 0;
  let done = 0;
  let total = doc.progress.pagesTotal;
  const dpi = deps.ocr?.dpi ?? DEFAULT_OCR_DPI;
  const options = { dpi, timeoutMs: deps.ocr?.pageTimeoutMs, signal: watch.signal };
  const concurrency = Math.max(1, deps.ocr?.concurrency ?? os.cpus().length);
  const pagesPerRun = Math.max(1, deps.ocr?.pagesPerRun ?? OCR_PAGES_PER_RUN);
  const store = async (plans: PagePlan[], results: OcrPageResult[], langs: string[]) => {
    await storeAnalysedPages(deps, doc, plans.map((plan, k) => ocrPageRecord(doc, plan.page, results[k]!, langs, dpi, plan.version)), tally);
    done += plans.length;
    await deps.models.Document.updateOne({ _id: doc._id }, { $set: { 'progress.pagesDone': done } });
  };
  // The first reader error stops the other readers (after the pages in hand) and the extraction child.
  const ocrFailure: { error?: unknown; failed: boolean } = { failed: false };
  const stopExtraction = new AbortController();
  const cancelExtraction = () => stopExtraction.abort();
  watch.signal.addEventListener('abort', cancelExtraction);
  const readQueue = (langs: string[]): Promise<void> => {
    const readers = Array.from({ length: concurrency }, async () => {
      try {
        for (let plans = await queue.take(concurrency, pagesPerRun); plans.length > 0 && !ocrFailure.failed; plans = await queue.take(concurrency, pagesPerRun)) {
          watch.throwIfCancelled();
          await store(plans, await ocrPdfPages(filePath, plans.map((plan) => plan.page), { ...options, langs }), langs);
        }
      } catch (error) {
        if (!ocrFailure.failed) Object.assign(ocrFailure, { failed: true, error });
        queue.abandon();
        stopExtraction.abort();
      }
    });
    return Promise.all(readers).then(() => {
      if (ocrFailure.failed) throw ocrFailure.error;
    });
  };
  const knownLangs = tesseractLangs(ocrLanguages(doc));
  let reading: Promise<void> | null = knownLangs.length > 0 ? readQueue(knownLangs) : null;
  // Settled by whoever awaits it; a failure before then must not surface as unhandled.
  reading?.catch(() => {});

  try {
    await extractPagesIsolated(filePath, doc.original.type as AcceptedType, { ...deps.extractLimits, signal: stopExtraction.signal }, {
      total: async (n) => {
        total = n;
        await setStage(deps, doc, 'extracting', 'extracting', done, n);
      },
      pages: async (batch) => {
        const textRecords: PageToStore[] = [];
        let settled = 0;
        for (const page of batch) {
          seen += 1;
          const stored = newest.get(page.index);
          let plan: PagePlan | null = null;
          if (!stored) plan = { page, version: 1, ocr: page.method === 'text-layer' && (force || page.needsOcr === true) };
          else if (!upToDate(page.index) && (force || stored.method === 'ocr')) plan = { page, version: (stored.version ?? 1) + 1, ocr: true };
          if (!plan?.ocr && !page.needsOcr && languageSample.length < 200) languageSample.push(page.text.slice(0, 5_000));
          if (!plan?.ocr) settled += 1;
          if (!plan) continue;
          if (plan.ocr) {
            // Only what OCR needs is kept: the text layer of an OCR page is not used.
            versioned ||= plan.version > 1;
            queue.push({ ...plan, page: { ...page, text: '', words: undefined, wordBoxes: undefined } });
            continue;
          }
          textRecords.push({
            _id: new Types.ObjectId(),
            document: doc._id,
            index: page.index,
            version: plan.version,
            current: true,
            extractionRound: round,
            createdAt: new Date(),
            label: page.label,
            text: page.text,
            textSha256: sha256(page.text),
            method: page.method,
            ...(page.wordBoxes ? { words: packWordBoxes(page.wordBoxes) } : page.words ? { words: packWords(page.words) } : {}),
            lang: null,
            analyzedWith: null,
          });
        }
        versioned ||= textRecords.some((r) => r.version > 1);
        await storeAnalysedPages(deps, doc, textRecords, tally);
        done += settled;
        await deps.models.Document.updateOne({ _id: doc._id, status: { $ne: 'cancelled' } }, { $set: { 'progress.pagesDone': done, 'progress.pagesTotal': Math.max(total, seen) } });
      },
      finished: ({ peakRssMb }) => deps.log.info({ document: String(doc._id), pages: seen, extractionPeakRssMb: peakRssMb }, 'text layer read'),
    });
    await watch.check();
    if (seen === 0) throw new ExtractionError('no pages could be extracted');
  } catch (error) {
    queue.abandon();
    await reading?.catch(() => {});
    throw ocrFailure.failed ? ocrFailure.error : error;
  } finally {
    queue.close();
    watch.signal.removeEventListener('abort', cancelExtraction);
  }

  await setStage(deps, doc, 'extracting', done < seen ? 'ocr' : 'extracting', done, seen);
  if (!reading && queue.size > 0) {
    let langs = tesseractLangs(ocrLanguages(doc, languageSample));
    if (langs.length === 0) {
      // Nothing to go on: a first pass in English decides; the page is read again if it is not English.
      const first = queue.peek()!;
      const probe = await ocrPdfPage(filePath, first.page.index, first.page.size, { ...options, langs: ['eng'] });
      const detected = detectLanguage(probe.text);
      langs = detected && detected !== 'en' ? tesseractLangs([detected]) : ['eng'];
      if (langs.length === 0) langs = ['eng'];
      if (langs.join('+') === 'eng') {
        await queue.take(1, 1);
        await store([first], [probe], langs);
      }
    }
    reading = readQueue(langs);
  }
  await reading;
  await settle();
}

/** Pages waiting for OCR. Readers wait on it while the text-layer pass may still add pages. */
class OcrQueue {
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

type PageToStore = PageRecord & { version: number };

/**
 * Analyses pages as they are stored (analysis is pure and fast) and writes flags first, then the
 * pages already checkpointed (`analyzedWith`, `lang`): updating a page afterwards costs about a
 * scan of the pages on FerretDB (measured ~55 ms a page at 1,000 pages, most of the old analysis
 * time). A crash between the two writes re-reads the page; fingerprints keep its flags unique.
 */
async function storeAnalysedPages(deps: PipelineDeps, doc: DocumentRecord, pages: PageToStore[], tally: RunTally): Promise<void> {
  if (pages.length === 0) return;
  const { Page, Flag } = deps.models;
  const { forcedLang, candidates } = languageChoice(doc);
  const flags: Array<ReturnType<typeof toFlagRecord>> = [];
  const stale: Array<{ index: number; fingerprints: string[] }> = [];
  for (const page of pages) {
    // OCR'd text has recognition errors: those pages are matched with the fuzzy variant.
    const analysis = analyzePage(page.text, deps.lexicon.compiled, { lang: forcedLang, languages: candidates, fuzzy: page.method === 'ocr' });
    const words = analysis.flags.length > 0 ? unpackWords(page.words) : [];
    const records = analysis.flags.map((flag) => toFlagRecord(doc._id, page, flag, words));
    flags.push(...records);
    page.analyzedWith = deps.lexicon.version;
    page.lang = analysis.lang;
    if (page.method === 'ocr' && page.version > 1) stale.push({ index: page.index, fingerprints: records.map((r) => r.fingerprint) });
  }
  if (flags.length > 0) await insertFlags(Flag, flags, tally);
  // Only a page read again (version 2 or later) can leave flags of an earlier text behind.
  for (const { index, fingerprints } of stale) await retireStaleOcrFlags(deps.models, doc._id, index, fingerprints);
  for (let i = 0; i < pages.length; i += PAGE_INSERT_CHUNK) {
    const chunk = pages.slice(i, i + PAGE_INSERT_CHUNK).map((page) => ({ ...Page.applyDefaults({ ...page }), __v: 0 }));
    if (await insertIgnoringDuplicates(() => Page.insertMany(chunk, { ordered: false, lean: true }))) tally.metStoredPage = true;
    tally.pages += chunk.length;
  }
}

/**
 * Page and flag records are built complete here (typed, from the schema's own field set), so
 * they are written lean, with the schema's defaults, timestamps and version key applied as
 * mongoose would: hydrating each one (casting the match and target subdocument arrays,
 * validating) was ~1.5 s of service CPU per 1,000 pages, in line with every database write.
 * test/pipeline/stored-records.test.ts checks the stored records against the schemas.
 */
async function insertFlags(Flag: Models['Flag'], records: Array<ReturnType<typeof toFlagRecord>>, tally: RunTally): Promise<void> {
  for (const record of records) tally.flags.add(record.fingerprint);
  const now = new Date();
  const docs = records.map((record) => ({ ...Flag.applyDefaults({ ...record }), _id: new Types.ObjectId(), createdAt: now, updatedAt: now, __v: 0 }));
  await insertIgnoringDuplicates(() => Flag.insertMany(docs, { ordered: false, lean: true }));
}

/** One forced language when the uploader named exactly one; otherwise detect among those named. */
function languageChoice(doc: DocumentRecord): { forcedLang?: string; candidates?: string[] } {
  return { forcedLang: doc.languages.length === 1 ? doc.languages[0]! : undefined, candidates: doc.languages.length > 1 ? doc.languages : undefined };
}

/** OCR languages (BCP-47): the re-OCR choice, else the upload's, else detected from the text layer. */
function ocrLanguages(doc: DocumentRecord, textLayer: string[] = []): string[] {
  if (doc.ocr?.languages?.length) return doc.ocr.languages;
  if (doc.languages.length > 0) return doc.languages;
  // Per page, so a mostly-English book with an Azerbaijani chapter reads both; at most the two
  // most frequent, since every extra language slows tesseract down (~2.4× for three).
  const counts = new Map<string, number>();
  for (const text of textLayer.slice(0, 200)) {
    const lang = text.trim().length >= 40 ? detectLanguage(text.slice(0, 5_000)) : null;
    if (lang) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([lang]) => lang);
}

function ocrPageRecord(
  doc: DocumentRecord,
  page: { index: number; label: string | null },
  result: OcrPageResult,
  langs: string[],
  dpi: number | null,
  version: number,
): PageToStore {
  return {
    _id: new Types.ObjectId(),
    document: doc._id,
    index: page.index,
    version,
    current: true,
    extractionRound: doc.extractionRound ?? 1,
    createdAt: new Date(),
    label: page.label,
    text: result.text,
    textSha256: sha256(result.text),
    method: 'ocr',
    ocr: { engine: result.engine, confidence: result.confidence, langs, dpi },
    words: packWords(result.words),
    lang: null,
    analyzedWith: null,
  };
}

/**
 * Pages are normally analysed as they are stored (see storeAnalysedPages). This stage analyses
 * the current pages that were not, or not with this lexicon version (pages stored by an earlier
 * release, a run resumed after the lexicon changed), and reports the stage's progress.
 */
async function analyzeStage(deps: PipelineDeps, doc: DocumentRecord, watch: CancelWatch, tally: RunTally): Promise<void> {
  const { Document, Page, Flag } = deps.models;
  const { version } = deps.lexicon;
  // Every current page was stored by this run, analysed: nothing to look for.
  if (tally.complete()) return setStage(deps, doc, 'analyzing', 'analyzing', tally.pages, tally.pages);
  // One query (the checkpoints only) rather than two counts: each is a scan of the pages on FerretDB.
  const checkpoints = await Page.find({ document: doc._id, current: true }, { analyzedWith: 1 }).lean<Array<Pick<PageRecord, 'analyzedWith'>>>();
  const total = checkpoints.length;
  let done = checkpoints.filter((p) => p.analyzedWith === version).length;
  await setStage(deps, doc, 'analyzing', 'analyzing', done, total);
  if (done === total) return;
  const { forcedLang, candidates } = languageChoice(doc);

  // Pages are analysed one by one and written in small batches (flags first, then the pages'
  // checkpoints). A crash loses at most one batch of (cheap, deterministic) analysis;
  // fingerprints keep the flags unique on redo.
  let batch: Array<{ page: PageRecord; lang: string | null; records: ReturnType<typeof toFlagRecord>[] }> = [];
  let flushedAt = Date.now();
  const flush = async () => {
    if (batch.length === 0) return;
    const records = batch.flatMap((b) => b.records);
    if (records.length > 0) await insertFlags(Flag, records, tally);
    // Only a page read again (version 2 or later) can leave flags of an earlier text behind.
    for (const b of batch) {
      if (b.page.method === 'ocr' && (b.page.version ?? 1) > 1) await retireStaleOcrFlags(deps.models, doc._id, b.page.index, b.records.map((r) => r.fingerprint));
    }
    // One update per language: fewer round trips (on FerretDB each page updated still costs about a scan).
    const byLang = new Map<string | null, Types.ObjectId[]>();
    for (const b of batch) byLang.set(b.lang, [...(byLang.get(b.lang) ?? []), b.page._id]);
    for (const [lang, ids] of byLang) await Page.updateMany({ _id: { $in: ids } }, { $set: { analyzedWith: version, lang } });
    done += batch.length;
    batch = [];
    await Document.updateOne({ _id: doc._id }, { $set: { 'progress.pagesDone': done } });
    await watch.check();
    flushedAt = Date.now();
  };
  const pending = Page.find({ document: doc._id, current: true, analyzedWith: { $ne: version } }).sort({ index: 1 }).lean<PageRecord[]>().cursor();
  for await (const page of pending as AsyncIterable<PageRecord>) {
    // OCR'd text has recognition errors: those pages are matched with the fuzzy variant.
    const analysis = analyzePage(page.text, deps.lexicon.compiled, { lang: forcedLang, languages: candidates, fuzzy: page.method === 'ocr' });
    const words = analysis.flags.length > 0 ? unpackWords(page.words) : [];
    batch.push({ page, lang: analysis.lang, records: analysis.flags.map((flag) => toFlagRecord(doc._id, page, flag, words)) });
    if (batch.length >= ANALYSIS_BATCH_PAGES || Date.now() - flushedAt > 1_000) await flush();
  }
  await flush();
}

const ANALYSIS_BATCH_PAGES = 50;
/**
 * Pages one tesseract process reads (its model loads once for them; see ocrPdfPages). Four take
 * ~75% of the model loading off; a crash or cancel loses at most this many pages per reader.
 */
const OCR_PAGES_PER_RUN = 4;
/** Pages are written to the database in chunks, to bound memory and request size. */
const PAGE_INSERT_CHUNK = 50;

/**
 * A page read again by OCR: flags of its earlier text that the new text no longer has become
 * `obsolete` (kept as evidence of what was shown); flags the new text has again stay as they are.
 */
async function retireStaleOcrFlags(models: Models, documentId: Types.ObjectId, page: number, current: string[]): Promise<void> {
  await models.Flag.updateMany({ document: documentId, page, status: 'new', fingerprint: { $nin: current } }, { $set: { status: 'obsolete' } });
  if (current.length > 0) await models.Flag.updateMany({ document: documentId, page, status: 'obsolete', fingerprint: { $in: current } }, { $set: { status: 'new' } });
}

/** The union of the boxes of the words that overlap [start, end); null when the page has no layout. */
export function spanBox(words: readonly WordBoxRecord[] | undefined, start: number, end: number): FlagRecord['box'] {
  if (!words || words.length === 0) return null;
  let box: { x0: number; y0: number; x1: number; y1: number } | null = null;
  for (const w of words) {
    if (w.end <= start || w.start >= end) continue;
    box = box
      ? { x0: Math.min(box.x0, w.x0), y0: Math.min(box.y0, w.y0), x1: Math.max(box.x1, w.x1), y1: Math.max(box.y1, w.y1) }
      : { x0: w.x0, y0: w.y0, x1: w.x1, y1: w.y1 };
  }
  return box;
}

export function toFlagRecord(
  documentId: Types.ObjectId,
  page: PageRecord,
  flag: AnalysisFlag,
  words: WordBoxRecord[] = unpackWords(page.words),
): Omit<FlagRecord, '_id' | 'createdAt' | 'updatedAt'> {
  const entryIds = flag.matches.map((m) => `${m.entryId}@${m.entryVersion}`).sort();
  return {
    document: documentId,
    page: page.index,
    pageVersion: page.version ?? 1,
    pageLabel: page.label,
    start: flag.start,
    end: flag.end,
    exact: flag.exact,
    prefix: flag.prefix,
    suffix: flag.suffix,
    sentence: flag.sentence,
    sentenceStart: flag.sentenceStart,
    sentenceEnd: flag.sentenceEnd,
    matches: flag.matches.map((m) => ({ ...m })),
    targets: flag.targets.map((t) => ({ ...t })),
    category: flag.category,
    severity: flag.severity,
    signals: { ...flag.signals },
    priority: flag.priority,
    lang: flag.lang,
    lexicon: { id: flag.lexiconId, version: flag.lexiconVersion },
    box: spanBox(words, flag.start, flag.end),
    source: page.method === 'ocr' && page.ocr
      ? { method: 'ocr', engine: page.ocr.engine, confidence: page.ocr.confidence }
      : { method: page.method },
    // OCR text changes when a page is read again (other languages): its flags are new flags.
    fingerprint: sha256(
      [String(documentId), page.index, flag.start, flag.end, flag.lexiconId, flag.lexiconVersion, ...entryIds, ...(page.method === 'ocr' ? [page.textSha256] : [])].join('|'),
    ),
    status: 'new',
  };
}


export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}
