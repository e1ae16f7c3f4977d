/**
 * The lexicon as versioned data in the database: a working copy of entries and target groups
 * that curators edit, and immutable published versions. The newest version is the active one:
 * the pipeline compiles it, and every flag records its version and entry ids.
 *
 * No transactions (FerretDB v1): a version number is claimed by inserting the version record
 * under a unique index, so two concurrent publishes cannot get the same number; the loser
 * retries with the next number.
 */
import { z } from 'zod';
import { compileLexicon, type CompiledLexicon } from '../analyze';
import { canonicalJson } from '../audit/canonical';
import type { LexiconData, LexiconEntryData, TargetGroupData } from '../analyze/types';
import { Conflict, Invalid, NotFound } from '../errors';
import { insertIgnoringDuplicates, isDuplicateKeyError } from '../store/connection';
import type { LexiconEntryRecord, LexiconTargetRecord, LexiconVersionRecord } from '../store/lexicon-models';
import type { Models } from '../store/models';
import { entrySchema, targetGroupSchema } from './schema';

export interface ActiveLexiconVersion {
  id: string;
  version: string;
  number: number;
  compiled: CompiledLexicon;
}

export interface EntryFilter {
  lang?: string;
  status?: LexiconEntryData['status'];
  category?: string;
}

/** A new entry as a client sends it: the server owns `version`; status defaults to draft. */
export const newEntrySchema = entrySchema.omit({ version: true }).extend({
  status: z.enum(['draft', 'reviewed', 'retired']).default('draft'),
});
/** A partial update; the id cannot change (flags refer to it). */
export const entryPatchSchema = entrySchema.omit({ id: true, version: true }).partial().strict();
export const targetPatchSchema = targetGroupSchema.omit({ id: true }).partial().strict();

const PUBLISH_ATTEMPTS = 5;

export class LexiconService {
  private cache: ActiveLexiconVersion | null = null;
  /** The last non-active version compiled (a queued re-analysis may name one). */
  private older: ActiveLexiconVersion | null = null;

  constructor(private readonly models: Models) {}

  /**
   * First start on an empty database: the working copy and version 1 come from `seed` (the
   * lexicon files). Afterwards the database is the source of truth and `seed` is ignored.
   */
  async ensureSeeded(seed: LexiconData): Promise<void> {
    if (await this.models.LexiconVersion.exists({})) return;
    await this.insertMissing(seed.entries, seed.targets);
    try {
      await this.models.LexiconVersion.create(await this.snapshotRecord(1, seed, 'seeded from the lexicon files'));
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error; // another instance seeded at the same time
    }
  }

  /** Writes entries and groups whose ids the working copy does not have yet. */
  private async insertMissing(entries: LexiconEntryData[], targets: TargetGroupData[]): Promise<{ entries: number; targets: number }> {
    const { LexiconEntry, LexiconTarget } = this.models;
    const haveEntries = new Set((await LexiconEntry.find({}, { _id: 1 }).lean()).map((e) => e._id));
    const haveTargets = new Set((await LexiconTarget.find({}, { _id: 1 }).lean()).map((t) => t._id));
    const newEntries = entries.filter((e) => !haveEntries.has(e.id));
    const newTargets = targets.filter((t) => !haveTargets.has(t.id));
    if (newEntries.length > 0) await insertIgnoringDuplicates(() => LexiconEntry.insertMany(newEntries.map(entryRecord), { ordered: false }));
    if (newTargets.length > 0) await insertIgnoringDuplicates(() => LexiconTarget.insertMany(newTargets.map((group) => ({ _id: group.id, retired: false, group })), { ordered: false }));
    return { entries: newEntries.length, targets: newTargets.length };
  }

  // --- published versions ------------------------------------------------------------------

