/**
 * Is a key a lexicon word? The question obfuscation repair (obfuscation.ts) asks of every
 * spelling it tries: an entry or target word, a class member's form, a cue, a stemmer's form.
 */
import { formFeatures } from './classes';
import type { CompiledPattern, Matcher } from './compile';
import { stemCandidatesOf } from './stem-candidates';
import * as trieModule from './trie';

// A local copy: CommonJS re-exports compile to getters.
const NODE_GATES = trieModule.NODE_GATES;

/** Patterns reached by a key (for tests and the run-together split). */
export function patternsOf(key: string, matcher: Matcher): CompiledPattern[] {
  const trie = matcher.trie;
  const out: CompiledPattern[] = [];
  let node = 0;
  for (let i = 0; i < key.length && (i === 0 || node !== 0); i++) {
    node = trie.next(node, key.charCodeAt(i));
    if (node === 0) break;
    for (const p of trie.prefix[node] ?? []) if (p.owner.kind !== 'mark') out.push(p);
  }
  if (node !== 0) for (const p of trie.exact[node] ?? []) if (p.owner.kind !== 'mark') out.push(p);
  return out;
}

/**
 * Is `key` a whole lexicon word: a one-word entry or target name (or a form of a stem one), a
 * form of a class member (its morphology agrees), a cue, or a stemmer's form of an entry word?
 */
export function isWord(key: string, matcher: Matcher, useStemmer = true, phraseStart = false, maxStemSuffix = Infinity): boolean {
  if (key.length < 3) return false;
  // Repair tries the same spellings word after word and page after page: answers are kept per
  // matcher and question (the answer depends on nothing else).
  const question = `w${useStemmer ? 1 : 0}${phraseStart ? 1 : 0}${maxStemSuffix === Infinity ? '' : maxStemSuffix}\u0000${key}`;
  return memoised(matcher, question, () => lexiconWord(key, matcher, useStemmer, phraseStart, maxStemSuffix));
}

const memos = new WeakMap<Matcher, Map<string, boolean>>();
const WORD_MEMO_LIMIT = 100_000;

function memoised(matcher: Matcher, question: string, answerOf: () => boolean): boolean {
  let memo = memos.get(matcher);
  if (memo === undefined) { memo = new Map<string, boolean>(); memos.set(matcher, memo); }
  let answer = memo.get(question);
  if (answer === undefined) {
    answer = answerOf();
    if (memo.size >= WORD_MEMO_LIMIT) memo.clear();
    memo.set(question, answer);
  }
  return answer;
}

function lexiconWord(key: string, matcher: Matcher, useStemmer: boolean, phraseStart: boolean, maxStemSuffix: number): boolean {
  const { patterns, gates } = walk(key, matcher);
  for (const p of patterns) {
    const first = p.tokens[0]!;
    const whole = first.stem ? key.startsWith(first.key) && key.length - first.key.length <= maxStemSuffix : key === first.key;
    if (!whole) continue;
    // The first word of a phrase ("death" of "death to") counts only for a strong signal (leet).
    const single = p.tokens.length === 1 || phraseStart;
    if (p.owner.kind === 'member') {
      if (single && formFeatures(p.owner.form, key) >= 0) return true;
    } else if (single && p.owner.kind !== 'exception' && p.owner.kind !== 'mark') {
      return true;
    }
  }
  // Words of the classes no frame anchors on (modals, cues…) are looked up in the classes.
  if (isClassWord(key, matcher, phraseStart)) return true;
  // The stemmer only where the trie's gates say a stem of the lexicon starts here (as the scan does).
  return useStemmer && gates !== 0 && stemCandidatesOf(matcher, key).some((p) => p.tokens.length === 1);
}

/** Is `key` one word of a class member (the first word of a multi-word member only with `phraseStart`)? */
export function isClassWord(key: string, matcher: Matcher, phraseStart: boolean): boolean {
  return memoised(matcher, `c${phraseStart ? 1 : 0}\u0000${key}`, () => classWord(key, matcher, phraseStart));
}

function classWord(key: string, matcher: Matcher, phraseStart: boolean): boolean {
  const index = matcher.grammar.classWords;
  for (const form of index.exact.get(key) ?? []) if (formFeatures(form, key) >= 0) return true;
  // Every prefix of the key that is some member's stem (few lookups, small buckets).
  for (let n = Math.min(key.length, index.maxStem); n >= 1; n--) {
    const forms = index.stems.get(n === key.length ? key : key.slice(0, n));
    if (forms === undefined) continue;
    for (const form of forms) if (formFeatures(form, key) >= 0) return true;
  }
  // A multi-word member's first word, for strong signals (leet) only.
  if (phraseStart) for (const lookup of matcher.grammar.allLookups) if ((lookup.byFirstKey.get(key)?.length ?? 0) > 0) return true;
  return false;
}

/** The patterns a key reaches in the trie, and the stemmer gate bits met on the way. */
function walk(key: string, matcher: Matcher): { patterns: CompiledPattern[]; gates: number } {
  const trie = matcher.trie;
  const patterns: CompiledPattern[] = [];
  let node = 0;
  let gates = 0;
  for (let i = 0; i < key.length; i++) {
    node = trie.next(node, key.charCodeAt(i));
    if (node === 0) break;
    gates |= trie.info[node]! & NODE_GATES;
    for (const p of trie.prefix[node] ?? []) patterns.push(p);
  }
  if (node !== 0) for (const p of trie.exact[node] ?? []) patterns.push(p);
  return { patterns, gates };
}
