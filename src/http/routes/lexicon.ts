/**
 * /api/lexicon: the working copy (entries, target groups), published versions, import and
 * export. Every write here changes what the service flags: admin only (src/http/access.ts), and
 * each one is appended to the audit trail with the acting user.
 */
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { CATEGORY_CODES, type FrameData, type WordClassData } from '../../analyze/types';
import type { AuditLog } from '../../audit/log';
import { actorOf } from '../../auth/principal';
import { EXPORT_FORMATS, exportLexicon, IMPORT_FORMATS, LexiconImportError, parseImport } from '../../lexicon/formats';
import { LEXICON_ID } from '../../lexicon/schema';
import type { LexiconService } from '../../lexicon/service';
import { Invalid, NotFound } from '../../errors';
import { sha256 } from '../../hash';
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

/** The fields whose values differ between two records: {field: {from, to}}. */
function changedFields(before: object, after: object): Record<string, { from: unknown; to: unknown }> {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) changes[key] = { from: a[key] ?? null, to: b[key] ?? null };
  }
  return changes;
}

export const GrammarListQuery = z.object({ lang: z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z]{2,8})?$/u, 'a BCP-47 language tag').optional() }).strict();

/** The word classes and frames of a parsed import (our JSON only). */
function grammarOf(parsed: { classes?: WordClassData[]; frames?: FrameData[] }): { classes: WordClassData[]; frames: FrameData[] } {
  return { classes: parsed.classes ?? [], frames: parsed.frames ?? [] };
}

