/**
 * `lexwatch analyze`: flags in files or JSONL on stdin, no server and no database.
 * stdout carries only data; usage, warnings and errors go to stderr.
 * Exit codes: 0 ok, 1 some input could not be analysed, 2 usage or lexicon error.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { analyzePage, compileLexicon, type AnalysisFlag, type CompiledLexicon } from '../analyze';
import { runCapture } from './capture';
import { runVerifyDossier } from './verify-dossier';
import { runKeys } from './keys';
import { DEFAULT_LEXICON_DIR, LexiconLoadError, loadLexicon, loadTargets, withTargets } from '../lexicon';
import { progressBar } from './progress';
import { runLexicon } from './lexicon';

export const USAGE = `Usage: lexwatch analyze <files…> [options]
       lexwatch analyze --stdin [options]
       lexwatch verify-dossier FILE.zip   (see lexwatch verify-dossier --help)
       lexwatch lexicon import|export …   (see lexwatch lexicon --help)
       lexwatch keys create [--out DIR]   (see lexwatch keys --help)
       lexwatch capture URL [--speaker …]  (through a running service; see lexwatch capture --help)

Flags candidate hate speech and dehumanizing language for human review.

Options:
  --format table|jsonl  output format for files (default: table)
  --stdin               read JSONL {"id","text","lang"?} from stdin, write one JSONL
                        line {"id","lang","flags"} per input line
  --lexicon DIR|FILE    lexicon directory or JSON file (default: lexicons/starter)
  --targets FILE        extra target groups (JSON array); same ids replace the lexicon's
  --lang L              analyse every page as language L (default: detect per page)
  --obfuscation on|off  undo leetspeak, spaced letters and run-together words before
                        matching (default: on; hits on repaired words carry "fuzzy")
  -h, --help            show this help

Exit codes: 0 ok, 1 some input failed (reported on stderr or as {"error"} lines), 2 usage.
`;

export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

class UsageError extends Error {}

interface Options {
  files: string[];
  format: 'table' | 'jsonl';
  stdin: boolean;
  lexicon: string;
  targets: string | undefined;
  lang: string | undefined;
  obfuscation: boolean;
}

function parseOptions(argv: string[]): Options | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        stdin: { type: 'boolean' },
        lexicon: { type: 'string' },
        targets: { type: 'string' },
        lang: { type: 'string' },
        obfuscation: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [command, ...files] = positionals;
  if (command === undefined) throw new UsageError('missing command');
  if (command !== 'analyze') throw new UsageError(`unknown command "${command}"`);
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'jsonl') throw new UsageError(`--format must be table or jsonl, not "${format}"`);
  if (values.stdin && files.length > 0) throw new UsageError('give either files or --stdin, not both');
  if (!values.stdin && files.length === 0) throw new UsageError('no input files (or use --stdin)');
  const obfuscation = values.obfuscation ?? 'on';
  if (obfuscation !== 'on' && obfuscation !== 'off') throw new UsageError(`--obfuscation must be on or off, not "${obfuscation}"`);
  return {
    files, format, stdin: values.stdin ?? false,
    lexicon: values.lexicon ?? DEFAULT_LEXICON_DIR, targets: values.targets, lang: values.lang,
    obfuscation: obfuscation === 'on',
  };
}

/** Writes respecting back-pressure, so large outputs to a pipe do not buffer in memory. */
async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

