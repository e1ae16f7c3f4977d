/** Evidence dossiers: request one (a background job), watch its status, download the package. */
import fs from 'node:fs';
import { Router } from 'express';
import { z } from 'zod';
import { CATEGORY_CODES } from '../../analyze/types';
import { DOSSIER_STATES, type DossierJobs } from '../../export/dossier/jobs';
import { REVIEWER_IDENTITIES } from '../../export/dossier/identities';
import { FLAG_STATUSES } from '../../store/flags';
import type { DossierRecord } from '../../store/jobs';
import { actorOf } from '../../auth/principal';
import { Invalid } from '../../errors';
import { errors } from '../errors';
import { idParam, objectId, paginationShape, parseQuery } from '../validate';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const isoDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)');

export const DossierRequest = z
  .object({
    title: text(300),
    submitter: text(300),
    addressee: text(300),
    filters: z
      .object({
        documents: z.array(objectId).max(1000).optional(),
        series: z.array(text(300)).max(100).optional(),
        speakers: z.array(text(300)).max(100).optional(),
        categories: z.array(z.enum(CATEGORY_CODES)).max(CATEGORY_CODES.length).optional(),
        severityMin: z.number().int().min(1).max(4).optional(),
        severityMax: z.number().int().min(1).max(4).optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        // Only decided evidence leaves the system: a flag still under review must not (its first
        // reviewer's decision would reach everyone while the second review is blind).
        states: z
          .array(z.enum(FLAG_STATUSES))
          .min(1)
          .max(FLAG_STATUSES.length)
          .superRefine((states, ctx) => {
            const undecided = [...new Set(states.filter((s) => !DOSSIER_STATES.includes(s)))];
            if (undecided.length) {
              ctx.addIssue({
                code: z.ZodIssueCode.custom,
                message: `a dossier holds decided flags only: confirmed, or rejected as transparency; not ${undecided.map((s) => `"${s}"`).join(', ')}`,
              });
            }
          })
          .default(['confirmed']),
      })
      .strict()
      .refine((f) => (f.severityMin ?? 1) <= (f.severityMax ?? 4), { message: 'severityMin must not exceed severityMax', path: ['severityMin'] })
      .refine((f) => !f.from || !f.to || f.from <= f.to, { message: '"from" must not be after "to"', path: ['from'] })
      .default({ states: ['confirmed'] }),
    // Reviewer protection: an external addressee (the default) gets pseudonymous reviewers.
    audience: z.enum(['internal', 'external']).default('external'),
    reviewers: z.enum(REVIEWER_IDENTITIES).optional(),
    includeNotes: z.boolean().default(false),
  })
  .strict();

export function dossierView(d: DossierRecord) {
  const id = String(d._id);
  return {
    id,
    title: d.title,
    submitter: d.submitter,
    addressee: d.addressee,
    filters: d.filters,
    protection: d.protection ?? null,
    status: d.status,
    progress: { itemsDone: d.progress?.itemsDone ?? 0, itemsTotal: d.progress?.itemsTotal ?? 0 },
    ...(d.failure ? { failure: { reason: d.failure.reason, at: d.failure.at } } : {}),
    ...(d.result
      ? { result: { bytes: d.result.bytes, sha256: d.result.sha256, items: d.result.items, pdfPages: d.result.pdfPages, finishedAt: d.result.finishedAt } }
      : {}),
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    links: { self: `/api/dossiers/${id}`, download: `/api/dossiers/${id}/download` },
  };
}

export const DossierListQuery = z.object(paginationShape).strict();

export function dossierRoutes(jobs: DossierJobs): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const page = await jobs.list(parseQuery(DossierListQuery, req.query));
    res.json({ ...page, items: page.items.map(dossierView) });
  });

  router.post('/', async (req, res) => {
    if (!req.is('application/json')) throw errors.unsupportedType('send the dossier request as application/json');
    const parsed = DossierRequest.safeParse(req.body ?? {});
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'dossier request');
    const created = await jobs.create(parsed.data, actorOf(res));
    const view = dossierView(created);
    res.status(202).location(view.links.self).json({ dossier: view, statusUrl: view.links.self });
  });

  router.get('/:id', async (req, res) => {
    res.json({ dossier: dossierView(await jobs.get(idParam(req.params.id, 'dossier'))) });
  });

  router.get('/:id/download', async (req, res) => {
    const { dossier, file, sha256 } = await jobs.package(idParam(req.params.id, 'dossier'));
    res.setHeader('Content-Disposition', `attachment; filename="dossier-${String(dossier._id)}.zip"`);
    res.setHeader('X-Content-SHA256', sha256);
    res.type('application/zip');
    fs.createReadStream(file).pipe(res);
  });

  return router;
}
