/**
 * What each row of the access table (src/http/access.ts) takes and answers, for the OpenAPI
 * description (src/http/openapi.ts). Request schemas are the zod schemas the routes and services
 * validate with, imported, never copied; the `Record<RouteKey, …>` type makes the compiler refuse
 * a row left undescribed or a description of a route the table lacks.
 */
import { z } from 'zod';
import { LoginSchema, NewApiKeySchema, NewUserSchema, UserUpdateSchema } from '../auth/service';
import { FirstAdminSchema } from '../auth/setup';
import { ORIGINAL_ROLES } from '../documents/originals';
import { CaptureRequest } from '../capture/service';
import { MetadataEditSchema, UploadMetadataSchema } from '../ingest/metadata';
import { LEXICON_ID, targetGroupSchema } from '../lexicon/schema';
import { entryPatchSchema, newEntrySchema, targetPatchSchema } from '../lexicon/service';
import { ReasonSchema, ReviewInputSchema, TranslationCheckSchema, TranslationInputSchema } from '../review/service';
import type { RouteKey } from './access';
import { AuditQuery } from './routes/audit';
import { DocumentFlagsQuery, DocumentListQuery, PageQuery, ReprocessOcrBody } from './routes/documents';
import { DossierListQuery, DossierRequest } from './routes/dossiers';
import { FlagCountQuery, FlagExportQuery, FlagListQuery } from './routes/flags';
import { SearchQuery } from './routes/search';
import { EntryListQuery, ExportQuery, GrammarListQuery, ImportQuery, PreviewQuery, PublishBody, TargetListQuery } from './routes/lexicon';
import { ReanalysisRequest } from './routes/reanalyze';
import { SpeakerInput, SpeakerListQuery } from './routes/speakers';
import { objectId } from './validate';

export interface Answer {
  status: 200 | 201 | 202 | 204;
  description: string;
  /** Media types of the body; application/json unless said. */
  types?: readonly string[];
}

export interface RouteDoc {
  summary: string;
  /** One schema for each `:name` segment of the path. */
  params?: Readonly<Record<string, z.ZodType>>;
  query?: z.ZodObject;
  /** A JSON body. */
  body?: z.ZodType;
  /** A multipart/form-data body: one file in `file`, plus these fields. */
  upload?: z.ZodType;
  /** A body that is a file's text, sent as is (any media type). */
  text?: string;
  answers: readonly Answer[];
}

// Path parameters, as the routes check them (idParam and the patterns in the route files).
const id = { id: objectId };
const lexiconId = z.string().regex(LEXICON_ID);
const pageNumber = z.string().regex(/^\d{1,6}$/, 'a page index from 0');
const apiKeyId = z.string().regex(/^[A-Za-z0-9]{16}$/, 'the key id: the part after lwk_');

const ok = (description: string, types?: readonly string[]): Answer => ({ status: 200, description, ...(types ? { types } : {}) });
const created = (description: string): Answer => ({ status: 201, description });
const accepted = (description: string): Answer => ({ status: 202, description });
const noContent = (description: string): Answer => ({ status: 204, description });