  /** The active (newest) version, compiled. Cached until a newer version appears. */
  async active(): Promise<ActiveLexiconVersion> {
    const latest = await this.models.LexiconVersion.findOne({}, { _id: 1, number: 1 }).sort({ number: -1 }).lean();
    if (!latest) throw new Conflict('no_lexicon_published', 'no lexicon version has been published');
    if (this.cache?.number === latest.number) return this.cache;
    const record = await this.models.LexiconVersion.findOne({ number: latest.number }).lean<LexiconVersionRecord>();
    if (!record) throw new Conflict('changed_concurrently', 'the active lexicon version vanished');
    this.cache = { id: record.lexiconId, version: record._id, number: record.number, compiled: compileLexicon(record.data) };
    return this.cache;
  }

  /** Published version `version`, compiled (the active one from its cache, others compiled on demand). */
  async compiledVersion(version: string): Promise<ActiveLexiconVersion> {
    const active = await this.active();
    if (active.version === version) return active;
    if (this.older?.version === version) return this.older;
    const record = await this.getVersion(version);
    this.older = { id: record.lexiconId, version: record._id, number: record.number, compiled: compileLexicon(record.data) };
    return this.older;
  }

  async listVersions(): Promise<Array<Omit<LexiconVersionRecord, 'data'>>> {
    return this.models.LexiconVersion.find({}, { data: 0 }).sort({ number: -1 }).lean();
  }

  async getVersion(version: string): Promise<LexiconVersionRecord> {
    const record = await this.models.LexiconVersion.findById(version).lean<LexiconVersionRecord>();
    if (!record) throw new NotFound(`lexicon version "${version}"`);
    return record;
  }

  /**
   * Publishes the working copy as a new immutable version. Refuses a working copy that does
   * not compile to a single entry, and reports compile warnings (terms that were skipped).
   */
  async publish(note?: string): Promise<{ version: Omit<LexiconVersionRecord, 'data'>; warnings: string[] }> {
    const { LexiconVersion } = this.models;
    for (let attempt = 0; attempt < PUBLISH_ATTEMPTS; attempt++) {
      const latest = await LexiconVersion.findOne({}).sort({ number: -1 }).lean<LexiconVersionRecord>();
      const base = latest ? { id: latest.lexiconId, name: latest.name, description: latest.description } : { id: 'lexwatch', name: 'Lexwatch lexicon' };
      const number = (latest?.number ?? 0) + 1;
      const data: LexiconData = { ...(await this.workingCopy()), id: base.id, name: base.name, description: base.description };
      const compiled = compileLexicon(data);
      if (compiled.entryCount === 0) throw new Conflict('nothing_to_publish', 'nothing to publish: no entry of the working copy compiles', { warnings: compiled.warnings });
      const record = await this.snapshotRecord(number, data, note, latest ?? undefined);
      try {
        await LexiconVersion.create(record);
      } catch (error) {
        if (isDuplicateKeyError(error)) continue; // someone published this number first
        throw error;
      }
      const { data: _data, ...summary } = record;
      return { version: summary, warnings: compiled.warnings };
    }
    throw new Conflict('changed_concurrently', 'could not claim a version number: too many concurrent publishes');
  }

  private async snapshotRecord(number: number, data: LexiconData, note: string | undefined, first?: LexiconVersionRecord): Promise<LexiconVersionRecord> {
    // Version 1 keeps the seed's own version; later ones are "<first>+<n>" (2026.11.0+2).
    const root = number === 1 ? data.version : await this.firstVersionLabel(first);
    const version = number === 1 ? data.version : `${root}+${number}`;
    return {
      _id: version, number, lexiconId: data.id, name: data.name, description: data.description, note,
      entryCount: data.entries.length, targetCount: data.targets.length,
      data: { ...data, version }, createdAt: new Date(),
    };
  }

  private async firstVersionLabel(hint?: LexiconVersionRecord): Promise<string> {
    if (hint?.number === 1) return hint._id;
    const first = await this.models.LexiconVersion.findOne({ number: 1 }, { _id: 1 }).lean();
    return first?._id ?? 'db';
  }

