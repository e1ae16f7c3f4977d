/**
 * One rule for the flags of a page analysed again, whether its text was read again (re-OCR: a
 * new page version) or the same text was analysed with another lexicon version (re-analysis):
 * - a finding a standing flag already makes — same page, same text, same span, same entries —
 *   keeps that flag as it is, reviews and all (and clears its `unmatched` marker, if it had one);
 * - a finding no standing flag makes becomes a new flag (an obsolete flag with the very same
 *   fingerprint, from an identical earlier reading, is `new` again instead);
 * - a standing flag the analysis no longer finds: if nobody has touched it (`new`, never
 *   reopened) it becomes `obsolete`, kept as evidence of what was shown; any other — under
 *   review, decided, withdrawn, or reopened after a decision — is NEVER
 *   obsoleted by a new reading or lexicon — it keeps its state and reviews and gains a visible
 *   marker, "text changed in page version K" (the text it was found in is not the page's text
 *   any more) or "no longer matched by lexicon V" (the same text, analysed with V, lacks it).
 * Which standing flags are compared: after a new reading, every flag of the page (the reading
 * replaces the older texts); in a re-analysis of unchanged text, only the flags found in that
 * same text — text that was not analysed can neither confirm nor refute a flag.
 * Idempotent: flags are keyed by fingerprint (unique) and every write is a plain $set, so a
 * page done twice (a resumed run) ends the same.
 */
import type { Types } from 'mongoose';
import { FlagRepository, type FlagRecord, type FlagUnmatched, type NewFlagRecord } from '../store/flags';
import type { Models, PageRecord } from '../store/models';

/** A page just analysed and what the analysis found on it. */
export interface PageFindings {
  page: Pick<PageRecord, 'index' | 'version' | 'textSha256'>;
  flags: NewFlagRecord[];
  /** The page's text is a new reading of it (a version after the first): every flag of the page is compared. */
  reread: boolean;
}

export interface Reconciliation {
  /** The lexicon version the pages were analysed with. */
  lexicon: { id: string; version: string };
  /** The re-analysis job doing it: recorded on the flags it adds, obsoletes or marks. */
  reanalysis?: Types.ObjectId;
}

/**
 * Identity of a finding across readings and lexicon versions: page, the text it was found in
 * (its SHA-256: offsets only mean something in one text), span and the rules (entries and
 * frames) that matched.
 */
function findingKey(page: number, textSha256: string, start: number, end: number, flag: Pick<FlagRecord, 'matches' | 'frames'>): string {
  const rules = [...flag.matches.map((m) => m.entryId), ...(flag.frames ?? []).map((f) => f.frameId)];
  return [page, textSha256, start, end, ...[...new Set(rules)].sort()].join('|');
}

type StandingFlag = Pick<FlagRecord, '_id' | 'page' | 'pageVersion' | 'start' | 'end' | 'matches' | 'frames' | 'status' | 'version' | 'unmatched'>;

/** Nobody has touched it: new, and never reopened after a decision (a reopened flag is version 2 or later). */
const UNTOUCHED = { status: 'new', version: { $not: { $gt: 1 } } };
const untouched = (flag: StandingFlag) => flag.status === 'new' && flag.version <= 1;

/** Reconciles the flags of `pages` (pages of one document) with what their analysis found; returns the flags inserted. */
export async function reconcileFlags(models: Models, documentId: Types.ObjectId, pages: PageFindings[], how: Reconciliation): Promise<NewFlagRecord[]> {
  if (pages.length === 0) return [];
  const { Flag, Page } = models;
  const indexes = pages.map((p) => p.page.index);
  // The text of every version of these pages: a flag is compared by the text it was found in.
  const versions = await Page.find({ document: documentId, index: { $in: indexes } }, { index: 1, version: 1, textSha256: 1 }).lean<PageRecord[]>();
  const textOf = new Map(versions.map((v) => [`${v.index}@${v.version}`, v.textSha256]));
  // The versions analysed now may not be stored yet (flags are written before their page).
  for (const { page } of pages) textOf.set(`${page.index}@${page.version}`, page.textSha256);
  const standing = await Flag.find(
    { document: documentId, page: { $in: indexes }, status: { $ne: 'obsolete' } },
    { page: 1, pageVersion: 1, start: 1, end: 1, matches: 1, frames: 1, status: 1, version: 1, unmatched: 1 },
  ).lean<StandingFlag[]>();

  const fresh: NewFlagRecord[] = [];
  const matched: Types.ObjectId[] = [];
  const toObsolete: Array<{ id: Types.ObjectId; unmatched: FlagUnmatched }> = [];
  const toMark: Array<{ id: Types.ObjectId; unmatched: FlagUnmatched }> = [];
  const at = new Date();
  for (const { page, flags, reread } of pages) {
    const found = new Map(flags.map((f) => [findingKey(page.index, page.textSha256, f.start, f.end, f), f]));
    for (const flag of standing.filter((f) => f.page === page.index)) {
      const text = textOf.get(`${flag.page}@${flag.pageVersion}`) ?? '';
      const sameText = text === page.textSha256;
      // Unchanged text is compared only with the flags found in it.
      if (!sameText && !reread) continue;
      const key = findingKey(flag.page, text, flag.start, flag.end, flag);
      if (found.has(key)) {
        found.delete(key);
        if (flag.unmatched) matched.push(flag._id);
        continue;
      }
      const unmatched: FlagUnmatched = sameText
        ? { cause: 'lexicon', note: `no longer matched by lexicon ${how.lexicon.version}`, lexicon: how.lexicon, at }
        : { cause: 'text', note: `text changed in page version ${page.version}`, pageVersion: page.version, at };
      if (how.reanalysis) unmatched.reanalysis = how.reanalysis;
      // Only a flag nobody has touched is obsoleted; a human's work on it stands, marked.
      (untouched(flag) ? toObsolete : toMark).push({ id: flag._id, unmatched });
    }
    fresh.push(...[...found.values()].map((f) => (how.reanalysis ? { ...f, addedByReanalysis: how.reanalysis } : f)));
  }

  if (fresh.length > 0) {
    await new FlagRepository(models).insertNewFlags(fresh);
    // An identical earlier reading's flag, obsoleted since, stands again (its insert was a duplicate).
    await Flag.updateMany(
      { fingerprint: { $in: fresh.map((f) => f.fingerprint) }, status: 'obsolete' },
      { $set: { status: 'new', ...(how.reanalysis ? { addedByReanalysis: how.reanalysis } : {}) }, $unset: { unmatched: 1, obsoletedByReanalysis: 1 } },
    );
  }
  if (matched.length > 0) await Flag.updateMany({ _id: { $in: matched } }, { $unset: { unmatched: 1 } });
  for (const { id, unmatched } of toObsolete) {
    const obsoleted = await Flag.updateOne({ _id: id, ...UNTOUCHED }, { $set: { status: 'obsolete', unmatched, ...(how.reanalysis ? { obsoletedByReanalysis: how.reanalysis } : {}) } });
    // A reviewer took it meanwhile: their work stands, marked.
    if (obsoleted.matchedCount === 0) toMark.push({ id, unmatched });
  }
  for (const { id, unmatched } of toMark) await Flag.updateOne({ _id: id, status: { $ne: 'obsolete' } }, { $set: { unmatched } });
  return fresh;
}
