/**
 * `npm run eval`: measures the engine on the evaluation set (eval/sets/*.jsonl), prints a table
 * per split, the misses and the false positives, writes a JSON report, and checks the figures
 * against eval/floors.json. Exit codes: 0 floors hold, 1 a figure is worse than its floor (named),
 * 2 usage error, invalid set or lexicon error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LexiconLoadError } from '../src/lexicon';
import { REPORT_SPLITS, reportJson, runEvaluation, type EvalRun, type LangKey, type ReportSplit } from './harness';
import { checkFloors, readFloors, updatedFloors, writeFloors, FLOORS_FILE } from './floors';
import { isFalsePositive, type Metrics, type PassageOutcome, type Ratio } from './metrics';
import { FILE_STEMS, KINDS, type FileStem, type Kind } from './passages';

const USAGE = `Usage: npm run eval -- [options]

Runs the evaluation set (eval/sets/*.jsonl) through the engine and checks eval/floors.json.

Options:
  --split dev|test|all   print and check only this split (default: tables for all three)
  --lang LIST            only these files, comma-separated: ${FILE_STEMS.join(', ')} (az = both az files)
  --kind LIST            only these kinds, comma-separated (floors are not checked)
  --quiet                tables only, no list of misses and false positives
  --json PATH            write the JSON report here (default: eval/out/report.json)
  --update-floors        record today's figures as the floors (whole set only)
  --allow-lower          with --update-floors: accept a figure worse than its floor on an unchanged set
  -h, --help             show this help

Exit codes: 0 floors hold, 1 a figure is worse than its floor, 2 usage, set or lexicon error.
`;

const DEFAULT_REPORT = path.join(__dirname, 'out', 'report.json');

class UsageError extends Error {}

interface Options {
  split: ReportSplit | null;
  files: FileStem[] | undefined;
  kinds: Kind[] | undefined;
  quiet: boolean;
  json: string;
  updateFloors: boolean;
  allowLower: boolean;
}

function list<T extends string>(value: string | undefined, known: readonly string[], what: string, expand: (v: string) => string[] = (v) => [v]): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean).flatMap(expand);
  const unknown = items.filter((i) => !known.includes(i));
  if (unknown.length || items.length === 0) throw new UsageError(`unknown ${what} "${unknown.join(', ') || value}" (known: ${known.join(', ')})`);
  return [...new Set(items)] as T[];
}

function parseOptions(argv: string[]): Options | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        split: { type: 'string' },
        lang: { type: 'string' },
        kind: { type: 'string' },
        quiet: { type: 'boolean' },
        json: { type: 'string' },
        'update-floors': { type: 'boolean' },
        'allow-lower': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  if (values.split !== undefined && !(REPORT_SPLITS as readonly string[]).includes(values.split)) {
    throw new UsageError(`--split must be dev, test or all, not "${values.split}"`);
  }
  const options: Options = {
    split: (values.split as ReportSplit | undefined) ?? null,
    files: list<FileStem>(values.lang, FILE_STEMS, 'language file', (v) => (v === 'az' ? ['az-Latn', 'az-Cyrl'] : [v])),
    kinds: list<Kind>(values.kind, KINDS, 'kind'),
    quiet: values.quiet ?? false,
    json: values.json ?? DEFAULT_REPORT,
    updateFloors: values['update-floors'] ?? false,
    allowLower: values['allow-lower'] ?? false,
  };
  if (options.updateFloors && (options.split || options.files || options.kinds)) {
    throw new UsageError('--update-floors measures the whole set: drop --split, --lang and --kind');
  }
  if (options.allowLower && !options.updateFloors) throw new UsageError('--allow-lower goes with --update-floors');
  return options;
}

// --- printing --------------------------------------------------------------------------------

const LABEL_WIDTH = 24;
const CELL_WIDTH = 16;

/** "  0.42 15/36   ": the value in a fixed column, n/d after it; "—" when nothing was measured. */
function cell(r: Ratio | undefined): string {
  const text = !r || r.value === null ? '   —' : `${r.value.toFixed(2)} ${r.n}/${r.d}`;
  return `  ${text}`.padEnd(CELL_WIDTH);
}

function row(label: string, cells: string[]): string {
  return `${label.padEnd(LABEL_WIDTH)}${cells.join('')}`.trimEnd();
}

