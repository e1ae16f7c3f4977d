/**
 * Word search over the current text of every page. The query's words are folded as the analyser
 * folds page text (src/analyze/search-forms.ts); the page search index (store/page-words.ts)
 * names the pages that have them all; only the pages of the asked-for result page are read, to
 * give each hit's offsets in the page text (the text view marks them).
 */
import { queryWordForms, wordHits, type WordHit } from '../analyze/search-forms';
import { Invalid } from '../errors';
import type { PageOf, Pagination } from '../store/pagination';
import type { Repositories } from '../store/repositories';

/** At most this many words per query (each is one `$in` over the index). */
export const MAX_QUERY_WORDS = 8;
/** Hits returned per page (the total per page is given too). */
export const MAX_HITS_PER_PAGE = 100;

export interface SearchResult {
  document: string;
  title: string;
  documentStatus: string;
  page: number;
  pageNumber: number;
  pageLabel: string | null;
  version: number;
  lang: string | null;
  hits: WordHit[];
  /** A few words around the first hits, for the result list. */
  snippets: Array<{ before: string; hit: string; after: string; start: number }>;
}

export interface SearchAnswer extends PageOf<SearchResult> {
  query: string;
  /** Each query word's forms, as searched. */
  forms: string[][];
}

const SNIPPETS = 3;
const CONTEXT = 60;

export class SearchService {
  constructor(private readonly repos: Pick<Repositories, 'pageWords' | 'pages' | 'documents'>) {}

  async search(query: string, page: Pagination): Promise<SearchAnswer> {
    const words = queryWordForms(query);
    if (words.length === 0) throw new Invalid('invalid_query', 'the query has no words (letters or digits) to search for', [{ field: 'q', message: 'no words' }]);
    if (words.length > MAX_QUERY_WORDS) throw new Invalid('invalid_query', `at most ${MAX_QUERY_WORDS} words per search`, [{ field: 'q', message: 'too many words' }]);
    const found = await this.repos.pageWords.find(words, page);
    const [texts, docs] = await Promise.all([
      this.repos.pages.pagesById(found.items.map((p) => p._id)),
      this.repos.documents.documentsById([...new Map(found.items.map((p) => [String(p.document), p.document])).values()]),
    ]);
    const allForms = new Set(words.flat());
    const items: SearchResult[] = [];
    for (const entry of found.items) {
      const stored = texts.get(String(entry._id));
      const doc = docs.get(String(entry.document));
      if (!stored || !doc) continue;
      const hits = wordHits(stored.text, entry.lang, allForms, MAX_HITS_PER_PAGE);
      items.push({
        document: String(entry.document),
        title: doc.title,
        documentStatus: doc.withdrawal ? 'withdrawn' : doc.status,
        page: entry.index,
        pageNumber: entry.index + 1,
        pageLabel: stored.label,
        version: entry.version,
        lang: entry.lang,
        hits,
        snippets: hits.slice(0, SNIPPETS).map((h) => ({
          before: stored.text.slice(Math.max(0, h.start - CONTEXT), h.start),
          hit: h.exact,
          after: stored.text.slice(h.end, h.end + CONTEXT),
          start: h.start,
        })),
      });
    }
    return { query, forms: words, items, total: found.total, ...page };
  }
}
