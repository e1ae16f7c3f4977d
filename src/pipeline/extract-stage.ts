/**
 * The extraction stage: one extraction round of a document, read from its original into page
 * versions. A page never stored gets version 1 (read by OCR when its text layer is too thin, or
 * when OCR is forced); a page stored by an earlier round is read again, as a new version, if it
 * was OCR'd or OCR is forced. Every page is analysed as it is stored (see analyze-stage.ts), and
 * the round resumes where a dead run stopped: pages already written by this round are skipped.
 */
import os from 'node:os';
import { Types } from 'mongoose';
import { detectLanguage } from '../analyze';
import { ExtractionError, type ExtractedPage } from '../extract';
import { imageFrames } from '../extract/image';
import { ExtractionInterrupted, extractPagesIsolated } from '../extract/isolated';
import { DEFAULT_OCR_DPI, isOcrFailure, MAX_IMAGE_PIXELS, ocrImagePages, ocrPdfPage, ocrPdfPages, tesseractLangs, type OcrPageFailure, type OcrPageResult } from '../extract/ocr';
import { ChildLimitExceeded, DEFAULT_CHILD_LIMITS, overLimitReason, type ChildLimits } from '../limited-process';
import { sha256 } from '../hash';
import type { JobRun } from '../jobs/leased-queue';
import type { AcceptedType } from '../ingest/sniff';
import { DocumentRepository, type DocumentRecord } from '../store/documents';
import { PageRepository, type PageRecord, type StoredPageHead } from '../store/pages';
import { packWordBoxes, packWords } from '../store/word-boxes';
import { storeAnalysedPages, type PageToStore } from './analyze-stage';
import { setStage, type PipelineDeps, type RunTally } from './document-run';
import { OcrQueue, OcrReaderPool, type PagePlan } from './ocr-queue';

const IMAGE_TYPES = new Set(['png', 'jpeg', 'tiff']);
/**
 * Pages one tesseract process reads (its model loads once for them; see ocrPdfPages). Four take
 * ~75% of the model loading off; a crash or cancel loses at most this many pages per reader.
 */
const OCR_PAGES_PER_RUN = 4;
/**
 * Pages on which the extraction child may die (at a cap, or crashing) before the document fails
 * as a whole: each such page costs a restart of the child and a page-by-page search for it.
 */
const MAX_PAGES_THAT_STOP_THE_READER = 10;

export async function extractStage(deps: PipelineDeps, doc: DocumentRecord, run: JobRun, tally: RunTally): Promise<void> {
  const { newest } = await storedPages(deps, doc);
  await new ExtractionRound(deps, doc, run, tally, newest).run();
}

class ExtractionRound {
  private readonly round: number;
  private readonly filePath: string;
  /** Versions beyond 1 exist (or are written now): `current` may need settling at the end. */
  private versioned: boolean;
  /** Pages the text-layer pass has given, pages settled (stored, or known to need nothing), pages expected. */
  private seen = 0;
  /** The page after the last one the text-layer pass gave. */
  private nextIndex = 0;
  private done = 0;
  private total: number;

  constructor(
    private readonly deps: PipelineDeps,
    private readonly doc: DocumentRecord,
    private readonly job: JobRun,
    private readonly tally: RunTally,
    private readonly newest: Map<number, StoredPageHead>,
  ) {
    this.round = doc.extractionRound;
    this.filePath = deps.originals.resolve(doc.original.storedPath);
    this.versioned = [...newest.values()].some((p) => p.version > 1);
    this.total = doc.progress.pagesTotal;
    if (newest.size > 0) tally.metStoredPage = true;
  }

  async run(): Promise<void> {
    const { doc, newest } = this;
    const allUpToDate = newest.size > 0 && [...newest.keys()].every((index) => this.upToDate(index));
    if (!(doc.status === 'analyzing' && allUpToDate && newest.size === doc.progress.pagesTotal)) {
      await setStage(this.deps, doc, 'extracting', 'extracting', 0, doc.progress.pagesTotal);
      // An image is read in one go: this round is done once every page it gave has a version from it.
      if (IMAGE_TYPES.has(doc.original.type)) {
        if (!allUpToDate) await this.readImage();
      } else {
        await this.readPages();
      }
    }
    if (this.versioned) await settleCurrentVersions(this.deps, doc);
  }

  /** Whether the stored page of `index` (there is one) was read in this round already. */
  private upToDate(index: number): boolean {
    return this.newest.get(index)!.extractionRound >= this.round;
  }

