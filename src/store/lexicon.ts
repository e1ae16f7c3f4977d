/**
 * The lexicon repository: the working copy (entries, target groups, word classes and frames) and
 * the published versions. Inserts that may race (seeding by two instances at once) ignore
 * duplicate ids; a version number is claimed by its unique index (insertVersion throws E11000 on
 * a lost race, which the service retries).
 */
import type { LexiconEntryData, TargetGroupData } from '../analyze/types';
import { insertIgnoringDuplicates } from './duplicates';
import type { LexiconEntryRecord, LexiconGrammarRecord, LexiconTargetRecord, LexiconVersionRecord } from './lexicon-models';
import type { Models } from './models';
import type { Pagination } from './pagination';

export type { LexiconEntryRecord, LexiconGrammarRecord, LexiconTargetRecord, LexiconVersionRecord } from './lexicon-models';

export type VersionSummary = Omit<LexiconVersionRecord, 'data'>;
export type NewGrammarRecord = Pick<LexiconGrammarRecord, '_id' | 'kind' | 'lang' | 'data'>;
export interface EntryQuery {
  lang?: string;
  status?: LexiconEntryData['status'];
  category?: string;
}

type LexiconModels = Pick<Models, 'LexiconEntry' | 'LexiconTarget' | 'LexiconVersion' | 'LexiconGrammar'>;

export class LexiconRepository {
  constructor(private readonly models: LexiconModels) {}

  // --- published versions ---------------------------------------------------------------------

  async hasVersions(): Promise<boolean> {
    return (await this.models.LexiconVersion.exists({})) !== null;
  }

  /** Throws a duplicate-key error when `record.number` (or its id) is taken. */
  async insertVersion(record: LexiconVersionRecord): Promise<void> {
    await this.models.LexiconVersion.create(record);
  }

  /** The newest version, whole (with `header` only: its number, id and names, without the data). */
  latestVersion(): Promise<LexiconVersionRecord | null>;
  latestVersion(header: 'header'): Promise<VersionSummary | null>;
  latestVersion(header?: 'header'): Promise<LexiconVersionRecord | VersionSummary | null> {
    return this.models.LexiconVersion.findOne({}, header ? { data: 0 } : {}).sort({ number: -1 }).lean<LexiconVersionRecord>();
  }

  versionNumbered(number: number): Promise<LexiconVersionRecord | null> {
    return this.models.LexiconVersion.findOne({ number }).lean<LexiconVersionRecord>();
  }

  findVersion(id: string): Promise<LexiconVersionRecord | null> {
    return this.models.LexiconVersion.findById(id).lean<LexiconVersionRecord>();
  }

  /** Newest first, without their data. */
  listVersions(): Promise<VersionSummary[]> {
    return this.models.LexiconVersion.find({}, { data: 0 }).sort({ number: -1 }).lean<VersionSummary[]>();
  }

  // --- working copy: entries -------------------------------------------------------------------

  /** Every entry of the working copy, in id order. */
  async allEntries(): Promise<LexiconEntryData[]> {
    return (await this.models.LexiconEntry.find({}).sort({ _id: 1 }).lean<LexiconEntryRecord[]>()).map((r) => r.entry);
  }

  async listEntries(query: EntryQuery, page: Pagination): Promise<{ total: number; items: LexiconEntryData[] }> {
    const filter: Record<string, string> = {};
    if (query.lang) filter.lang = query.lang;
    if (query.status) filter.status = query.status;
    if (query.category) filter.category = query.category;
    const [total, records] = await Promise.all([
      this.models.LexiconEntry.countDocuments(filter),
      this.models.LexiconEntry.find(filter).sort({ _id: 1 }).skip(page.offset).limit(page.limit).lean<LexiconEntryRecord[]>(),
    ]);
    return { total, items: records.map((r) => r.entry) };
  }

  async findEntry(id: string): Promise<LexiconEntryData | null> {
    return (await this.models.LexiconEntry.findById(id).lean<LexiconEntryRecord>())?.entry ?? null;
  }

  /** The stored entries among `ids`, by id. */
  async entriesById(ids: string[]): Promise<Map<string, LexiconEntryData>> {
    return new Map((await this.models.LexiconEntry.find({ _id: { $in: ids } }).lean<LexiconEntryRecord[]>()).map((r) => [r._id, r.entry]));
  }

  /** Throws a duplicate-key error when the id is taken. */
  async insertEntry(entry: LexiconEntryData): Promise<void> {
    await this.models.LexiconEntry.create(entryRecord(entry));
  }

