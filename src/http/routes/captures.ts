/** Web captures: POST a URL, get the document that will hold the captured page (a job). */
import { Router } from 'express';
import type { CaptureService } from '../../capture/service';
import { actorOf, requirePrincipal } from '../../auth/principal';
import { errors } from '../errors';
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
