/**
 * The document pipeline: extract → analyze → store, for one document. Every step is
 * idempotent and checkpointed in the database (pages keyed by document+index, a page's
 * `analyzedWith`, flags keyed by fingerprint), so a run that dies anywhere resumes where it
 * stopped with no duplicate pages or flags. No transactions: the original and the document
 * record exist before any derived data, and `status` says how far processing got.
 */
import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import { analyzePage, type CompiledLexicon } from '../analyze';
import type { AnalysisFlag } from '../analyze/types';
import { ExtractionError } from '../extract';
import { extractPagesIsolated, type IsolationLimits } from '../extract/isolated';
import type { OriginalStore } from '../ingest/storage';
import type { AuditLog } from '../audit/log';
import { isDuplicateKeyError } from '../store/connection';
import type { DocumentRecord, FlagRecord, Models, PageRecord } from '../store/models';

export interface ActiveLexicon {
  id: string;
  version: string;
  compiled: CompiledLexicon;
}

export interface PipelineDeps {
  models: Models;
  originals: OriginalStore;
  lexicon: ActiveLexicon;
  /** When set, the lexicon to use is asked for per document (the active published version). */
  activeLexicon?: () => Promise<ActiveLexicon>;
  extractLimits?: IsolationLimits;
  /** Records each finished analysis run in the audit trail. */
  audit?: AuditLog;
  log: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

export async function processDocument(pipelineDeps: PipelineDeps, documentId: Types.ObjectId): Promise<void> {
  const deps = pipelineDeps.activeLexicon ? { ...pipelineDeps, lexicon: await pipelineDeps.activeLexicon() } : pipelineDeps;
  const { Document } = deps.models;
  const doc = await Document.findById(documentId).lean<DocumentRecord>();
  if (!doc || doc.status === 'done' || doc.status === 'failed') return;
  let stage = 'extracting';
  try {
    await extractStage(deps, doc);
    stage = 'analyzing';
    await analyzeStage(deps, doc);
    // Recorded before the final status, so whoever sees `done` also finds the audit event.
    await deps.audit?.append({ actor: { id: 'system', role: 'system' }, action: 'analysis.run', entity: { type: 'document', id: String(doc._id) }, change: { status: 'done', lexicon: { id: deps.lexicon.id, version: deps.lexicon.version }, flags: await deps.models.Flag.countDocuments({ document: doc._id }) } });
    await Document.updateOne(
      { _id: doc._id },
      { $set: { status: 'done', lexicon: { id: deps.lexicon.id, version: deps.lexicon.version } } },
    );
    deps.log.info({ document: String(doc._id) }, 'document processed');
  } catch (error) {
    const reason = error instanceof ExtractionError ? error.message : `internal error while ${stage}: ${(error as Error)?.message ?? String(error)}`;
    if (!(error instanceof ExtractionError)) deps.log.error({ err: error, document: String(doc._id) }, 'processing failed');
    await deps.audit?.append({ actor: { id: 'system', role: 'system' }, action: 'analysis.failed', entity: { type: 'document', id: String(doc._id) }, change: { status: 'failed', stage, reason } })
      .catch((auditError: unknown) => deps.log.error({ err: auditError, document: String(doc._id) }, 'audit append failed'));
    // The original stays stored; only the status records the failure.
    await Document.updateOne({ _id: doc._id }, { $set: { status: 'failed', failure: { stage, reason, at: new Date() } } });
  }
}

async function extractStage(deps: PipelineDeps, doc: DocumentRecord): Promise<void> {
  const { Document, Page } = deps.models;
  const stored = await Page.countDocuments({ document: doc._id });
  if (doc.status === 'analyzing' && stored > 0 && stored === doc.progress.pagesTotal) return;
  await Document.updateOne({ _id: doc._id }, { $set: { status: 'extracting' } });

  const pages = await extractPagesIsolated(deps.originals.resolve(doc.original.storedPath), doc.original.type, deps.extractLimits);
  if (pages.length === 0) throw new ExtractionError('no pages could be extracted');
  await Document.updateOne({ _id: doc._id }, { $set: { 'progress.pagesTotal': pages.length, 'progress.pagesDone': 0 } });

  const existing = new Set((await Page.find({ document: doc._id }, { index: 1 }).lean()).map((p) => p.index));
  const missing = pages.filter((p) => !existing.has(p.index));
  if (missing.length > 0) {
    const records: Array<Omit<PageRecord, '_id'>> = missing.map((p) => ({
      document: doc._id,
      index: p.index,
      label: p.label,
      text: p.text,
      textSha256: sha256(p.text),
      method: p.method,
      lang: null,
      analyzedWith: null,
    }));
    await insertIgnoringDuplicates(() => Page.insertMany(records, { ordered: false }));
  }
}

async function analyzeStage(deps: PipelineDeps, doc: DocumentRecord): Promise<void> {
  const { Document, Page, Flag } = deps.models;
  const { version } = deps.lexicon;
  await Document.updateOne({ _id: doc._id }, { $set: { status: 'analyzing' } });
  const total = await Page.countDocuments({ document: doc._id });
  let done = await Page.countDocuments({ document: doc._id, analyzedWith: version });
  await Document.updateOne({ _id: doc._id }, { $set: { 'progress.pagesDone': done, 'progress.pagesTotal': total } });

  // One forced language when the uploader named exactly one; otherwise detect among those named.
  const forcedLang = doc.languages.length === 1 ? doc.languages[0]! : undefined;
  const candidates = doc.languages.length > 1 ? doc.languages : undefined;

  const pending = Page.find({ document: doc._id, analyzedWith: { $ne: version } }).sort({ index: 1 }).lean<PageRecord[]>().cursor();
  for await (const page of pending as AsyncIterable<PageRecord>) {
    const analysis = analyzePage(page.text, deps.lexicon.compiled, { lang: forcedLang, languages: candidates });
    const records = analysis.flags.map((flag) => toFlagRecord(doc._id, page, flag));
    if (records.length > 0) await insertIgnoringDuplicates(() => Flag.insertMany(records, { ordered: false }));
    await Page.updateOne({ _id: page._id }, { $set: { analyzedWith: version, lang: analysis.lang } });
    done += 1;
    await Document.updateOne({ _id: doc._id }, { $set: { 'progress.pagesDone': done } });
  }
}

export function toFlagRecord(documentId: Types.ObjectId, page: PageRecord, flag: AnalysisFlag): Omit<FlagRecord, '_id' | 'createdAt' | 'updatedAt'> {
  const entryIds = flag.matches.map((m) => `${m.entryId}@${m.entryVersion}`).sort();
  return {
    document: documentId,
    page: page.index,
    pageLabel: page.label,
    start: flag.start,
    end: flag.end,
    exact: flag.exact,
    prefix: flag.prefix,
    suffix: flag.suffix,
    sentence: flag.sentence,
    sentenceStart: flag.sentenceStart,
    sentenceEnd: flag.sentenceEnd,
    matches: flag.matches.map((m) => ({ ...m })),
    targets: flag.targets.map((t) => ({ ...t })),
    category: flag.category,
    severity: flag.severity,
    signals: { ...flag.signals },
    priority: flag.priority,
    lang: flag.lang,
    lexicon: { id: flag.lexiconId, version: flag.lexiconVersion },
    fingerprint: sha256([String(documentId), page.index, flag.start, flag.end, flag.lexiconId, flag.lexiconVersion, ...entryIds].join('|')),
    status: 'new',
  };
}

/** insertMany(ordered: false) where E11000 means "already written by an earlier or parallel run". */
export async function insertIgnoringDuplicates(insert: () => Promise<unknown>): Promise<void> {
  try {
    await insert();
  } catch (error) {
    const writeErrors = (error as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> }).writeErrors;
    const onlyDuplicates = Array.isArray(writeErrors) && writeErrors.length > 0
      ? writeErrors.every((e) => (e.code ?? e.err?.code) === 11000)
      : isDuplicateKeyError(error);
    if (!onlyDuplicates) throw error;
  }
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}
