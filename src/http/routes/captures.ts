/** Web captures: POST a URL, get the document that will hold the captured page (a job). */
import { Router } from 'express';
import type { CaptureService } from '../../capture/service';
import { actorOf, requirePrincipal } from '../../auth/principal';
import { errors } from '../errors';
import { idParam } from '../validate';
import { documentView } from '../views';

export function captureRoutes(captures: CaptureService): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    if (!req.is('application/json')) throw errors.unsupportedType('send the capture request as application/json');
    const doc = await captures.request(req.body, { userId: requirePrincipal(res).userId, actor: actorOf(res) });
    const view = documentView(doc);
    res.status(202).location(view.links.self).json({ document: view, statusUrl: view.links.self });
  });

  return router;
}

/** GET /api/documents/:id/capture: the capture record, both texts, and the change since the earlier capture. */
export function captureDetailRoutes(captures: CaptureService): Router {
  const router = Router();
  router.get('/:id/capture', async (req, res) => {
    const { document, previous, later, diff } = await captures.details(String(idParam(req.params.id, 'document')));
    const brief = (d: typeof document) => ({ id: String(d._id), status: d.status, capturedAt: d.capture?.endedAt ?? null, finalUrl: d.capture?.finalUrl ?? null, httpStatus: d.capture?.status ?? null, links: { self: `/api/documents/${String(d._id)}/capture` } });
    res.json({
      document: documentView(document),
      pageText: document.capture?.pageText ?? null,
      mainText: document.capture?.mainText ?? null,
      previous: previous ? brief(previous) : null,
      later: later.map(brief),
      diff,
    });
  });
  return router;
}
