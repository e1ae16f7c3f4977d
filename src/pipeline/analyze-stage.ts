/**
 * Analysis and its writes: pages are analysed as they are stored (storeAnalysedPages, called by
 * the extraction stage), and the analysis stage then analyses the current pages that were not,
 * or not with this lexicon version. Flags are written before the pages' checkpoints, so a crash
 * between the two re-reads the page; fingerprints keep its flags unique. A page that can have
 * flags already (a new reading of it, a page analysed before) has them reconciled with what
 * the analysis found (flag-reconciliation.ts); a page stored for the first time just gets its
 * flags.
 */
import { FlagRepository, type NewFlagRecord } from '../store/flags';
import { DocumentRepository, type DocumentRecord } from '../store/documents';
import { PageRepository, type PageRecord } from '../store/pages';
import type { JobRun } from '../jobs/leased-queue';
import { setStage, type PipelineDeps, type RunTally } from './document-run';
import { reconcileFlags, type PageFindings } from './flag-reconciliation';
import { analyzePages, type AnalysedPage } from './page-analysis';

/** A page record as the extraction stage builds it, with its version set. */
export type PageToStore = PageRecord & { version: number };

const ANALYSIS_BATCH_PAGES = 50;
/** Pages are written to the database in chunks, to bound memory and request size. */
const PAGE_INSERT_CHUNK = 50;

/**
 * Analyses pages as they are stored (analysis is pure and fast) and writes flags first, then the
 * pages already checkpointed (`analyzedWith`, `lang`): updating a page afterwards costs about a
 * scan of the pages on FerretDB (measured ~55 ms a page at 1,000 pages, most of the old analysis
 * time). A crash between the two writes re-reads the page; fingerprints keep its flags unique.
 */
export async function storeAnalysedPages(deps: PipelineDeps, doc: DocumentRecord, pages: PageToStore[], tally: RunTally): Promise<void> {
  if (pages.length === 0) return;
  const analysed = analyzePages(doc, pages, deps.lexicon.compiled);
  for (const { page, lang } of analysed) {
    page.analyzedWith = deps.lexicon.version;
    page.lang = lang;
  }
  // Only a page read again (version 2 or later) can have flags already: those of its earlier text.
  const first = analysed.filter((a) => a.page.version === 1).flatMap((a) => a.flags);
  if (first.length > 0) await insertFlags(new FlagRepository(deps.models), first, tally);
  await reconcile(deps, doc, analysed.filter((a) => a.page.version > 1), tally);
  for (let i = 0; i < pages.length; i += PAGE_INSERT_CHUNK) {
    const chunk = pages.slice(i, i + PAGE_INSERT_CHUNK);
    if (await new PageRepository(deps.models).insertPages(chunk)) tally.metStoredPage = true;
    tally.pages += chunk.length;
  }
}

/** Flags of pages stored for the first time (counted for the run's summary). */
async function insertFlags(flags: FlagRepository, records: NewFlagRecord[], tally: RunTally): Promise<void> {
  for (const record of records) tally.flags.add(record.fingerprint);
  await flags.insertNewFlags(records);
}

/**
 * Pages are normally analysed as they are stored (see storeAnalysedPages). This stage analyses
 * the current pages that were not, or not with this lexicon version (pages stored by an earlier
 * release, a run resumed after the lexicon changed), and reports the stage's progress.
 */
export async function analyzeStage(deps: PipelineDeps, doc: DocumentRecord, run: JobRun, tally: RunTally): Promise<void> {
  const pages = new PageRepository(deps.models);
  const { version } = deps.lexicon;
  // Every current page was stored by this run, analysed: nothing to look for.
  if (tally.complete()) return setStage(deps, doc, 'analyzing', 'analyzing', tally.pages, tally.pages);
  // One query (the checkpoints only) rather than two counts: each is a scan of the pages on FerretDB.
  const checkpoints = await pages.checkpointsOfCurrentPages(doc._id);
  const total = checkpoints.length;
  let done = checkpoints.filter((p) => p.analyzedWith === version).length;
  await setStage(deps, doc, 'analyzing', 'analyzing', done, total);
  if (done === total) return;

  // Pages are analysed one by one and written in small batches (flags first, then the pages'
  // checkpoints). A crash loses at most one batch of (cheap, deterministic) analysis;
  // fingerprints keep the flags unique on redo.
  let batch: PageRecord[] = [];
  let flushedAt = Date.now();
  const flush = async () => {
    if (batch.length === 0) return;
    const analysed = analyzePages(doc, batch, deps.lexicon.compiled);
    await reconcile(deps, doc, analysed, tally);
    await pages.checkpoint(analysed.map(({ page, lang }) => ({ id: page._id, lang })), version);
    done += batch.length;
    batch = [];
    await new DocumentRepository(deps.models).setPagesDone(doc._id, done);
    await run.checkCancelled();
    flushedAt = Date.now();
  };
  for await (const page of pages.currentPagesNotAnalysedWith(doc._id, version)) {
    batch.push(page);
    if (batch.length >= ANALYSIS_BATCH_PAGES || Date.now() - flushedAt > 1_000) await flush();
  }
  await flush();
}

/** Reconciles analysed pages with the flags they have already; a version after the first is a new reading. */
async function reconcile(deps: PipelineDeps, doc: DocumentRecord, analysed: AnalysedPage[], tally: RunTally): Promise<void> {
  const pages: PageFindings[] = analysed.map(({ page, flags }) => ({ page, flags, reread: page.version > 1 }));
  const inserted = await reconcileFlags(deps.models, doc._id, pages, { lexicon: { id: deps.lexicon.id, version: deps.lexicon.version } });
  for (const flag of inserted) tally.flags.add(flag.fingerprint);
}