  private get limits(): ChildLimits {
    return this.deps.limits ?? DEFAULT_CHILD_LIMITS;
  }

  private get ocrOptions() {
    return { dpi: this.deps.ocr?.dpi ?? DEFAULT_OCR_DPI, limits: this.limits, signal: this.job.signal };
  }

  private async readImage(): Promise<void> {
    const { deps, doc, newest } = this;
    await setStage(deps, doc, 'extracting', 'ocr', 0, Math.max(1, newest.size));
    // Every frame of a TIFF, not only the first (refused at upload already; checked again for originals stored before).
    const frames = await imageFrames(this.filePath);
    const huge = frames?.find((f) => f.width * f.height > MAX_IMAGE_PIXELS);
    if (huge) {
      throw new ExtractionError(`the image is ${huge.width}×${huge.height} pixels${frames!.length > 1 ? ` (frame ${frames!.indexOf(huge) + 1})` : ''}; at most ${MAX_IMAGE_PIXELS / 1e6} megapixels are read`);
    }
    const named = tesseractLangs(ocrLanguages(doc));
    const langs = named.length > 0 ? named : ['eng'];
    const results = await ocrImagePages(this.filePath, { langs, limits: this.limits, signal: this.job.signal, pages: frames?.length ?? 1 });
    if (results.length === 0) throw new ExtractionError('no text could be read from the image');
    const records = results
      .map((r, index) => ({ r, index }))
      .filter(({ index }) => !newest.has(index) || !this.upToDate(index))
      .map(({ r, index }) => ocrPageRecord(doc, { index, label: null }, r, langs, null, (newest.get(index)?.version ?? 0) + 1));
    this.versioned ||= records.some((r) => r.version > 1);
    await storeAnalysedPages(deps, doc, records, this.tally);
  }

  /**
   * Pages arrive from the extraction child in batches while it reads on; text pages are analysed
   * and stored at once (the database works while pdf.js parses). Pages that need OCR go to a
   * queue read by one single-threaded tesseract per core: when the OCR languages are known (named
   * at upload or for the re-OCR) the readers start on the first such page, while the text-layer
   * pass goes on; otherwise they start after it, once the text layer has told the languages.
   */
  private async readPages(): Promise<void> {
    const { deps, doc, job } = this;
    const queue = new OcrQueue();
    const languageSample: string[] = [];
    // The first reader error stops the other readers (after the pages in hand) and the extraction child.
    const stopExtraction = new AbortController();
    const readers = new OcrReaderPool(queue, {
      readers: Math.max(1, deps.ocr?.concurrency ?? os.cpus().length),
      pagesPerRun: Math.max(1, deps.ocr?.pagesPerRun ?? OCR_PAGES_PER_RUN),
      read: async (plans, langs) => {
        job.throwIfCancelled();
        await this.storeOcr(plans, await ocrPdfPages(this.filePath, plans.map((plan) => plan.page), { ...this.ocrOptions, langs }), langs);
      },
      onFailure: () => stopExtraction.abort(),
    });
    const cancelExtraction = () => stopExtraction.abort();
    job.signal.addEventListener('abort', cancelExtraction);
    const knownLangs = tesseractLangs(ocrLanguages(doc));
    let reading: Promise<void> | null = knownLangs.length > 0 ? readers.start(knownLangs) : null;
    // Settled by whoever awaits it; a failure before then must not surface as unhandled.
    reading?.catch(() => {});

    try {
      await this.readTextLayer(stopExtraction.signal, queue, languageSample);
      await job.checkCancelled();
      if (this.seen === 0) throw new ExtractionError('no pages could be extracted');
    } catch (error) {
      queue.abandon();
      await reading?.catch(() => {});
      throw readers.failure ? readers.failure.error : error;
    } finally {
      queue.close();
      job.signal.removeEventListener('abort', cancelExtraction);
    }

    await setStage(deps, doc, 'extracting', this.done < this.seen ? 'ocr' : 'extracting', this.done, this.seen);
    if (!reading && queue.size > 0) reading = readers.start(await this.languagesToRead(queue, languageSample));
    await reading;
  }

