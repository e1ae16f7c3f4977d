/**
 * What an import would do to the working copy, and what it did: ids added, changed (with the
 * fields) and unchanged, for entries, target groups and the grammar (word classes, frames).
 */
import type { LexiconEntryData } from '../analyze/types';
import { canonicalJson } from '../audit/canonical';
import { Invalid } from '../errors';

export interface ImportDiff {
  added: { entries: string[]; targets: string[] };
  changed: { entries: Array<{ id: string; fields: string[] }>; targets: Array<{ id: string; fields: string[] }> };
  unchanged: { entries: string[]; targets: string[] };
  /** Word classes (`class:<lang>/<id>`) and frames (`frame:<id>`) of a JSON import. */
  grammar: { added: string[]; changed: string[]; unchanged: string[] };
}

/** Counts of new records written, and the ids of existing ones updated (with `updateExisting`). */
export interface ImportWritten {
  entries: number;
  targets: number;
  classes: number;
  frames: number;
  updated: { entries: string[]; targets: string[]; grammar: string[] };
}

export function withoutVersion(entry: LexiconEntryData): Omit<LexiconEntryData, 'version'> {
  const { version: _version, ...rest } = entry;
  return rest;
}

/** Top-level fields whose values differ (compared as canonical JSON: key order does not count). */
export function differingFields(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => canonicalJson(a[key] ?? null) !== canonicalJson(b[key] ?? null)).sort();
}

/**
 * Entries keep fields the schema does not know (curator notes), stored as they are: refuse
 * keys the database would read as operators or paths ("$where", "a.b") with a 400, not a 500.
 */
export function assertStorableKeys(value: unknown, what: string, at = ''): void {
  if (Array.isArray(value)) { value.forEach((v, i) => assertStorableKeys(v, what, `${at}${at ? '.' : ''}${i}`)); return; }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, v] of Object.entries(value)) {
    const field = `${at}${at ? '.' : ''}${key}`;
    if (key.startsWith('$') || key.includes('.') || key.includes('\u0000')) {
      throw new Invalid('invalid_request', `invalid ${what}: field name "${key}" is not allowed`, [{ field, message: 'field names may not start with $ or contain . or NUL' }]);
    }
    assertStorableKeys(v, what, field);
  }
}

