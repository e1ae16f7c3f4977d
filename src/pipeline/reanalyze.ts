/**
 * Re-analysis of a processed document with another lexicon version (normally the newly
 * published active one), as the body of a background job (see reanalysis-jobs.ts). It never
 * deletes a flag or its reviews: the flags of each page are reconciled with what the version
 * finds by the one rule re-OCR uses too (flag-reconciliation.ts) — a finding a flag already
 * makes keeps it; a new finding becomes a new flag recording the new version and this job; a
 * flag no longer found is `obsolete` if nobody had touched it, and otherwise keeps its state
 * with the marker "no longer matched by lexicon <version>".
 * Only the current reading of each page is analysed; flags found in an older page version (an
 * earlier OCR reading) are outside the comparison: text they were not found in can neither
 * confirm nor refute them, so they are left as they are.
 * Page by page: each page's flags are reconciled before the job's checkpoint moves past it, so
 * a job taken over after a crash resumes at the first unfinished page; reconciling a page again
 * changes nothing. The counts are read back from the flags (which job added, obsoleted or
 * marked each), so they are exact however often a page was redone.
 */
import type { Types } from 'mongoose';
import type { DocumentRecord, FlagRecord, Models, PageRecord } from '../store/models';
import type { ReanalysisRecord } from '../store/job-models';
import { Conflict, NotFound } from '../errors';
import { reconcileFlags } from './flag-reconciliation';
import { analyzePages, type ActiveLexicon } from './page-analysis';

export interface ReanalysisCounts {
  /** Flags written for findings no current flag covered. */
  added: number;
  /** Current flags the new version confirms (left as they are). */
  kept: number;
  /** Untouched current flags the new version no longer raises, now `obsolete`. */
  obsoleted: number;
  /** Reviewed or decided current flags the new version no longer raises: their state stands, marked. */
  marked: number;
}

/**
 * Runs (or resumes) job `job` on its document with `lexicon` (the job's version). `checkpoint`
 * is called after each finished page with the number of pages done.
 */
export async function runReanalysis(
  models: Models,
  lexicon: ActiveLexicon,
  job: Pick<ReanalysisRecord, '_id' | 'document' | 'progress'>,
  checkpoint: (pagesDone: number, pagesTotal: number) => Promise<void>,
): Promise<ReanalysisCounts & { pages: number }> {
  const { Document, Page, Flag } = models;
  const doc = await Document.findById(job.document).lean<DocumentRecord>();
  if (!doc) throw new NotFound('document');
  if (doc.status !== 'done') throw new Conflict('conflict', `document is ${doc.status}; only processed documents can be re-analysed`, { status: doc.status });

  const pagesTotal = await Page.countDocuments({ document: doc._id, current: true });
  const from = Math.min(job.progress?.pagesDone ?? 0, pagesTotal);

  let pagesDone = from;
  const cursor = Page.find({ document: doc._id, current: true, index: { $gte: from } }).sort({ index: 1 }).lean<PageRecord[]>().cursor();
  for await (const page of cursor as AsyncIterable<PageRecord>) {
    await reanalyzePage(models, lexicon, job._id, doc, page);
    pagesDone++;
    await checkpoint(pagesDone, pagesTotal);
  }
  await Document.updateOne({ _id: doc._id }, { $set: { lexicon: { id: lexicon.id, version: lexicon.version } } });

  const added = await Flag.countDocuments({ document: doc._id, addedByReanalysis: job._id });
  const obsoleted = await Flag.countDocuments({ document: doc._id, obsoletedByReanalysis: job._id });
  const marked = await Flag.countDocuments({ document: doc._id, status: { $ne: 'obsolete' }, 'unmatched.reanalysis': job._id });
  // Kept: standing flags on the current reading of their page that this job did not add, found again.
  const currentText = new Set(
    (await Page.find({ document: doc._id, current: true }, { index: 1, version: 1 }).lean<PageRecord[]>()).map((p) => `${p.index}@${p.version}`),
  );
  const standing = await Flag.find({ document: doc._id, status: { $ne: 'obsolete' } }, { page: 1, pageVersion: 1, addedByReanalysis: 1, unmatched: 1 }).lean<FlagRecord[]>();
  const kept = standing.filter((f) => currentText.has(`${f.page}@${f.pageVersion}`) && String(f.addedByReanalysis ?? '') !== String(job._id) && !f.unmatched).length;
  return { pages: pagesTotal, added, kept, obsoleted, marked };
}

async function reanalyzePage(models: Models, lexicon: ActiveLexicon, jobId: Types.ObjectId, doc: DocumentRecord, page: PageRecord): Promise<void> {
  // The same analysis as the first run (language choice, fuzzy matching of OCR text).
  const [analysis] = analyzePages(doc, [page], lexicon.compiled);
  // The page's text is unchanged: only the flags found in that same text are compared.
  await reconcileFlags(models, doc._id, [{ page, flags: analysis!.flags, reread: false }], { lexicon: { id: lexicon.id, version: lexicon.version }, reanalysis: jobId });
  await models.Page.updateOne({ _id: page._id }, { $set: { analyzedWith: lexicon.version, lang: analysis!.lang } });
}
