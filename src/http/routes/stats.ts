import { Router } from 'express';
import type { ReviewService } from '../../review/service';

export function statsRoutes(review: ReviewService): Router {
  const router = Router();
  router.get('/review', async (_req, res) => {
    res.json(await review.stats());
  });
  return router;
}
