/** Reading delimited lexicon files (our CSV, HurtLex TSV, PeaceTech CSV) with line numbers, and the import error that names every bad line. */

export interface LineError {
  /** 1-based line of the file (for JSON: the line the entry starts on, when known). */
  line: number;
  message: string;
}

export class LexiconImportError extends Error {
  override readonly name = 'LexiconImportError';
  constructor(readonly errors: LineError[]) {
    errors.sort((a, b) => a.line - b.line);
    super(`${errors.length} problem(s); nothing imported: ${errors.slice(0, 3).map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  }
}

// --- CSV reading -------------------------------------------------------------------------------

export interface CsvRow { line: number; cells: string[] }

/** RFC 4180 CSV (quotes, doubled quotes, newlines inside quotes) or TSV; keeps line numbers. */
export function readDelimited(text: string, delimiter: string, errors: LineError[]): CsvRow[] {
  const rows: CsvRow[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let atCellStart = true;
    for (; i < n; i++) {
      const c = text[i]!;
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
        } else {
          if (c === '\n') line++;
          cell += c;
        }
        continue;
      }
      if (c === '"' && atCellStart && delimiter === ',') { quoted = true; atCellStart = false; continue; }
      if (c === delimiter) { cells.push(cell); cell = ''; atCellStart = true; continue; }
      if (c === '\r' && text[i + 1] === '\n') continue;
      if (c === '\n') { i++; line++; break; }
      cell += c;
      atCellStart = false;
    }
    if (quoted) { errors.push({ line: startLine, message: 'unterminated quoted field (a quote opens here and never closes)' }); break; }
    cells.push(cell);
    if (cells.length === 1 && cells[0]!.trim() === '') continue; // blank line
    rows.push({ line: startLine, cells });
  }
  return rows;
}

function normalizeHeader(h: string): string {
  return h.trim().toLowerCase().replace(/[^a-z0-9]+/gu, ' ').trim();
}

/** Maps wanted columns to indexes; reports missing required ones against line 1. */
export function columns(header: CsvRow, wanted: Record<string, string[]>, required: string[]): Record<string, number> {
  const names = header.cells.map(normalizeHeader);
  const out: Record<string, number> = {};
  for (const [key, aliases] of Object.entries(wanted)) {
    const idx = names.findIndex((n) => aliases.includes(n));
    if (idx >= 0) out[key] = idx;
  }
  const missing = required.filter((k) => out[k] === undefined);
  if (missing.length > 0) {
    throw new LexiconImportError([{ line: header.line, message: `missing column(s): ${missing.join(', ')} (found: ${header.cells.join(', ')})` }]);
  }
  return out;
}

export function cell(row: CsvRow, cols: Record<string, number>, key: string): string {
  const idx = cols[key];
  return idx === undefined ? '' : (row.cells[idx] ?? '').trim();
}
