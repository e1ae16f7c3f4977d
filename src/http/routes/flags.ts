import { Router } from 'express';
import { z } from 'zod';
import { CATEGORY_CODES } from '../../analyze/types';
import { csvHeader, csvLine, type FlagExports } from '../../export/flags-export';
import { actorOf } from '../../auth/principal';
import { FLAG_SIGNALS, FLAG_SORTS, FLAG_STATUSES } from '../../store/flags';
import { DOCUMENT_KINDS } from '../../store/documents';
import type { ReviewService } from '../../review/service';
import { objectId, paginationShape, parseQuery } from '../validate';
import { flagView } from '../views';

/** An id as the lexicon writes them (entries, frames, target groups): never an operator or a path. */
const lexiconId = (what: string) => z.string().regex(/^[A-Za-z0-9_.:-]{1,120}$/, `must be a ${what} id (letters, digits, _ . : -)`);

const filterShape = {
  document: objectId.optional(),
  category: z.enum(CATEGORY_CODES).optional(),
  status: z.enum(FLAG_STATUSES).optional(),
  severity: z.coerce.number().int().min(1).max(4).optional(),
  kind: z.enum(DOCUMENT_KINDS).optional(),
  speaker: z.string().trim().min(1).max(300).optional().describe("the statement's speaker as recorded on the document"),
  target: lexiconId('target group').optional(),
  entry: lexiconId('lexicon entry').optional(),
  frame: lexiconId('frame').optional(),
  signal: z.enum(FLAG_SIGNALS).optional(),
  lang: z.string().regex(/^[a-z]{2,3}$/, 'must be a language code such as "az"').optional(),
  pageVersion: z.coerce.number().int().min(1).max(10_000).optional(),
};
const sortShape = { sort: z.enum(FLAG_SORTS).default('position') };
export const FlagListQuery = z.object({ ...filterShape, ...sortShape, ...paginationShape }).strict();
export const FlagCountQuery = z.object(filterShape).strict();
export const FlagExportQuery = z.object({ ...filterShape, ...sortShape, format: z.enum(['csv', 'json']).default('json') }).strict();

// Not named `exports`: compiled to CommonJS, that name would hide the module's own exports
// (FlagListQuery, FlagExportQuery), which the handlers read through it.
export function flagRoutes(review: Pick<ReviewService, 'listFlags' | 'countFlags'>, flagExports: FlagExports): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { offset, limit, sort, ...filter } = parseQuery(FlagListQuery, req.query);
    const page = await review.listFlags(filter, { offset, limit }, sort);
    res.json({ ...page, sort, items: page.items.map(flagView) });
  });

  router.get('/counts', async (req, res) => {
    const filter = parseQuery(FlagCountQuery, req.query);
    res.json({ filters: filter, counts: await review.countFlags(filter) });
  });

  router.get('/export', async (req, res) => {
    const { format, sort, ...filter } = parseQuery(FlagExportQuery, req.query);
    const { name, exportedAt } = await flagExports.start(format, filter, actorOf(res));
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8');
      res.write('\uFEFF' + csvHeader());
    } else {
      res.type('application/json; charset=utf-8');
      res.write(`{"exportedAt":${JSON.stringify(exportedAt)},"filters":${JSON.stringify(filter)},"items":[`);
    }
    let first = true;
    for await (const rows of flagExports.rows(filter, sort)) {
      let chunk = '';
      for (const row of rows) {
        if (format === 'csv') chunk += csvLine(row);
        else {
          chunk += (first ? '' : ',') + JSON.stringify(row);
          first = false;
        }
      }
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end(format === 'json' ? ']}' : '');
  });

  return router;
}