export function lexiconRoutes(lexicons: LexiconService, audit: AuditLog): Router {
  const router = Router();
  const record = (res: Response, action: string, type: 'lexicon_entry' | 'lexicon_target' | 'lexicon_version' | 'lexicon', id: string, change: unknown) =>
    audit.append({ actor: actorOf(res), action, entity: { type, id }, change });

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
  router.get('/entries/:id', async (req, res) => {
    res.json(await lexicons.getEntry(idParam(req.params.id, 'lexicon entry')));
  });
  router.post('/entries', async (req, res) => {
    const entry = await lexicons.createEntry(req.body);
    await record(res, 'lexicon.entry.create', 'lexicon_entry', entry.id, { entry });
    res.status(201).json(entry);
  });
  router.patch('/entries/:id', async (req, res) => {
    const id = idParam(req.params.id, 'lexicon entry');
    const before = await lexicons.getEntry(id);
    const entry = await lexicons.updateEntry(id, req.body);
    await record(res, 'lexicon.entry.update', 'lexicon_entry', id, changedFields(before, entry));
    res.json(entry);
  });
  router.post('/entries/:id/retire', async (req, res) => {
    const id = idParam(req.params.id, 'lexicon entry');
    const before = await lexicons.getEntry(id);
    const entry = await lexicons.retireEntry(id);
    await record(res, 'lexicon.entry.retire', 'lexicon_entry', id, changedFields(before, entry));
    res.json(entry);
  });

  // --- target groups ---
  router.get('/targets', async (req, res) => {
    const { retired } = parseQuery(TargetListQuery, req.query);
    res.json({ items: await lexicons.listTargets(retired === 'true') });
  });
  router.get('/targets/:id', async (req, res) => {
    res.json(await lexicons.getTarget(idParam(req.params.id, 'target group')));
  });
  router.post('/targets', async (req, res) => {
    const target = await lexicons.createTarget(req.body);
    await record(res, 'lexicon.target.create', 'lexicon_target', target.id, { target });
    res.status(201).json(target);
  });
  router.patch('/targets/:id', async (req, res) => {
    const id = idParam(req.params.id, 'target group');
    const before = await lexicons.getTarget(id);
    const target = await lexicons.updateTarget(id, req.body);
    await record(res, 'lexicon.target.update', 'lexicon_target', id, changedFields(before, target));
    res.json(target);
  });
  router.post('/targets/:id/retire', async (req, res) => {
    const id = idParam(req.params.id, 'target group');
    const before = await lexicons.getTarget(id);
    const target = await lexicons.retireTarget(id);
    await record(res, 'lexicon.target.retire', 'lexicon_target', id, changedFields(before, target));
    res.json(target);
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
    const { version, warnings } = await lexicons.publish(parsed.data.note);
    await record(res, 'lexicon.publish', 'lexicon_version', version._id, {
      number: version.number, lexiconId: version.lexiconId, entryCount: version.entryCount, targetCount: version.targetCount, note: version.note ?? null, warnings: warnings.length,
    });
    res.status(201).json({ version: versionView(version), warnings });
  });

  // --- import / export ---
  // Preview: what the file would change, written nowhere (so not audited). A bad file is a
  // normal answer here (200 with its line errors), since showing them is the point.
  router.post('/import/preview', express.text({ type: () => true, limit: IMPORT_LIMIT }), async (req, res) => {
    const { format, lang, idPrefix } = parseQuery(PreviewQuery, req.query);
    const text = bodyText(req.body);
    const hash = sha256(text);
    let parsed;
    try {
      parsed = parseImport(format, text, { lang, idPrefix });
    } catch (error) {
      if (!(error instanceof LexiconImportError)) throw error;
      res.json({
        format, sha256: hash, applicable: false,
        counts: { added: 0, changed: 0, unchanged: 0, errors: error.errors.length, skipped: 0 },
        added: { entries: [], targets: [] }, changed: { entries: [], targets: [] }, unchanged: { entries: [], targets: [] },
        errors: error.errors, skipped: [],
      });
      return;
    }
    const diff = await lexicons.previewImport(parsed.entries, parsed.targets, grammarOf(parsed));
    const count = (side: { entries: unknown[]; targets: unknown[] }, grammar: unknown[]) => side.entries.length + side.targets.length + grammar.length;
    const added = count(diff.added, diff.grammar.added);
    const changed = count(diff.changed, diff.grammar.changed);
    res.json({
      format, sha256: hash, applicable: added + changed > 0,
      counts: { added, changed, unchanged: count(diff.unchanged, diff.grammar.unchanged), errors: 0, skipped: parsed.skipped.length },
      ...diff, errors: [], skipped: parsed.skipped,
    });
  });

  router.post('/import', express.text({ type: () => true, limit: IMPORT_LIMIT }), async (req, res) => {
    const { format, lang, idPrefix, update } = parseQuery(ImportQuery, req.query);
    const text = bodyText(req.body);
    let parsed;
    try {
      parsed = parseImport(format, text, { lang, idPrefix });
    } catch (error) {
      if (error instanceof LexiconImportError) throw new Invalid('invalid_import', `the ${format} file has ${error.errors.length} problem(s); nothing was imported`, error.errors);
      throw error;
    }
    const grammar = grammarOf(parsed);
    const { updated, ...written } = await lexicons.importData(parsed.entries, parsed.targets, { updateExisting: update === 'true' }, grammar);
    // The file itself is identified by its hash; the ids say what entered the working copy.
    await record(res, 'lexicon.import', 'lexicon', 'working-copy', {
      format, lang: lang ?? null, idPrefix: idPrefix ?? null, sha256: sha256(text),
      imported: written, skipped: parsed.skipped.length,
      entryIds: parsed.entries.map((e) => e.id), targetIds: parsed.targets.map((t) => t.id),
      classIds: grammar.classes.map((c) => `${c.lang}/${c.id}`), frameIds: grammar.frames.map((f) => f.id),
      ...(update === 'true' ? { updatedEntryIds: updated.entries, updatedTargetIds: updated.targets, updatedGrammarIds: updated.grammar } : {}),
    });
    res.status(201).json({ imported: written, updated, skipped: parsed.skipped, note: 'imported into the working copy as draft; they take effect when a version is published' });
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
