/**
 * `lexwatch lexicon import|export`: converting lexicon files without a server.
 *   import <file> --format json|csv|hurtlex|peacetech [--lang L] [--id-prefix P]
 *       validates a file and writes it as our lexicon JSON on stdout (a --lexicon for
 *       `analyze`, or the body of POST /api/lexicon/import?format=json). A bad file: every
 *       problem on stderr with its line number, nothing on stdout, exit 1.
 *   export [DIR|FILE] --format json|csv
 *       writes a lexicon (default: the starter) as one JSON document or as our CSV.
 * stdout carries only data. Exit codes: 0 ok, 1 bad input file, 2 usage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { DEFAULT_LEXICON_DIR, LexiconLoadError, loadLexicon } from '../lexicon';
import { EXPORT_FORMATS, exportLexicon, IMPORT_FORMATS, LexiconImportError, parseImport, type ExportFormat, type ImportFormat } from '../lexicon/formats';

export const LEXICON_USAGE = `Usage: lexwatch lexicon import <file> --format json|csv|hurtlex|peacetech [--lang L] [--id-prefix P]
       lexwatch lexicon export [DIR|FILE] [--format json|csv]

import  validate a lexicon file and print it as Lexwatch lexicon JSON (entries arrive as draft
        for hurtlex and peacetech; HurtLex rci rows become target groups). --lang is required
        for hurtlex files, which do not name their language.
export  print a lexicon directory or file (default: lexicons/starter) as JSON or CSV.
`;

export interface LexiconIO {
  stdout: Writable;
  stderr: Writable;
}

export function runLexicon(argv: string[], io: LexiconIO): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: { format: { type: 'string' }, lang: { type: 'string' }, 'id-prefix': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    return usage(io, (err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) { io.stdout.write(LEXICON_USAGE); return 0; }
  const [sub, ...files] = positionals;
  if (sub === 'import') {
    const format = values.format as ImportFormat | undefined;
    if (!format || !IMPORT_FORMATS.includes(format)) return usage(io, `--format must be one of ${IMPORT_FORMATS.join(', ')}`);
    if (files.length !== 1) return usage(io, 'import takes exactly one file');
    let text: string;
    try {
      text = fs.readFileSync(files[0]!, 'utf8');
    } catch (err) {
      io.stderr.write(`lexwatch: ${files[0]}: cannot read (${(err as Error).message})\n`);
      return 1;
    }
    try {
      const result = parseImport(format, text, { lang: values.lang, idPrefix: values['id-prefix'] });
      for (const s of result.skipped) io.stderr.write(`lexwatch: ${files[0]}:${s.line}: skipped: ${s.message}\n`);
      const name = path.basename(files[0]!);
      const data = { id: `import-${format}`, version: '0', name: `${name} (imported, ${format})`, entries: result.entries, targets: result.targets };
      io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof LexiconImportError)) throw err;
      for (const e of err.errors) io.stderr.write(`lexwatch: ${files[0]}:${e.line}: ${e.message}\n`);
      io.stderr.write(`lexwatch: ${err.errors.length} problem(s); nothing imported\n`);
      return 1;
    }
  }
  if (sub === 'export') {
    const format = (values.format ?? 'json') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) return usage(io, `--format must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (files.length > 1) return usage(io, 'export takes at most one lexicon directory or file');
    try {
      io.stdout.write(exportLexicon(loadLexicon(files[0] ?? DEFAULT_LEXICON_DIR), format));
      return 0;
    } catch (err) {
      if (!(err instanceof LexiconLoadError)) throw err;
      io.stderr.write(`lexwatch: lexicon: ${err.message}\n`);
      return 1;
    }
  }
  return usage(io, sub === undefined ? 'missing lexicon subcommand' : `unknown lexicon subcommand "${sub}"`);
}

function usage(io: LexiconIO, message: string): number {
  io.stderr.write(`lexwatch: ${message}\n\n${LEXICON_USAGE}`);
  return 2;
}
