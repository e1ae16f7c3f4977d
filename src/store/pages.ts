/**
 * The pages repository: versions of each page's text (a re-read adds a version, never rewrites
 * one).
 */
import { Types } from 'mongoose';
import { insertIgnoringDuplicates } from './duplicates';
import type { FlagRecord, Models, PageRecord } from './models';
import { PageWordsRepository } from './page-words';

export { PAGE_METHODS } from './models';
export type { PageMethod, PageRecord, WordBoxRecord } from './models';

export type PageVersionSummary = Pick<PageRecord, 'version' | 'textSha256' | 'method' | 'ocr' | 'createdAt' | 'state'>;

/** What the extraction needs to know of each stored version (no text). */
export type StoredPageHead = Pick<PageRecord, '_id' | 'index' | 'version' | 'current' | 'method' | 'extractionRound' | 'state'>;

export class PageRepository {
  private readonly words: PageWordsRepository;

  constructor(private readonly models: Pick<Models, 'Page' | 'PageWords'>) {
    this.words = new PageWordsRepository(models);
  }

  /**
   * Inserts page versions, lean with the schema's defaults applied (as flags: see
   * FlagRepository.insertNewFlags); a version stored already is skipped. True if one was.
   */
  async insertPages(pages: Array<Omit<PageRecord, '_id'> & { _id?: Types.ObjectId }>): Promise<boolean> {
    const { Page } = this.models;
    const docs = pages.map((page) => ({ ...(Page.applyDefaults({ ...page }) as Omit<PageRecord, '_id'>), _id: page._id ?? new Types.ObjectId(), __v: 0 }));
    const skipped = await insertIgnoringDuplicates(() => Page.insertMany(docs, { ordered: false, lean: true }));
    // The search index follows the page; a version skipped here was indexed by whoever stored it
    // (or is by the backfill at the next start, if that process stopped in between).
    await this.words.index(skipped ? await this.storedOf(docs) : docs);
    return skipped;
  }

  /** Those of `docs` stored under their own _id (a skipped duplicate version has another). */
  private async storedOf<T extends { _id: Types.ObjectId }>(docs: T[]): Promise<T[]> {
    const stored = await this.models.Page.find({ _id: { $in: docs.map((d) => d._id) } }, { _id: 1 }).lean<Array<{ _id: Types.ObjectId }>>();
    const ids = new Set(stored.map((d) => String(d._id)));
    return docs.filter((d) => ids.has(String(d._id)));
  }

  /** The lexicon version each current page of a document was analysed with (one query: each count is a scan on FerretDB). */
  checkpointsOfCurrentPages(document: Types.ObjectId): Promise<Array<Pick<PageRecord, 'analyzedWith'>>> {
    return this.models.Page.find({ document, current: true }, { analyzedWith: 1 }).lean<Array<Pick<PageRecord, 'analyzedWith'>>>();
  }

  /** The current pages of a document not yet analysed with `version`, by index, streamed. */
  currentPagesNotAnalysedWith(document: Types.ObjectId, version: string): AsyncIterable<PageRecord> {
    return this.models.Page.find({ document, current: true, analyzedWith: { $ne: version } }).sort({ index: 1 }).lean<PageRecord[]>().cursor() as unknown as AsyncIterable<PageRecord>;
  }

  /**
   * Records that pages were analysed with `version` and found to be in `lang`. Pages are grouped
   * by language, one update each: on FerretDB each page updated costs about a scan.
   */
  async checkpoint(analysed: Array<{ id: Types.ObjectId; lang: string | null }>, version: string): Promise<void> {
    const byLang = new Map<string | null, Types.ObjectId[]>();
    for (const { id, lang } of analysed) byLang.set(lang, [...(byLang.get(lang) ?? []), id]);
    for (const [lang, ids] of byLang) await this.models.Page.updateMany({ _id: { $in: ids } }, { $set: { analyzedWith: version, lang } });
  }

  /** Every stored version of every page of a document, by index, newest version first. */
  pageHeads(document: Types.ObjectId): Promise<StoredPageHead[]> {
    return this.models.Page.find({ document }, { index: 1, version: 1, current: 1, method: 1, extractionRound: 1, state: 1 }).sort({ index: 1, version: -1 }).lean<StoredPageHead[]>();
  }

  /** The read state of each current page of a document, in index order (no text). */
  currentPageStates(document: Types.ObjectId): Promise<Array<Pick<PageRecord, 'index' | 'state' | 'failure'>>> {
    return this.models.Page.find({ document, current: true }, { state: 1, failure: 1, index: 1 }).sort({ index: 1 }).lean<Array<Pick<PageRecord, 'index' | 'state' | 'failure'>>>();
  }

  /** Marks the given versions current (or not): exactly the newest version of each index is current. */
  async setCurrent(ids: Types.ObjectId[], current: boolean): Promise<void> {
    if (ids.length > 0) await this.models.Page.updateMany({ _id: { $in: ids } }, { $set: { current } });
    await this.words.setCurrent(ids, current);
  }

  /** One page: the given version, else the current one (the newest version of the index). */
  findPage(documentId: string, index: number, version?: number): Promise<PageRecord | null> {
    const document = new Types.ObjectId(documentId);
    if (version !== undefined) return this.models.Page.findOne({ document, index, version }).lean<PageRecord>();
    return this.models.Page.findOne({ document, index }).sort({ version: -1 }).lean<PageRecord>();
  }

  /** Page versions by id, with their text and label (the search's result page). */
  async pagesById(ids: Types.ObjectId[]): Promise<Map<string, Pick<PageRecord, '_id' | 'text' | 'label'>>> {
    if (ids.length === 0) return new Map();
    const pages = await this.models.Page.find({ _id: { $in: ids } }, { text: 1, label: 1 }).lean<Array<Pick<PageRecord, '_id' | 'text' | 'label'>>>();
    return new Map(pages.map((p) => [String(p._id), p]));
  }

  /**
   * One page (the given version, else the current one) and the summary of every stored version,
   * in ONE query: a page has few versions, and on the embedded FerretDB every query but a lookup
   * by `_id` reads the whole collection (see docs/operations.md), so two queries cost two scans.
   */
  async pageWithVersions(documentId: string, index: number, version?: number): Promise<{ page: PageRecord | null; versions: PageVersionSummary[] }> {
    const all = await this.models.Page.find({ document: new Types.ObjectId(documentId), index }).sort({ version: 1 }).lean<PageRecord[]>();
    const page = version === undefined ? (all.at(-1) ?? null) : (all.find((p) => p.version === version) ?? null);
    const versions = all.map(({ version: v, textSha256, method, ocr, createdAt, state }) => ({ version: v, textSha256, method, ocr, createdAt, state }));
    return { page, versions };
  }

  /** Every stored version of a page, oldest first (text not included). */
  listPageVersions(documentId: string, index: number): Promise<PageVersionSummary[]> {
    return this.models.Page.find({ document: new Types.ObjectId(documentId), index }, { version: 1, textSha256: 1, method: 1, ocr: 1, createdAt: 1, state: 1 })
      .sort({ version: 1 })
      .lean<PageVersionSummary[]>();
  }

  /** How many current pages there are (one per page of every document). */
  countCurrentPages(): Promise<number> {
    return this.models.Page.countDocuments({ current: true });
  }

  /** The text a flag's offsets index into: its own page version (older flags: version 1). */
  pageOfFlag(flag: Pick<FlagRecord, 'document' | 'page' | 'pageVersion'>): Promise<PageRecord | null> {
    return this.models.Page.findOne({ document: flag.document, index: flag.page, version: flag.pageVersion }).lean<PageRecord>();
  }
}
