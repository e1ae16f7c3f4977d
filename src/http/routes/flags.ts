import { Router } from 'express';
import { z } from 'zod';
import { CATEGORY_CODES } from '../../analyze/types';
import { csvHeader, csvLine, toExportRow } from '../../export/flags-export';
import type { AuditLog } from '../../audit/log';
import { actorOf } from '../../auth/principal';
import { FLAG_STATUSES, type Models } from '../../store/models';
import { documentsById, listFlags, streamFlags } from '../../store/queries';
import { objectId, paginationShape, parseQuery } from '../validate';
import { flagView } from '../views';

const filterShape = {
  document: objectId.optional(),
  category: z.enum(CATEGORY_CODES).optional(),
  status: z.enum(FLAG_STATUSES).optional(),
};
export const FlagListQuery = z.object({ ...filterShape, ...paginationShape }).strict();
export const FlagExportQuery = z.object({ ...filterShape, format: z.enum(['csv', 'json']).default('json') }).strict();

/** How many flags are resolved to their documents at a time while streaming an export. */
const EXPORT_BATCH = 500;

export function flagRoutes(models: Models, audit?: AuditLog): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { offset, limit, ...filter } = parseQuery(FlagListQuery, req.query);
    const page = await listFlags(models, filter, { offset, limit });
    res.json({ ...page, items: page.items.map(flagView) });
  });

  router.get('/export', async (req, res) => {
    const { format, ...filter } = parseQuery(FlagExportQuery, req.query);
    const stamp = new Date().toISOString();
    const name = `lexwatch-flags-${stamp.slice(0, 19).replace(/[:T]/g, '-')}.${format}`;
    await audit?.append({ actor: actorOf(res), action: 'flags.export', entity: { type: 'export', id: name }, change: { format, filters: filter } });
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8');
      res.write('\uFEFF' + csvHeader());
    } else {
      res.type('application/json; charset=utf-8');
      res.write(`{"exportedAt":${JSON.stringify(stamp)},"filters":${JSON.stringify(filter)},"items":[`);
    }
    let first = true;
    for await (const batch of batches(streamFlags(models, filter), EXPORT_BATCH)) {
      const docs = await documentsById(models, [...new Map(batch.map((f) => [String(f.document), f.document])).values()]);
      let chunk = '';
      for (const flag of batch) {
        const doc = docs.get(String(flag.document));
        if (!doc) continue;
        const row = toExportRow(flag, doc);
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

async function* batches<T>(source: AsyncIterable<T>, size: number): AsyncIterable<T[]> {
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

