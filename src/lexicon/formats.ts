/**
 * Lexicon import and export formats (pure: text in, data out):
 *   - `json`: our LexiconData ({id, version, name, entries, targets, classes?, frames?}) or a
 *     bare array of entries;
 *   - `csv`: our entry table (one entry per row, terms joined with " | "); export and import;
 *   - `hurtlex`: HurtLex TSV (`id pos category stereotype lemma level`), imported as draft,
 *     HurtLex categories mapped to ours, `rci` (locations and demonyms) to target groups;
 *   - `peacetech`: PeaceTech-Lab-shaped CSV (term, lang, meaning, why offensive, alternatives,
 *     context, country, period, source page), imported as draft slurs.
 * A bad file yields every problem with its line number and imports nothing.
 */
import { z } from 'zod';
import { compileLexicon } from '../analyze';
import { type CategoryCode, type FrameData, type LexiconData, type LexiconEntryData, type Severity, type TargetGroupData, type WordClassData } from '../analyze/types';
import { entrySchema, frameSchema, targetGroupSchema, wordClassSchema } from './schema';
import { csvCell, csvUnguard } from '../csv';
import { cell, columns, LexiconImportError, readDelimited, type LineError } from './delimited';

export { LexiconImportError, readDelimited, type LineError };

export const IMPORT_FORMATS = ['json', 'csv', 'hurtlex', 'peacetech'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportOptions {
  /** Language of a HurtLex file (its rows do not say); required for `hurtlex`. */
  lang?: string;
  /** Prefix of generated ids (default: the format name). */
  idPrefix?: string;
}

export interface ImportResult {
  entries: LexiconEntryData[];
  targets: TargetGroupData[];
  /** Word classes and frames (our JSON only). */
  classes?: WordClassData[];
  frames?: FrameData[];
  /** Rows left out on purpose (e.g. HurtLex categories with no counterpart), with the reason. */
  skipped: LineError[];
}

export function parseImport(format: ImportFormat, text: string, options: ImportOptions = {}): ImportResult {
  const body = text.replace(/^\uFEFF/u, '');
  let result: ImportResult;
  switch (format) {
    case 'json': result = parseJson(body); break;
    case 'csv': result = parseOurCsv(body); break;
    case 'hurtlex': result = parseHurtLex(body, options); break;
    case 'peacetech': result = parsePeaceTech(body, options); break;
  }
  checkUnique(result);
  return result;
}

// --- validation ------------------------------------------------------------------------------

function zodMessage(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/** Validates one entry and that its terms compile; pushes a line error instead of throwing. */
function validEntry(candidate: unknown, line: number, errors: LineError[]): LexiconEntryData | null {
  const parsed = entrySchema.safeParse(candidate);
  if (!parsed.success) { errors.push({ line, message: zodMessage(parsed.error) }); return null; }
  const entry = parsed.data as LexiconEntryData;
  const compiled = compileLexicon({ id: 'check', version: '0', name: 'check', entries: [{ ...entry, status: 'reviewed' }], targets: [] });
  if (compiled.warnings.length > 0) { errors.push({ line, message: compiled.warnings.join('; ') }); return null; }
  return entry;
}

function checkUnique(result: ImportResult): void {
  const errors: LineError[] = [];
  const seen = new Set<string>();
  for (const e of result.entries) {
    if (seen.has(e.id)) errors.push({ line: 0, message: `duplicate entry id "${e.id}"` });
    seen.add(e.id);
  }
  if (errors.length > 0) throw new LexiconImportError(errors);
}

// --- JSON -------------------------------------------------------------------------------------

function parseJson(text: string): ImportResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const pos = /position (\d+)/u.exec((err as Error).message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : 1;
    throw new LexiconImportError([{ line, message: `invalid JSON (${(err as Error).message})` }]);
  }
  const body = Array.isArray(json) ? { entries: json, targets: [] } : (json as { entries?: unknown; targets?: unknown } | null);
  if (!body || typeof body !== 'object' || !Array.isArray(body.entries ?? [])) {
    throw new LexiconImportError([{ line: 1, message: 'expected an array of entries or an object with "entries" (and "targets")' }]);
  }
  const lines = jsonItemLines(text);
  const errors: LineError[] = [];
  const entries: LexiconEntryData[] = [];
  (body.entries as unknown[] ?? []).forEach((item, index) => {
    const e = validEntry(item, lines.get(idOf(item)) ?? 1, errors);
    if (e) entries.push(e); else errors[errors.length - 1]!.message = `entry ${index} ${labelOf(item)}: ${errors[errors.length - 1]!.message}`;
  });
  const targets: TargetGroupData[] = [];
  const rawTargets = body.targets ?? [];
  if (!Array.isArray(rawTargets)) errors.push({ line: 1, message: '"targets" must be an array' });
  else rawTargets.forEach((item, index) => {
    const parsed = targetGroupSchema.safeParse(item);
    if (parsed.success) targets.push(parsed.data as TargetGroupData);
    else errors.push({ line: lines.get(idOf(item)) ?? 1, message: `target group ${index} ${labelOf(item)}: ${zodMessage(parsed.error)}` });
  });
  const classes = grammarItems(body, 'classes', wordClassSchema, lines, errors) as WordClassData[];
  const frames = grammarItems(body, 'frames', frameSchema, lines, errors) as FrameData[];
  if (errors.length > 0) throw new LexiconImportError(errors);
  return { entries, targets, classes, frames, skipped: [] };
}

/** The word classes or frames of a JSON import, each checked with its schema. */
function grammarItems(body: object, key: 'classes' | 'frames', schema: z.ZodType, lines: Map<string, number>, errors: LineError[]): unknown[] {
  const raw = (body as Record<string, unknown>)[key] ?? [];
  if (!Array.isArray(raw)) { errors.push({ line: 1, message: `"${key}" must be an array` }); return []; }
  const out: unknown[] = [];
  raw.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
    else errors.push({ line: lines.get(idOf(item)) ?? 1, message: `${key === 'classes' ? 'word class' : 'frame'} ${index} ${labelOf(item)}: ${zodMessage(parsed.error)}` });
  });
  return out;
}

