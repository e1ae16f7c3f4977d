/**
 * The evaluation set: one JSONL file per language and script in eval/sets/, one labelled passage
 * per line (format in eval/README.md). Loading validates every line, so the harness never
 * measures a set it cannot read exactly.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CATEGORY_CODES } from '../src/analyze/types';

export const SETS_DIR = path.join(__dirname, 'sets');

/** Every file the set may have: file stem → the `lang` its lines carry. */
export const LANGUAGE_FILE_LANGS = {
  en: 'en', ru: 'ru', tr: 'tr', 'az-Latn': 'az', 'az-Cyrl': 'az', hy: 'hy',
} as const satisfies Record<string, string>;
export type FileStem = keyof typeof LANGUAGE_FILE_LANGS;
export const FILE_STEMS = Object.keys(LANGUAGE_FILE_LANGS) as FileStem[];

export const FLAG_KINDS = [
  'dehumanization', 'worthless', 'threat', 'call', 'eradication', 'glorification', 'justification',
  'denial', 'hate-emotion', 'negative-attribute', 'opinion-question', 'obfuscated', 'mirror',
  'collective-guilt', 'purity', 'heritage-destruction', 'desecration', 'slur', 'coded',
] as const;
export const NONE_KINDS = ['history', 'neutral', 'positive', 'other-sense'] as const;
export const SIGNAL_KINDS = ['counter-speech'] as const;
export const KINDS = [...FLAG_KINDS, ...NONE_KINDS, ...SIGNAL_KINDS] as const;
export type Kind = (typeof KINDS)[number];

export type Expect = 'flag' | 'none' | 'signal';
export const EXPECT_OF_KIND: Record<Kind, Expect> = Object.fromEntries([
  ...FLAG_KINDS.map((k) => [k, 'flag']),
  ...NONE_KINDS.map((k) => [k, 'none']),
  ...SIGNAL_KINDS.map((k) => [k, 'signal']),
]) as Record<Kind, Expect>;

/** The lexicon's codes plus two the set uses before the engine has them: VI.CALL (a call for
 *  violence short of eradication) and NE.HATE (expressed hatred, contempt or disgust). */
export const EVAL_CATEGORY_CODES: readonly string[] = [...CATEGORY_CODES, 'VI.CALL', 'NE.HATE'];

export const SPLITS = ['dev', 'test'] as const;
export type Split = (typeof SPLITS)[number];
export const GROUPS = ['listed', 'unlisted', 'pronoun', 'none'] as const;
export type GroupKind = (typeof GROUPS)[number];
export const SOURCES = ['statement', 'textbook'] as const;

export interface Passage {
  id: string;
  lang: string;
  script?: string;
  split: Split;
  expect: Expect;
  kind: Kind;
  categories: string[];
  group: GroupKind;
  source: (typeof SOURCES)[number];
  text: string;
  note?: string;
  /** Where it came from (not in the file): its file stem and 1-based line. */
  file: FileStem;
  line: number;
}

export interface SetFile {
  file: FileStem;
  passages: number;
  /** sha256 of the file's bytes: floors remember which set they were measured on. */
  sha256: string;
}

export interface LoadedSet {
  passages: Passage[];
  files: SetFile[];
  /** Every problem found, as "file:line: message". Empty for a valid set. */
  problems: string[];
}

const KEYS = new Set(['id', 'lang', 'script', 'split', 'expect', 'kind', 'categories', 'group', 'source', 'text', 'note']);

function oneOf<T extends string>(values: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (values as readonly string[]).includes(v);
}

