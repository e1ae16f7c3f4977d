/**
 * The JSON the web interface reads from the API, as types for its JSDoc (`// @ts-check`,
 * tsconfig.web.json). Only the fields the screens use. Types only: nothing here runs, and it
 * imports nothing but the pure types of the analysis core, so type-checking the browser code
 * does not pull in the server (Node, mongoose). The server's GET /api/meta object is checked
 * against `Meta` (src/web/meta.ts `satisfies Meta`), so the two cannot part.
 */
import type { CategoryCode, EntryMatch, FlagSignals, LexiconEntryData, Severity, TargetGroupData, TargetMention } from '../analyze/types';

export type { CategoryCode, LexiconEntryData, Severity, TargetGroupData };
export type TargetKind = TargetGroupData['terms'][number]['kind'];
export type SignalName = keyof FlagSignals;

/** GET /api/meta: the server's vocabulary. Lists are in the server's order. */
export interface Meta {
  /** Bumped when a field is removed or changes meaning. */
  version: number;
  categories: ReadonlyArray<{ code: CategoryCode; name: string; covers: string }>;
  severities: ReadonlyArray<{ level: Severity; meaning: string }>;
  signals: ReadonlyArray<{ name: SignalName; meaning: string }>;
  flagStatuses: readonly string[];
  reviewDecisions: readonly string[];
  roles: readonly string[];
  documents: {
    kinds: readonly string[];
    statuses: readonly string[];
    /** The states a document stays in until someone acts (done, failed, cancelled). */
    finalStatuses: readonly string[];
    /** Types of original the server accepts (read from the bytes). */
    sourceTypes: readonly string[];
    /** Types of original whose pages have an image (GET /api/documents/:id/pages/:n/image). */
    pageImageTypes: readonly string[];
    textbookFields: readonly string[];
    statementFields: readonly string[];
  };
  dossierStatuses: readonly string[];
  lexicon: {
    entryStatuses: ReadonlyArray<LexiconEntryData['status']>;
    entryRoles: ReadonlyArray<LexiconEntryData['role']>;
    sourceTypes: ReadonlyArray<LexiconEntryData['source']['type']>;
    diacritics: ReadonlyArray<NonNullable<NonNullable<LexiconEntryData['match']>['diacritics']>>;
    negation: ReadonlyArray<NonNullable<NonNullable<LexiconEntryData['context']>['negation']>>;
    quotation: ReadonlyArray<NonNullable<NonNullable<LexiconEntryData['context']>['quotation']>>;
    targetKinds: readonly TargetKind[];
    importFormats: readonly string[];
  };
}

/** `{error: {code, message, details?}}`: details name the fields ({field, message}) for a 400. */
export interface ErrorBody {
  error?: { code: string; message: string; details?: unknown };
}

export interface User {
  id: string;
  username: string;
  roles: string[];
}

/** GET /api/auth/me */
export interface Me {
  user: User;
  via: 'session' | 'apikey';
  csrfToken: string | null;
}

export interface List<T> {
  items: T[];
  total: number;
  offset?: number;
  limit?: number;
}

export interface DocumentProgress {
  pagesDone: number;
  pagesTotal: number;
  stage: string;
  etaSeconds: number | null;
}

export interface DocumentView {
  id: string;
  kind: string;
  title: string;
  titleEnglish: string | null;
  languages: string[];
  textbook: Record<string, string | number> | null;
  statement: Record<string, string> | null;
  original: { sha256: string; bytes: number; mime: string; type: string; filename: string | null };
  status: string;
  failure: { stage: string; reason: string } | null;
  progress: DocumentProgress;
  /** Current pages that could not be read (each says why: PageView.failure). */
  pagesFailed: number;
  lexicon: { id: string; version: string } | null;
  createdAt: string;
}

/** The `progress` event of GET /api/documents/:id/events. */
export type DocumentEvent = Pick<DocumentView, 'id' | 'status' | 'progress' | 'failure'>;

