import path from 'node:path';
import { Router } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { IngestService } from '../../ingest/service';
import type { OriginalStore } from '../../ingest/storage';
import { actorOf, principalOf } from '../../auth/principal';
import { DOCUMENT_KINDS, DOCUMENT_STATUSES, FLAG_STATUSES, type Models } from '../../store/models';
import { getDocument, getPage, listDocuments, listFlags } from '../../store/queries';
import { errors } from '../errors';
import { idParam, paginationShape, parseQuery } from '../validate';
import { documentView, flagView, pageView } from '../views';

export interface DocumentRoutesDeps {
  models: Models;
  ingest: IngestService;
  originals: OriginalStore;
  maxUploadBytes: number;
}

const DocumentListQuery = z.object({ kind: z.enum(DOCUMENT_KINDS).optional(), status: z.enum(DOCUMENT_STATUSES).optional(), ...paginationShape }).strict();
const DocumentFlagsQuery = z.object({ status: z.enum(FLAG_STATUSES).optional(), ...paginationShape }).strict();

export function documentRoutes(deps: DocumentRoutesDeps): Router {
  const router = Router();
  const upload = multer({
    storage: multer.diskStorage({
      destination: path.dirname(deps.originals.incomingPath()),
      filename: (_req, _file, cb) => cb(null, path.basename(deps.originals.incomingPath())),
    }),
    limits: { fileSize: deps.maxUploadBytes, files: 1, fields: 40, fieldSize: 16 * 1024, parts: 50 },
  });

  router.post('/', upload.single('file'), async (req, res) => {
    if (!req.file) throw errors.missingFile();
    const result = await deps.ingest.ingest(
      { tempPath: req.file.path, size: req.file.size, clientMime: req.file.mimetype, clientName: req.file.originalname },
      req.body,
      principalOf(res) ? { userId: principalOf(res)!.userId, actor: actorOf(res) } : undefined,
    );
    const view = documentView(result.document);
    res
      .status(result.created ? 202 : 200)
      .location(view.links.self)
      .json({ document: view, statusUrl: view.links.self, duplicate: !result.created });
  });

  router.get('/', async (req, res) => {
    const { kind, status, offset, limit } = parseQuery(DocumentListQuery, req.query);
    const page = await listDocuments(deps.models, { kind, status }, { offset, limit });
    res.json({ ...page, items: page.items.map(documentView) });
  });

  router.get('/:id', async (req, res) => {
    const doc = await getDocument(deps.models, idParam(req.params.id, 'document'));
    if (!doc) throw errors.notFound('document');
    res.json({ document: documentView(doc) });
  });

  router.get('/:id/pages/:n', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const index = Number(req.params.n);
    if (!/^\d{1,6}$/.test(req.params.n)) throw errors.notFound('page');
    const page = await getPage(deps.models, id, index);
    if (!page) throw errors.notFound(`page ${req.params.n} of this document`);
    res.json({ page: pageView(page) });
  });

  router.get('/:id/flags', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const { status, offset, limit } = parseQuery(DocumentFlagsQuery, req.query);
    if (!(await getDocument(deps.models, id))) throw errors.notFound('document');
    const page = await listFlags(deps.models, { document: id, status }, { offset, limit });
    res.json({ ...page, items: page.items.map(flagView) });
  });

  return router;
}