/** Problems with one parsed line (empty = valid). */
function lineProblems(rec: Record<string, unknown>, stem: FileStem): string[] {
  const p: string[] = [];
  for (const key of Object.keys(rec)) if (!KEYS.has(key)) p.push(`unknown field "${key}"`);
  if (typeof rec.id !== 'string' || !new RegExp(`^${stem}-\\d{4}$`).test(rec.id)) p.push(`"id" must be "${stem}-" and 4 digits`);
  if (rec.lang !== LANGUAGE_FILE_LANGS[stem]) p.push(`"lang" must be "${LANGUAGE_FILE_LANGS[stem]}" in ${stem}.jsonl`);
  if (stem === 'az-Cyrl' ? rec.script !== 'Cyrl' : rec.script !== undefined && rec.script !== 'Latn') {
    p.push(stem === 'az-Cyrl' ? '"script" must be "Cyrl" in az-Cyrl.jsonl' : '"script" may only be "Latn" here');
  }
  if (!oneOf(SPLITS, rec.split)) p.push(`"split" must be one of ${SPLITS.join(', ')}`);
  if (!oneOf(KINDS, rec.kind)) p.push(`unknown "kind" ${JSON.stringify(rec.kind)}`);
  else if (rec.expect !== EXPECT_OF_KIND[rec.kind]) p.push(`kind "${rec.kind}" needs "expect": "${EXPECT_OF_KIND[rec.kind]}"`);
  if (!Array.isArray(rec.categories) || !rec.categories.every((c) => typeof c === 'string')) {
    p.push('"categories" must be an array of codes');
  } else {
    const unknown = rec.categories.filter((c: string) => !EVAL_CATEGORY_CODES.includes(c));
    if (unknown.length) p.push(`unknown categories ${unknown.join(', ')}`);
    if (rec.expect === 'flag' && rec.categories.length === 0) p.push('a passage that must be flagged needs its categories');
    if (rec.expect !== 'flag' && rec.categories.length > 0) p.push('only passages that must be flagged have categories');
    if (new Set(rec.categories).size !== rec.categories.length) p.push('a category is listed twice');
  }
  if (!oneOf(GROUPS, rec.group)) p.push(`"group" must be one of ${GROUPS.join(', ')}`);
  if (!oneOf(SOURCES, rec.source)) p.push(`"source" must be one of ${SOURCES.join(', ')}`);
  if (typeof rec.text !== 'string' || rec.text.trim() === '') p.push('"text" must be a non-empty string');
  else if (rec.text.normalize('NFC') !== rec.text) p.push('"text" is not NFC');
  if (rec.note !== undefined && typeof rec.note !== 'string') p.push('"note" must be a string');
  return p;
}

/** Reads one set file; problems go to `problems` and bad lines are left out. */
export function readSetFile(file: string, stem: FileStem, problems: string[]): { passages: Passage[]; sha256: string } {
  const bytes = fs.readFileSync(file);
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const passages: Passage[] = [];
  const lines = bytes.toString('utf8').split('\n');
  lines.forEach((raw, index) => {
    const where = `${stem}.jsonl:${index + 1}`;
    if (raw.trim() === '') {
      if (index < lines.length - 1) problems.push(`${where}: blank line`);
      return;
    }
    let rec: unknown;
    try {
      rec = JSON.parse(raw);
    } catch (err) {
      problems.push(`${where}: invalid JSON (${(err as Error).message})`);
      return;
    }
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
      problems.push(`${where}: expected one JSON object`);
      return;
    }
    const found = lineProblems(rec as Record<string, unknown>, stem);
    for (const message of found) problems.push(`${where}: ${message}`);
    if (found.length === 0) passages.push({ ...(rec as Omit<Passage, 'file' | 'line'>), file: stem, line: index + 1 });
  });
  return { passages, sha256 };
}

/** Loads every *.jsonl in `dir`, in FILE_STEMS order. Ids must be unique across files. */
export function loadSet(dir: string = SETS_DIR): LoadedSet {
  const problems: string[] = [];
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')) : [];
  for (const name of names) {
    if (!(FILE_STEMS as string[]).includes(name.slice(0, -'.jsonl'.length))) {
      problems.push(`${name}: not a set file (expected one of ${FILE_STEMS.map((s) => `${s}.jsonl`).join(', ')})`);
    }
  }
  const passages: Passage[] = [];
  const files: SetFile[] = [];
  for (const stem of FILE_STEMS) {
    if (!names.includes(`${stem}.jsonl`)) continue;
    const read = readSetFile(path.join(dir, `${stem}.jsonl`), stem, problems);
    passages.push(...read.passages);
    files.push({ file: stem, passages: read.passages.length, sha256: read.sha256 });
  }
  const seen = new Map<string, string>();
  for (const p of passages) {
    const where = `${p.file}.jsonl:${p.line}`;
    const first = seen.get(p.id);
    if (first) problems.push(`${where}: duplicate id "${p.id}" (first at ${first})`);
    else seen.set(p.id, where);
  }
  return { passages, files, problems };
}
