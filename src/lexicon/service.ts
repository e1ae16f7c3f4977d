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
import type { FrameData, LexiconData, LexiconEntryData, TargetGroupData, WordClassData } from '../analyze/types';
import { Conflict, Invalid, NotFound } from '../errors';
import { isDuplicateKeyError } from '../store/connection';
import type { LexiconRepository, LexiconVersionRecord, VersionSummary } from '../store/lexicon';
import { GrammarWorkingCopy, type Grammar } from './grammar';
import { assertStorableKeys, differingFields, withoutVersion, type ImportDiff, type ImportWritten } from './import-diff';
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

  private readonly grammar: GrammarWorkingCopy;

  constructor(private readonly store: LexiconRepository) {
    this.grammar = new GrammarWorkingCopy(this.store);
  }

  /**
   * First start on an empty database: the working copy and version 1 come from `seed` (the
   * lexicon files). Afterwards the database is the source of truth and `seed` is ignored, but
   * for one upgrade: a database made before word classes and frames gets the files' classes and
   * frames in its working copy (returned, so the caller can say so); they take effect when a
   * curator publishes a version.
   */
  async ensureSeeded(seed: LexiconData): Promise<{ grammarAdded: { classes: number; frames: number } | null }> {
    const seedGrammar = { classes: seed.classes ?? [], frames: seed.frames ?? [] };
    if (await this.store.hasVersions()) {
      const upgrade = seedGrammar.classes.length + seedGrammar.frames.length > 0 && await this.grammar.isEmpty();
      return { grammarAdded: upgrade ? await this.grammar.insertMissing(seedGrammar) : null };
    }
    await this.insertMissing(seed.entries, seed.targets);
    await this.grammar.insertMissing(seedGrammar);
    try {
      await this.store.insertVersion(await this.snapshotRecord(1, seed, 'seeded from the lexicon files'));
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error; // another instance seeded at the same time
    }
    return { grammarAdded: null };
  }

  /** The working copy's word classes or frames, optionally of one language. */
  async listGrammar(kind: 'class' | 'frame', lang?: string): Promise<Array<WordClassData | FrameData>> {
    return this.grammar.list(kind, lang);
  }

  /** Writes entries and groups whose ids the working copy does not have yet. */
  private async insertMissing(entries: LexiconEntryData[], targets: TargetGroupData[]): Promise<{ entries: number; targets: number }> {
    const haveEntries = await this.store.entriesById(entries.map((e) => e.id));
    const haveTargets = await this.store.targetsById(targets.map((t) => t.id));
    const newEntries = entries.filter((e) => !haveEntries.has(e.id));
    const newTargets = targets.filter((t) => !haveTargets.has(t.id));
    await this.store.insertEntries(newEntries);
    await this.store.insertTargets(newTargets);
    return { entries: newEntries.length, targets: newTargets.length };
  }

  // --- published versions ------------------------------------------------------------------

  /** The active (newest) version, compiled. Cached until a newer version appears. */
  async active(): Promise<ActiveLexiconVersion> {
    const latest = await this.store.latestVersion('header');
    if (!latest) throw new Conflict('no_lexicon_published', 'no lexicon version has been published');
    if (this.cache?.number === latest.number) return this.cache;
    const record = await this.store.versionNumbered(latest.number);
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

  async listVersions(): Promise<VersionSummary[]> {
    return this.store.listVersions();
  }

  async getVersion(version: string): Promise<LexiconVersionRecord> {
    const record = await this.store.findVersion(version);
    if (!record) throw new NotFound(`lexicon version "${version}"`);
    return record;
  }

  /**
   * Publishes the working copy as a new immutable version. Refuses a working copy that does
   * not compile to a single entry, and reports compile warnings (terms that were skipped).
   */
  async publish(note?: string): Promise<{ version: VersionSummary; warnings: string[] }> {
    for (let attempt = 0; attempt < PUBLISH_ATTEMPTS; attempt++) {
      const latest = await this.store.latestVersion();
      const base = latest ? { id: latest.lexiconId, name: latest.name, description: latest.description } : { id: 'lexwatch', name: 'Lexwatch lexicon' };
      const number = (latest?.number ?? 0) + 1;
      const data: LexiconData = { ...(await this.workingCopy()), id: base.id, name: base.name, description: base.description };
      const compiled = compileLexicon(data);
      if (compiled.entryCount === 0) throw new Conflict('nothing_to_publish', 'nothing to publish: no entry of the working copy compiles', { warnings: compiled.warnings });
      const record = await this.snapshotRecord(number, data, note, latest ?? undefined);
      try {
        await this.store.insertVersion(record);
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
    return (await this.store.versionNumbered(1))?._id ?? 'db';
  }

  /** The working copy as lexicon data (version ''): what the next publish would snapshot. */
  async workingCopy(): Promise<LexiconData> {
    const latest = await this.store.latestVersion('header');
    return {
      id: latest?.lexiconId ?? 'lexwatch', version: '', name: latest?.name ?? 'Lexwatch lexicon', description: latest?.description,
      entries: await this.store.allEntries(),
      targets: (await this.store.listTargets(false)).map(({ retired: _retired, ...group }) => group),
      ...(await this.grammar.all()),
    };
  }

  // --- working copy: entries -------------------------------------------------------------------

  async listEntries(filter: EntryFilter, page: { offset: number; limit: number }): Promise<{ total: number; items: LexiconEntryData[] }> {
    return this.store.listEntries(filter, page);
  }

  async getEntry(id: string): Promise<LexiconEntryData> {
    const entry = await this.store.findEntry(id);
    if (!entry) throw new NotFound(`lexicon entry "${id}"`);
    return entry;
  }

  async createEntry(body: unknown): Promise<LexiconEntryData> {
    assertStorableKeys(body, 'lexicon entry');
    const parsed = newEntrySchema.safeParse(body);
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'lexicon entry');
    const entry = checkCompiles({ ...parsed.data, version: 1 } as LexiconEntryData);
    try {
      await this.store.insertEntry(entry);
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
    if (!(await this.store.replaceEntryAt(current.version, next))) throw new Conflict('changed_concurrently', `lexicon entry "${id}" was changed concurrently; reload and retry`);
    return next;
  }

  /** An imported entry replaces the stored one as a whole (the file is the source), with the next version. */
  private async replaceEntry(entry: LexiconEntryData): Promise<LexiconEntryData> {
    const current = await this.getEntry(entry.id);
    const next = checkCompiles({ ...entry, version: current.version + 1 });
    if (!(await this.store.replaceEntryAt(current.version, next))) throw new Conflict('changed_concurrently', `lexicon entry "${entry.id}" was changed concurrently; reload and retry`);
    return next;
  }

  async retireEntry(id: string): Promise<LexiconEntryData> {
    const current = await this.getEntry(id);
    if (current.status === 'retired') return current;
    return this.updateEntry(id, { status: 'retired' });
  }

  // --- working copy: target groups -------------------------------------------------------------

  async listTargets(includeRetired: boolean): Promise<Array<TargetGroupData & { retired: boolean }>> {
    return this.store.listTargets(includeRetired);
  }

  async getTarget(id: string): Promise<TargetGroupData & { retired: boolean }> {
    const group = await this.store.findTarget(id);
    if (!group) throw new NotFound(`target group "${id}"`);
    return group;
  }

  async createTarget(body: unknown): Promise<TargetGroupData> {
    assertStorableKeys(body, 'target group');
    const parsed = targetGroupSchema.safeParse(body);
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'target group');
    const group = parsed.data as TargetGroupData;
    try {
      await this.store.insertTarget(group);
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
    await this.store.setTarget(next);
    return { ...next, retired };
  }

  async retireTarget(id: string): Promise<TargetGroupData & { retired: boolean }> {
    const current = await this.getTarget(id);
    await this.store.retireTarget(id);
    return { ...current, retired: true };
  }

  /**
   * What importing these entries and groups would do to the working copy, writing nothing:
   * ids that are new, ids whose content differs (with the differing fields; an entry's own
   * `version` counter is not content), and ids already there as they are.
   */
  async previewImport(entries: LexiconEntryData[], targets: TargetGroupData[], grammar: Grammar = NO_GRAMMAR): Promise<ImportDiff> {
    const storedEntries = await this.store.entriesById(entries.map((e) => e.id));
    const storedTargets = await this.store.targetsById(targets.map((t) => t.id));
    const diff: ImportDiff = { added: { entries: [], targets: [] }, changed: { entries: [], targets: [] }, unchanged: { entries: [], targets: [] }, grammar: await this.grammar.diff(grammar) };
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
  async importData(entries: LexiconEntryData[], targets: TargetGroupData[], options: { updateExisting?: boolean } = {}, grammar: Grammar = NO_GRAMMAR): Promise<ImportWritten> {
    assertStorableKeys({ entries, targets, ...grammar }, 'import');
    const grammarDiff = await this.grammar.diff(grammar);
    if (!options.updateExisting) {
      const takenEntries = [...(await this.store.entriesById(entries.map((e) => e.id))).keys()];
      const takenTargets = [...(await this.store.targetsById(targets.map((t) => t.id))).keys()];
      const takenGrammar = [...grammarDiff.changed, ...grammarDiff.unchanged];
      if (takenEntries.length > 0 || takenTargets.length > 0 || takenGrammar.length > 0) {
        throw new Conflict('already_exists', 'the import uses ids that already exist; nothing was imported', {
          entries: takenEntries, targets: takenTargets, grammar: takenGrammar,
        });
      }
      const grammarWritten = await this.grammar.insertMissing(grammar);
      return { ...(await this.insertMissing(entries, targets)), ...grammarWritten, updated: { entries: [], targets: [], grammar: [] } };
    }
    const diff = await this.previewImport(entries, targets);
    const changedEntries = new Set(diff.changed.entries.map((c) => c.id));
    const changedTargets = new Set(diff.changed.targets.map((c) => c.id));
    const updated: ImportWritten['updated'] = { entries: [], targets: [], grammar: [] };
    for (const entry of entries.filter((e) => changedEntries.has(e.id))) {
      await this.replaceEntry(entry);
      updated.entries.push(entry.id);
    }
    for (const group of targets.filter((t) => changedTargets.has(t.id))) {
      await this.store.setTarget(group);
      updated.targets.push(group.id);
    }
    const added = new Set([...diff.added.entries, ...diff.added.targets]);
    const inserted = await this.insertMissing(entries.filter((e) => added.has(e.id)), targets.filter((t) => added.has(t.id)));
    updated.grammar = await this.grammar.replace(grammar, new Set(grammarDiff.changed));
    return { ...inserted, ...(await this.grammar.insertMissing(grammar)), updated };
  }
}

const NO_GRAMMAR: Grammar = { classes: [], frames: [] };

/** An entry none of whose terms parse would silently never match: refuse it. */
function checkCompiles(entry: LexiconEntryData): LexiconEntryData {
  if (entry.status === 'retired') return entry;
  const compiled = compileLexicon({ id: 'check', version: '0', name: 'check', entries: [{ ...entry, status: 'reviewed' }], targets: [] });
  if (compiled.entryCount === 0 || compiled.warnings.length > 0) {
    throw new Invalid('unusable_terms', `lexicon entry "${entry.id}" has unusable terms`, compiled.warnings.map((w) => ({ field: 'terms', message: w })));
  }
  return entry;
}
