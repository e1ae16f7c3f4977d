import { Router } from 'express';
import type { Models } from '../../store/models';
import { reviewStats } from '../../review/stats';

export function statsRoutes(models: Models): Router {
  const router = Router();
  router.get('/review', async (_req, res) => {
    res.json(await reviewStats(models));
  });
  return router;
}
