/**
 * Runs the evaluation set through the engine and measures it: the starter lexicon plus
 * eval/targets.json (as `lexwatch analyze --targets` would load them), every passage through
 * analyzePassage, metrics per split (dev, test, all) and per file, with an all-files column.
 * Used in-process by eval/run.ts (npm run eval) and by test/eval/floors.test.ts.
 */
import path from 'node:path';
import { compileLexicon } from '../src/analyze';
import { DEFAULT_LEXICON_DIR, loadLexicon, loadTargets, withTargets } from '../src/lexicon';
import { analyzePassage } from './analyze-passage';
import { computeMetrics, outcomeOf, type Metrics, type PassageOutcome } from './metrics';
import { loadSet, SETS_DIR, type FileStem, type Kind, type SetFile } from './passages';

export const TARGETS_FILE = path.join(__dirname, 'targets.json');
export const REPORT_SPLITS = ['dev', 'test', 'all'] as const;
export type ReportSplit = (typeof REPORT_SPLITS)[number];
/** Metrics columns: 'all' (every file measured) and one per file stem. */
export type LangKey = 'all' | FileStem;

export interface EvalOptions {
  setsDir?: string;
  lexicon?: string;
  targets?: string;
  /** Only these files (default: every file present). */
  files?: FileStem[];
  /** Only these kinds (default: all). */
  kinds?: Kind[];
}

export interface EvalRun {
  lexicon: { id: string; version: string; warnings: string[] };
  files: SetFile[];
  /** Problems with the set itself; lines with a problem are not measured. */
  problems: string[];
  outcomes: PassageOutcome[];
  metrics: Record<ReportSplit, Partial<Record<LangKey, Metrics>>>;
  /** Analysis time of all passages, ms. */
  analysisMs: number;
}

export function runEvaluation(options: EvalOptions = {}): EvalRun {
  const data = withTargets(loadLexicon(options.lexicon ?? DEFAULT_LEXICON_DIR), loadTargets(options.targets ?? TARGETS_FILE));
  const lexicon = compileLexicon(data);
  const set = loadSet(options.setsDir ?? SETS_DIR);
  const files = options.files ? set.files.filter((f) => options.files!.includes(f.file)) : set.files;
  const passages = set.passages.filter((p) =>
    files.some((f) => f.file === p.file) && (!options.kinds || options.kinds.includes(p.kind)));

  const started = process.hrtime.bigint();
  const outcomes = passages.map((p) => outcomeOf(p, analyzePassage(p.text, lexicon, p)));
  const analysisMs = Number(process.hrtime.bigint() - started) / 1e6;

  const metrics = {} as EvalRun['metrics'];
  for (const split of REPORT_SPLITS) {
    const inSplit = split === 'all' ? outcomes : outcomes.filter((o) => o.passage.split === split);
    const columns: Partial<Record<LangKey, Metrics>> = { all: computeMetrics(inSplit) };
    for (const f of files) columns[f.file] = computeMetrics(inSplit.filter((o) => o.passage.file === f.file));
    metrics[split] = columns;
  }
  return {
    lexicon: { id: data.id, version: data.version, warnings: lexicon.warnings },
    files, problems: set.problems, outcomes, metrics, analysisMs,
  };
}

/** The JSON report (eval/out/report.json): figures, and every passage with what was flagged. */
export function reportJson(run: EvalRun, filters: { files?: FileStem[]; kinds?: Kind[] }): unknown {
  return {
    lexicon: { id: run.lexicon.id, version: run.lexicon.version },
    targets: 'eval/targets.json',
    files: run.files,
    filters,
    problems: run.problems,
    metrics: run.metrics,
    passages: run.outcomes.map((o) => ({
      id: o.passage.id,
      split: o.passage.split,
      kind: o.passage.kind,
      expect: o.passage.expect,
      group: o.passage.group,
      categories: o.passage.categories,
      detectedLang: o.analysis.lang,
      flagged: o.flagged,
      ok: o.ok,
      categoryOk: o.categoryOk,
      flags: o.analysis.flags,
    })),
  };
}