  /** Inserts the entries, skipping ids another writer stored first. */
  async insertEntries(entries: LexiconEntryData[]): Promise<void> {
    if (entries.length > 0) await insertIgnoringDuplicates(() => this.models.LexiconEntry.insertMany(entries.map(entryRecord), { ordered: false }));
  }

  /** Writes `next` if the stored entry is still at `version`; false when it moved on. */
  async replaceEntryAt(version: number, next: LexiconEntryData): Promise<boolean> {
    const result = await this.models.LexiconEntry.updateOne(
      { _id: next.id, 'entry.version': version },
      { $set: { entry: next, lang: next.lang, status: next.status, category: next.category } },
    );
    return result.matchedCount > 0;
  }

  // --- working copy: target groups -------------------------------------------------------------

  async listTargets(includeRetired: boolean): Promise<Array<TargetGroupData & { retired: boolean }>> {
    const records = await this.models.LexiconTarget.find(includeRetired ? {} : { retired: false }).sort({ _id: 1 }).lean<LexiconTargetRecord[]>();
    return records.map((r) => ({ ...r.group, retired: r.retired }));
  }

  async findTarget(id: string): Promise<(TargetGroupData & { retired: boolean }) | null> {
    const record = await this.models.LexiconTarget.findById(id).lean<LexiconTargetRecord>();
    return record ? { ...record.group, retired: record.retired } : null;
  }

  /** The stored groups among `ids`, by id. */
  async targetsById(ids: string[]): Promise<Map<string, TargetGroupData>> {
    return new Map((await this.models.LexiconTarget.find({ _id: { $in: ids } }).lean<LexiconTargetRecord[]>()).map((r) => [r._id, r.group]));
  }

  /** Throws a duplicate-key error when the id is taken. */
  async insertTarget(group: TargetGroupData): Promise<void> {
    await this.models.LexiconTarget.create({ _id: group.id, retired: false, group });
  }

  /** Inserts the groups, skipping ids another writer stored first. */
  async insertTargets(groups: TargetGroupData[]): Promise<void> {
    if (groups.length > 0) await insertIgnoringDuplicates(() => this.models.LexiconTarget.insertMany(groups.map((group) => ({ _id: group.id, retired: false, group })), { ordered: false }));
  }

  async setTarget(group: TargetGroupData): Promise<void> {
    await this.models.LexiconTarget.updateOne({ _id: group.id }, { $set: { group } });
  }

  async retireTarget(id: string): Promise<void> {
    await this.models.LexiconTarget.updateOne({ _id: id }, { $set: { retired: true } });
  }

  // --- working copy: word classes and frames ---------------------------------------------------

  async hasGrammar(): Promise<boolean> {
    return (await this.models.LexiconGrammar.exists({})) !== null;
  }

  /** Classes and frames (of one kind and language, when given), in id order. */
  grammar(query: { kind?: 'class' | 'frame'; lang?: string } = {}): Promise<LexiconGrammarRecord[]> {
    const filter: Record<string, string> = {};
    if (query.kind) filter.kind = query.kind;
    if (query.lang) filter.lang = query.lang;
    return this.models.LexiconGrammar.find(filter).sort({ _id: 1 }).lean<LexiconGrammarRecord[]>();
  }

  /** The stored classes and frames among `ids`, by id. */
  async grammarById(ids: string[]): Promise<Map<string, LexiconGrammarRecord['data']>> {
    if (ids.length === 0) return new Map();
    return new Map((await this.models.LexiconGrammar.find({ _id: { $in: ids } }).lean<LexiconGrammarRecord[]>()).map((r) => [r._id, r.data]));
  }

  /** Inserts the records, skipping ids another writer stored first. */
  async insertGrammar(records: NewGrammarRecord[]): Promise<void> {
    if (records.length > 0) await insertIgnoringDuplicates(() => this.models.LexiconGrammar.insertMany(records, { ordered: false }));
  }

  async setGrammar(record: NewGrammarRecord): Promise<void> {
    await this.models.LexiconGrammar.updateOne({ _id: record._id }, { $set: { data: record.data, lang: record.lang } });
  }
}

function entryRecord(entry: LexiconEntryData): Omit<LexiconEntryRecord, 'createdAt' | 'updatedAt'> {
  return { _id: entry.id, lang: entry.lang, status: entry.status, category: entry.category, entry };
}