function splitTable(run: EvalRun, split: ReportSplit): string[] {
  const columns: LangKey[] = ['all', ...run.files.map((f) => f.file)];
  const m = columns.map((c) => run.metrics[split][c]).filter((x): x is Metrics => x !== undefined);
  const line = (label: string, pick: (x: Metrics) => Ratio | undefined): string => row(label, m.map((x) => cell(pick(x))));
  const keys = (pick: (x: Metrics) => Record<string, Ratio>): string[] => [...new Set(m.flatMap((x) => Object.keys(pick(x))))];
  const out = [
    `== split ${split}: ${m[0]?.passages ?? 0} passages ==`,
    row('', columns.map((c) => `  ${c}`.padEnd(CELL_WIDTH))),
    line('recall', (x) => x.recall),
    line('precision', (x) => x.precision),
    line('category accuracy', (x) => x.categoryAccuracy),
    line('history flagged ↓', (x) => x.rates.history),
    line('mentions flagged ↓', (x) => x.rates.mentions),
    line('  neutral ↓', (x) => x.rates.neutral),
    line('  positive ↓', (x) => x.rates.positive),
    line('  other-sense ↓', (x) => x.rates.otherSense),
    line('counter unsignalled ↓', (x) => x.rates.counterUnsignalled),
    line('untargeted (unlisted)', (x) => x.untargeted),
    'recall by kind',
    ...KINDS.filter((k) => keys((x) => x.recallByKind).includes(k)).map((k) => line(`  ${k}`, (x) => x.recallByKind[k])),
    'recall by primary category',
    ...keys((x) => x.recallByCategory).sort().map((c) => line(`  ${c}`, (x) => x.recallByCategory[c])),
    'precision by flagged category',
    ...keys((x) => x.precisionByCategory).sort().map((c) => line(`  ${c}`, (x) => x.precisionByCategory[c])),
  ];
  return out;
}

function flagsText(o: PassageOutcome): string {
  if (o.harmful.length === 0) return 'no flag';
  return o.harmful.map((f) => {
    const signals = Object.entries(f.signals).filter(([, on]) => on).map(([s]) => s);
    return `${f.category} "${f.exact}"${signals.length ? ` [${signals.join(',')}]` : ''}`;
  }).join('; ');
}

function listing(title: string, items: PassageOutcome[]): string[] {
  if (items.length === 0) return [`${title}: none`];
  return [`${title}: ${items.length}`, ...items.map((o) => {
    const p = o.passage;
    const cats = p.categories.length ? ` [${p.categories.join(',')}]` : '';
    return `  ${p.id} ${p.split} ${p.kind}${cats} ${p.group}: ${JSON.stringify(p.text)}\n      → ${flagsText(o)}`;
  })];
}

function details(run: EvalRun, split: ReportSplit): string[] {
  const of = run.outcomes.filter((o) => split === 'all' || o.passage.split === split);
  return [
    ...listing(`Misses in ${split} (must flag, not flagged)`, of.filter((o) => o.passage.expect === 'flag' && !o.flagged)),
    ...listing(`Wrong category in ${split} (flagged, no flag of an accepted category)`, of.filter((o) => o.flagged && o.passage.expect === 'flag' && !o.categoryOk)),
    ...listing(`False positives in ${split} (must-not-flag flagged; counter-speech flagged without a signal)`, of.filter(isFalsePositive)),
  ];
}

// --- main ------------------------------------------------------------------------------------

export function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`), err: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): number {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`eval: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') { out(USAGE); return 0; }

  let run: EvalRun;
  try {
    run = runEvaluation({ files: options.files, kinds: options.kinds });
  } catch (e) {
    if (!(e instanceof LexiconLoadError)) throw e;
    err(`eval: lexicon: ${e.message}`);
    return 2;
  }
  if (run.problems.length) {
    err(`eval: the set has ${run.problems.length} problem(s); fix them first:`);
    for (const p of run.problems) err(`  ${p}`);
    return 2;
  }
  if (run.files.length === 0) { err('eval: no set files to measure'); return 2; }

  const splits = options.split ? [options.split] : REPORT_SPLITS;
  out(`Lexwatch evaluation: lexicon ${run.lexicon.id} ${run.lexicon.version} + eval/targets.json`);
  out(`Set: ${run.outcomes.length} passages (${run.files.map((f) => `${f.file} ${f.passages}`).join(', ')})`
    + `${options.kinds ? `, kinds ${options.kinds.join(', ')}` : ''}; analysed in ${run.analysisMs.toFixed(0)} ms`);
  out('Cells: value n/d. ↓ = lower is better.');
  for (const split of splits) out(['', ...splitTable(run, split)].join('\n'));
  if (!options.quiet) out(['', ...details(run, options.split ?? 'all')].join('\n'));

  const reportFile = path.resolve(options.json);
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  fs.writeFileSync(reportFile, `${JSON.stringify(reportJson(run, { files: options.files, kinds: options.kinds }), null, 1)}\n`);
  out(`\nReport: ${path.relative(process.cwd(), reportFile) || reportFile}`);

  if (options.updateFloors) {
    const { floors, refused } = updatedFloors(run, readFloors(), options.allowLower);
    if (refused.length) {
      err('eval: not recording floors: figures got worse on an unchanged set (an engine regression?). Use --allow-lower if that is intended:');
      for (const r of refused) err(`  ${r}`);
      return 1;
    }
    writeFloors(floors);
    out(`Floors recorded in ${path.relative(process.cwd(), FLOORS_FILE)}.`);
    return 0;
  }
  if (options.kinds) { out('Floors not checked (--kind measures part of the set).'); return 0; }
  const langKeys: LangKey[] = [...(options.files ? [] : ['all' as const]), ...run.files.map((f) => f.file)];
  const failures = checkFloors(run, readFloors(), { splits, langKeys });
  if (failures.length) {
    err(`\neval: ${failures.length} figure(s) worse than the floors in eval/floors.json:`);
    for (const f of failures) err(`  ${f}`);
    return 1;
  }
  out('Floors: every figure holds.');
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
