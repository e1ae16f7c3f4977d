/**
 * The dossier's only view of the store: a narrow interface so the builder does not depend on
 * how flags, reviews (issue 5) and audit events are persisted. Implemented over the mongoose
 * models; reviews and audit events come from their collections when present (empty otherwise).
 */
import { Types, type FilterQuery } from 'mongoose';
import type { OriginalStore } from '../../ingest/storage';
import type { AuditEventRecord, DocumentRecord, DossierFilters, FlagRecord, Models, ReviewRecord, SpeakerRecord } from '../../store/models';

export interface EvidenceItem {
  flag: FlagRecord & { box?: { x0: number; y0: number; x1: number; y1: number } };
  document: DocumentRecord;
}

export interface EvidenceSource {
  /** Flags matching the filters with their documents, in document/page/offset order. */
  items(filters: DossierFilters): Promise<EvidenceItem[]>;
  /** Every review round of these flags, oldest first. */
  reviews(flagIds: string[]): Promise<Map<string, ReviewRecord[]>>;
  /** Audit events whose entity is one of these ids (flags, documents), by seq. */
  auditEvents(entityIds: string[]): Promise<AuditEventRecord[]>;
  /** Registered speakers whose name, transliteration or alias is one of these names. */
  speakers(names: string[]): Promise<SpeakerRecord[]>;
  /** Absolute path of a document's stored original. */
  originalPath(document: DocumentRecord): string;
}

/** Every name a speaker is known by: original script, transliterations, aliases. */
export function namesOf(speaker: Pick<SpeakerRecord, 'name' | 'transliterations' | 'aliases'>): string[] {
  return [speaker.name, ...(speaker.transliterations ?? []), ...(speaker.aliases ?? [])];
}

/** The date a document speaks for: a statement's date, else a textbook's year. */
export function documentDate(doc: DocumentRecord): string | null {
  if (doc.statement?.date) return doc.statement.date;
  if (doc.textbook?.year) return String(doc.textbook.year);
  return null;
}

export class ModelEvidenceSource implements EvidenceSource {
  constructor(
    private readonly models: Models,
    private readonly originals: OriginalStore,
  ) {}

  async items(filters: DossierFilters): Promise<EvidenceItem[]> {
    const docQuery: FilterQuery<DocumentRecord> = { status: 'done' };
    if (filters.documents?.length) docQuery._id = { $in: filters.documents.map((id) => new Types.ObjectId(id)) };
    // A speaker filter matches every name the registry knows the speaker by.
    const speakerNames = filters.speakers?.length
      ? [...new Set([...filters.speakers, ...(await this.speakers(filters.speakers)).flatMap(namesOf)])]
      : undefined;
    const docs = (await this.models.Document.find(docQuery).lean<DocumentRecord[]>()).filter((doc) => matchesDocument(doc, { ...filters, speakers: speakerNames }));
    if (docs.length === 0) return [];
    const flagQuery: FilterQuery<FlagRecord> = { document: { $in: docs.map((d) => d._id) }, status: { $in: filters.states } };
    if (filters.categories?.length) flagQuery.category = { $in: filters.categories };
    if (filters.severityMin !== undefined || filters.severityMax !== undefined) {
      flagQuery.severity = { $gte: filters.severityMin ?? 1, $lte: filters.severityMax ?? 4 };
    }
    const flags = await this.models.Flag.find(flagQuery).sort({ document: 1, page: 1, start: 1, _id: 1 }).lean<EvidenceItem['flag'][]>();
    const byId = new Map(docs.map((d) => [String(d._id), d]));
    return flags.map((flag) => ({ flag, document: byId.get(String(flag.document))! }));
  }

  async reviews(flagIds: string[]): Promise<Map<string, ReviewRecord[]>> {
    const out = new Map<string, ReviewRecord[]>();
    if (flagIds.length === 0) return out;
    const rows = await this.models.Review.find({ flag: { $in: flagIds.map((id) => new Types.ObjectId(id)) } })
      .sort({ createdAt: 1, _id: 1 })
      .lean<ReviewRecord[]>();
    for (const row of rows) {
      const key = String(row.flag);
      out.set(key, [...(out.get(key) ?? []), row]);
    }
    return out;
  }

  async auditEvents(entityIds: string[]): Promise<AuditEventRecord[]> {
    if (entityIds.length === 0) return [];
    return this.models.AuditEvent.find({ 'entity.id': { $in: entityIds } }).sort({ seq: 1 }).lean<AuditEventRecord[]>();
  }

  async speakers(names: string[]): Promise<SpeakerRecord[]> {
    if (names.length === 0) return [];
    return this.models.Speaker.find({ $or: [{ name: { $in: names } }, { transliterations: { $in: names } }, { aliases: { $in: names } }] })
      .sort({ name: 1 })
      .lean<SpeakerRecord[]>();
  }

  originalPath(document: DocumentRecord): string {
    return this.originals.resolve(document.original.storedPath);
  }
}

function matchesDocument(doc: DocumentRecord, f: DossierFilters): boolean {
  if (f.series?.length) {
    if (doc.kind !== 'textbook') return false;
    if (!f.series.some((s) => s === doc.title || s === doc.titleEnglish)) return false;
  }
  if (f.speakers?.length && !(doc.statement?.speaker && f.speakers.includes(doc.statement.speaker))) return false;
  if (f.from || f.to) {
    const date = documentDate(doc);
    if (!date) return false;
    // ISO dates and years compare as strings once cut to the same precision.
    if (f.from && date < f.from.slice(0, date.length)) return false;
    if (f.to && date > f.to.slice(0, date.length)) return false;
  }
  return true;
}