  /** The working copy as lexicon data (version ''): what the next publish would snapshot. */
  async workingCopy(): Promise<LexiconData> {
    const latest = await this.models.LexiconVersion.findOne({}, { lexiconId: 1, name: 1, description: 1 }).sort({ number: -1 }).lean();
    return {
      id: latest?.lexiconId ?? 'lexwatch', version: '', name: latest?.name ?? 'Lexwatch lexicon', description: latest?.description,
      entries: (await this.models.LexiconEntry.find({}).sort({ _id: 1 }).lean<LexiconEntryRecord[]>()).map((r) => r.entry),
      targets: (await this.models.LexiconTarget.find({ retired: false }).sort({ _id: 1 }).lean<LexiconTargetRecord[]>()).map((r) => r.group),
    };
  }

  // --- working copy: entries -------------------------------------------------------------------

  async listEntries(filter: EntryFilter, page: { offset: number; limit: number }): Promise<{ total: number; items: LexiconEntryData[] }> {
    const query: Record<string, string> = {};
    if (filter.lang) query.lang = filter.lang;
    if (filter.status) query.status = filter.status;
    if (filter.category) query.category = filter.category;
    const [total, records] = await Promise.all([
      this.models.LexiconEntry.countDocuments(query),
      this.models.LexiconEntry.find(query).sort({ _id: 1 }).skip(page.offset).limit(page.limit).lean<LexiconEntryRecord[]>(),
    ]);
    return { total, items: records.map((r) => r.entry) };
  }

  async getEntry(id: string): Promise<LexiconEntryData> {
    const record = await this.models.LexiconEntry.findById(id).lean<LexiconEntryRecord>();
    if (!record) throw new NotFound(`lexicon entry "${id}"`);
    return record.entry;
  }

