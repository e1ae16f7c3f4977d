/** POST /api/documents/:id/reanalyze: re-analyse a processed document with the active lexicon. */
import { Router } from 'express';
import { Types } from 'mongoose';
import type { AuditLog } from '../../audit/log';
import { actorOf } from '../../auth/principal';
import type { LexiconService } from '../../lexicon/service';
import { reanalyzeDocument } from '../../pipeline/reanalyze';
import type { Models } from '../../store/models';
import { idParam } from '../validate';

export function reanalyzeRoutes(models: Models, lexicons: LexiconService, audit: AuditLog): Router {
  const router = Router();
  router.post('/:id/reanalyze', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const lexicon = await lexicons.active();
    const result = await reanalyzeDocument(models, lexicon, new Types.ObjectId(id));
    const { document: _document, ...change } = result;
    await audit.append({ actor: actorOf(res), action: 'analysis.reanalyze', entity: { type: 'document', id }, change });
    res.json(result);
  });
  return router;
}
