import { Router } from 'express';
import { META } from '../../web/meta';

/** GET /api/meta: the server's vocabulary (src/web/meta.ts), for the web interface and other clients. */
export function metaRoutes(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    // Revalidated on each load (ETag → 304): it changes only when the server's code does.
    res.setHeader('Cache-Control', 'private, no-cache');
    res.json(META);
  });
  return router;
}
