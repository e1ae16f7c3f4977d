/**
 * The document service: everything people do to a document after choosing a file — upload
 * (checked by src/ingest), metadata corrections, cancel, reading again by OCR, withdrawal and
 * re-analysis requests — with the rules of each and its audit event. Routes call one method
 * here; the records are read and written through the repositories of src/store.
 */
import path from 'node:path';
import type { Types } from 'mongoose';
import type { Actor, AuditLog } from '../audit/log';
import type { Principal } from '../auth/principal';
import { Conflict, Invalid, NotFound } from '../errors';
import { pageImageTag, PageImages, PageImageUnavailable, type PageImage } from '../extract/page-image';
import type { ToolLimits } from '../limited-process';
import type { IncomingFile, IngestResult, IngestService } from '../ingest/service';
import { fieldsForeignToKind, MetadataEditSchema, STATEMENT_FIELDS, TEXTBOOK_FIELDS } from '../ingest/metadata';
import type { OriginalStore } from '../ingest/storage';
import type { ReanalysisJobs } from '../pipeline/reanalysis-jobs';
import { parseReason } from '../review/service';
import { isFinalStatus, type DocumentFilter, type DocumentRecord } from '../store/documents';
import type { FlagRecord, FlagStatus } from '../store/flags';
import type { ReanalysisRecord } from '../store/jobs';
import type { PageRecord, PageVersionSummary } from '../store/pages';
import type { PageOf, Pagination } from '../store/pagination';
import type { Repositories } from '../store/repositories';

const TEXTBOOK_KEYS = new Set<string>(TEXTBOOK_FIELDS);
const STATEMENT_KEYS = new Set<string>(STATEMENT_FIELDS);

export interface DocumentServiceDeps {
  repos: Pick<Repositories, 'documents' | 'pages' | 'flags' | 'jobs'>;
  ingest: IngestService;
  originals: OriginalStore;
  audit: AuditLog;
  /** Tell the runner there is work (after a re-OCR request). */
  poke?: () => void;
  /** Re-analysis requests: the lexicon version they use and the job queue (absent: not offered). */
  reanalysis?: { activeLexicon: () => Promise<{ id: string; version: string }>; jobs: ReanalysisJobs };
  /** Caps of the tools that draw page images (default: DEFAULT_CHILD_LIMITS.render). */
  renderLimits?: ToolLimits;
  log?: (error: unknown) => void;
}

export class DocumentService {
  private readonly pageImages: PageImages;

  constructor(private readonly deps: DocumentServiceDeps) {
    this.pageImages = new PageImages(path.join(deps.originals.root, 'cache', 'page-images'), deps.renderLimits);
  }

  private get documents() {
    return this.deps.repos.documents;
  }

  /** A new upload (see IngestService.ingest): the stored document, or the one these bytes already are. */
  upload(file: IncomingFile, fields: unknown, uploader?: { userId: Types.ObjectId; actor: Actor }): Promise<IngestResult> {
    return this.deps.ingest.ingest(file, fields, uploader);
  }

  list(filter: DocumentFilter, page: Pagination): Promise<PageOf<DocumentRecord>> {
    return this.documents.listDocuments(filter, page);
  }

  async get(id: string | Types.ObjectId): Promise<DocumentRecord> {
    const doc = await this.documents.findDocument(id);
    if (!doc) throw new NotFound('document');
    return doc;
  }

  /** The document as it is now, or null once it is gone (for progress streams). */
  find(id: string): Promise<DocumentRecord | null> {
    return this.documents.findDocument(id);
  }

  /**
   * Corrects a document's metadata. The original and its hash never change; each edit is
   * recorded in the audit trail field by field ({from, to}) with the editor's reason.
   */
  async updateMetadata(id: string, input: unknown, actor: Actor): Promise<DocumentRecord> {
    const parsed = MetadataEditSchema.safeParse(input ?? {});
    if (!parsed.success) throw Invalid.fromZod('invalid_metadata', parsed.error, 'metadata');
    const doc = await this.get(id);
    const { reason, ...edit } = parsed.data;
    const foreign = fieldsForeignToKind(doc.kind, edit);
    if (foreign.length) throw new Invalid('invalid_metadata', `invalid metadata: ${foreign.map((f) => f.field).join(', ')}`, foreign);

    const current: Record<string, unknown> = { title: doc.title, titleEnglish: doc.titleEnglish, languages: doc.languages, ...doc.textbook, ...doc.statement };
    const set: Record<string, unknown> = {};
    const change: Record<string, { from: unknown; to: unknown }> = {};
    for (const [field, value] of Object.entries(edit)) {
      if (value === undefined || JSON.stringify(current[field]) === JSON.stringify(value)) continue;
      const fieldPath = TEXTBOOK_KEYS.has(field) ? `textbook.${field}` : STATEMENT_KEYS.has(field) ? `statement.${field}` : field;
      set[fieldPath] = value;
      change[field] = { from: current[field] ?? null, to: value };
    }
    if (Object.keys(set).length === 0) return doc;
    const updated = await this.documents.setFields(doc._id, set);
    await this.deps.audit.append({ actor, action: 'document.metadata.update', entity: { type: 'document', id: String(doc._id) }, change, reason: reason ?? null });
    return updated;
  }