function idOf(item: unknown): string {
  return typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string' ? (item as { id: string }).id : '';
}

function labelOf(item: unknown): string {
  const id = idOf(item);
  return id ? `("${id}")` : '';
}

/** Line of each `"id": "…"` in the file: good enough to point a curator at the record. */
function jsonItemLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const re = /"id"\s*:\s*"((?:[^"\\]|\\.)*)"/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!out.has(m[1]!)) out.set(m[1]!, text.slice(0, m.index).split('\n').length);
  }
  return out;
}

// --- our CSV ----------------------------------------------------------------------------------

export const CSV_COLUMNS = [
  'id', 'version', 'status', 'lang', 'role', 'category', 'severity', 'terms', 'exceptions',
  'meaning', 'why_harmful', 'source_type', 'source_ref', 'source_citation',
  'requires_target', 'window_unit', 'window_n', 'negation', 'quotation',
  'diacritics', 'fuzzy', 'min_stem_len', 'stem',
] as const;

const TERM_SEPARATOR = ' | ';

/**
 * Our CSV: one row per entry (targets stay in JSON). Cells are written as every Lexwatch CSV
 * writes them (src/csv.ts: a formula-like cell gets an apostrophe, which the import removes), so
 * the table opens safely in a spreadsheet and round-trips through parseImport('csv').
 */
export function entriesToCsv(entries: LexiconEntryData[]): string {
  const rows = entries.map((e) => {
    const values: Record<(typeof CSV_COLUMNS)[number], string> = {
      id: e.id, version: String(e.version), status: e.status, lang: e.lang, role: e.role,
      category: e.category, severity: String(e.severity), terms: e.terms.join(TERM_SEPARATOR),
      exceptions: (e.exceptions ?? []).join(TERM_SEPARATOR), meaning: e.meaning, why_harmful: e.whyHarmful,
      source_type: e.source.type, source_ref: e.source.ref, source_citation: e.source.citation ?? '',
      requires_target: e.context?.requiresTarget === undefined ? '' : String(e.context.requiresTarget),
      window_unit: e.context?.window?.unit ?? '', window_n: e.context?.window ? String(e.context.window.n) : '',
      negation: e.context?.negation ?? '', quotation: e.context?.quotation ?? '',
      diacritics: e.match?.diacritics ?? '', fuzzy: e.match?.fuzzy === undefined ? '' : String(e.match.fuzzy),
      min_stem_len: e.match?.minStemLen === undefined ? '' : String(e.match.minStemLen),
      stem: e.match?.stem === undefined ? '' : String(e.match.stem),
    };
    return CSV_COLUMNS.map((c) => csvCell(values[c])).join(',');
  });
  return [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

function splitTerms(s: string): string[] {
  return s.split('|').map((t) => t.trim()).filter((t) => t.length > 0);
}

function optionalBool(s: string): boolean | undefined {
  if (s === '') return undefined;
  if (s === 'true') return true;
  if (s === 'false') return false;
  return s as unknown as boolean; // left for the schema to reject with a clear message
}

function optionalNumber(s: string): number | undefined {
  return s === '' ? undefined : Number(s);
}

function withoutUndefined<T extends object>(o: T): T | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as T);
}

