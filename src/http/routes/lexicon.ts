/**
 * /api/lexicon: the working copy (entries, target groups), published versions, import and
 * export. Every write here changes what the service flags: admin only (src/http/access.ts), and
 * each one is appended to the audit trail with the acting user.
 */
import express, { Router } from 'express';
import { z } from 'zod';
import { CATEGORY_CODES } from '../../analyze/types';
import type { Actor } from '../../audit/log';
import { actorOf } from '../../auth/principal';
import type { LexiconCuration } from '../../lexicon/curation';
import { EXPORT_FORMATS, exportLexicon, IMPORT_FORMATS } from '../../lexicon/formats';
import { LEXICON_ID } from '../../lexicon/schema';
import type { LexiconService } from '../../lexicon/service';
import { Invalid, NotFound } from '../../errors';
import { paginationShape, parseQuery } from '../validate';

export const EntryListQuery = z.object({
  lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/u, 'must be a language tag such as en or az-Cyrl').optional(),
  status: z.enum(['draft', 'reviewed', 'retired']).optional(),
  category: z.enum(CATEGORY_CODES).optional(),
  ...paginationShape,
}).strict();
export const TargetListQuery = z.object({ retired: z.enum(['true', 'false']).default('false') }).strict();
export const PublishBody = z.object({ note: z.string().max(2000).optional() }).strict();
export const PreviewQuery = z.object({
  format: z.enum(IMPORT_FORMATS),
  lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/u, 'must be a language tag such as en').optional(),
  idPrefix: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/u, 'letters, digits, _ . - only').optional(),
}).strict();
/** `update=true`: ids that exist are updated where the file differs (default: they refuse the import). */
export const ImportQuery = PreviewQuery.extend({ update: z.enum(['true', 'false']).default('false') }).strict();

/** The request body as text: application/json bodies were already parsed by the app's JSON parser. */
function bodyText(body: unknown): string {
  const text = typeof body === 'string' ? body : body && typeof body === 'object' ? JSON.stringify(body) : '';
  if (text.trim() === '') throw new Invalid('empty_file', 'empty body: send the file as the request body');
  return text;
}
export const ExportQuery = z.object({ format: z.enum(EXPORT_FORMATS).default('json'), version: z.string().max(100).optional() }).strict();

/** Lexicon ids and version labels: plain tokens only (as the lexicon schema demands of ids). */
function idParam(value: unknown, what: string): string {
  if (typeof value !== 'string' || !LEXICON_ID.test(value)) throw new NotFound(what);
  return value;
}

const IMPORT_LIMIT = '20mb';

/** A version as the API shows it: the label as `version` (it is the record's _id). */
function versionView<T extends { _id: string }>(record: T): Omit<T, '_id'> & { version: string } {
  const { _id, ...rest } = record;
  return { version: _id, ...rest };
}

export const GrammarListQuery = z.object({ lang: z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z]{2,8})?$/u, 'a BCP-47 language tag').optional() }).strict();

