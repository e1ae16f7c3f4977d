/**
 * Re-analysis of a processed document with another lexicon version (normally the newly
 * published active one). It never deletes a flag or its reviews:
 *   - a finding the new version still makes (same page, same span, same entry ids) keeps its
 *     existing flag, reviews and all;
 *   - a new finding becomes a new flag recording the new version;
 *   - a flag whose finding the new version no longer makes is marked `obsolete`.
 * Idempotent: flags are keyed by fingerprint (unique), so a re-run or a concurrent run adds
 * nothing twice; marking obsolete is a plain $set.
 */
import type { Types } from 'mongoose';
import { analyzePage } from '../analyze';
import { ApiError, errors } from '../http/errors';
import type { DocumentRecord, FlagRecord, Models, PageRecord } from '../store/models';
import { insertIgnoringDuplicates, toFlagRecord, type ActiveLexicon } from './process-document';

export interface ReanalysisResult {
  document: string;
  lexicon: { id: string; version: string };
  pages: number;
  /** Flags written for findings no current flag covers. */
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

export async function reanalyzeDocument(models: Models, lexicon: ActiveLexicon, documentId: Types.ObjectId): Promise<ReanalysisResult> {
  const { Document, Page, Flag } = models;
  const doc = await Document.findById(documentId).lean<DocumentRecord>();
  if (!doc) throw errors.notFound('document');
  if (doc.status !== 'done') {
    throw new ApiError(409, 'conflict', `document is ${doc.status}; only processed documents can be re-analysed`, { status: doc.status });
  }

  // Each page version's text hash; flags found in text that is no longer current (an older OCR
  // reading) are outside this comparison: the current text cannot confirm or refute them.
  const versions = await Page.find({ document: doc._id }, { index: 1, version: 1, textSha256: 1, current: 1 }).lean<PageRecord[]>();
  const shaOf = new Map(versions.map((p) => [`${p.index}@${p.version ?? 1}`, p.textSha256]));
  const currentSha = new Set(versions.filter((p) => p.current !== false).map((p) => `${p.index}|${p.textSha256}`));
  const current = new Map<string, Types.ObjectId>();
  for await (const flag of Flag.find({ document: doc._id, status: { $ne: 'obsolete' } }, { page: 1, pageVersion: 1, start: 1, end: 1, matches: 1 }).lean<FlagRecord[]>().cursor() as AsyncIterable<FlagRecord>) {
    const sha = shaOf.get(`${flag.page}@${flag.pageVersion ?? 1}`) ?? '';
    if (!currentSha.has(`${flag.page}|${sha}`)) continue;
    current.set(findingKey(flag.page, sha, flag.start, flag.end, flag.matches.map((m) => m.entryId)), flag._id);
  }

  // Same language choice as the first run: one named language is forced, several are candidates.
  const forcedLang = doc.languages.length === 1 ? doc.languages[0]! : undefined;
  const candidates = doc.languages.length > 1 ? doc.languages : undefined;

  const confirmed = new Set<string>();
  let added = 0;
  let pages = 0;
  const cursor = Page.find({ document: doc._id, current: { $ne: false } }).sort({ index: 1 }).lean<PageRecord[]>().cursor();
  for await (const page of cursor as AsyncIterable<PageRecord>) {
    pages++;
    const analysis = analyzePage(page.text, lexicon.compiled, { lang: forcedLang, languages: candidates, fuzzy: page.method === 'ocr' });
    const fresh: Array<ReturnType<typeof toFlagRecord>> = [];
    for (const flag of analysis.flags) {
      const key = findingKey(page.index, page.textSha256, flag.start, flag.end, flag.matches.map((m) => m.entryId));
      if (current.has(key)) { confirmed.add(key); continue; }
      fresh.push(toFlagRecord(doc._id, page, flag));
    }
    if (fresh.length > 0) {
      const before = await Flag.countDocuments({ document: doc._id, fingerprint: { $in: fresh.map((f) => f.fingerprint) } });
      await insertIgnoringDuplicates(() => Flag.insertMany(fresh, { ordered: false }));
      added += fresh.length - before;
    }
    await Page.updateOne({ _id: page._id }, { $set: { analyzedWith: lexicon.version, lang: analysis.lang } });
  }

  const vanished = [...current].filter(([key]) => !confirmed.has(key)).map(([, id]) => id);
  if (vanished.length > 0) await Flag.updateMany({ _id: { $in: vanished } }, { $set: { status: 'obsolete' } });
  await Document.updateOne({ _id: doc._id }, { $set: { lexicon: { id: lexicon.id, version: lexicon.version } } });

  return {
    document: String(doc._id),
    lexicon: { id: lexicon.id, version: lexicon.version },
    pages,
    added,
    kept: confirmed.size,
    obsoleted: vanished.length,
  };
}