export async function run(argv: string[], io: CliIO = process): Promise<number> {
  if (argv[0] === 'verify-dossier') return runVerifyDossier(argv.slice(1), io);
  if (argv[0] === 'lexicon') return runLexicon(argv.slice(1), io);
  if (argv[0] === 'keys') return runKeys(argv.slice(1), io);
  if (argv[0] === 'capture') return runCapture(argv.slice(1), io);
  let opts: Options | 'help';
  try {
    opts = parseOptions(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`lexwatch: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (opts === 'help') { io.stdout.write(USAGE); return 0; }

  let lexicon: CompiledLexicon;
  try {
    let data = loadLexicon(opts.lexicon);
    if (opts.targets) data = withTargets(data, loadTargets(opts.targets));
    lexicon = compileLexicon(data);
  } catch (err) {
    if (!(err instanceof LexiconLoadError)) throw err;
    io.stderr.write(`lexwatch: lexicon: ${err.message}\n`);
    return 2;
  }
  for (const w of lexicon.warnings) io.stderr.write(`lexwatch: lexicon warning: ${w}\n`);

  return opts.stdin ? analyzeStdin(io, lexicon, opts) : analyzeFiles(io, lexicon, opts);
}

async function analyzeStdin(io: CliIO, lexicon: CompiledLexicon, opts: Options): Promise<number> {
  const forcedLang = opts.lang;
  let failed = false;
  let lineNo = 0;
  const lines = readline.createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let id: unknown = null;
    try {
      const input = JSON.parse(line) as unknown;
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('expected a JSON object');
      const rec = input as { id?: unknown; text?: unknown; lang?: unknown };
      id = rec.id ?? null;
      if (typeof rec.id !== 'string' && typeof rec.id !== 'number') throw new Error('"id" must be a string or number');
      if (typeof rec.text !== 'string') throw new Error('"text" must be a string');
      if (rec.lang !== undefined && rec.lang !== null && typeof rec.lang !== 'string') throw new Error('"lang" must be a string');
      const lang = forcedLang ?? (rec.lang as string | null | undefined);
      const result = analyzePage(rec.text.normalize('NFC'), lexicon, { obfuscation: opts.obfuscation, ...(lang === undefined ? {} : { lang }) });
      await write(io.stdout, `${JSON.stringify({ id: rec.id, lang: result.lang, flags: result.flags })}\n`);
    } catch (err) {
      failed = true;
      const message = err instanceof SyntaxError ? `invalid JSON: ${err.message}` : (err as Error).message;
      await write(io.stdout, `${JSON.stringify({ id, line: lineNo, error: message })}\n`);
    }
  }
  return failed ? 1 : 0;
}

async function analyzeFiles(io: CliIO, lexicon: CompiledLexicon, opts: Options): Promise<number> {
  // Loaded only in files mode: the PDF extractor is heavy and --stdin never needs it.
  // (require, not import(): tsx and ts-jest keep import() as a real ESM import.)
   
  const { extractPages } = require('../extract') as typeof import('../extract');
   
  const { sniffType } = require('../ingest/sniff') as typeof import('../ingest/sniff');
  let failed = false;
  if (opts.format === 'table') await write(io.stdout, tableHeader());
  for (const file of opts.files) {
    try {
      const bytes = fs.readFileSync(file);
      const type = sniffType(bytes);
      if (type !== 'pdf' && type !== 'text') throw new Error(`unsupported file type (${type ?? 'unknown'}); expected PDF or plain text`);
      const pages = await extractPages(bytes, type);
      const progress = progressBar(io.stderr, pages.length, file);
      let done = 0;
      for (const page of pages) {
        progress.tick(done++);
        const result = analyzePage(page.text, lexicon, { obfuscation: opts.obfuscation, ...(opts.lang ? { lang: opts.lang } : {}) });
        for (const flag of result.flags) {
          const line = opts.format === 'jsonl'
            ? `${JSON.stringify({ file, page: page.index, label: page.label, flag })}\n`
            : tableRow(file, page.index, page.label, flag);
          await write(io.stdout, line);
        }
      }
      progress.tick(done);
      progress.finish();
    } catch (err) {
      failed = true;
      io.stderr.write(`lexwatch: ${file}: ${(err as Error).message}\n`);
    }
  }
  return failed ? 1 : 0;
}

function tableHeader(): string {
  return `${['LOCATION', 'CATEGORY', 'SEV', 'PRIO', 'SIGNALS', 'TARGETS', 'RULES', 'TEXT'].join('\t')}\n`;
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/gu, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function tableRow(file: string, index: number, label: string | null, f: AnalysisFlag): string {
  const signals = (Object.keys(f.signals) as Array<keyof typeof f.signals>).filter((k) => f.signals[k]).join(',') || '-';
  // An untargeted flag shows the words that stood for the group instead ("tribe", "them<Zelvans").
  const referents = f.referents.map((r) => (r.antecedent ? `${r.exact}<${r.antecedent.exact}` : r.exact));
  const targets = [...new Set(f.targets.map((t) => t.groupId))].join(',') || (referents.length ? `"${referents.join('","')}"` : '-');
  const rules = [...f.frames.map((x) => x.frameId), ...f.matches.map((m) => m.entryId)];
  const where = `${file}:p${index + 1}${label ? `(${label})` : ''}:${f.start}`;
  return `${[where, f.category, f.severity, f.priority, signals, targets, [...new Set(rules)].join(','), oneLine(f.exact, 60)].join('\t')}\n`;
}