export function lexiconRoutes(lexicons: LexiconService, curation: LexiconCuration): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const active = await lexicons.active();
    res.json({
      active: { id: active.id, version: active.version, number: active.number, entries: active.compiled.entryCount, languages: active.compiled.languages },
      links: { entries: '/api/lexicon/entries', targets: '/api/lexicon/targets', classes: '/api/lexicon/classes', frames: '/api/lexicon/frames', versions: '/api/lexicon/versions' },
    });
  });

  // --- grammar: word classes and frames (read here; they arrive from the files and JSON imports) ---
  router.get('/classes', async (req, res) => {
    const { lang } = parseQuery(GrammarListQuery, req.query);
    res.json({ items: await lexicons.listGrammar('class', lang) });
  });
  router.get('/frames', async (req, res) => {
    const { lang } = parseQuery(GrammarListQuery, req.query);
    res.json({ items: await lexicons.listGrammar('frame', lang) });
  });

  // --- entries ---
  router.get('/entries', async (req, res) => {
    const { offset, limit, ...filter } = parseQuery(EntryListQuery, req.query);
    res.json({ offset, limit, ...(await lexicons.listEntries(filter, { offset, limit })) });
  });
  itemRoutes(router, '/entries', 'lexicon entry', {
    get: (id) => lexicons.getEntry(id),
    create: (body, actor) => curation.createEntry(body, actor),
    update: (id, body, actor) => curation.updateEntry(id, body, actor),
    retire: (id, actor) => curation.retireEntry(id, actor),
  });

  // --- target groups ---
  router.get('/targets', async (req, res) => {
    const { retired } = parseQuery(TargetListQuery, req.query);
    res.json({ items: await lexicons.listTargets(retired === 'true') });
  });
  itemRoutes(router, '/targets', 'target group', {
    get: (id) => lexicons.getTarget(id),
    create: (body, actor) => curation.createTarget(body, actor),
    update: (id, body, actor) => curation.updateTarget(id, body, actor),
    retire: (id, actor) => curation.retireTarget(id, actor),
  });

  // --- versions ---
  router.get('/versions', async (_req, res) => {
    res.json({ items: (await lexicons.listVersions()).map(versionView) });
  });
  router.get('/versions/:version', async (req, res) => {
    res.json(versionView(await lexicons.getVersion(idParam(req.params.version, 'lexicon version'))));
  });
  router.post('/versions', async (req, res) => {
    const parsed = PublishBody.safeParse(req.body ?? {});
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'publish request');
    const { version, warnings } = await curation.publish(parsed.data.note, actorOf(res));
    res.status(201).json({ version: versionView(version), warnings });
  });

  // --- import / export ---
  // Preview: what the file would change, written nowhere (so not audited); a bad file is a
  // normal answer (200 with its line errors).
  router.post('/import/preview', express.text({ type: () => true, limit: IMPORT_LIMIT }), async (req, res) => {
    const { format, lang, idPrefix } = parseQuery(PreviewQuery, req.query);
    res.json(await curation.previewFile(format, bodyText(req.body), { lang, idPrefix }));
  });

  router.post('/import', express.text({ type: () => true, limit: IMPORT_LIMIT }), async (req, res) => {
    const { format, lang, idPrefix, update } = parseQuery(ImportQuery, req.query);
    const result = await curation.importFile(format, bodyText(req.body), { lang, idPrefix, update: update === 'true' }, actorOf(res));
    res.status(201).json({ ...result, note: 'imported into the working copy as draft; they take effect when a version is published' });
  });

  router.get('/export', async (req, res) => {
    const { format, version } = parseQuery(ExportQuery, req.query);
    const data = version ? (await lexicons.getVersion(idParam(version, 'lexicon version'))).data : (await lexicons.workingCopy());
    res.setHeader('Content-Disposition', `attachment; filename="lexicon-${data.version || 'working'}.${format}"`);
    res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    res.send(exportLexicon(data, format));
  });

  return router;
}

/** What the working copy does with one entry or target group. */
interface ItemOperations {
  get(id: string): Promise<unknown>;
  create(body: unknown, actor: Actor): Promise<unknown>;
  update(id: string, body: unknown, actor: Actor): Promise<unknown>;
  retire(id: string, actor: Actor): Promise<unknown>;
}

/** Read, create, update and retire one item: the same four routes for entries and target groups. */
function itemRoutes(router: Router, path: string, noun: string, items: ItemOperations): void {
  router.get(`${path}/:id`, async (req, res) => {
    res.json(await items.get(idParam(req.params.id, noun)));
  });
  router.post(path, async (req, res) => {
    res.status(201).json(await items.create(req.body, actorOf(res)));
  });
  router.patch(`${path}/:id`, async (req, res) => {
    res.json(await items.update(idParam(req.params.id, noun), req.body, actorOf(res)));
  });
  router.post(`${path}/:id/retire`, async (req, res) => {
    res.json(await items.retire(idParam(req.params.id, noun), actorOf(res)));
  });
}
