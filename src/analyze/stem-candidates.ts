/** Lexicon patterns reached through a stemmer (match.ts, obfuscation.ts), memoised per matcher. */
import type { CompiledPattern, Matcher } from './compile';
import * as normalize from './normalize';
import { stemmerFor, STEMMER_LANGS } from './stemmers';

// Local copies, as in match.ts: read once per unit in cachedStemCandidates' loop.
const DROP = normalize.DROP;
const SPECIAL = normalize.SPECIAL;
const NO_PATTERNS: CompiledPattern[] = [];
const STEM_MEMO_LIMIT = 100_000;

/**
 * Patterns whose first token a word reaches through a stemmer. Memoised per matcher and word,
 * one Map lookup for a word seen before (running text repeats its words).
 */
export function stemCandidatesOf(matcher: Matcher, key: string): CompiledPattern[] {
  return stemCandidates(matcher, key);
}

export function stemCandidates(matcher: Matcher, key: string): CompiledPattern[] {
  let list = matcher.stemMemo.get(key);
  if (list !== undefined) return list;
  list = NO_PATTERNS;
  for (const lang of STEMMER_LANGS) {
    const index = matcher.stemIndex[lang];
    if (index.size === 0) continue;
    const found = index.get(stemmerFor(lang)(key));
    if (found) list = list === NO_PATTERNS ? found : [...list, ...found];
  }
  if (matcher.stemMemo.size >= STEM_MEMO_LIMIT) matcher.stemMemo.clear();
  matcher.stemMemo.set(key, list);
  return list;
}

/**
 * stemCandidates for a token that is not joined, by a hash of its folded units: a word seen
 * before costs one pass over its characters, with no string made and no Map lookup.
 */
export function cachedStemCandidates(text: string, s: number, e: number, units: Uint16Array, matcher: Matcher, keys: { key(t: number): string }, t: number): CompiledPattern[] {
  let h = 0;
  for (let p = s; p < e; p++) {
    const u = units[text.charCodeAt(p)]!;
    // A dropped mark or an expansion: the folded key differs in length, take the string route.
    if (u === DROP || u === SPECIAL) return stemCandidates(matcher, keys.key(t));
    h = (Math.imul(h, 31) + u) | 0;
  }
  const cache = matcher.stemCache;
  const slot = (h ^ (h >>> 14)) & cache.mask;
  const known = cache.keys[slot]!;
  if (cache.hashes[slot] === h && known.length === e - s) {
    let p = s;
    while (p < e && known.charCodeAt(p - s) === units[text.charCodeAt(p)]) p++;
    if (p === e) return cache.lists[slot]!;
  }
  const key = keys.key(t);
  const list = stemCandidates(matcher, key);
  cache.hashes[slot] = h;
  cache.keys[slot] = key;
  cache.lists[slot] = list;
  return list;
}