  async createEntry(body: unknown): Promise<LexiconEntryData> {
    assertStorableKeys(body, 'lexicon entry');
    const parsed = newEntrySchema.safeParse(body);
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'lexicon entry');
    const entry = checkCompiles({ ...parsed.data, version: 1 } as LexiconEntryData);
    try {
      await this.models.LexiconEntry.create(entryRecord(entry));
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new Conflict('already_exists', `lexicon entry "${entry.id}" already exists`);
      throw error;
    }
    return entry;
  }

  /**
   * Applies a partial update and bumps the entry's version. The write is conditional on the
   * version read (not atomic on FerretDB: a lost race shows as a 409 more often than not).
   */
  async updateEntry(id: string, body: unknown): Promise<LexiconEntryData> {
    assertStorableKeys(body, 'lexicon entry update');
    const parsed = entryPatchSchema.safeParse(body);
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'lexicon entry update');
    const current = await this.getEntry(id);
    const next = checkCompiles({ ...current, ...parsed.data, id, version: current.version + 1 } as LexiconEntryData);
    // The patch itself is strict; an entry stored before unknown fields were refused keeps them.
    const full = entrySchema.loose().safeParse(next);
    if (!full.success) throw Invalid.fromZod('invalid_request', full.error, 'lexicon entry update');
    const result = await this.models.LexiconEntry.updateOne(
      { _id: id, 'entry.version': current.version },
      { $set: { entry: next, lang: next.lang, status: next.status, category: next.category } },
    );
    if (result.matchedCount === 0) throw new Conflict('changed_concurrently', `lexicon entry "${id}" was changed concurrently; reload and retry`);
    return next;
  }

  /** An imported entry replaces the stored one as a whole (the file is the source), with the next version. */
  private async replaceEntry(entry: LexiconEntryData): Promise<LexiconEntryData> {
    const current = await this.getEntry(entry.id);
    const next = checkCompiles({ ...entry, version: current.version + 1 });
    const result = await this.models.LexiconEntry.updateOne(
      { _id: entry.id, 'entry.version': current.version },
      { $set: { entry: next, lang: next.lang, status: next.status, category: next.category } },
    );
    if (result.matchedCount === 0) throw new Conflict('changed_concurrently', `lexicon entry "${entry.id}" was changed concurrently; reload and retry`);
    return next;
  }

  async retireEntry(id: string): Promise<LexiconEntryData> {
    const current = await this.getEntry(id);
    if (current.status === 'retired') return current;
    return this.updateEntry(id, { status: 'retired' });
  }

  // --- working copy: target groups -------------------------------------------------------------

  async listTargets(includeRetired: boolean): Promise<Array<TargetGroupData & { retired: boolean }>> {
    const records = await this.models.LexiconTarget.find(includeRetired ? {} : { retired: false }).sort({ _id: 1 }).lean<LexiconTargetRecord[]>();
    return records.map((r) => ({ ...r.group, retired: r.retired }));
  }

  async getTarget(id: string): Promise<TargetGroupData & { retired: boolean }> {
    const record = await this.models.LexiconTarget.findById(id).lean<LexiconTargetRecord>();
    if (!record) throw new NotFound(`target group "${id}"`);
    return { ...record.group, retired: record.retired };
  }

  async createTarget(body: unknown): Promise<TargetGroupData> {
    assertStorableKeys(body, 'target group');
    const parsed = targetGroupSchema.safeParse(body);
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'target group');
    const group = parsed.data as TargetGroupData;
    try {
      await this.models.LexiconTarget.create({ _id: group.id, retired: false, group });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new Conflict('already_exists', `target group "${group.id}" already exists`);
      throw error;
    }
    return group;
  }

  /** Answers the group as getTarget does (with its `retired` mark), so callers compare like with like. */
  async updateTarget(id: string, body: unknown): Promise<TargetGroupData & { retired: boolean }> {
    assertStorableKeys(body, 'target group update');
    const parsed = targetPatchSchema.safeParse(body);
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'target group update');
    const { retired, ...current } = await this.getTarget(id);
    const next = { ...current, ...parsed.data, id } as TargetGroupData;
    await this.models.LexiconTarget.updateOne({ _id: id }, { $set: { group: next } });
    return { ...next, retired };
  }

  async retireTarget(id: string): Promise<TargetGroupData & { retired: boolean }> {
    const current = await this.getTarget(id);
    await this.models.LexiconTarget.updateOne({ _id: id }, { $set: { retired: true } });
    return { ...current, retired: true };
  }

  /**
   * What importing these entries and groups would do to the working copy, writing nothing:
   * ids that are new, ids whose content differs (with the differing fields; an entry's own
   * `version` counter is not content), and ids already there as they are.
   */
  async previewImport(entries: LexiconEntryData[], targets: TargetGroupData[]): Promise<ImportDiff> {
    const storedEntries = new Map((await this.models.LexiconEntry.find({ _id: { $in: entries.map((e) => e.id) } }).lean<LexiconEntryRecord[]>()).map((r) => [r._id, r.entry]));
    const storedTargets = new Map((await this.models.LexiconTarget.find({ _id: { $in: targets.map((t) => t.id) } }).lean<LexiconTargetRecord[]>()).map((r) => [r._id, r.group]));
    const diff: ImportDiff = { added: { entries: [], targets: [] }, changed: { entries: [], targets: [] }, unchanged: { entries: [], targets: [] } };
    entries.forEach((e) => {
      const stored = storedEntries.get(e.id);
      if (!stored) { diff.added.entries.push(e.id); return; }
      const fields = differingFields(withoutVersion(stored), withoutVersion(e));
      if (fields.length > 0) diff.changed.entries.push({ id: e.id, fields });
      else diff.unchanged.entries.push(e.id);
    });
    targets.forEach((t) => {
      const stored = storedTargets.get(t.id);
      if (!stored) { diff.added.targets.push(t.id); return; }
      const fields = differingFields(stored, t);
      if (fields.length > 0) diff.changed.targets.push({ id: t.id, fields });
      else diff.unchanged.targets.push(t.id);
    });
    return diff;
  }

  /**
   * Adds imported entries and groups to the working copy as they are (imports arrive as
   * draft). By default all or nothing for ids: an id that already exists rejects the whole
   * import. With `updateExisting`, existing ids whose content differs are updated (an entry's
   * version is bumped, as by a PATCH) and identical ones are left alone.
   */
  async importData(entries: LexiconEntryData[], targets: TargetGroupData[], options: { updateExisting?: boolean } = {}): Promise<ImportWritten> {
    assertStorableKeys({ entries, targets }, 'import');
    if (!options.updateExisting) {
      const takenEntries = await this.models.LexiconEntry.find({ _id: { $in: entries.map((e) => e.id) } }, { _id: 1 }).lean();
      const takenTargets = await this.models.LexiconTarget.find({ _id: { $in: targets.map((t) => t.id) } }, { _id: 1 }).lean();
      if (takenEntries.length > 0 || takenTargets.length > 0) {
        throw new Conflict('already_exists', 'the import uses ids that already exist; nothing was imported', {
          entries: takenEntries.map((e) => e._id), targets: takenTargets.map((t) => t._id),
        });
      }
      return { ...(await this.insertMissing(entries, targets)), updated: { entries: [], targets: [] } };
    }
    const diff = await this.previewImport(entries, targets);
    const changedEntries = new Set(diff.changed.entries.map((c) => c.id));
    const changedTargets = new Set(diff.changed.targets.map((c) => c.id));
    const updated: ImportWritten['updated'] = { entries: [], targets: [] };
    for (const entry of entries.filter((e) => changedEntries.has(e.id))) {
      await this.replaceEntry(entry);
      updated.entries.push(entry.id);
    }
    for (const group of targets.filter((t) => changedTargets.has(t.id))) {
      await this.models.LexiconTarget.updateOne({ _id: group.id }, { $set: { group } });
      updated.targets.push(group.id);
    }
    const added = new Set([...diff.added.entries, ...diff.added.targets]);
    const inserted = await this.insertMissing(entries.filter((e) => added.has(e.id)), targets.filter((t) => added.has(t.id)));
    return { ...inserted, updated };
  }
}

