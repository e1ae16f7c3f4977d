/**
 * Floors: eval/floors.json records, per split and file (and for all files together), a bound
 * for each headline figure: a minimum for recall, precision, category accuracy and the
 * untargeted share, a maximum for the flagged/unsignalled rates. A run fails when a figure is
 * worse than its bound. Floors also record the sha256 of each set file they were measured on:
 * a changed set needs floors recorded again, in the same commit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPORT_SPLITS, type EvalRun, type LangKey, type ReportSplit } from './harness';
import { headlineFigures, type Figure } from './metrics';

export const FLOORS_FILE = path.join(__dirname, 'floors.json');

export type Bound = { min: number } | { max: number };

export interface FloorsData {
  note: string;
  lexicon: string;
  /** File stem → sha256 of the set file the floors were measured on. */
  sets: Record<string, string>;
  floors: Partial<Record<ReportSplit, Partial<Record<LangKey, Record<string, Bound>>>>>;
}

export interface FloorScope {
  splits: readonly ReportSplit[];
  /** 'all' only when every file was measured. */
  langKeys: readonly LangKey[];
}

const EPSILON = 1e-9;
const NOTE = 'Written by `npm run eval -- --update-floors` (see eval/README.md). Bounds on today\'s figures: min for recall, precision, categoryAccuracy and untargeted; max for the *Flagged and counterUnsignalled rates.';

export function readFloors(file: string = FLOORS_FILE): FloorsData | null {
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as FloorsData;
}

export function writeFloors(floors: FloorsData, file: string = FLOORS_FILE): void {
  // One bound a line: {"min": 0.5} stays on the figure's line, so a diff shows what moved.
  const text = JSON.stringify(floors, null, 2).replace(/\{\n\s*("min"|"max"): (-?[\d.e-]+)\n\s*\}/g, '{ $1: $2 }');
  fs.writeFileSync(file, `${text}\n`);
}

/** Today's value as a bound: rounded to 4 places in the direction that today's value passes. */
function boundOf(figure: Figure): Bound | null {
  const v = figure.ratio.value;
  if (v === null) return null;
  return figure.better === 'higher'
    ? { min: Math.floor(v * 1e4 + EPSILON) / 1e4 }
    : { max: Math.ceil(v * 1e4 - EPSILON) / 1e4 };
}

function describe(v: number): string {
  return v.toFixed(4);
}

/** Why `figure` fails `bound`, or null if it passes. */
function violation(name: string, figure: Figure, bound: Bound): string | null {
  const { value, n, d } = figure.ratio;
  if (value === null) return `${name}: nothing measured (0 passages), but a bound is recorded`;
  if ('min' in bound && value + EPSILON < bound.min) return `${name} ${describe(value)} (${n}/${d}) is below its floor ${describe(bound.min)}`;
  if ('max' in bound && value - EPSILON > bound.max) return `${name} ${describe(value)} (${n}/${d}) is above its ceiling ${describe(bound.max)}`;
  return null;
}

/** Files whose content differs from what `floors` were measured on, for the columns in scope. */
function setChanges(run: EvalRun, floors: FloorsData, langKeys: readonly LangKey[]): string[] {
  const changes: string[] = [];
  const stems = langKeys.includes('all') ? [...new Set([...run.files.map((f) => f.file), ...Object.keys(floors.sets)])] : langKeys;
  for (const stem of stems) {
    const file = run.files.find((f) => f.file === stem);
    const recorded = floors.sets[stem];
    if (!file) changes.push(`eval/sets/${stem}.jsonl has floors but is not in the set`);
    else if (!recorded) changes.push(`eval/sets/${stem}.jsonl has no floors yet`);
    else if (recorded !== file.sha256) changes.push(`eval/sets/${stem}.jsonl changed since its floors were recorded`);
  }
  return changes;
}

function* figuresInScope(run: EvalRun, scope: FloorScope): Generator<[ReportSplit, LangKey, string, Figure]> {
  for (const split of scope.splits) {
    for (const langKey of scope.langKeys) {
      const metrics = run.metrics[split][langKey];
      if (!metrics) continue;
      for (const [name, figure] of Object.entries(headlineFigures(metrics, langKey === 'all'))) yield [split, langKey, name, figure];
    }
  }
}

/** Every way `run` falls short of `floors` within `scope`; empty = all floors hold. */
export function checkFloors(run: EvalRun, floors: FloorsData | null, scope: FloorScope): string[] {
  if (!floors) return ['eval/floors.json is missing: run `npm run eval -- --update-floors`'];
  const changes = setChanges(run, floors, scope.langKeys);
  if (changes.length) return changes.map((c) => `${c}: run \`npm run eval -- --update-floors\` and commit the set and eval/floors.json together`);
  const failures: string[] = [];
  const seen = new Set<string>();
  for (const [split, langKey, name, figure] of figuresInScope(run, scope)) {
    const label = `${split}/${langKey} ${name}`;
    seen.add(label);
    const bound = floors.floors[split]?.[langKey]?.[name];
    if (!bound) {
      if (figure.ratio.value !== null) failures.push(`${label}: no floor recorded`);
      continue;
    }
    const why = violation(label, figure, bound);
    if (why) failures.push(why);
  }
  // A bound whose figure is gone (a kind no longer in the set) is a failure too.
  for (const split of scope.splits) {
    for (const langKey of scope.langKeys) {
      for (const name of Object.keys(floors.floors[split]?.[langKey] ?? {})) {
        if (!seen.has(`${split}/${langKey} ${name}`)) failures.push(`${split}/${langKey} ${name}: floor recorded, figure no longer measured`);
      }
    }
  }
  return failures;
}

/**
 * Floors at today's figures. A figure worse than its previous floor on an unchanged set file is
 * an engine regression, not a new measure: it is listed in `refused` (and the caller writes
 * nothing) unless `allowLower`.
 */
export function updatedFloors(run: EvalRun, previous: FloorsData | null, allowLower: boolean): { floors: FloorsData; refused: string[] } {
  const langKeys: LangKey[] = ['all', ...run.files.map((f) => f.file)];
  const floors: FloorsData = {
    note: NOTE,
    lexicon: `${run.lexicon.id} ${run.lexicon.version}`,
    sets: Object.fromEntries(run.files.map((f) => [f.file, f.sha256])),
    floors: {},
  };
  const refused: string[] = [];
  for (const [split, langKey, name, figure] of figuresInScope(run, { splits: REPORT_SPLITS, langKeys })) {
    const bound = boundOf(figure);
    if (!bound) continue;
    const column = ((floors.floors[split] ??= {})[langKey] ??= {});
    column[name] = bound;
    const before = previous?.floors[split]?.[langKey]?.[name];
    const sameSet = previous !== null && setChanges(run, previous, [langKey]).length === 0;
    const why = before && sameSet ? violation(`${split}/${langKey} ${name}`, figure, before) : null;
    if (why && !allowLower) refused.push(why);
  }
  return { floors, refused };
}
