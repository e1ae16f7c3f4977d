/**
 * Lexicons as versioned data. The working copy (entries and target groups, edited through the
 * API) is separate from published versions: a version is an immutable snapshot of the working
 * copy, and the newest version is the one the pipeline compiles. Flags name the version and
 * the entry ids (with their entry versions) that produced them, so a flag can always be traced
 * back to the exact wording of the entry that raised it.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { FrameData, LexiconData, LexiconEntryData, TargetGroupData, WordClassData } from '../analyze/types';

/** A working-copy predicate entry; `_id` is the entry id, `entry.version` counts its edits. */
export interface LexiconEntryRecord {
  _id: string;
  lang: string;
  status: LexiconEntryData['status'];
  category: string;
  /** The entry as curators write it (validated with the lexicon zod schema before writing). */
  entry: LexiconEntryData;
  createdAt: Date;
  updatedAt: Date;
}

/** A working-copy target group; retired groups stay (flags may name them) but leave snapshots. */
export interface LexiconTargetRecord {
  _id: string;
  retired: boolean;
  group: TargetGroupData;
  createdAt: Date;
  updatedAt: Date;
}

/** One published version. `number` is unique: publishing twice at once cannot share a number. */
export interface LexiconVersionRecord {
  _id: string;
  number: number;
  lexiconId: string;
  name: string;
  description?: string;
  note?: string;
  entryCount: number;
  targetCount: number;
  data: LexiconData;
  createdAt: Date;
}

const entrySchema = new Schema<LexiconEntryRecord>(
  {
    _id: { type: String, required: true },
    lang: { type: String, required: true },
    status: { type: String, required: true },
    category: { type: String, required: true },
    entry: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'lexicon_entries', versionKey: false },
);
entrySchema.index({ lang: 1, status: 1 });

const targetSchema = new Schema<LexiconTargetRecord>(
  {
    _id: { type: String, required: true },
    retired: { type: Boolean, default: false },
    group: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'lexicon_targets', versionKey: false },
);

const versionSchema = new Schema<LexiconVersionRecord>(
  {
    _id: { type: String, required: true },
    number: { type: Number, required: true },
    lexiconId: { type: String, required: true },
    name: { type: String, required: true },
    description: String,
    note: String,
    entryCount: { type: Number, required: true },
    targetCount: { type: Number, required: true },
    data: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'lexicon_versions', versionKey: false },
);
versionSchema.index({ number: 1 }, { unique: true });

/**
 * A working-copy word class or frame (the lexicon's grammar, see lexicons/README.md). `_id` is
 * `class:<lang>/<id>` or `frame:<id>`; snapshots carry them in `data.classes` / `data.frames`.
 */
export type LexiconGrammarRecord = {
  _id: string;
  lang: string;
  createdAt: Date;
  updatedAt: Date;
} & ({ kind: 'class'; data: WordClassData } | { kind: 'frame'; data: FrameData });

const grammarSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['class', 'frame'], required: true },
    lang: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: true, collection: 'lexicon_grammar', versionKey: false },
);

export interface LexiconModels {
  LexiconEntry: Model<LexiconEntryRecord>;
  LexiconTarget: Model<LexiconTargetRecord>;
  LexiconVersion: Model<LexiconVersionRecord>;
  LexiconGrammar: Model<LexiconGrammarRecord>;
}

export function registerLexiconModels(connection: Connection): LexiconModels {
  return {
    LexiconEntry: connection.model<LexiconEntryRecord>('LexiconEntry', entrySchema),
    LexiconTarget: connection.model<LexiconTargetRecord>('LexiconTarget', targetSchema),
    LexiconVersion: connection.model<LexiconVersionRecord>('LexiconVersion', versionSchema),
    LexiconGrammar: connection.model<LexiconGrammarRecord>('LexiconGrammar', grammarSchema),
  };
}