/** POST /api/documents */
export interface UploadResult {
  document: DocumentView;
  duplicate?: boolean;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface WordBox extends Box {
  start: number;
  end: number;
}

export interface PageView {
  index: number;
  version: number;
  current: boolean;
  versions: Array<{ version: number; textSha256: string }>;
  label: string | null;
  text: string;
  textSha256: string;
  method: string | null;
  words: WordBox[];
  lang: string | null;
  /** `failed`: the page could not be read; `failure.reason` says why, in a sentence. */
  state: 'read' | 'failed';
  failure: { reason: string; at: string } | null;
}

export interface FlagView {
  id: string;
  document: string;
  page: number;
  pageVersion: number;
  pageNumber: number;
  pageLabel: string | null;
  start: number;
  end: number;
  exact: string;
  sentence: string;
  category: CategoryCode;
  severity: Severity;
  signals: FlagSignals;
  priority: number;
  lang: string | null;
  matches: EntryMatch[];
  targets: TargetMention[];
  box: Box | null;
  /** How the flagged page was read. */
  source: { method: string; engine?: string; confidence?: number | null } | null;
  status: string;
}

export interface ReviewView {
  round: number | 'adjudication';
  decision: string;
  modification: { category?: string; severity?: number; target?: string } | null;
  note: string | null;
}

/** GET /api/review/next */
export interface ReviewItem {
  flag: FlagView;
  stage: 'review' | 'adjudication';
  context: { text: string; offset: number; start: number; end: number } | null;
  document: { id: string; title: string; kind: string } | null;
  reviews: ReviewView[];
}
export type ReviewNext = ReviewItem | { flag: null; message: string };

/** GET /api/lexicon */
export interface LexiconOverview {
  active: { id: string; version: string; number: number; entries: number; languages: string[] };
}

export type TargetGroup = TargetGroupData & { retired: boolean };

export interface LexiconVersionSummary {
  version: string;
  number: number;
  entryCount: number;
  targetCount: number;
  note?: string;
  createdAt: string;
}

export interface LexiconVersion extends LexiconVersionSummary {
  data: { entries: LexiconEntryData[]; targets: TargetGroupData[] };
}

/** An id, or an id with the fields that differ. */
export type DiffItem = string | { id: string; fields: string[] };
export interface DiffSide {
  entries: DiffItem[];
  targets: DiffItem[];
}
export interface LineProblem {
  line: number;
  message: string;
}

/** POST /api/lexicon/import/preview */
export interface ImportPreview {
  applicable: boolean;
  counts: Record<'added' | 'changed' | 'unchanged' | 'errors' | 'skipped', number>;
  added: DiffSide;
  changed: DiffSide;
  unchanged: DiffSide;
  errors: LineProblem[];
  skipped: LineProblem[];
}

/** POST /api/lexicon/import */
export interface ImportResult {
  imported: { entries: number; targets: number };
  updated: { entries: string[]; targets: string[] };
}

export interface DossierView {
  id: string;
  title: string;
  status: string;
  progress: { itemsDone: number; itemsTotal: number };
  failure?: { reason: string };
  result?: { bytes: number; sha256: string };
  links: { download: string };
}

/** GET /api/stats/review (the parts the dashboard shows). */
export interface ReviewStats {
  generatedAt: string;
  flags: { total: number; byStatus: Record<string, number> };
  reviewers: Array<{ username: string; reviews: number; confirm: number; reject: number; modify: number; escalate: number }>;
  agreement: {
    alpha: { units: number; value: number | null };
    pairs: Array<{ reviewers: [string, string]; items: number; kappa: number | null }>;
    byCategory: Array<{ category: string; items: number; kappa: number | null }>;
  };
  flagsPerPage: { mean: number | null };
}

/** GET /api/users: a person as an admin manages them. */
export interface Account extends User {
  displayName: string;
  disabled: boolean;
  createdAt: string;
}

/** An API key as listed (never its secret); `user` only in the admin's list of every key (GET /api/keys). */
export interface ApiKeyView {
  id: string;
  name: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  user?: { id: string; username: string | null };
}

/** POST /api/auth/keys: the key itself, shown once. */
export interface NewApiKey {
  key: string;
  apiKey: ApiKeyView;
  note: string;
}

/** GET /api/flags/:id/translations: a translation of a flag's passage and its check by a second person. */
export interface TranslationView {
  id: string;
  text: string;
  language: string;
  translator: string;
  createdBy: string;
  check: { by: string; verdict: 'approved' | 'needs_changes'; note: string | null; at: string } | null;
  createdAt: string;
}

/** GET /api/audit: one event of the hash-chained audit log. */
export interface AuditEventView {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  entity: { type: string; id: string };
  change: unknown;
  reason: string | null;
  hash: string;
}

/** GET /api/audit/verify */
export interface AuditVerification {
  ok: boolean;
  events: number;
  head: { seq: number; hash: string } | null;
  broken?: { seq: number; problem: string };
}

/** GET /api/speakers */
export interface SpeakerView {
  id: string;
  name: string;
  transliterations: string[];
  aliases: string[];
  positions: Array<{ title: string; institution: string | null; from: string | null; to: string | null }>;
  createdAt: string;
}