function parseOurCsv(text: string): ImportResult {
  const errors: LineError[] = [];
  const rows = readDelimited(text, ',', errors).map((row) => ({ ...row, cells: row.cells.map(csvUnguard) }));
  if (rows.length === 0) throw new LexiconImportError([{ line: 1, message: 'empty file' }]);
  const [header, ...data] = rows;
  const cols = columns(header!, Object.fromEntries(CSV_COLUMNS.map((c) => [c, [c.replace(/_/gu, ' ')]])), ['id', 'lang', 'role', 'category', 'severity', 'terms', 'meaning', 'why_harmful', 'source_type', 'source_ref']);
  const entries: LexiconEntryData[] = [];
  for (const row of data) {
    const get = (k: string): string => cell(row, cols, k);
    const windowN = optionalNumber(get('window_n'));
    const candidate = {
      id: get('id'), version: optionalNumber(get('version')) ?? 1, status: get('status') || 'draft',
      lang: get('lang'), role: get('role'), category: get('category'), severity: Number(get('severity')),
      terms: splitTerms(get('terms')), exceptions: get('exceptions') ? splitTerms(get('exceptions')) : undefined,
      meaning: get('meaning'), whyHarmful: get('why_harmful'),
      source: withoutUndefined({ type: get('source_type'), ref: get('source_ref'), citation: get('source_citation') || undefined }),
      context: withoutUndefined({
        requiresTarget: optionalBool(get('requires_target')),
        window: get('window_unit') || windowN !== undefined ? { unit: get('window_unit'), n: windowN } : undefined,
        negation: get('negation') || undefined, quotation: get('quotation') || undefined,
      }),
      match: withoutUndefined({
        diacritics: get('diacritics') || undefined, fuzzy: optionalBool(get('fuzzy')),
        minStemLen: optionalNumber(get('min_stem_len')), stem: optionalBool(get('stem')),
      }),
    };
    const e = validEntry(withoutUndefined(candidate), row.line, errors);
    if (e) entries.push(e);
  }
  if (errors.length > 0) throw new LexiconImportError(errors);
  return { entries, targets: [], skipped: [] };
}

// --- HurtLex ---------------------------------------------------------------------------------

/**
 * HurtLex categories with a counterpart in our taxonomy. The others (sexual and body terms,
 * professions, crime, sins…) describe insults to individuals, not groups: rows in them are
 * skipped and reported, not guessed at.
 */
export const HURTLEX_CATEGORY_MAP: Record<string, { category: CategoryCode; why: string } | undefined> = {
  ps: { category: 'NE.SLUR', why: 'HurtLex ps: negative stereotype / ethnic slur' },
  an: { category: 'DH.ANIMAL', why: 'HurtLex an: animal term used as an insult' },
  or: { category: 'DH.OBJECT', why: 'HurtLex or: plant term used as an insult' },
  dmc: { category: 'NE.ESSENCE', why: 'HurtLex dmc: moral and behavioural defect' },
  cds: { category: 'NE.SLUR', why: 'HurtLex cds: derogatory word' },
  dda: { category: 'NE.ESSENCE', why: 'HurtLex dda: descriptive derogatory word' },
  re: { category: 'DH.DEMON', why: 'HurtLex re: felony and crime term used of people' },
};

const HURTLEX_TARGET_CATEGORY = 'rci';

