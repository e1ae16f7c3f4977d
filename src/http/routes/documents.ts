import path from 'node:path';
import { Router } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { OriginalFiles } from '../../documents/originals';
import type { DocumentService } from '../../documents/service';
import type { OriginalStore } from '../../ingest/storage';
import { actorOf, principalOf, requirePrincipal } from '../../auth/principal';
import { DOCUMENT_KINDS, DOCUMENT_STATUSES, type DocumentRecord } from '../../store/documents';
import type { DocumentFeed } from '../../store/document-feed';
import { FLAG_STATUSES } from '../../store/flags';
import { Invalid, NotFound } from '../../errors';
import { errors } from '../errors';
import { StreamSlots } from '../stream-slots';
import { idParam, paginationShape, parseQuery } from '../validate';
import { documentView, flagView, pageView } from '../views';

export interface DocumentRoutesDeps {
  documents: DocumentService;
  /** Uploads are written to its incoming directory. */
  originals: OriginalStore;
  maxUploadBytes: number;
  /** The process's one feed of document changes, shared by every progress stream. */
  documentFeed: DocumentFeed;
  /** Listing and downloading the stored files. */
  originalFiles: OriginalFiles;
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
const KEEP_ALIVE_MS = 15_000;

export const DocumentListQuery = z.object({ kind: z.enum(DOCUMENT_KINDS).optional(), status: z.enum(DOCUMENT_STATUSES).optional(), ...paginationShape }).strict();
export const PageQuery = z.object({ version: z.coerce.number().int().min(1).max(1_000_000).optional() }).strict();
export const DocumentFlagsQuery = z.object({ status: z.enum(FLAG_STATUSES).optional(), ...paginationShape }).strict();

export function documentRoutes(deps: DocumentRoutesDeps): Router {
  const router = Router();
  const streams = new StreamSlots(deps.eventStreams ?? { perUser: 10, perProcess: 100 });
  const { documents } = deps;
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
    const result = await documents.upload(
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
    const page = await documents.list({ kind, status }, { offset, limit });
    res.json({ ...page, items: page.items.map(documentView) });
  });

  router.get('/:id', async (req, res) => {
    res.json({ document: documentView(await documents.get(idParam(req.params.id, 'document'))) });
  });

  router.patch('/:id', async (req, res) => {
    const doc = await documents.updateMetadata(idParam(req.params.id, 'document'), req.body, actorOf(res));
    res.json({ document: documentView(doc) });
  });

  router.post('/:id/cancel', async (req, res) => {
    res.json({ document: documentView(await documents.cancel(idParam(req.params.id, 'document'), actorOf(res))) });
  });

  router.post('/:id/ocr', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const parsed = ReprocessOcrBody.safeParse(req.body ?? {});
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 're-OCR request');
    const doc = await documents.reprocessWithOcr(id, parsed.data, actorOf(res));
    res.status(202).json({ document: documentView(doc) });
  });

  // Server-Sent Events: the document's status and progress whenever they change, until it ends.
  // Fed by the process's one document feed (a change stream, or one poll shared by every stream),
  // so it follows work done by any worker process and costs no query of its own per interval.
  router.get('/:id/events', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    // Each stream holds a connection and a subscription: one viewer must not take them all. The
    // caps are checked before any read, so a client over its cap costs the database nothing.
    const slot = streams.take(String(requirePrincipal(res).userId));
    try {
      await documents.get(id);
    } catch (error) {
      slot.release();
      throw error;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    let last = '';
    let closed = false;
    let lastWrite = Date.now();
    let unsubscribe: (() => void) | undefined;
    const send = (doc: DocumentRecord | null) => {
      if (closed) return;
      if (!doc) return stop();
      const view = documentView(doc);
      const payload = JSON.stringify({ id: view.id, status: view.status, progress: view.progress, failure: view.failure });
      if (payload !== last) {
        last = payload;
        res.write(`event: progress\ndata: ${payload}\n\n`);
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
      clearInterval(keepAlive);
      unsubscribe?.();
      slot.release();
      res.end();
    };
    // Proxies close connections that stay silent; a comment line every 15 s keeps this one open.
    const keepAlive = setInterval(() => {
      if (Date.now() - lastWrite < KEEP_ALIVE_MS) return;
      res.write(': keep-alive\n\n');
      lastWrite = Date.now();
    }, KEEP_ALIVE_MS);
    req.on('close', stop);
    try {
      unsubscribe = await deps.documentFeed.subscribe(id, send);
      if (closed) unsubscribe();
      // Read once after subscribing: a change between the first read and the subscription is not lost.
      else send(await documents.find(id));
    } catch {
      stop();
    }
  });

  router.get('/:id/pages/:n', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const index = Number(req.params.n);
    if (!/^\d{1,6}$/.test(req.params.n)) throw new NotFound('page');
    const { version } = parseQuery(PageQuery, req.query);
    const { page, versions } = await documents.page(id, index, version);
    res.json({ page: pageView(page, versions) });
  });

  // The page as an image for the document view: rendered once, cached under the upload
  // directory, then served from disk. Immutable (the original never changes), so cacheable.
  router.get('/:id/pages/:n/image', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    if (!/^\d{1,6}$/.test(req.params.n)) throw new NotFound('page');
    const index = Number(req.params.n);
    const image = await documents.pageImage(id, index);
    res.sendFile(image.file, {
      cacheControl: false,
      headers: {
        'Content-Type': image.contentType,
        'Cache-Control': 'private, max-age=86400, immutable',
        ETag: image.etag,
      },
    });
  });

  router.get('/:id/flags', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const { status, offset, limit } = parseQuery(DocumentFlagsQuery, req.query);
    const page = await documents.flags(id, status, { offset, limit });
    res.json({ ...page, items: page.items.map(flagView) });
  });

  router.get('/:id/originals', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const items = await deps.originalFiles.list(id);
    res.json({ items: items.map((o) => ({ role: o.role, sha256: o.sha256, bytes: o.bytes, mediaType: o.mediaType, links: { download: `/api/documents/${id}/originals/${o.role}` } })) });
  });

  // Evidence leaves as a file, never rendered here: an HTML original must not run in our origin.
  router.get('/:id/originals/:role', async (req, res) => {
    const id = idParam(req.params.id, 'document');
    const found = await deps.originalFiles.open(id, req.params.role, actorOf(res));
    res.sendFile(found.file, {
      cacheControl: false,
      headers: {
        'Content-Type': found.mediaType,
        'Content-Disposition': `attachment; filename="${found.filename}"`,
        'X-Content-SHA256': found.sha256,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "sandbox; default-src 'none'",
        'Cache-Control': 'private, no-store',
      },
    });
  });

  router.post('/:id/withdraw', async (req, res) => {
    res.json({ document: documentView(await documents.withdraw(idParam(req.params.id, 'document'), requirePrincipal(res), req.body, actorOf(res))) });
  });

  return router;
}
