/**
 * The lexicon's grammar in the working copy: word classes and frames (lexicons/README.md, "Word
 * classes" and "Frames"), one record each, published with the entries and target groups. They
 * come from the lexicon files (a new database is seeded with them; an existing one gets the
 * files' classes and frames added to its working copy on start, for a curator to publish) and
 * from JSON imports.
 */
import type { FrameData, WordClassData } from '../analyze/types';
import type { LexiconRepository, NewGrammarRecord } from '../store/lexicon';
import { canonicalJson } from '../audit/canonical';

export interface Grammar {
  classes: WordClassData[];
  frames: FrameData[];
}

const classKey = (c: Pick<WordClassData, 'lang' | 'id'>): string => `class:${c.lang}/${c.id}`;
const frameKey = (f: Pick<FrameData, 'id'>): string => `frame:${f.id}`;

function records(grammar: Grammar): NewGrammarRecord[] {
  return [
    ...grammar.classes.map((data) => ({ _id: classKey(data), kind: 'class' as const, lang: data.lang, data })),
    ...grammar.frames.map((data) => ({ _id: frameKey(data), kind: 'frame' as const, lang: data.lang, data })),
  ];
}

export class GrammarWorkingCopy {
  constructor(private readonly store: LexiconRepository) {}

  async isEmpty(): Promise<boolean> {
    return !(await this.store.hasGrammar());
  }

  /** Every class and frame of the working copy, in id order. */
  async all(): Promise<Grammar> {
    const rows = await this.store.grammar();
    return {
      classes: rows.filter((r) => r.kind === 'class').map((r) => r.data as WordClassData),
      frames: rows.filter((r) => r.kind === 'frame').map((r) => r.data as FrameData),
    };
  }

  async list(kind: 'class' | 'frame', lang?: string): Promise<Array<WordClassData | FrameData>> {
    return (await this.store.grammar({ kind, lang })).map((r) => r.data);
  }

  /** Writes the classes and frames whose ids the working copy does not have yet. */
  async insertMissing(grammar: Grammar): Promise<{ classes: number; frames: number }> {
    const all = records(grammar);
    if (all.length === 0) return { classes: 0, frames: 0 };
    const have = await this.store.grammarById(all.map((r) => r._id));
    const fresh = all.filter((r) => !have.has(r._id));
    await this.store.insertGrammar(fresh);
    return { classes: fresh.filter((r) => r.kind === 'class').length, frames: fresh.filter((r) => r.kind === 'frame').length };
  }

  /** Ids of the given classes and frames that exist with other content (a frame's version goes up on import). */
  async changed(grammar: Grammar): Promise<string[]> {
    const all = records(grammar);
    const stored = await this.store.grammarById(all.map((r) => r._id));
    return all.filter((r) => stored.has(r._id) && canonicalJson(stored.get(r._id)) !== canonicalJson(r.data)).map((r) => r._id);
  }

  /** Replaces the stored content of these (existing) ids. */
  async replace(grammar: Grammar, ids: ReadonlySet<string>): Promise<string[]> {
    const done: string[] = [];
    for (const r of records(grammar)) {
      if (!ids.has(r._id)) continue;
      await this.store.setGrammar(r);
      done.push(r._id);
    }
    return done;
  }

  /** For an import: which of these ids are new, which differ from the working copy, which do not. */
  async diff(grammar: Grammar): Promise<{ added: string[]; changed: string[]; unchanged: string[] }> {
    const ids = records(grammar).map((r) => r._id);
    if (ids.length === 0) return { added: [], changed: [], unchanged: [] };
    const changed = new Set(await this.changed(grammar));
    const existing = new Set((await this.store.grammarById(ids)).keys());
    return {
      added: ids.filter((id) => !existing.has(id)),
      changed: ids.filter((id) => changed.has(id)),
      unchanged: ids.filter((id) => existing.has(id) && !changed.has(id)),
    };
  }
}
