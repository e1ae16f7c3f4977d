import { Router } from 'express';
import type { Models } from '../../store/models';
import type { ReviewSettings } from '../../review/service';
import { reviewStats } from '../../review/stats';

export function statsRoutes(models: Models, settings: ReviewSettings): Router {
  const router = Router();
  router.get('/review', async (_req, res) => {
    res.json(await reviewStats(models, settings));
  });
  return router;
}