  /**
   * The text-layer pass, in the extraction child. If the child dies part-way (over a cap, or
   * crashing on a page), the pages it sent are kept, and a new child reads on page by page from
   * the first page not received: the page it dies on is stored as failed, with the reason, and a
   * third child reads on from the page after it.
   */
  private async readTextLayer(signal: AbortSignal, queue: OcrQueue, languageSample: string[]): Promise<void> {
    const { deps, doc } = this;
    const type = doc.original.type as AcceptedType;
    let fromPage = 0;
    let pageByPage = false;
    let stops = 0;
    for (;;) {
      try {
        await extractPagesIsolated(this.filePath, type, { ...this.limits.extract, signal, fromPage, pageByPage, pageTimeoutMs: this.limits.render.timeoutMs }, {
          total: async (n) => {
            this.total = n;
            await setStage(deps, doc, 'extracting', 'extracting', this.done, n);
          },
          pages: (batch) => this.storeTextPages(batch, queue, languageSample),
          finished: ({ peakRssMb }) => deps.log.info({ document: String(doc._id), pages: this.seen, extractionPeakRssMb: peakRssMb }, 'text layer read'),
        });
        return;
      } catch (error) {
        // Before the first page (the file as a whole) or outside PDFs, the document fails.
        if (!(error instanceof ExtractionInterrupted) || type !== 'pdf' || this.total === 0) throw error;
        const next = this.nextIndex;
        deps.log.warn?.({ document: String(doc._id), page: next, limit: error.limit, detail: error.detail }, 'the extraction child stopped');
        if (next >= this.total) return; // every page had been sent
        if (!pageByPage) {
          pageByPage = true;
          fromPage = next;
          continue;
        }
        stops += 1;
        if (stops > MAX_PAGES_THAT_STOP_THE_READER) throw new ExtractionError(`the text reader stopped on more than ${MAX_PAGES_THAT_STOP_THE_READER} pages; the file is too damaged to read (${error.message})`);
        const reason = error.limit ? '' : 'could not be read: the text reader crashed on it; a re-OCR can read it from its image';
        await this.storeTextPages([{ index: next, label: null, text: '', method: 'text-layer', failed: { reason, detail: error.detail, ...(error.limit ? { limit: error.limit } : {}) } }], queue, languageSample);
        fromPage = next + 1;
        pageByPage = false;
      }
    }
  }

  /** One batch of the text-layer pass: text pages are stored, pages for OCR queued. */
  private async storeTextPages(batch: ExtractedPage[], queue: OcrQueue, languageSample: string[]): Promise<void> {
    const force = this.doc.ocr?.force === true;
    const textRecords: PageToStore[] = [];
    let settled = 0;
    for (const page of batch) {
      this.seen += 1;
      this.nextIndex = page.index + 1;
      const stored = this.newest.get(page.index);
      let plan: PagePlan | null = null;
      if (!stored) plan = { page, version: 1, ocr: page.method === 'text-layer' && !page.failed && (force || page.needsOcr === true) };
      // Read again: pages read by OCR, and pages that failed (a new reading is from their image).
      else if (!this.upToDate(page.index) && (force || stored.method === 'ocr' || stored.state === 'failed')) plan = { page, version: stored.version + 1, ocr: true };
      if (!plan?.ocr && !page.needsOcr && languageSample.length < 200) languageSample.push(page.text.slice(0, 5_000));
      if (!plan?.ocr) settled += 1;
      if (!plan) continue;
      if (plan.ocr) {
        // Only what OCR needs is kept, and a thin text layer (a few characters): if OCR fails on
        // the page or reads nothing there, the page keeps what its text layer had.
        this.versioned ||= plan.version > 1;
        const thin = page.needsOcr && !page.failed && page.text.trim() !== '';
        queue.push({ ...plan, page: { ...page, failed: undefined, ...(thin ? {} : { text: '', words: undefined, wordBoxes: undefined }) } });
        continue;
      }
      if (page.failed) {
        const { limit } = page.failed;
        const predicate = limit ? overLimitReason(new ChildLimitExceeded(limit, 'the text reader', this.limits.extract), 'extract', 'to read its text layer', 'ask for a re-OCR of the page') : page.failed.reason;
        const reason = `page ${page.index + 1} ${predicate}`;
        this.deps.log.warn?.({ document: String(this.doc._id), page: page.index, reason, detail: page.failed.detail }, 'page failed');
        textRecords.push(failedPageRecord(this.doc, page, 'text-layer', reason, plan.version));
        this.noteFailure(reason);
        continue;
      }
      textRecords.push(textPageRecord(this.doc, page, plan.version));
    }
    this.versioned ||= textRecords.some((r) => r.version > 1);
    await storeAnalysedPages(this.deps, this.doc, textRecords, this.tally);
    this.done += settled;
    await new DocumentRepository(this.deps.models).setPagesDone(this.doc._id, this.done, Math.max(this.total, this.seen), true);
  }