export interface ImportDiff {
  added: { entries: string[]; targets: string[] };
  changed: { entries: Array<{ id: string; fields: string[] }>; targets: Array<{ id: string; fields: string[] }> };
  unchanged: { entries: string[]; targets: string[] };
}

/** Counts of new records written, and the ids of existing ones updated (with `updateExisting`). */
export interface ImportWritten {
  entries: number;
  targets: number;
  updated: { entries: string[]; targets: string[] };
}

function withoutVersion(entry: LexiconEntryData): Omit<LexiconEntryData, 'version'> {
  const { version: _version, ...rest } = entry;
  return rest;
}

/** Top-level fields whose values differ (compared as canonical JSON: key order does not count). */
function differingFields(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => canonicalJson(a[key] ?? null) !== canonicalJson(b[key] ?? null)).sort();
}

/**
 * Entries keep fields the schema does not know (curator notes), stored as they are: refuse
 * keys the database would read as operators or paths ("$where", "a.b") with a 400, not a 500.
 */
function assertStorableKeys(value: unknown, what: string, at = ''): void {
  if (Array.isArray(value)) { value.forEach((v, i) => assertStorableKeys(v, what, `${at}${at ? '.' : ''}${i}`)); return; }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, v] of Object.entries(value)) {
    const field = `${at}${at ? '.' : ''}${key}`;
    if (key.startsWith('$') || key.includes('.') || key.includes('\u0000')) {
      throw new Invalid('invalid_request', `invalid ${what}: field name "${key}" is not allowed`, [{ field, message: 'field names may not start with $ or contain . or NUL' }]);
    }
    assertStorableKeys(v, what, field);
  }
}

function entryRecord(entry: LexiconEntryData): Omit<LexiconEntryRecord, 'createdAt' | 'updatedAt'> {
  return { _id: entry.id, lang: entry.lang, status: entry.status, category: entry.category, entry };
}

/** An entry none of whose terms parse would silently never match: refuse it. */
function checkCompiles(entry: LexiconEntryData): LexiconEntryData {
  if (entry.status === 'retired') return entry;
  const compiled = compileLexicon({ id: 'check', version: '0', name: 'check', entries: [{ ...entry, status: 'reviewed' }], targets: [] });
  if (compiled.entryCount === 0 || compiled.warnings.length > 0) {
    throw new Invalid('unusable_terms', `lexicon entry "${entry.id}" has unusable terms`, compiled.warnings.map((w) => ({ field: 'terms', message: w })));
  }
  return entry;
}
