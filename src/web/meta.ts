/**
 * The server's vocabulary, as GET /api/meta serves it: category codes with their names,
 * severities, review states and decisions, signals, document kinds and states, lexicon field
 * values. Every list is the constant or schema the server itself validates with, so the web
 * interface reads them instead of keeping copies that could drift. Read-only, the same for
 * every user; it changes only with the server's code. `Meta` (./api-types) is its shape as the
 * web interface is typed against it.
 */
import { CATEGORY_CODES } from '../analyze/types';
import { CATEGORY_INFO, SEVERITIES, SEVERITY_INFO, SIGNAL_INFO } from '../analyze/taxonomy';
import { PAGE_IMAGE_TYPES } from '../extract/page-image';
import { STATEMENT_FIELDS, TEXTBOOK_FIELDS } from '../ingest/metadata';
import { IMPORT_FORMATS } from '../lexicon/formats';
import { entrySchema, targetGroupSchema } from '../lexicon/schema';
import { DOCUMENT_KINDS, DOCUMENT_STATUSES, SOURCE_TYPES, type DocumentStatus } from '../store/documents';
import { FLAG_STATUSES } from '../store/flags';
import { DOSSIER_STATUSES } from '../store/jobs';
import { ROLES } from '../store/people';
import { DECISIONS } from '../store/reviews';
import type { Meta } from './api-types';

const entry = entrySchema.shape;
const match = entry.match.unwrap().shape;
const context = entry.context.unwrap().shape;

const FINAL_DOCUMENT_STATUSES = ['done', 'failed', 'cancelled'] as const satisfies readonly DocumentStatus[];

/** Bumped when a field is removed or changes meaning (adding a field or a value is compatible). */
export const META_VERSION = 1;

export const META = {
  version: META_VERSION,
  categories: CATEGORY_CODES.map((code) => ({ code, ...CATEGORY_INFO[code] })),
  severities: SEVERITIES.map((level) => ({ level, meaning: SEVERITY_INFO[level] })),
  signals: (Object.keys(SIGNAL_INFO) as Array<keyof typeof SIGNAL_INFO>).map((name) => ({ name, meaning: SIGNAL_INFO[name] })),
  flagStatuses: FLAG_STATUSES,
  reviewDecisions: DECISIONS,
  roles: ROLES,
  documents: {
    kinds: DOCUMENT_KINDS,
    statuses: DOCUMENT_STATUSES,
    /** The states a document stays in until someone acts (its event stream ends on them). */
    finalStatuses: FINAL_DOCUMENT_STATUSES,
    sourceTypes: SOURCE_TYPES,
    /** Originals whose pages GET /api/documents/:id/pages/:n/image shows. */
    pageImageTypes: PAGE_IMAGE_TYPES,
    textbookFields: TEXTBOOK_FIELDS,
    statementFields: STATEMENT_FIELDS,
  },
  dossierStatuses: DOSSIER_STATUSES,
  lexicon: {
    entryStatuses: entry.status.options,
    entryRoles: entry.role.options,
    sourceTypes: entry.source.shape.type.options,
    diacritics: match.diacritics.unwrap().options,
    negation: context.negation.unwrap().options,
    quotation: context.quotation.unwrap().options,
    targetKinds: targetGroupSchema.shape.terms.element.shape.kind.options,
    importFormats: IMPORT_FORMATS,
  },
} as const satisfies Meta;