function parseHurtLex(text: string, options: ImportOptions): ImportResult {
  if (!options.lang) throw new LexiconImportError([{ line: 1, message: 'a HurtLex file does not say its language: give lang (en, ru, tr…)' }]);
  const lang = options.lang;
  const prefix = options.idPrefix ?? `hurtlex.${lang}`;
  const errors: LineError[] = [];
  const rows = readDelimited(text, '\t', errors);
  if (rows.length === 0) throw new LexiconImportError([{ line: 1, message: 'empty file' }]);
  const [header, ...data] = rows;
  const cols = columns(header!, {
    id: ['id'], pos: ['pos'], category: ['category'], stereotype: ['stereotype'], lemma: ['lemma'], level: ['level'],
  }, ['id', 'pos', 'category', 'stereotype', 'lemma', 'level']);
  const skipped: LineError[] = [];
  const entries: LexiconEntryData[] = [];
  const targets: TargetGroupData[] = [];
  for (const row of data) {
    const get = (k: string): string => cell(row, cols, k);
    if (row.cells.length !== header!.cells.length) {
      errors.push({ line: row.line, message: `expected ${header!.cells.length} tab-separated columns, found ${row.cells.length}` });
      continue;
    }
    const id = get('id');
    const lemma = get('lemma').toLowerCase();
    const category = get('category');
    const level = get('level');
    if (!/^[A-Za-z0-9_.-]+$/u.test(id)) { errors.push({ line: row.line, message: `id "${id}" must be letters, digits, _ . -` }); continue; }
    if (!lemma) { errors.push({ line: row.line, message: 'empty lemma' }); continue; }
    if (level !== 'conservative' && level !== 'inclusive') { errors.push({ line: row.line, message: `level must be conservative or inclusive, not "${level}"` }); continue; }
    if (!/^(yes|no)$/u.test(get('stereotype'))) { errors.push({ line: row.line, message: `stereotype must be yes or no, not "${get('stereotype')}"` }); continue; }
    if (category === HURTLEX_TARGET_CATEGORY) {
      const group = targetGroupSchema.safeParse({
        id: `${prefix}.${id}`, name: `${lemma} (HurtLex rci, unreviewed)`,
        terms: [{ lang, kind: 'demonym', terms: [lemma] }],
      });
      if (group.success) targets.push(group.data as TargetGroupData);
      else errors.push({ line: row.line, message: zodMessage(group.error) });
      continue;
    }
    const mapped = HURTLEX_CATEGORY_MAP[category];
    if (!mapped) { skipped.push({ line: row.line, message: `HurtLex category "${category}" has no counterpart in the taxonomy` }); continue; }
    const e = validEntry({
      id: `${prefix}.${id}`, version: 1, status: 'draft', lang, role: 'predicate', terms: [lemma],
      category: mapped.category, severity: (level === 'conservative' ? 3 : 2) as Severity,
      meaning: `HurtLex ${category} (${get('pos')}, ${level}${get('stereotype') === 'yes' ? ', stereotype' : ''})`,
      whyHarmful: `${mapped.why}. Machine-translated HurtLex data: review before use.`,
      source: { type: 'import', ref: `HurtLex ${id}`, citation: 'Bassignana, Basile & Patti (2018), HurtLex: A Multilingual Lexicon of Words to Hurt. CLiC-it.' },
    }, row.line, errors);
    if (e) entries.push(e);
  }
  if (errors.length > 0) throw new LexiconImportError(errors);
  return { entries, targets, skipped };
}

// --- PeaceTech-shaped CSV --------------------------------------------------------------------

function parsePeaceTech(text: string, options: ImportOptions): ImportResult {
  const errors: LineError[] = [];
  const rows = readDelimited(text, ',', errors);
  if (rows.length === 0) throw new LexiconImportError([{ line: 1, message: 'empty file' }]);
  const [header, ...data] = rows;
  const cols = columns(header!, {
    term: ['term'], lang: ['lang', 'language'], meaning: ['meaning'],
    why: ['why offensive', 'why it is offensive', 'why its offensive', 'why it s offensive', 'why_offensive'],
    alternatives: ['alternatives', 'alternative', 'alternative words'], context: ['context'],
    country: ['country'], period: ['period'], sourcePage: ['source page', 'source', 'page'],
  }, ['term', 'lang', 'meaning', 'why']);
  const prefix = options.idPrefix ?? 'peacetech';
  const entries: LexiconEntryData[] = [];
  for (const row of data) {
    const get = (k: string): string => cell(row, cols, k);
    const term = get('term').toLowerCase();
    const lang = get('lang').toLowerCase() || options.lang || '';
    const notes = withoutUndefined({
      alternatives: get('alternatives') || undefined, context: get('context') || undefined,
      country: get('country') || undefined, period: get('period') || undefined,
    });
    const e = validEntry({
      // Slurs name their target: they flag alone, as drafts for a curator to confirm.
      id: `${prefix}.${lang}.${row.line}`, version: 1, status: 'draft', lang, role: 'standalone', terms: term ? [term] : [],
      category: 'NE.SLUR', severity: 2, meaning: get('meaning'), whyHarmful: get('why'),
      source: { type: 'import', ref: get('sourcePage') ? `PeaceTech Lab lexicon, ${get('sourcePage')}` : 'PeaceTech Lab lexicon' },
      ...(notes ? { notes } : {}),
    }, row.line, errors);
    if (e && (!e.meaning.trim() || !e.whyHarmful.trim())) { errors.push({ line: row.line, message: 'meaning and why offensive are required' }); continue; }
    if (e) entries.push(e);
  }
  if (errors.length > 0) throw new LexiconImportError(errors);
  return { entries, targets: [], skipped: [] };
}

// --- export ------------------------------------------------------------------------------------

export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function exportLexicon(data: LexiconData, format: ExportFormat): string {
  return format === 'csv' ? entriesToCsv(data.entries) : JSON.stringify(data, null, 2) + '\n';
}

