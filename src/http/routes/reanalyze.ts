/** POST /api/documents/:id/reanalyze: re-analyse a processed document with the active lexicon. */
import { Router } from 'express';
import { Types } from 'mongoose';
import type { LexiconService } from '../../lexicon/service';
import { reanalyzeDocument } from '../../pipeline/reanalyze';
import type { Models } from '../../store/models';
import { idParam } from '../validate';

export function reanalyzeRoutes(models: Models, lexicons: LexiconService): Router {
  const router = Router();
  router.post('/:id/reanalyze', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const lexicon = await lexicons.active();
    res.json(await reanalyzeDocument(models, lexicon, new Types.ObjectId(id)));
  });
  return router;
}
