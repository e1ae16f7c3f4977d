/**
 * The page search's index (src/store/page-words.ts): per page version, its distinct normalised
 * word forms as an array under a multikey index. Kept apart from the pages so that neither the
 * pipeline's page reads carry the forms nor a search reads any page text to find its pages.
 */
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export interface PageWordsRecord {
  /** The page version's own _id. */
  _id: Types.ObjectId;
  document: Types.ObjectId;
  index: number;
  version: number;
  /** As the page's `current`: only current pages are searched. */
  current: boolean;
  /** The language the forms were folded for (src/analyze/search-forms.ts). */
  lang: string | null;
  words: string[];
}

const pageWordsSchema = new Schema<PageWordsRecord>(
  {
    document: { type: Schema.Types.ObjectId, required: true },
    index: { type: Number, required: true },
    version: { type: Number, required: true },
    current: { type: Boolean, required: true },
    lang: { type: String, default: null },
    words: { type: [String], default: [] },
  },
  { collection: 'pagewords', strict: 'throw', versionKey: false },
);
// Multikey: one index key per form. MongoDB answers `words: {$in: …}` from it; FerretDB v1
// accepts the index but filters arrays itself, over this collection only (no page text).
pageWordsSchema.index({ words: 1 });
pageWordsSchema.index({ current: 1, document: 1, index: 1 });

export interface SearchModels {
  PageWords: Model<PageWordsRecord>;
}

export function registerSearchModels(connection: Connection): SearchModels {
  return { PageWords: connection.model<PageWordsRecord>('PageWords', pageWordsSchema) };
}
