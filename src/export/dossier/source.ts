/**
 * The dossier's only view of the store: a narrow interface so the builder does not depend on
 * how flags, reviews, translations and audit events are persisted. Implemented over the
 * mongoose models; reviews and translations are turned into the dossier's own view types
 * (people named by username, not by database id).
 */
import { Types, type FilterQuery } from 'mongoose';
import type { OriginalStore } from '../../ingest/storage';
import { FINAL_STATUSES as DOSSIER_STATES } from '../../review/states';
import type { DocumentRecord, FlagRecord, Models, SpeakerRecord } from '../../store/models';
import type { DossierFilters } from '../../store/job-models';
import type { AuditEventRecord, Decision, ReviewRecord, Stance, TranslationRecord, UserRecord } from '../../store/people-models';
import type { LexiconData } from '../../analyze/types';
import type { LexiconVersionRecord } from '../../store/lexicon-models';

/** One review of the flag's current version, as the dossier shows it. */
export interface DossierReview {
  /** The reviewer's username (or "display name (username)" when they differ). */
  reviewer: string;
  /** Their user id: only for naming them as the dossier's reviewer protection says (not exported). */
  reviewerId?: string;
  /** 1, 2… independent rounds; 0 = adjudication of a dispute. */
  round: number;
  decision: Decision;
  modification: { category: string | null; severity: number | null; target: string | null } | null;
  /** The reviewer's reading of the passage's stance; null when they recorded none. */
  stance: Stance | null;
  note: string | null;
  at: string;
}

/** A translation of a flag's quote; `checkedBy` only when a second person approved it. */
export interface DossierTranslation {
  text: string;
  language: string;
  translator: string;
  checkedBy: string | null;
  /** The checker's user id (not exported; see reviewerId). */
  checkedById?: string | null;
  checkedAt: string | null;
}

export interface EvidenceItem {
  flag: FlagRecord & { box?: { x0: number; y0: number; x1: number; y1: number } };
  document: DocumentRecord;
}

export interface EvidenceSource {
  /** Flags matching the filters with their documents, in document/page/offset order. */
  items(filters: DossierFilters): Promise<EvidenceItem[]>;
  /** The reviews of each flag's current version, oldest first. */
  reviews(flags: Array<Pick<FlagRecord, '_id' | 'version'>>): Promise<Map<string, DossierReview[]>>;
  /** Each flag's translation: the newest approved one, else the newest one not yet checked; never one sent back. */
  translations(flagIds: string[]): Promise<Map<string, DossierTranslation>>;
  /** Audit events whose entity is one of these ids (flags, documents), by seq. */
  auditEvents(entityIds: string[]): Promise<AuditEventRecord[]>;
  /** Registered speakers whose name, transliteration or alias is one of these names. */
  speakers(names: string[]): Promise<SpeakerRecord[]>;
  /** The published lexicon versions (by version label, as flags record it) with their data. */
  lexicons(versions: string[]): Promise<Map<string, LexiconData>>;
  /** Absolute path of a document's stored original. */
  originalPath(document: DocumentRecord): string;
  /** Absolute path of another stored file of a document (a capture's WARC), from its stored path. */
  storedFilePath(storedPath: string): string;
}