  private noteFailure(reason: string): void {
    this.tally.failedPages += 1;
    this.tally.firstFailure ??= reason;
  }

  private async storeOcr(plans: PagePlan[], results: Array<OcrPageResult | OcrPageFailure>, langs: string[]): Promise<void> {
    const records = plans.map((plan, k) => {
      const result = results[k]!;
      const textLayer = plan.page.text.trim() !== '' ? textPageRecord(this.doc, plan.page, plan.version) : null;
      if (!isOcrFailure(result)) return textLayer && result.text.trim() === '' ? textLayer : ocrPageRecord(this.doc, plan.page, result, langs, this.ocrOptions.dpi, plan.version);
      if (textLayer) {
        this.deps.log.warn?.({ document: String(this.doc._id), page: plan.page.index, reason: result.failed.reason, detail: result.failed.detail }, 'OCR failed; the page keeps its thin text layer');
        return textLayer;
      }
      this.deps.log.warn?.({ document: String(this.doc._id), page: plan.page.index, reason: result.failed.reason, detail: result.failed.detail }, 'page failed');
      this.noteFailure(result.failed.reason);
      return failedPageRecord(this.doc, plan.page, 'ocr', `${result.failed.reason}; a re-OCR tries again`, plan.version);
    });
    await storeAnalysedPages(this.deps, this.doc, records, this.tally);
    this.done += plans.length;
    await new DocumentRepository(this.deps.models).setPagesDone(this.doc._id, this.done);
  }

  /**
   * The OCR languages once the text-layer pass is over. With nothing to go on, a first page read
   * in English decides (and is stored if it is English; else it is read again).
   */
  private async languagesToRead(queue: OcrQueue, languageSample: string[]): Promise<string[]> {
    const langs = tesseractLangs(ocrLanguages(this.doc, languageSample));
    if (langs.length > 0) return langs;
    const first = queue.peek()!;
    const probe = await ocrPdfPage(this.filePath, first.page.index, first.page.size, { ...this.ocrOptions, langs: ['eng'] });
    const detected = isOcrFailure(probe) ? null : detectLanguage(probe.text);
    const chosen = detected && detected !== 'en' ? tesseractLangs([detected]) : [];
    if (chosen.length > 0 && chosen.join('+') !== 'eng') return chosen;
    await queue.take(1, 1);
    await this.storeOcr([first], [probe], ['eng']);
    return ['eng'];
  }
}

async function storedPages(deps: PipelineDeps, doc: DocumentRecord): Promise<{ all: StoredPageHead[]; newest: Map<number, StoredPageHead> }> {
  const all = await new PageRepository(deps.models).pageHeads(doc._id);
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
  const demote = all.filter((p) => newest.get(p.index) !== p && p.current).map((p) => p._id);
  const promote = [...newest.values()].filter((p) => !p.current).map((p) => p._id);
  const pages = new PageRepository(deps.models);
  await pages.setCurrent(demote, false);
  await pages.setCurrent(promote, true);
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

function textPageRecord(doc: DocumentRecord, page: ExtractedPage, version: number): PageToStore {
  return {
    ...newPageVersion(doc, page.index, version),
    label: page.label,
    text: page.text,
    textSha256: sha256(page.text),
    method: page.method,
    ...(page.wordBoxes ? { words: packWordBoxes(page.wordBoxes) } : page.words ? { words: packWords(page.words) } : {}),
  };
}

/** A page that could not be read: no text, the state `failed` and the reason for people. */
function failedPageRecord(doc: DocumentRecord, page: { index: number; label: string | null }, method: PageRecord['method'], reason: string, version: number): PageToStore {
  return {
    ...newPageVersion(doc, page.index, version),
    label: page.label,
    text: '',
    textSha256: sha256(''),
    method,
    state: 'failed',
    failure: { reason, at: new Date() },
  };
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
    ...newPageVersion(doc, page.index, version),
    label: page.label,
    text: result.text,
    textSha256: sha256(result.text),
    method: 'ocr',
    ocr: { engine: result.engine, confidence: result.confidence, langs, dpi },
    words: packWords(result.words),
  };
}

/** The fields every new page version starts with: current, of this round, not yet analysed. */
function newPageVersion(doc: DocumentRecord, index: number, version: number) {
  return {
    _id: new Types.ObjectId(),
    document: doc._id,
    index,
    version,
    current: true,
    extractionRound: doc.extractionRound,
    createdAt: new Date(),
    state: 'read' as const,
    lang: null,
    analyzedWith: null,
  };
}
