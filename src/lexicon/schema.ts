/** zod schemas mirroring src/analyze/types.ts, for validating lexicon files on load. */
import { z } from 'zod';
import { CATEGORY_CODES } from '../analyze/types';

const terms = z.array(z.string().trim().min(1, 'empty term')).min(1, 'needs at least one term');

/**
 * Ids of entries and target groups: they name records in URLs, flags, exports and file names,
 * so plain tokens only (no "/", no "..", no spaces), as the routes accept them.
 */
export const LEXICON_ID = /^[\p{L}\p{N}][\p{L}\p{N}_.+-]{0,119}$/u;
const lexiconId = z.string().regex(LEXICON_ID, 'letters, digits, ".", "_", "+" or "-", starting with a letter or digit, at most 120 characters');

// Unknown fields are refused (not stored as they come): curator notes go in `notes`.
export const entrySchema = z.object({
  id: lexiconId,
  version: z.number().int().positive(),
  status: z.enum(['draft', 'reviewed', 'retired']),
  lang: z.string().min(2),
  role: z.enum(['predicate', 'standalone']),
  terms,
  category: z.enum(CATEGORY_CODES),
  severity: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  match: z.object({
    diacritics: z.enum(['strict', 'insensitive']).optional(),
    fuzzy: z.boolean().optional(),
    minStemLen: z.number().int().min(1).optional(),
    stem: z.boolean().optional(),
  }).strict().optional(),
  context: z.object({
    requiresTarget: z.boolean().optional(),
    window: z.object({ unit: z.enum(['token', 'sentence']), n: z.number().int().min(0) }).strict().optional(),
    negation: z.enum(['suppress', 'downgrade', 'keep']).optional(),
    quotation: z.enum(['flag', 'downgrade']).optional(),
  }).strict().optional(),
  exceptions: z.array(z.string().min(1)).optional(),
  meaning: z.string(),
  whyHarmful: z.string(),
  source: z.object({
    type: z.enum(['literature', 'usage', 'curator', 'import']),
    ref: z.string(),
    citation: z.string().optional(),
  }).strict(),
  /** Free-text notes by name (a curator's, or an importer's: alternatives, context, country…); never matched. */
  notes: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,40}$/u, 'a note name: letters, digits, "_" or "-"'), z.string().max(5_000)).optional(),
}).strict();

export const targetGroupSchema = z.object({
  id: lexiconId,
  name: z.string().min(1),
  fictional: z.boolean().optional(),
  terms: z.array(z.object({
    lang: z.string().min(2),
    kind: z.enum(['name', 'demonym', 'toponym', 'heritage']),
    terms,
  }).strict()).min(1),
}).strict();

export const manifestSchema = z.object({
  id: z.string().min(1),
  version: z.string().min(1),
  name: z.string().min(1),
  description: z.string().optional(),
}).loose();
