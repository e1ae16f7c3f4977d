/** Lexicon patterns reached through a stemmer (match.ts, obfuscation.ts), memoised per matcher. */
import type { CompiledPattern, Matcher } from './compile';
import { stemmerFor, STEMMER_LANGS } from './stemmers';

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
