/**
 * Control characters in text people type (titles, names, notes, reasons…): refused, not
 * stripped, so nothing a person wrote is silently changed, and the error says which character
 * and where. Refused: C0 controls but tab, line feed and carriage return (NUL, ESC…), DEL, C1
 * controls, the bidirectional embedding, override and isolate controls (U+202A–U+202E,
 * U+2066–U+2069: an RLO makes "gpj.exe" look like "exe.jpg"), and lone surrogates. Kept: the
 * marks right-to-left text needs (U+200E, U+200F, U+061C) and zero-width joiners.
 */
import type { FieldProblem } from './errors';

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

const NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x1b: 'ESCAPE',
  0x7f: 'DELETE',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
};

function nameOf(code: number): string {
  if (NAMES[code]) return NAMES[code];
  if (code >= 0xd800 && code <= 0xdfff) return 'a lone surrogate';
  return code < 0x20 ? 'a C0 control' : 'a C1 control';
}

/** What is wrong with `text`, or null. */
export function controlCharacterProblem(text: string): string | null {
  const found = FORBIDDEN.exec(text);
  if (!found) return null;
  const code = found[0].charCodeAt(0);
  return `contains the control character U+${code.toString(16).toUpperCase().padStart(4, '0')} (${nameOf(code)}) at position ${found.index}; remove it`;
}

/** Every string in `value` (objects, arrays, nested; keys too) with a control character, by field path. */
export function controlCharacterProblems(value: unknown, at = '', depth = 0): FieldProblem[] {
  if (typeof value === 'string') {
    const problem = controlCharacterProblem(value);
    return problem ? [{ field: at || '(root)', message: problem }] : [];
  }
  if (typeof value !== 'object' || value === null || depth > 32) return [];
  const problems: FieldProblem[] = [];
  for (const [key, item] of Object.entries(value)) {
    const field = at ? `${at}.${key}` : key;
    const keyProblem = controlCharacterProblem(key);
    if (keyProblem) problems.push({ field, message: `the field name ${keyProblem}` });
    problems.push(...controlCharacterProblems(item, field, depth + 1));
  }
  return problems;
}
