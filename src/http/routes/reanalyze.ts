/**
 * Re-analysis with the active lexicon, as a background job: POST /api/documents/:id/reanalyze
 * records the request (who, which version, why) and answers 202 with the job;
 * GET /api/reanalyses/:id shows its state, progress and counts.
 */
import { Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../../auth/principal';
import type { DocumentService } from '../../documents/service';
import type { ReanalysisRecord } from '../../store/jobs';
import { Invalid } from '../../errors';
import { errors } from '../errors';
import { idParam } from '../validate';

export const ReanalysisRequest = z.object({ reason: z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters').optional() }).strict();

export function reanalysisView(r: ReanalysisRecord) {
  const id = String(r._id);
  return {
    id,
    document: String(r.document),
    requestedBy: r.requestedBy.id,
    lexicon: { id: r.lexicon.id, version: r.lexicon.version },
    reason: r.reason ?? null,
    status: r.status,
    progress: { pagesDone: r.progress?.pagesDone ?? 0, pagesTotal: r.progress?.pagesTotal ?? 0 },
    counts: { added: r.counts?.added ?? 0, kept: r.counts?.kept ?? 0, obsoleted: r.counts?.obsoleted ?? 0 },
    ...(r.failure ? { failure: { reason: r.failure.reason, at: r.failure.at } } : {}),
    startedAt: r.startedAt ?? null,
    finishedAt: r.finishedAt ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    links: { self: `/api/reanalyses/${id}`, document: `/api/documents/${String(r.document)}` },
  };
}

/** Mounted at /api/documents. */
export function reanalyzeRoutes(documents: DocumentService): Router {
  const router = Router();
  router.post('/:id/reanalyze', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) throw errors.unsupportedType('send the re-analysis request as application/json');
    const parsed = ReanalysisRequest.safeParse(req.body ?? {});
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 're-analysis request');
    const job = await documents.requestReanalysis(id, parsed.data.reason ?? null, actorOf(res));
    const view = reanalysisView(job);
    res.status(202).location(view.links.self).json({ reanalysis: view, statusUrl: view.links.self });
  });
  return router;
}

/** Mounted at /api/reanalyses. */
export function reanalysisJobRoutes(documents: DocumentService): Router {
  const router = Router();
  router.get('/:id', async (req, res) => {
    const job = await documents.getReanalysis(idParam(req.params.id, 're-analysis'));
    res.json({ reanalysis: reanalysisView(job) });
  });
  return router;
}