/** "username", or "Display Name (username)" when the display name says more. */
export function personName(user: Pick<UserRecord, 'username' | 'displayName'>): string {
  return user.displayName && user.displayName !== user.username ? `${user.displayName} (${user.username})` : user.username;
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
    // A withdrawn document is no evidence (a request naming one is refused before it gets here;
    // one withdrawn while the job waited is left out).
    const docQuery: FilterQuery<DocumentRecord> = { status: 'done', withdrawal: { $exists: false } };
    if (filters.documents?.length) docQuery._id = { $in: filters.documents.map((id) => new Types.ObjectId(id)) };
    // A speaker filter matches every name the registry knows the speaker by.
    const speakerNames = filters.speakers?.length
      ? [...new Set([...filters.speakers, ...(await this.speakers(filters.speakers)).flatMap(namesOf)])]
      : undefined;
    const docs = (await this.models.Document.find(docQuery).lean<DocumentRecord[]>()).filter((doc) => matchesDocument(doc, { ...filters, speakers: speakerNames }));
    if (docs.length === 0) return [];
    // Decided flags only, whatever a stored job asks for (jobs queued before this rule, too).
    const states = filters.states.filter((s) => (DOSSIER_STATES as readonly string[]).includes(s));
    const flagQuery: FilterQuery<FlagRecord> = { document: { $in: docs.map((d) => d._id) }, status: { $in: states } };
    if (filters.categories?.length) flagQuery.category = { $in: filters.categories };
    if (filters.severityMin !== undefined || filters.severityMax !== undefined) {
      flagQuery.severity = { $gte: filters.severityMin ?? 1, $lte: filters.severityMax ?? 4 };
    }
    const flags = await this.models.Flag.find(flagQuery).sort({ document: 1, page: 1, start: 1, _id: 1 }).lean<EvidenceItem['flag'][]>();
    const byId = new Map(docs.map((d) => [String(d._id), d]));
    return flags.map((flag) => ({ flag, document: byId.get(String(flag.document))! }));
  }

  async reviews(flags: Array<Pick<FlagRecord, '_id' | 'version'>>): Promise<Map<string, DossierReview[]>> {
    const out = new Map<string, DossierReview[]>();
    if (flags.length === 0) return out;
    const current = new Map(flags.map((f) => [String(f._id), f.version ?? 1]));
    const rows = (
      await this.models.Review.find({ flag: { $in: flags.map((f) => new Types.ObjectId(String(f._id))) } })
        .sort({ createdAt: 1, _id: 1 })
        .lean<ReviewRecord[]>()
    ).filter((r) => r.flagVersion === current.get(String(r.flag)));
    const names = await this.people(rows.map((r) => r.reviewer));
    for (const row of rows) {
      const key = String(row.flag);
      const mod = row.modification;
      out.set(key, [
        ...(out.get(key) ?? []),
        {
          reviewer: names.get(String(row.reviewer)) ?? String(row.reviewer),
          reviewerId: String(row.reviewer),
          round: row.round,
          decision: row.decision,
          modification: mod ? { category: mod.category ?? null, severity: mod.severity ?? null, target: mod.target ?? null } : null,
          stance: row.stance ?? null,
          note: row.note ?? null,
          at: new Date(row.createdAt).toISOString(),
        },
      ]);
    }
    return out;
  }

  async translations(flagIds: string[]): Promise<Map<string, DossierTranslation>> {
    const out = new Map<string, DossierTranslation>();
    if (flagIds.length === 0) return out;
    const rows = await this.models.Translation.find({ flag: { $in: flagIds.map((id) => new Types.ObjectId(id)) } })
      .sort({ createdAt: 1, _id: 1 })
      .lean<TranslationRecord[]>();
    const approved = (t: TranslationRecord) => t.check?.verdict === 'approved';
    const chosen = new Map<string, TranslationRecord>();
    for (const row of rows) {
      // One the checker sent back (needs changes) is never printed: a wrong rendering is worse than none.
      if (row.check && !approved(row)) continue;
      const key = String(row.flag);
      const held = chosen.get(key);
      // The newest approved one; else the newest not yet checked (printed as not approved).
      if (!held || approved(row) || !approved(held)) chosen.set(key, row);
    }
    const names = await this.people([...chosen.values()].flatMap((t) => (t.check ? [t.check.by] : [])));
    for (const [key, t] of chosen) {
      const ok = approved(t) && t.check;
      out.set(key, {
        text: t.text,
        language: t.language,
        translator: t.translator,
        checkedBy: ok ? (names.get(String(ok.by)) ?? String(ok.by)) : null,
        checkedById: ok ? String(ok.by) : null,
        checkedAt: ok ? new Date(ok.at).toISOString() : null,
      });
    }
    return out;
  }

  /** Users by id → how the dossier names them. */
  private async people(ids: Types.ObjectId[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids.map(String))];
    if (unique.length === 0) return new Map();
    const users = await this.models.User.find({ _id: { $in: unique.map((id) => new Types.ObjectId(id)) } }, { username: 1, displayName: 1 }).lean<UserRecord[]>();
    return new Map(users.map((u) => [String(u._id), personName(u)]));
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

  async lexicons(versions: string[]): Promise<Map<string, LexiconData>> {
    if (versions.length === 0) return new Map();
    const rows = await this.models.LexiconVersion.find({ _id: { $in: [...new Set(versions)] } }).lean<LexiconVersionRecord[]>();
    return new Map(rows.map((r) => [r._id, r.data]));
  }

  originalPath(document: DocumentRecord): string {
    return this.originals.resolve(document.original.storedPath);
  }

  storedFilePath(storedPath: string): string {
    return this.originals.resolve(storedPath);
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