export const ROUTE_DOCS: Readonly<Record<RouteKey, RouteDoc>> = {
  'GET /api/health': { summary: 'Liveness and the active lexicon version', answers: [ok('{ok, lexicon: {id, version}}')] },
  'GET /api/openapi.json': { summary: 'This description of the API (OpenAPI 3.1)', answers: [ok('the OpenAPI document')] },
  'GET /api/meta': { summary: "The server's vocabulary: category codes and names, states, kinds", answers: [ok('category codes, flag and document states, kinds, field names')] },

  'POST /api/auth/login': { summary: 'Sign in: sets the session cookie', body: LoginSchema, answers: [ok('{user, csrfToken, expiresAt}; the lw_session cookie is set')] },
  'POST /api/setup/check': { summary: 'First run: whether a setup token is live (no admin yet, token unused)', body: z.object({ token: z.string() }), answers: [ok('{valid}')] },
  'POST /api/setup': { summary: 'First run: create the first admin with the one-time setup token the service printed', body: FirstAdminSchema, answers: [created('{user}')] },
  'POST /api/auth/logout': { summary: 'Sign out: ends the session', answers: [noContent('signed out; the cookie is cleared')] },
  'GET /api/auth/me': { summary: 'Who is signed in, and the CSRF token', answers: [ok('{user, via, csrfToken}')] },
  'GET /api/auth/keys': { summary: "One's own API keys (never their secrets)", answers: [ok('{items}')] },
  'POST /api/auth/keys': { summary: 'Make an API key (its secret is shown once)', body: NewApiKeySchema, answers: [created('{key, apiKey, note}')] },
  'POST /api/auth/keys/:id/revoke': { summary: 'Revoke an API key (own, or any for admins)', params: { id: apiKeyId }, answers: [ok('{apiKey}')] },
  'GET /api/users': { summary: 'List users', answers: [ok('{items}')] },
  'POST /api/users': { summary: 'Create a user', body: NewUserSchema, answers: [created('{user}')] },
  'PATCH /api/users/:id': { summary: "Change a user's name, roles, password or disabled state", params: id, body: UserUpdateSchema, answers: [ok('{user}')] },
  'POST /api/users/:id/unlock': { summary: "Clear a user's login throttle", params: id, answers: [ok('{user, cleared}')] },
  'GET /api/users/:id/keys': { summary: "A user's API keys", params: id, answers: [ok('{items}')] },
  'GET /api/keys': { summary: 'Every API key of every user, with its owner (never their secrets)', answers: [ok('{items}')] },

  'POST /api/documents': {
    summary: 'Upload a document with its metadata',
    upload: UploadMetadataSchema,
    answers: [accepted('{document, statusUrl, duplicate: false}: queued for processing'), ok('{document, statusUrl, duplicate: true}: the same file was uploaded before')],
  },
  'GET /api/documents': { summary: 'List documents', query: DocumentListQuery, answers: [ok('{items, total, offset, limit}')] },
  'GET /api/documents/:id': { summary: 'A document, its status and progress', params: id, answers: [ok('{document}')] },
  'GET /api/documents/:id/pages/:n': { summary: "A page's text and word boxes (a version of it with ?version)", params: { ...id, n: pageNumber }, query: PageQuery, answers: [ok('{page}')] },
  'GET /api/documents/:id/pages/:n/image': { summary: 'A page as an image', params: { ...id, n: pageNumber }, answers: [ok('the page image', ['image/png', 'image/jpeg'])] },
  'GET /api/documents/:id/flags': { summary: "A document's flags", params: id, query: DocumentFlagsQuery, answers: [ok('{items, total, offset, limit}')] },
  'POST /api/captures': {
    summary: 'Capture a web page as evidence: WARC, PDF and PNG, then the pipeline (a job)',
    body: CaptureRequest,
    answers: [accepted('{document, statusUrl}: the capture is queued; the document is `capturing` until the page is stored')],
  },
  'GET /api/documents/:id/capture': { summary: "A capture's record, page and main text, its earlier and later captures, and the main text's line differences from the earlier one", params: id, answers: [ok('{document, pageText, mainText, previous, later, diff}')] },
  'GET /api/documents/:id/originals': { summary: "A document's stored files by role", params: id, answers: [ok('{items: [{role, sha256, bytes, mediaType, links}]}')] },
  'GET /api/documents/:id/originals/:role': {
    summary: 'Download a stored file (audited; its SHA-256 is checked first)',
    params: { ...id, role: z.enum(ORIGINAL_ROLES) },
    answers: [ok('the file as an attachment; X-Content-SHA256 carries its hash', ['application/octet-stream'])],
  },
  'PATCH /api/documents/:id': { summary: "Edit a document's metadata", params: id, body: MetadataEditSchema, answers: [ok('{document}')] },
  'POST /api/documents/:id/withdraw': { summary: 'Withdraw a document, with a reason', params: id, body: ReasonSchema, answers: [ok('{document}')] },
  'GET /api/documents/:id/events': { summary: 'Processing progress as Server-Sent Events until it ends', params: id, answers: [ok('progress and end events', ['text/event-stream'])] },
  'POST /api/documents/:id/cancel': { summary: "Cancel a document's processing", params: id, answers: [ok('{document}')] },
  'POST /api/documents/:id/ocr': { summary: 'Read a document again by OCR in the given languages', params: id, body: ReprocessOcrBody, answers: [accepted('{document}')] },
  'POST /api/documents/:id/reanalyze': { summary: 'Re-analyse a document with the active lexicon (a job)', params: id, body: ReanalysisRequest, answers: [accepted('{reanalysis, statusUrl}')] },
  'GET /api/reanalyses/:id': { summary: "A re-analysis job's state, progress and counts", params: id, answers: [ok('{reanalysis}')] },

  'GET /api/flags': { summary: 'List flags', query: FlagListQuery, answers: [ok('{items, total, offset, limit}')] },
  'GET /api/flags/counts': { summary: 'How many flags match a filter, per status, category, severity and language', query: FlagCountQuery, answers: [ok('{filters, counts: {total, status, category, severity, lang}}')] },
  'GET /api/search': { summary: 'Word search over the current text of every page (normalised as the analyser does)', query: SearchQuery, answers: [ok('{query, forms, items: [{document, title, page, pageNumber, version, hits: [{start, end, exact}]}], total, offset, limit}')] },
  'GET /api/flags/export': { summary: 'Export flags as CSV or JSON (audited)', query: FlagExportQuery, answers: [ok('the flags, as an attachment', ['text/csv', 'application/json'])] },
  'GET /api/flags/:id': { summary: 'A flag with its review state', params: id, answers: [ok('{flag}')] },
  'GET /api/flags/:id/history': { summary: "A flag's versions and their reviews", params: id, answers: [ok('{flag, versions, hiddenUntilYouReview}')] },
  'GET /api/flags/:id/reviews': { summary: "A flag's reviews (hidden from a reviewer until they review)", params: id, answers: [ok('{items, hiddenUntilYouReview}')] },
  'GET /api/flags/:id/translations': { summary: "A flag's translations", params: id, answers: [ok('{items}')] },
  'POST /api/flags/:id/reviews': { summary: 'Decide on a flag', params: id, body: ReviewInputSchema, answers: [created('{review, flag}')] },
  'POST /api/flags/:id/translations': { summary: "Add a translation of a flag's passage", params: id, body: TranslationInputSchema, answers: [created('{translation}')] },
  'POST /api/flags/:id/translations/:tid/check': { summary: 'Check a translation', params: { ...id, tid: objectId }, body: TranslationCheckSchema, answers: [ok('{translation}')] },
  'POST /api/flags/:id/withdraw': { summary: 'Withdraw a flag, with a reason', params: id, body: ReasonSchema, answers: [ok('{flag}')] },
  'POST /api/flags/:id/reopen': { summary: 'Reopen a decided flag, with a reason', params: id, body: ReasonSchema, answers: [ok('{flag}')] },
  'GET /api/review/next': { summary: 'The next flag for this reviewer, leased to them', answers: [ok('{flag, stage, lease, context, document, reviews, links}, or {flag: null, message}')] },
  'POST /api/review/:flagId/skip': { summary: 'Skip a leased flag', params: { flagId: objectId }, answers: [noContent('skipped')] },
  'POST /api/review/:flagId/release': { summary: 'Give a leased flag back to the queue', params: { flagId: objectId }, answers: [ok('{released}')] },
  'GET /api/stats/review': { summary: 'Review statistics', answers: [ok('counts by state, agreement and throughput')] },

  'GET /api/dossiers': { summary: 'Every dossier job, newest first', query: DossierListQuery, answers: [ok('{items, total, offset, limit}')] },
  'POST /api/dossiers': { summary: 'Request an evidence dossier (a job)', body: DossierRequest, answers: [accepted('{dossier, statusUrl}')] },
  'GET /api/dossiers/:id': { summary: "A dossier's status and result", params: id, answers: [ok('{dossier}')] },
  'GET /api/dossiers/:id/download': { summary: 'Download a finished dossier', params: id, answers: [ok('the dossier package; X-Content-SHA256 carries its hash', ['application/zip'])] },
  'POST /api/speakers': { summary: 'Register a speaker', body: SpeakerInput, answers: [created('{speaker}')] },
  'GET /api/speakers': { summary: 'List speakers', query: SpeakerListQuery, answers: [ok('{items, total, offset, limit}')] },
  'GET /api/speakers/:id': { summary: 'A speaker', params: id, answers: [ok('{speaker}')] },

  'GET /api/lexicon': { summary: 'The active lexicon and links to its parts', answers: [ok('{active, links}')] },
  'GET /api/lexicon/entries': { summary: "List the working copy's entries", query: EntryListQuery, answers: [ok('{items, total, offset, limit}')] },
  'GET /api/lexicon/entries/:id': { summary: 'A lexicon entry', params: { id: lexiconId }, answers: [ok('the entry')] },
  'POST /api/lexicon/entries': { summary: 'Add an entry to the working copy', body: newEntrySchema, answers: [created('the entry')] },
  'PATCH /api/lexicon/entries/:id': { summary: 'Change an entry', params: { id: lexiconId }, body: entryPatchSchema, answers: [ok('the entry')] },
  'POST /api/lexicon/entries/:id/retire': { summary: 'Retire an entry', params: { id: lexiconId }, answers: [ok('the entry')] },
  'GET /api/lexicon/targets': { summary: 'List target groups', query: TargetListQuery, answers: [ok('{items}')] },
  'GET /api/lexicon/classes': { summary: 'List word classes', query: GrammarListQuery, answers: [ok('{items}')] },
  'GET /api/lexicon/frames': { summary: 'List frames', query: GrammarListQuery, answers: [ok('{items}')] },
  'GET /api/lexicon/targets/:id': { summary: 'A target group', params: { id: lexiconId }, answers: [ok('the target group')] },
  'POST /api/lexicon/targets': { summary: 'Add a target group', body: targetGroupSchema, answers: [created('the target group')] },
  'PATCH /api/lexicon/targets/:id': { summary: 'Change a target group', params: { id: lexiconId }, body: targetPatchSchema, answers: [ok('the target group')] },
  'POST /api/lexicon/targets/:id/retire': { summary: 'Retire a target group', params: { id: lexiconId }, answers: [ok('the target group')] },
  'GET /api/lexicon/versions': { summary: 'List published versions', answers: [ok('{items}')] },
  'GET /api/lexicon/versions/:version': { summary: 'A published version', params: { version: lexiconId }, answers: [ok('the version')] },
  'POST /api/lexicon/versions': { summary: 'Publish the working copy as a new version', body: PublishBody, answers: [created('{version, warnings}')] },
  'POST /api/lexicon/import': {
    summary: 'Import a lexicon file into the working copy (as drafts)',
    query: ImportQuery,
    text: 'the file (JSON, CSV, HurtLex or PeaceTech TSV as `format` says), at most 20 MB',
    answers: [created('{imported, updated, skipped, note}')],
  },
  'POST /api/lexicon/import/preview': {
    summary: 'What an import would change, written nowhere',
    query: PreviewQuery,
    text: 'the file, as for the import',
    answers: [ok('{format, sha256, applicable, counts, added, changed, unchanged, errors, skipped}')],
  },
  'GET /api/lexicon/export': { summary: 'Export the working copy or a version', query: ExportQuery, answers: [ok('the lexicon, as an attachment', ['application/json', 'text/csv'])] },

  'GET /api/audit': { summary: 'Read the audit trail', query: AuditQuery, answers: [ok('{items, next}')] },
  'GET /api/audit/verify': { summary: "Verify the audit trail's hash chain", answers: [ok('the verification result')] },
};
