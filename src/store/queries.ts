/** Read side: filtered, paginated lists with a stable order, and single records. */
import { Types, type FilterQuery } from 'mongoose';
import type { DocumentKind, DocumentRecord, DocumentStatus, FlagRecord, FlagStatus, Models, PageRecord } from './models';

export interface Pagination {
  offset: number;
  limit: number;
}

export interface PageOf<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export interface DocumentFilter {
  kind?: DocumentKind;
  status?: DocumentStatus;
}

export interface FlagFilter {
  document?: string;
  category?: string;
  status?: FlagStatus;
}

export async function listDocuments(models: Models, filter: DocumentFilter, page: Pagination): Promise<PageOf<DocumentRecord>> {
  const query: FilterQuery<DocumentRecord> = {};
  if (filter.kind) query.kind = filter.kind;
  if (filter.status) query.status = filter.status;
  const [items, total] = await Promise.all([
    models.Document.find(query).sort({ createdAt: -1, _id: -1 }).skip(page.offset).limit(page.limit).lean<DocumentRecord[]>(),
    models.Document.countDocuments(query),
  ]);
  return { items, total, ...page };
}

export function getDocument(models: Models, id: string): Promise<DocumentRecord | null> {
  return models.Document.findById(new Types.ObjectId(id)).lean<DocumentRecord>();
}

/** One page: the given version, else the current one (the newest version of the index). */
export function getPage(models: Models, documentId: string, index: number, version?: number): Promise<PageRecord | null> {
  const document = new Types.ObjectId(documentId);
  if (version !== undefined) return models.Page.findOne({ document, index, version }).lean<PageRecord>();
  return models.Page.findOne({ document, index }).sort({ version: -1 }).lean<PageRecord>();
}

export type PageVersionSummary = Pick<PageRecord, 'version' | 'textSha256' | 'method' | 'ocr' | 'createdAt' | 'state'>;

/** Every stored version of a page, oldest first (text not included). */
export function listPageVersions(models: Models, documentId: string, index: number): Promise<PageVersionSummary[]> {
  return models.Page.find({ document: new Types.ObjectId(documentId), index }, { version: 1, textSha256: 1, method: 1, ocr: 1, createdAt: 1, state: 1 })
    .sort({ version: 1 })
    .lean<PageVersionSummary[]>();
}

/** The text a flag's offsets index into: its own page version (older flags: version 1). */
export function pageOfFlag(models: Models, flag: Pick<FlagRecord, 'document' | 'page' | 'pageVersion'>): Promise<PageRecord | null> {
  return models.Page.findOne({ document: flag.document, index: flag.page, version: flag.pageVersion ?? 1 }).lean<PageRecord>();
}

function flagQuery(filter: FlagFilter): FilterQuery<FlagRecord> {
  const query: FilterQuery<FlagRecord> = {};
  if (filter.document) query.document = new Types.ObjectId(filter.document);
  if (filter.category) query.category = filter.category;
  if (filter.status) query.status = filter.status;
  return query;
}

const FLAG_ORDER = { document: 1, page: 1, start: 1, _id: 1 } as const;

export async function listFlags(models: Models, filter: FlagFilter, page: Pagination): Promise<PageOf<FlagRecord>> {
  const query = flagQuery(filter);
  const [items, total] = await Promise.all([
    models.Flag.find(query).sort(FLAG_ORDER).skip(page.offset).limit(page.limit).lean<FlagRecord[]>(),
    models.Flag.countDocuments(query),
  ]);
  return { items, total, ...page };
}

/** Every matching flag in the stable order, streamed (exports are not paginated). */
export function streamFlags(models: Models, filter: FlagFilter): AsyncIterable<FlagRecord> {
  return models.Flag.find(flagQuery(filter)).sort(FLAG_ORDER).lean<FlagRecord[]>().cursor() as unknown as AsyncIterable<FlagRecord>;
}

/** Documents by id, for citations; fetched in one query per batch. */
export async function documentsById(models: Models, ids: Types.ObjectId[]): Promise<Map<string, DocumentRecord>> {
  const docs = await models.Document.find({ _id: { $in: ids } }).lean<DocumentRecord[]>();
  return new Map(docs.map((d) => [String(d._id), d]));
}