  /**
   * Cancels a queued or running document. The cancel is its own record (see CancelRecord):
   * runners look for it about once a second, kill the document's child processes and set the
   * status from it again, so a racing progress write cannot undo it.
   */
  async cancel(id: string, actor: Actor): Promise<DocumentRecord> {
    const doc = await this.get(id);
    if (isFinalStatus(doc.status)) throw new Conflict('conflict', `the document is already ${doc.status}; only queued or running documents can be cancelled`, { status: doc.status });
    const cancel = await this.deps.repos.jobs.insertCancel({ document: doc._id, round: doc.extractionRound, stage: doc.status, at: new Date() });
    await this.documents.markCancelled(cancel);
    const after = await this.get(doc._id);
    await this.deps.audit.append({ actor, action: 'document.cancel', entity: { type: 'document', id: String(doc._id) }, change: { status: { from: doc.status, to: after.status } } });
    return after;
  }

  /**
   * Queues the document to be read again by OCR with `languages` (BCP-47): pages that were read
   * by OCR (every page with `force`) get a NEW page version; the old versions stay, so every flag
   * keeps the exact text its offsets index into. The request starts a new extraction round; a
   * page version records its round, so a run that dies mid-way resumes without reading a page
   * twice. Flags are settled when the new text is analysed (src/pipeline/flag-reconciliation.ts).
   */
  async reprocessWithOcr(id: string, options: { languages: string[]; force: boolean }, actor: Actor): Promise<DocumentRecord> {
    const doc = await this.get(id);
    if (!isFinalStatus(doc.status)) throw new Conflict('conflict', `the document is ${doc.status}; cancel it or wait until it is done`, { status: doc.status });
    if (doc.withdrawal) throw new Conflict('conflict', 'the document was withdrawn; a withdrawn document is not processed again');
    if (doc.original.type === 'text' || doc.original.type === 'html' || doc.original.type === 'docx') {
      throw new Conflict('conflict', `a ${doc.original.type} document has no page images to read by OCR`);
    }
    const queued = await this.documents.queueOcrRound(doc, options);
    // Recorded before the runner is told, so the request precedes the analysis run in the trail.
    await this.deps.audit.append({ actor, action: 'document.reocr', entity: { type: 'document', id: String(doc._id) }, change: { languages: options.languages, force: options.force } });
    this.deps.poke?.();
    return queued;
  }

  /** Evidence is never deleted: a withdrawn document stays, with who, when and why. */
  async withdraw(id: string, principal: Principal, input: unknown, actor: Actor): Promise<DocumentRecord> {
    const { reason } = parseReason(input);
    const doc = await this.get(id);
    if (doc.withdrawal) throw new Conflict('conflict', 'the document is already withdrawn');
    const updated = await this.documents.setWithdrawal(doc._id, { by: principal.userId, reason, at: new Date() });
    await this.deps.audit.append({ actor, action: 'document.withdraw', entity: { type: 'document', id: String(doc._id) }, change: { withdrawn: true }, reason });
    return updated;
  }

  /** Queues a re-analysis of a processed document with the active lexicon version (audited by the job queue). */
  async requestReanalysis(id: string, reason: string | null, actor: Actor): Promise<ReanalysisRecord> {
    if (!this.deps.reanalysis) throw new NotFound('re-analysis');
    const doc = await this.get(id);
    if (doc.status !== 'done') {
      throw new Conflict('conflict', `document is ${doc.status}; only processed documents can be re-analysed`, { status: doc.status });
    }
    const active = await this.deps.reanalysis.activeLexicon();
    return this.deps.reanalysis.jobs.create(id, { id: active.id, version: active.version }, reason, actor);
  }

  async getReanalysis(id: string): Promise<ReanalysisRecord> {
    const job = await this.deps.repos.jobs.findReanalysis(id);
    if (!job) throw new NotFound('re-analysis');
    return job;
  }

  /** A page (the given version, else the current one) and the list of its versions. */
  async page(id: string, index: number, version?: number): Promise<{ page: PageRecord; versions: PageVersionSummary[] }> {
    const { page, versions } = await this.deps.repos.pages.pageWithVersions(id, index, version);
    if (!page) throw new NotFound(version === undefined ? `page ${index} of this document` : `version ${version} of page ${index} of this document`);
    return { page, versions };
  }

  /** The page as an image (rendered once, cached under the upload directory), with its ETag. */
  async pageImage(id: string, index: number): Promise<PageImage & { etag: string }> {
    const doc = await this.get(id);
    if (!(await this.deps.repos.pages.findPage(id, index))) throw new NotFound(`page ${index} of this document`);
    try {
      const image = await this.pageImages.image(doc.original, this.deps.originals.resolve(doc.original.storedPath), index);
      return { ...image, etag: pageImageTag(doc.original.sha256, index) };
    } catch (error) {
      if (error instanceof PageImageUnavailable) {
        // The tool's own words name server paths: they go to the log, never to the client.
        if (error.detail) this.deps.log?.(new Error(`no image of page ${index} of document ${id}: ${error.message} (${error.detail})`));
        throw new NotFound(`image of page ${index}`, `no image of page ${index}: ${error.message}`);
      }
      throw error;
    }
  }

  async flags(id: string, status: FlagStatus | undefined, page: Pagination): Promise<PageOf<FlagRecord>> {
    await this.get(id);
    return this.deps.repos.flags.listFlags({ document: id, status }, page);
  }
}
