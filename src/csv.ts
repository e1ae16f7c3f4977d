/**
 * CSV cells, one rule for every CSV Lexwatch writes (flag exports, dossiers, the lexicon table):
 * RFC 4180 quoting, and cells a spreadsheet would run as a formula (=, +, -, @, tab, CR) prefixed
 * with an apostrophe. A cell that already starts with apostrophes before such a character gets
 * one more, so `csvUnguard` gives back exactly the text written (the lexicon table round-trips).
 * JSON exports carry the text unaltered.
 */
const FORMULA = /^'*[=+\-@\t\r]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The text of a cell `csvCell` guarded: its added apostrophe removed. */
export function csvUnguard(cell: string): string {
  return cell.startsWith("'") && FORMULA.test(cell.slice(1)) ? cell.slice(1) : cell;
}
