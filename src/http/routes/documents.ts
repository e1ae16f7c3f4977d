import path from 'node:path';
import { Router } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { AuditLog } from '../../audit/log';
import type { IngestService } from '../../ingest/service';
import type { OriginalStore } from '../../ingest/storage';
import { actorOf, principalOf, requirePrincipal } from '../../auth/principal';
import { DOCUMENT_KINDS, DOCUMENT_STATUSES, FLAG_STATUSES, type Models } from '../../store/models';
import { getDocument, getPage, listDocuments, listFlags, listPageVersions } from '../../store/queries';
import { cancelDocument, reprocessWithOcr } from '../../pipeline/control';
import { pageImageTag, PageImages, PageImageUnavailable } from '../../extract/page-image';
import { Invalid, NotFound } from '../../errors';
import { ApiError, errors } from '../errors';
import { StreamSlots } from '../stream-slots';
import { idParam, paginationShape, parseQuery } from '../validate';
import { documentView, flagView, pageView } from '../views';

export interface DocumentRoutesDeps {
  models: Models;
  ingest: IngestService;
  originals: OriginalStore;
  maxUploadBytes: number;
  /** Cancels and re-OCR requests are recorded with the acting user. */
  audit: AuditLog;
  /** Tell the in-service runner there is work (after a re-OCR request). */
  poke?: () => void;
  /** How often the event stream looks at the document (ms). */
  eventsPollMs?: number;
  /** At most this many open event streams per user and per process (default 10 and 100). */
  eventStreams?: { perUser: number; perProcess: number };
}

const OCR_LANGUAGES = ['en', 'ru', 'az', 'hy', 'tr'] as const;
export const ReprocessOcrBody = z
  .object({
    languages: z.array(z.enum(OCR_LANGUAGES, { message: `must be one of ${OCR_LANGUAGES.join(', ')}` })).min(1).max(4),
    force: z.boolean().default(false),
  })
  .strict();
const FINAL_STATUSES = new Set(['done', 'failed', 'cancelled']);

export const DocumentListQuery = z.object({ kind: z.enum(DOCUMENT_KINDS).optional(), status: z.enum(DOCUMENT_STATUSES).optional(), ...paginationShape }).strict();
export const PageQuery = z.object({ version: z.coerce.number().int().min(1).max(1_000_000).optional() }).strict();
export const DocumentFlagsQuery = z.object({ status: z.enum(FLAG_STATUSES).optional(), ...paginationShape }).strict();

