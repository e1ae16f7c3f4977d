/**
 * Loading lexicons from disk (the analysis core does no I/O). A lexicon is either
 *   - a directory: manifest.json ({id, version, name, description}), predicates/*.json (arrays
 *     of entries) and targets/*.json (arrays of target groups); or
 *   - a file: one JSON LexiconData, or a bare array of entries.
 * Every record is validated; errors name the file and the entry id or index.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { FrameData, LexiconData, LexiconEntryData, TargetGroupData, WordClassData } from '../analyze/types';
import { entrySchema, frameSchema, manifestSchema, targetGroupSchema, wordClassSchema } from './schema';

export class LexiconLoadError extends Error {
  override readonly name = 'LexiconLoadError';
}

function findRepoRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(from, '..', '..');
    dir = parent;
  }
}

/** <repo>/lexicons/starter, found from this file whether run from src/ or dist/. */
export const DEFAULT_LEXICON_DIR = path.join(findRepoRoot(__dirname), 'lexicons', 'starter');

function readJson(file: string): unknown {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new LexiconLoadError(`${file}: cannot read (${(err as Error).message})`);
  }
  try {
    return JSON.parse(raw.replace(/^\uFEFF/u, ''));
  } catch (err) {
    throw new LexiconLoadError(`${file}: invalid JSON (${(err as Error).message})`);
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

function labelOf(item: unknown, index: number): string {
  const id = typeof item === 'object' && item !== null && 'id' in item ? (item as { id: unknown }).id : undefined;
  return typeof id === 'string' ? `"${id}" (index ${index})` : `index ${index}`;
}

function validateArray<T>(file: string, value: unknown, schema: z.ZodType<T>, what: string): T[] {
  if (!Array.isArray(value)) throw new LexiconLoadError(`${file}: expected an array of ${what}s`);
  return value.map((item, index) => {
    const r = schema.safeParse(item);
    if (!r.success) throw new LexiconLoadError(`${file}: ${what} ${labelOf(item, index)}: ${describeIssues(r.error)}`);
    return r.data;
  });
}

function jsonFilesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(dir, f));
}

function checkUniqueIds(items: Array<{ id: string }>, what: string, where: string): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.id)) throw new LexiconLoadError(`${where}: duplicate ${what} id "${item.id}"`);
    seen.add(item.id);
  }
}

function loadDirectory(dir: string): LexiconData {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new LexiconLoadError(`${dir}: no manifest.json`);
  const m = manifestSchema.safeParse(readJson(manifestFile));
  if (!m.success) throw new LexiconLoadError(`${manifestFile}: ${describeIssues(m.error)}`);
  const entries = jsonFilesIn(path.join(dir, 'predicates'))
    .flatMap((f) => validateArray(f, readJson(f), entrySchema, 'entry') as LexiconEntryData[]);
  const targets = jsonFilesIn(path.join(dir, 'targets')).flatMap((f) => loadTargets(f));
  const classes = jsonFilesIn(path.join(dir, 'classes'))
    .flatMap((f) => validateArray(f, readJson(f), wordClassSchema, 'word class') as WordClassData[]);
  const frames = jsonFilesIn(path.join(dir, 'frames'))
    .flatMap((f) => validateArray(f, readJson(f), frameSchema, 'frame') as FrameData[]);
  checkUniqueIds(entries, 'entry', dir);
  checkUniqueIds(targets, 'target group', dir);
  checkUniqueIds(frames, 'frame', dir);
  checkUniqueIds(classes.map((c) => ({ id: `${c.lang}/${c.id}` })), 'word class', dir);
  return { id: m.data.id, version: m.data.version, name: m.data.name, description: m.data.description, entries, targets, classes, frames };
}

function loadFile(file: string): LexiconData {
  const json = readJson(file);
  if (Array.isArray(json)) {
    const entries = validateArray(file, json, entrySchema, 'entry') as LexiconEntryData[];
    checkUniqueIds(entries, 'entry', file);
    const id = path.basename(file, path.extname(file));
    return { id, version: '0', name: id, entries, targets: [] };
  }
  const head = manifestSchema.safeParse(json);
  if (!head.success) throw new LexiconLoadError(`${file}: ${describeIssues(head.error)}`);
  const body = json as { entries?: unknown; targets?: unknown; classes?: unknown; frames?: unknown };
  const entries = validateArray(file, body.entries ?? [], entrySchema, 'entry') as LexiconEntryData[];
  const targets = validateArray(file, body.targets ?? [], targetGroupSchema, 'target group') as TargetGroupData[];
  const classes = validateArray(file, body.classes ?? [], wordClassSchema, 'word class') as WordClassData[];
  const frames = validateArray(file, body.frames ?? [], frameSchema, 'frame') as FrameData[];
  checkUniqueIds(entries, 'entry', file);
  checkUniqueIds(frames, 'frame', file);
  return { id: head.data.id, version: head.data.version, name: head.data.name, description: head.data.description, entries, targets, classes, frames };
}

/** Loads and validates a lexicon directory or file (default: the starter lexicon). */
export function loadLexicon(pathOrDir: string = DEFAULT_LEXICON_DIR): LexiconData {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(pathOrDir);
  } catch {
    throw new LexiconLoadError(`${pathOrDir}: no such lexicon file or directory`);
  }
  return stat.isDirectory() ? loadDirectory(pathOrDir) : loadFile(pathOrDir);
}

/** Loads a JSON array of target groups. */
export function loadTargets(file: string): TargetGroupData[] {
  return validateArray(file, readJson(file), targetGroupSchema, 'target group') as TargetGroupData[];
}

/** Target groups from `extra` replace same-id groups of the lexicon and add the others. */
export function withTargets(lexicon: LexiconData, extra: TargetGroupData[]): LexiconData {
  const ids = new Set(extra.map((g) => g.id));
  return { ...lexicon, targets: [...lexicon.targets.filter((g) => !ids.has(g.id)), ...extra] };
}
