import { Router } from 'express';
import { z } from 'zod';
import { CATEGORY_CODES } from '../../analyze/types';
import { csvHeader, csvLine, type FlagExports } from '../../export/flags-export';
import { actorOf } from '../../auth/principal';
import { FLAG_STATUSES } from '../../store/flags';
import type { ReviewService } from '../../review/service';
import { objectId, paginationShape, parseQuery } from '../validate';
import { flagView } from '../views';

const filterShape = {
  document: objectId.optional(),
  category: z.enum(CATEGORY_CODES).optional(),
  status: z.enum(FLAG_STATUSES).optional(),
};
export const FlagListQuery = z.object({ ...filterShape, ...paginationShape }).strict();
export const FlagExportQuery = z.object({ ...filterShape, format: z.enum(['csv', 'json']).default('json') }).strict();

// Not named `exports`: compiled to CommonJS, that name would hide the module's own exports
// (FlagListQuery, FlagExportQuery), which the handlers read through it.
export function flagRoutes(review: Pick<ReviewService, 'listFlags'>, flagExports: FlagExports): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { offset, limit, ...filter } = parseQuery(FlagListQuery, req.query);
    const page = await review.listFlags(filter, { offset, limit });
    res.json({ ...page, items: page.items.map(flagView) });
  });

  router.get('/export', async (req, res) => {
    const { format, ...filter } = parseQuery(FlagExportQuery, req.query);
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
    for await (const rows of flagExports.rows(filter)) {
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