export function documentRoutes(deps: DocumentRoutesDeps): Router {
  const router = Router();
  const streams = new StreamSlots(deps.eventStreams ?? { perUser: 10, perProcess: 100 });
  const pageImages = new PageImages(path.join(deps.originals.root, 'cache', 'page-images'));
  const upload = multer({
    storage: multer.diskStorage({
      destination: path.dirname(deps.originals.incomingPath()),
      filename: (_req, _file, cb) => cb(null, path.basename(deps.originals.incomingPath())),
    }),
    limits: { fileSize: deps.maxUploadBytes, files: 1, fields: 40, fieldSize: 16 * 1024, parts: 50 },
    // Browsers send file names as raw UTF-8 (RFC 7578); busboy's default reads them as Latin-1.
    defParamCharset: 'utf8',
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
    if (!doc) throw new NotFound('document');
    res.json({ document: documentView(doc) });
  });

  router.patch('/:id', async (req, res) => {
    const doc = await deps.ingest.updateMetadata(idParam(req.params.id, 'document'), req.body, actorOf(res));
    res.json({ document: documentView(doc) });
  });

  router.post('/:id/cancel', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const { before, doc } = await cancelDocument(deps.models, id);
    await deps.audit.append({ actor: actorOf(res), action: 'document.cancel', entity: { type: 'document', id: String(id) }, change: { status: { from: before, to: doc.status } } });
    res.json({ document: documentView(doc) });
  });

  router.post('/:id/ocr', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const parsed = ReprocessOcrBody.safeParse(req.body ?? {});
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 're-OCR request');
    const doc = await reprocessWithOcr(deps.models, id, parsed.data);
    // Recorded before the runner is told, so the request precedes the analysis run in the trail.
    await deps.audit.append({ actor: actorOf(res), action: 'document.reocr', entity: { type: 'document', id: String(id) }, change: { languages: parsed.data.languages, force: parsed.data.force } });
    deps.poke?.();
    res.status(202).json({ document: documentView(doc) });
  });

  // Server-Sent Events: the document's status and progress whenever they change, until it ends.
  // Read from the database, so it follows work done by any worker process.
  router.get('/:id/events', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const first = await getDocument(deps.models, id);
    if (!first) throw new NotFound('document');
    // Each stream reads the database twice a second: one viewer must not slow everyone down.
    const slot = streams.take(String(requirePrincipal(res).userId));
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    let last = '';
    let closed = false;
    let lastWrite = Date.now();
    const send = (doc: NonNullable<typeof first>) => {
      const view = documentView(doc);
      const payload = JSON.stringify({ id: view.id, status: view.status, progress: view.progress, failure: view.failure });
      if (payload !== last) {
        last = payload;
        res.write(`event: progress\ndata: ${payload}\n\n`);
        lastWrite = Date.now();
      } else if (Date.now() - lastWrite > 15_000) {
        res.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      if (FINAL_STATUSES.has(doc.status)) {
        res.write(`event: end\ndata: ${JSON.stringify({ status: doc.status })}\n\n`);
        stop();
      }
    };
    const stop = () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      slot.release();
      res.end();
    };
    const timer = setInterval(() => {
      getDocument(deps.models, id)
        .then((doc) => (doc && !closed ? send(doc) : stop()))
        .catch(() => stop());
    }, deps.eventsPollMs ?? 500);
    req.on('close', stop);
    send(first);
  });

  router.get('/:id/pages/:n', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const index = Number(req.params.n);
    if (!/^\d{1,6}$/.test(req.params.n)) throw new NotFound('page');
    const { version } = parseQuery(PageQuery, req.query);
    const page = await getPage(deps.models, id, index, version);
    if (!page) throw new NotFound(version === undefined ? `page ${req.params.n} of this document` : `version ${version} of page ${req.params.n} of this document`);
    res.json({ page: pageView(page, await listPageVersions(deps.models, id, index)) });
  });

  // The page as an image for the document view: rendered once, cached under the upload
  // directory, then served from disk. Immutable (the original never changes), so cacheable.
  router.get('/:id/pages/:n/image', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    if (!/^\d{1,6}$/.test(req.params.n)) throw new NotFound('page');
    const index = Number(req.params.n);
    const doc = await getDocument(deps.models, id);
    if (!doc) throw new NotFound('document');
    if (!(await getPage(deps.models, id, index))) throw new NotFound(`page ${req.params.n} of this document`);
    let image;
    try {
      image = await pageImages.image(doc.original, deps.originals.resolve(doc.original.storedPath), index);
    } catch (error) {
      if (error instanceof PageImageUnavailable) throw new ApiError('not_found', `no image of page ${index}: ${error.message}`);
      throw error;
    }
    res.sendFile(image.file, {
      cacheControl: false,
      headers: {
        'Content-Type': image.contentType,
        'Cache-Control': 'private, max-age=86400, immutable',
        ETag: pageImageTag(doc.original.sha256, index),
      },
    });
  });

  router.get('/:id/flags', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const { status, offset, limit } = parseQuery(DocumentFlagsQuery, req.query);
    if (!(await getDocument(deps.models, id))) throw new NotFound('document');
    const page = await listFlags(deps.models, { document: id, status }, { offset, limit });
    res.json({ ...page, items: page.items.map(flagView) });
  });

  return router;
}
