/**
 * The page search index: each page version's distinct normalised word forms (see
 * src/analyze/search-forms.ts), written with the page, read by the search. A search asks this
 * collection which pages have its words, then reads the text of only the pages it shows.
 */
import type { Types } from 'mongoose';
import { pageSearchForms } from '../analyze/search-forms';
import { insertIgnoringDuplicates } from './duplicates';
import type { Models, PageRecord } from './models';
import type { Pagination } from './pagination';
import type { PageWordsRecord } from './search-models';

export type { PageWordsRecord } from './search-models';

type IndexedPage = Pick<PageRecord, '_id' | 'document' | 'index' | 'version' | 'current' | 'text'>;

export function pageWordsOf(page: IndexedPage): PageWordsRecord {
  const { lang, forms } = pageSearchForms(page.text ?? '');
  return { _id: page._id, document: page.document, index: page.index, version: page.version, current: page.current, lang, words: forms };
}

export class PageWordsRepository {
  constructor(private readonly models: Pick<Models, 'PageWords' | 'Page'>) {}

  /** Indexes page versions (a version indexed already is skipped: the forms of a text never change). */
  async index(pages: IndexedPage[]): Promise<void> {
    if (pages.length === 0) return;
    const docs = pages.map(pageWordsOf);
    await insertIgnoringDuplicates(() => this.models.PageWords.insertMany(docs, { ordered: false, lean: true }));
  }

  /** Follows PageRepository.setCurrent. */
  async setCurrent(ids: Types.ObjectId[], current: boolean): Promise<void> {
    if (ids.length > 0) await this.models.PageWords.updateMany({ _id: { $in: ids } }, { $set: { current } });
  }

  /**
   * Current pages having, for every query word, one of its forms; by document and page. Each
   * value is a string the caller folded (never an object), so no operator can get in.
   */
  async find(words: string[][], page: Pagination): Promise<{ items: Array<Pick<PageWordsRecord, '_id' | 'document' | 'index' | 'version' | 'lang'>>; total: number }> {
    const query = { current: true, $and: words.map((forms) => ({ words: { $in: forms } })) };
    const [items, total] = await Promise.all([
      this.models.PageWords.find(query, { document: 1, index: 1, version: 1, lang: 1 })
        .sort({ document: 1, index: 1 })
        .skip(page.offset)
        .limit(page.limit)
        .lean<Array<Pick<PageWordsRecord, '_id' | 'document' | 'index' | 'version' | 'lang'>>>(),
      this.models.PageWords.countDocuments(query),
    ]);
    return { items, total };
  }

  /**
   * Indexes every stored page version that has no entry yet (pages stored before the search
   * existed), `batch` pages at a time; returns how many it indexed. Idempotent: run at every start.
   */
  async backfill(batch = 200): Promise<number> {
    let done = 0;
    let after: Types.ObjectId | null = null;
    for (;;) {
      const heads: Array<{ _id: Types.ObjectId }> = await this.models.Page.find(after ? { _id: { $gt: after } } : {}, { _id: 1 }).sort({ _id: 1 }).limit(batch).lean<Array<{ _id: Types.ObjectId }>>();
      if (heads.length === 0) return done;
      after = heads[heads.length - 1]!._id;
      const ids = heads.map((h) => h._id);
      const indexed = new Set((await this.models.PageWords.find({ _id: { $in: ids } }, { _id: 1 }).lean<Array<{ _id: Types.ObjectId }>>()).map((d) => String(d._id)));
      const missing = ids.filter((id) => !indexed.has(String(id)));
      if (missing.length === 0) continue;
      const pages = await this.models.Page.find({ _id: { $in: missing } }, { document: 1, index: 1, version: 1, current: 1, text: 1 }).lean<IndexedPage[]>();
      await this.index(pages);
      done += pages.length;
    }
  }
}
