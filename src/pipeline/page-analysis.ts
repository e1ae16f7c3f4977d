/**
 * Page analysis as every path uses it (first processing, re-OCR, re-analysis): pages in, each
 * page's detected language and its flag records out, ready to store. Pure: the analysis core
 * plus the record shape (offsets, page box, fingerprint); no database.
 */
import { passageQuote } from '../analyze/types';
import type { Types } from 'mongoose';
import { analyzePage, type CompiledLexicon } from '../analyze';
import { analysedMainText, blankOutside, mainTextSpans, quotedFrom } from '../capture/main-text';
import type { AnalysisFlag } from '../analyze/types';
import { sha256 } from '../hash';
import type { DocumentRecord } from '../store/documents';
import type { FlagRecord, NewFlagRecord } from '../store/flags';
import type { PageRecord, WordBoxRecord } from '../store/pages';
import { unpackWords } from '../store/word-boxes';

/** A published lexicon version, compiled, as the pipeline analyses with it. */
export interface ActiveLexicon {
  id: string;
  version: string;
  compiled: CompiledLexicon;
}

/** A flag as analysis makes it, before the database gives it an id and timestamps. */
export type { NewFlagRecord };

export interface AnalysedPage<P extends PageRecord = PageRecord> {
  page: P;
  /** The language the page was analysed as (null: none detected). */
  lang: string | null;
  flags: NewFlagRecord[];
}

/** Analyses `pages` of `doc` with `lexicon`, in order. */
export function analyzePages<P extends PageRecord>(doc: Pick<DocumentRecord, '_id' | 'kind' | 'capture'>, pages: readonly P[], lexicon: CompiledLexicon): Array<AnalysedPage<P>> {
  const obfuscation = obfuscationFor(doc);
  // A web capture is analysed by its main text: menus and footers are blanked for the analyser
  // (same offsets), and stay in the stored page text (src/capture/main-text.ts).
  const mainText = analysedMainText(doc);
  return pages.map((page) => {
    const text = mainText === null ? page.text : blankOutside(page.text, mainTextSpans(page.text, mainText));
    // OCR'd text has recognition errors: those pages are matched with the fuzzy variant. The
    // language is detected per page, and per sentence on mixed pages, among all the lexicon's
    // languages: the languages an uploader names choose OCR models, never lexicon languages.
    const analysis = analyzePage(text, lexicon, { fuzzy: page.method === 'ocr', obfuscation });
    const words = analysis.flags.length > 0 ? unpackWords(page.words) : [];
    const flags = mainText === null ? analysis.flags : analysis.flags.map((flag) => quotedFrom(flag, page.text));
    return { page, lang: analysis.lang, flags: flags.map((flag) => toFlagRecord(doc._id, page, flag, words)) };
  });
}

/**
 * Statements, articles and other posts get obfuscation repair ("k1ll", "k i l l"); textbooks do
 * not: their text layers and scans do not play with spelling, and repair costs time per page.
 */
export function obfuscationFor(doc: Pick<DocumentRecord, 'kind'>): boolean {
  return doc.kind !== 'textbook';
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
): NewFlagRecord {
  const ruleIds = [...flag.matches.map((m) => `${m.entryId}@${m.entryVersion}`), ...flag.frames.map((f) => `${f.frameId}@${f.frameVersion}`)].sort();
  return {
    document: documentId,
    page: page.index,
    pageVersion: page.version,
    pageLabel: page.label,
    ...passageQuote(flag),
    sentenceStart: flag.sentenceStart,
    sentenceEnd: flag.sentenceEnd,
    matches: flag.matches.map((m) => ({ ...m })),
    frames: flag.frames.map((f) => ({ ...f, slots: f.slots.map((s) => ({ ...s })) })),
    targets: flag.targets.map((t) => ({ ...t })),
    referents: flag.referents.map((r) => ({ ...r })),
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
      [String(documentId), page.index, flag.start, flag.end, flag.lexiconId, flag.lexiconVersion, ...ruleIds, ...(page.method === 'ocr' ? [page.textSha256] : [])].join('|'),
    ),
    status: 'new',
    // The first review round; a reopen starts the next.
    version: 1,
  };
}
