/**
 * Curating the lexicon: every change to the working copy, each publication and each import,
 * with its audit event (who, what changed). Every one of these changes what the service flags.
 * Reads go to LexiconService directly; this wraps its writes.
 */
import type { FrameData, LexiconEntryData, TargetGroupData, WordClassData } from '../analyze/types';
import type { Actor, AuditLog } from '../audit/log';
import { Invalid } from '../errors';
import { sha256 } from '../hash';
import { LexiconImportError, parseImport, type ImportFormat, type ImportOptions } from './formats';
import type { LexiconService } from './service';

/** The fields whose values differ between two records: {field: {from, to}}. */
function changedFields(before: object, after: object): Record<string, { from: unknown; to: unknown }> {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) changes[key] = { from: a[key] ?? null, to: b[key] ?? null };
  }
  return changes;
}

/** The word classes and frames of a parsed import (our JSON only). */
function grammarOf(parsed: { classes?: WordClassData[]; frames?: FrameData[] }): { classes: WordClassData[]; frames: FrameData[] } {
  return { classes: parsed.classes ?? [], frames: parsed.frames ?? [] };
}

export class LexiconCuration {
  constructor(
    private readonly lexicons: LexiconService,
    private readonly audit: AuditLog,
  ) {}

  async createEntry(body: unknown, actor: Actor): Promise<LexiconEntryData> {
    const entry = await this.lexicons.createEntry(body);
    await this.audit.append({ actor, action: 'lexicon.entry.create', entity: { type: 'lexicon_entry', id: entry.id }, change: { entry } });
    return entry;
  }

  async updateEntry(id: string, body: unknown, actor: Actor): Promise<LexiconEntryData> {
    const before = await this.lexicons.getEntry(id);
    const entry = await this.lexicons.updateEntry(id, body);
    await this.audit.append({ actor, action: 'lexicon.entry.update', entity: { type: 'lexicon_entry', id }, change: changedFields(before, entry) });
    return entry;
  }

  async retireEntry(id: string, actor: Actor): Promise<LexiconEntryData> {
    const before = await this.lexicons.getEntry(id);
    const entry = await this.lexicons.retireEntry(id);
    await this.audit.append({ actor, action: 'lexicon.entry.retire', entity: { type: 'lexicon_entry', id }, change: changedFields(before, entry) });
    return entry;
  }

  async createTarget(body: unknown, actor: Actor): Promise<TargetGroupData> {
    const target = await this.lexicons.createTarget(body);
    await this.audit.append({ actor, action: 'lexicon.target.create', entity: { type: 'lexicon_target', id: target.id }, change: { target } });
    return target;
  }

  async updateTarget(id: string, body: unknown, actor: Actor): Promise<TargetGroupData & { retired: boolean }> {
    const before = await this.lexicons.getTarget(id);
    const target = await this.lexicons.updateTarget(id, body);
    await this.audit.append({ actor, action: 'lexicon.target.update', entity: { type: 'lexicon_target', id }, change: changedFields(before, target) });
    return target;
  }

  async retireTarget(id: string, actor: Actor): Promise<TargetGroupData & { retired: boolean }> {
    const before = await this.lexicons.getTarget(id);
    const target = await this.lexicons.retireTarget(id);
    await this.audit.append({ actor, action: 'lexicon.target.retire', entity: { type: 'lexicon_target', id }, change: changedFields(before, target) });
    return target;
  }

  async publish(note: string | undefined, actor: Actor): ReturnType<LexiconService['publish']> {
    const published = await this.lexicons.publish(note);
    const { version, warnings } = published;
    await this.audit.append({
      actor, action: 'lexicon.publish', entity: { type: 'lexicon_version', id: version._id },
      change: { number: version.number, lexiconId: version.lexiconId, entryCount: version.entryCount, targetCount: version.targetCount, note: version.note ?? null, warnings: warnings.length },
    });
    return published;
  }

  /**
   * What an import file would change, written nowhere (so not audited). A bad file is a normal
   * answer here (its line errors, not applicable), since showing them is the point.
   */
  async previewFile(format: ImportFormat, text: string, options: ImportOptions) {
    const hash = sha256(text);
    let parsed;
    try {
      parsed = parseImport(format, text, options);
    } catch (error) {
      if (!(error instanceof LexiconImportError)) throw error;
      return {
        format, sha256: hash, applicable: false,
        counts: { added: 0, changed: 0, unchanged: 0, errors: error.errors.length, skipped: 0 },
        added: { entries: [], targets: [] }, changed: { entries: [], targets: [] }, unchanged: { entries: [], targets: [] },
        errors: error.errors, skipped: [],
      };
    }
    const diff = await this.lexicons.previewImport(parsed.entries, parsed.targets, grammarOf(parsed));
    const count = (side: { entries: unknown[]; targets: unknown[] }, grammar: unknown[]) => side.entries.length + side.targets.length + grammar.length;
    const added = count(diff.added, diff.grammar.added);
    const changed = count(diff.changed, diff.grammar.changed);
    return {
      format, sha256: hash, applicable: added + changed > 0,
      counts: { added, changed, unchanged: count(diff.unchanged, diff.grammar.unchanged), errors: 0, skipped: parsed.skipped.length },
      ...diff, errors: [], skipped: parsed.skipped,
    };
  }

  /** Imports a file into the working copy (as draft); a file with any problem imports nothing. */
  async importFile(format: ImportFormat, text: string, options: ImportOptions & { update: boolean }, actor: Actor) {
    const { lang, idPrefix, update } = options;
    let parsed;
    try {
      parsed = parseImport(format, text, { lang, idPrefix });
    } catch (error) {
      if (error instanceof LexiconImportError) throw new Invalid('invalid_import', `the ${format} file has ${error.errors.length} problem(s); nothing was imported`, error.errors);
      throw error;
    }
    const grammar = grammarOf(parsed);
    const { updated, ...written } = await this.lexicons.importData(parsed.entries, parsed.targets, { updateExisting: update }, grammar);
    // The file itself is identified by its hash; the ids say what entered the working copy.
    await this.audit.append({
      actor, action: 'lexicon.import', entity: { type: 'lexicon', id: 'working-copy' },
      change: {
        format, lang: lang ?? null, idPrefix: idPrefix ?? null, sha256: sha256(text),
        imported: written, skipped: parsed.skipped.length,
        entryIds: parsed.entries.map((e) => e.id), targetIds: parsed.targets.map((t) => t.id),
        classIds: grammar.classes.map((c) => `${c.lang}/${c.id}`), frameIds: grammar.frames.map((f) => f.id),
        ...(update ? { updatedEntryIds: updated.entries, updatedTargetIds: updated.targets, updatedGrammarIds: updated.grammar } : {}),
      },
    });
    return { imported: written, updated, skipped: parsed.skipped };
  }
}
