/**
 * Re-analysis of a processed document with another lexicon version (normally the newly
 * published active one), as the body of a background job (see reanalysis-jobs.ts). It never
 * deletes a flag or its reviews:
 *   - a finding the new version still makes (same page, same span, same entry ids) keeps its
 *     existing flag, reviews and all;
 *   - a new finding becomes a new flag recording the new version (and the job that added it);
 *   - a flag whose finding the new version no longer makes is marked `obsolete`.
 * Only the current reading of each page is analysed; flags found in an older page version (an
 * earlier OCR reading) are outside the comparison: text they were not found in can neither
 * confirm nor refute them, so they are left as they are.
 * Page by page: each page's new flags and obsolete marks are written before the job's
 * checkpoint moves past it, so a job taken over after a crash resumes at the first unfinished
 * page. Idempotent: flags are keyed by fingerprint (unique), so redoing a page adds nothing
 * twice, and marking obsolete is a plain $set. The counts are read back from the flags (which
 * job added or obsoleted each), so they are exact however often a page was redone.
 */
import type { Types } from 'mongoose';
import type { DocumentRecord, FlagRecord, Models, PageRecord } from '../store/models';
import type { ReanalysisRecord } from '../store/job-models';
import { Conflict, NotFound } from '../errors';
import { insertIgnoringDuplicates } from '../store/connection';
import { analyzePages, type ActiveLexicon } from './page-analysis';

export interface ReanalysisCounts {
  /** Flags written for findings no current flag covered. */
  added: number;
  /** Current flags the new version confirms (left as they are). */
  kept: number;
  /** Current flags the new version no longer raises, now `obsolete`. */
  obsoleted: number;
}

/**
 * Identity of a finding across lexicon versions: page, the text it was found in (its SHA-256:
 * offsets only mean something in one text), span and the entries that matched.
 */
function findingKey(page: number, textSha256: string, start: number, end: number, entryIds: string[]): string {
  return [page, textSha256, start, end, ...[...new Set(entryIds)].sort()].join('|');
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

  const pagesTotal = await Page.countDocuments({ document: doc._id, current: { $ne: false } });
  const from = Math.min(job.progress?.pagesDone ?? 0, pagesTotal);

  let pagesDone = from;
  const cursor = Page.find({ document: doc._id, current: { $ne: false }, index: { $gte: from } }).sort({ index: 1 }).lean<PageRecord[]>().cursor();
  for await (const page of cursor as AsyncIterable<PageRecord>) {
    await reanalyzePage(models, lexicon, job._id, doc, page);
    pagesDone++;
    await checkpoint(pagesDone, pagesTotal);
  }
  await Document.updateOne({ _id: doc._id }, { $set: { lexicon: { id: lexicon.id, version: lexicon.version } } });

  const added = await Flag.countDocuments({ document: doc._id, addedByReanalysis: job._id });
  const obsoleted = await Flag.countDocuments({ document: doc._id, obsoletedByReanalysis: job._id });
  // Kept: standing flags on the current reading of their page that this job did not add.
  const currentText = new Set(
    (await Page.find({ document: doc._id, current: { $ne: false } }, { index: 1, version: 1 }).lean<PageRecord[]>()).map((p) => `${p.index}@${p.version ?? 1}`),
  );
  const standing = await Flag.find({ document: doc._id, status: { $ne: 'obsolete' } }, { page: 1, pageVersion: 1, addedByReanalysis: 1 }).lean<FlagRecord[]>();
  const kept = standing.filter((f) => currentText.has(`${f.page}@${f.pageVersion ?? 1}`) && String(f.addedByReanalysis ?? '') !== String(job._id)).length;
  return { pages: pagesTotal, added, kept, obsoleted };
}

async function reanalyzePage(models: Models, lexicon: ActiveLexicon, jobId: Types.ObjectId, doc: DocumentRecord, page: PageRecord): Promise<void> {
  const { Page, Flag } = models;
  // The text each version of this page had: a flag is compared only if it was found in the
  // text being analysed now (same SHA-256), whichever version number that text has.
  const versions = await Page.find({ document: doc._id, index: page.index }, { version: 1, textSha256: 1 }).lean<PageRecord[]>();
  const shaOf = new Map(versions.map((v) => [v.version ?? 1, v.textSha256]));
  const current = new Map<string, Types.ObjectId>();
  const onPage = Flag.find({ document: doc._id, page: page.index, status: { $ne: 'obsolete' } }, { page: 1, pageVersion: 1, start: 1, end: 1, matches: 1 }).lean<FlagRecord[]>();
  for (const flag of await onPage) {
    if ((shaOf.get(flag.pageVersion ?? 1) ?? '') !== page.textSha256) continue;
    current.set(findingKey(flag.page, page.textSha256, flag.start, flag.end, flag.matches.map((m) => m.entryId)), flag._id);
  }

  // The same analysis as the first run (language choice, fuzzy matching of OCR text).
  const [analysis] = analyzePages(doc, [page], lexicon.compiled);
  const confirmed = new Set<string>();
  const fresh: FlagRecord[] = [];
  for (const flag of analysis!.flags) {
    const key = findingKey(page.index, page.textSha256, flag.start, flag.end, flag.matches.map((m) => m.entryId));
    if (current.has(key)) { confirmed.add(key); continue; }
    fresh.push({ ...flag, addedByReanalysis: jobId } as FlagRecord);
  }
  if (fresh.length > 0) await insertIgnoringDuplicates(() => Flag.insertMany(fresh, { ordered: false }));
  const vanished = [...current].filter(([key]) => !confirmed.has(key)).map(([, id]) => id);
  if (vanished.length > 0) await Flag.updateMany({ _id: { $in: vanished } }, { $set: { status: 'obsolete', obsoletedByReanalysis: jobId } });
  await Page.updateOne({ _id: page._id }, { $set: { analyzedWith: lexicon.version, lang: analysis!.lang } });
}
