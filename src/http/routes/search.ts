/** GET /api/search?q=…: word search over the current text of every page (src/search/service.ts). */
import { Router } from 'express';
import { z } from 'zod';
import type { SearchService } from '../../search/service';
import { paginationShape, parseQuery } from '../validate';

export const SearchQuery = z
  .object({
    q: z.string().trim().min(1, 'give a word to search for').max(200, 'must be at most 200 characters').describe('one or more words; a page matches when it has all of them'),
    ...paginationShape,
  })
  .strict();

export function searchRoutes(search: Pick<SearchService, 'search'>): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { q, offset, limit } = parseQuery(SearchQuery, req.query);
    res.json(await search.search(q, { offset, limit }));
  });
  return router;
}
