/**
 * Undoing obfuscation in statements, posts and comments, before the scan: "k1ll", "3xterminate",
 * "r@ts", "$cum" (leetspeak), "k i l l" / "k.i.l.l" (letters spaced or dotted apart), "kiiiill"
 * (runs of one letter), "killallmerenites" (words run together) and "massarce" (two letters
 * swapped in a long word).
 *
 * Nothing is rewritten in the page: a suspicious word (or run of words) becomes one or more
 * tokens whose offsets are exact slices of the original text and whose key — what the matcher
 * compares — is the de-obfuscated word. A rewrite is kept only when the de-obfuscated key is a
 * lexicon word (an entry, a class member, a target name or a cue): "b4" stays "b4". Tokens made
 * this way carry TOKEN_OBFUSCATED, and hits on them the signal `fuzzy`.
 */
import { formFeatures, type ClassLookup } from './classes';
import { NODE_GATES } from './trie';
import type { CompiledPattern, Matcher } from './compile';
import { stemCandidatesOf } from './stem-candidates';
import { CHAR_CLASS } from './normalize';
import { TOKEN_OBFUSCATED, TOKEN_OVERRIDE, type PageTokens } from './tokenize';

/** Obfuscated tokens: the new token arrays and each rewritten token's key. */
export interface Deobfuscated {
  tokens: PageTokens;
  overrides: Map<number, string>;
}

const LEET: Record<string, string[]> = {
  '0': ['o'], '1': ['i', 'l'], '3': ['e'], '4': ['a'], '5': ['s'], '7': ['t'], '8': ['ate', 'b'], '@': ['a'], '$': ['s'],
  // A censored letter ("sc*m", "k#ll"): most often a vowel.
  '*': ['a', 'e', 'i', 'o', 'u'], '#': ['a', 'e', 'i', 'o', 'u'],
};
/** Characters that may stand between spaced-out letters ("k i l l", "k.i.l.l", "k-i-l-l"). */
const SPACERS = new Set([0x20, 0x2e, 0x2d, 0x5f, 0x2a, 0xb7, 0x2022]);
/** Signs that glue letters in leetspeak or censoring but end a token (r@ts, $cum, sc*m). */
const GLUE = new Set([0x40, 0x24, 0x2a, 0x23]);
const LEADING_GLUE = new Set([0x40, 0x24]);
const MIN_SPACED_LETTERS = 3;
const MIN_RUN_TOGETHER = 8;
const MIN_SWAPPED = 6;
/** Letters a stem may take as its ending inside words run together. */
const MAX_RUN_ON_SUFFIX = 3;
/**
 * Beyond this many letters after a stem a word is tried as words run together too
 * ("merenitesareanimals"); a long inflection that splits into nothing is left as it is.
 */
const MAX_KNOWN_SUFFIX = 5;
/** Short words allowed as pieces of run-together words, besides lexicon words. */
const FUNCTION_WORDS = new Set(['all', 'the', 'them', 'they', 'of', 'are', 'is', 'a', 'an', 'to', 'and', 'these', 'those', 'every', 'out', 'off', 'must', 'should', 'we', 'i', 'you']);

interface Piece { start: number; end: number; key: string }

/** Rewritten tokens, or null when no word of the page looks obfuscated (the common case). */
export function deobfuscate(text: string, tokens: PageTokens, matcher: Matcher): Deobfuscated | null {
  const out: Array<{ start: number; end: number; sentence: number; flags: number; key: string | null }> = [];
  let changed = false;
  const n = tokens.count;
  for (let t = 0; t < n; t++) {
    const start = tokens.start[t]!;
    const end = tokens.end[t]!;
    const sentence = tokens.sentence[t]!;
    const flags = tokens.flags[t]!;
    // Letters spaced apart: a run of one-letter tokens, one spacer between each.
    if (end - start === 1) {
      let u = t;
      while (u + 1 < n && tokens.end[u + 1]! - tokens.start[u + 1]! === 1 && tokens.start[u + 1]! === tokens.end[u]! + 1
        && SPACERS.has(text.charCodeAt(tokens.end[u]!)) && tokens.sentence[u + 1] === sentence) u++;
      if (u - t + 1 >= MIN_SPACED_LETTERS) {
        const found = bestSpacedRun(text, tokens, t, u, matcher);
        if (found !== null) {
          for (let v = t; v < found.from; v++) out.push(copy(tokens, v));
          out.push({ start: tokens.start[found.from]!, end: tokens.end[found.to]!, sentence, flags: flags | TOKEN_OBFUSCATED, key: found.key });
          for (let v = found.to + 1; v <= u; v++) out.push(copy(tokens, v));
          changed = true;
          t = u;
          continue;
        }
      }
    }
    // Leet glue: r@ts is tokenized "r" "ts", $cum "cum"; join across one @ or $.
    let gStart = start;
    let gEnd = end;
    let last = t;
    // Before a word only a letter sign glues ($cum, @ss); a * or # there is a hashtag or a bullet.
    if (start > 0 && LEADING_GLUE.has(text.charCodeAt(start - 1)) && (start < 2 || CHAR_CLASS[text.charCodeAt(start - 2)] !== 1)) gStart = start - 1;
    while (last + 1 < n && tokens.start[last + 1] === tokens.end[last]! + 1 && GLUE.has(text.charCodeAt(tokens.end[last]!))) last++;
    if (last === t && gEnd < text.length && LEADING_GLUE.has(text.charCodeAt(gEnd)) && (gEnd + 1 >= text.length || CHAR_CLASS[text.charCodeAt(gEnd + 1)] !== 1)) gEnd++;
    else gEnd = tokens.end[last]!;
    const raw = text.slice(gStart, gEnd);
    const glued = gStart !== start || gEnd !== end;
    const suspicious = glued || (/[0-9]/u.test(raw) && /\p{L}/u.test(raw)) || /(\p{L})\1\1/u.test(raw.toLowerCase());
    const folded = foldRaw(raw, matcher);
    // A letter split off by a space ("Osmiran s are animals"): joined when that spells a lexicon word.
    if (!suspicious && t + 1 < n && tokens.end[t + 1]! - tokens.start[t + 1]! === 1 && tokens.start[t + 1] === end + 1
      && text.charCodeAt(end) === 0x20 && tokens.sentence[t + 1] === sentence) {
      const joined = folded + foldRaw(text.slice(tokens.start[t + 1]!, tokens.end[t + 1]!), matcher);
      if (isWord(joined, matcher, false, false, MAX_RUN_ON_SUFFIX)) {
        out.push({ start, end: tokens.end[t + 1]!, sentence, flags: flags | TOKEN_OBFUSCATED, key: joined });
        changed = true;
        t++;
        continue;
      }
    }
    if (!suspicious && end - start < MIN_SWAPPED) {
      // A short verb of violence or hatred with one doubled letter dropped ("kil all X").
      const short = end - start >= MIN_SHORT ? redouble(folded, matcher) : null;
      if (short !== null) {
        out.push({ start, end, sentence, flags: flags | TOKEN_OBFUSCATED, key: short });
        changed = true;
        continue;
      }
      out.push(copy(tokens, t));
      continue;
    }
    // A word the lexicon knows in any position (the first word of a phrase too) is left alone.
    const pieces = suspicious || !isWord(folded, matcher, true, true, MAX_KNOWN_SUFFIX) ? repair(folded, gStart, suspicious, matcher) : null;
    if (pieces !== null && !(pieces.length === 1 && pieces[0]!.key === folded && !glued)) {
      for (const p of pieces) out.push({ start: p.start, end: p.end, sentence, flags: flags | TOKEN_OBFUSCATED, key: p.key });
      changed = true;
      t = last;
      continue;
    }
    out.push(copy(tokens, t));
  }
  if (!changed) return null;
  return build(out, tokens);
}

/**
 * The lexicon word(s) an obfuscated spelling stands for: one word (de-leeted, de-repeated), the
 * pieces of words run together, or a long word with two letters swapped back; null if none.
 */
function repair(folded: string, start: number, suspicious: boolean, matcher: Matcher): Piece[] | null {
  const end = start + folded.length;
  for (const v of suspicious ? variants(folded) : [folded]) {
    if (isWord(v, matcher, true, suspicious, MAX_KNOWN_SUFFIX)) return [{ start, end, key: v }];
  }
  if (folded.length !== end - start || [...folded].length !== folded.length) return null; // offsets need one unit per letter
  for (const v of suspicious ? variants(folded) : [folded]) {
    if (v.length !== folded.length) continue; // a de-repeated spelling has no offsets per piece
    if (v.length >= MIN_RUN_TOGETHER) {
      const pieces = splitRunTogether(v, start, matcher);
      if (pieces !== null) return pieces;
    }
    if (v.length >= MIN_SWAPPED) {
      const fixed = unswap(v, matcher) ?? undouble(v, matcher) ?? revowel(v, matcher);
      if (fixed !== null) return [{ start, end, key: fixed }];
    }
  }
  return null;
}

/** Classes a short word may be repaired into: verbs whose misspelling is the obfuscation. */
const SHORT_REPAIR_CLASSES = new Set(['violence', 'eradication', 'hate-emotion', 'death']);
const MIN_SHORT = 3;

/** "kil" → "kill": a short word with a doubled letter left single, when that gives such a verb. */
function redouble(word: string, matcher: Matcher): string | null {
  // The class look-ups first (cheap, and almost always empty); the full lexicon check last.
  for (let i = 0; i < word.length; i++) {
    const doubled = word.slice(0, i + 1) + word[i]! + word.slice(i + 1);
    for (const lookup of matcher.grammar.allLookups) {
      if (!SHORT_REPAIR_CLASSES.has(lookup.cls.id)) continue;
      if (isFormOf(lookup, doubled)) return isWord(word, matcher, true, true) ? null : doubled;
    }
  }
  return null;
}

/** Is `word` one word of a one-word member of the class? */
function isFormOf(lookup: ClassLookup, word: string): boolean {
  for (const form of lookup.byFirstKey.get(word) ?? []) if (form.keys.length === 1 && formFeatures(form, word) >= 0) return true;
  for (let n = 1; n <= 2 && n <= word.length; n++) {
    for (const form of lookup.byPrefixStart.get(word.slice(0, n)) ?? []) {
      if (form.keys.length === 1 && formFeatures(form, word) >= 0) return true;
    }
  }
  return false;
}

/** A long word with one letter doubled ("exterminaated") back into a lexicon word. */
function undouble(word: string, matcher: Matcher): string | null {
  for (let i = 1; i < word.length; i++) {
    if (word[i] !== word[i - 1]) continue;
    const single = word.slice(0, i) + word.slice(i + 1);
    if (isWord(single, matcher, false)) return single;
  }
  return null;
}

const VOWELS: Record<string, string> = { en: 'aeiou', ru: 'аеиоуыэюя', tr: 'aeıioöuü', az: 'aeəıioöuü', hy: 'աեէըիոու' };

/** A long word with one vowel left out ("subhumn") back into a lexicon word. */
function revowel(word: string, matcher: Matcher): string | null {
  const vowels = VOWELS[matcher.lang ?? 'en'] ?? VOWELS.en!;
  for (let i = 1; i <= word.length; i++) {
    for (const v of vowels) {
      const filled = word.slice(0, i) + v + word.slice(i);
      if (isWord(filled, matcher, false)) return filled;
    }
  }
  return null;
}

function copy(tokens: PageTokens, t: number): { start: number; end: number; sentence: number; flags: number; key: null } {
  return { start: tokens.start[t]!, end: tokens.end[t]!, sentence: tokens.sentence[t]!, flags: tokens.flags[t]!, key: null };
}

function build(out: Array<{ start: number; end: number; sentence: number; flags: number; key: string | null }>, from: PageTokens): Deobfuscated {
  const count = out.length;
  const tokens: PageTokens = {
    count,
    start: new Int32Array(count), end: new Int32Array(count), sentence: new Int32Array(count), flags: new Uint8Array(count),
    sentenceStart: from.sentenceStart, sentenceEnd: from.sentenceEnd,
  };
  const overrides = new Map<number, string>();
  out.forEach((o, i) => {
    tokens.start[i] = o.start;
    tokens.end[i] = o.end;
    tokens.sentence[i] = o.sentence;
    tokens.flags[i] = o.flags | (o.key !== null ? TOKEN_OVERRIDE : 0);
    if (o.key !== null) overrides.set(i, o.key);
  });
  return { tokens, overrides };
}

/** The text folded through the matcher's table, keeping digits and glue signs. */
function foldRaw(raw: string, matcher: Matcher): string {
  let s = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const u = matcher.table.units[c]!;
    if (u === 0) continue;
    s += u === 0xffff ? matcher.table.expansions.get(c)! : String.fromCharCode(u);
  }
  return s;
}

/** De-leeted and de-repeated spellings of a word, most likely first. */
function variants(word: string): string[] {
  let spellings = [''];
  for (const ch of word) {
    const subs = LEET[ch] ?? [ch];
    const next: string[] = [];
    for (const s of spellings) for (const sub of subs) if (next.length < 16) next.push(s + sub);
    spellings = next;
  }
  const out: string[] = [];
  for (const s of spellings) {
    if (/[0-9@$*#]/u.test(s)) continue;
    out.push(s);
    const two = s.replace(/(\p{L})\1{2,}/gu, '$1$1');
    const one = s.replace(/(\p{L})\1{2,}/gu, '$1');
    if (two !== s) out.push(two);
    if (one !== s) out.push(one);
  }
  return out;
}

function firstKnown(candidates: string[], matcher: Matcher): string | null {
  for (const c of candidates) if (isWord(c, matcher)) return c;
  return null;
}

/** Patterns reached by a key (for tests and the run-together split). */
export function patternsOf(key: string, matcher: Matcher): CompiledPattern[] {
  const trie = matcher.trie;
  const out: CompiledPattern[] = [];
  let node = 0;
  for (let i = 0; i < key.length && (i === 0 || node !== 0); i++) {
    node = trie.next(node, key.charCodeAt(i));
    if (node === 0) break;
    for (const p of trie.prefix[node] ?? []) out.push(p);
  }
  if (node !== 0) for (const p of trie.exact[node] ?? []) out.push(p);
  return out;
}

function bestSpacedRun(text: string, tokens: PageTokens, t: number, u: number, matcher: Matcher): { from: number; to: number; key: string } | null {
  // The longest sub-run that spells a lexicon word ("I k i l l" → "kill").
  for (let len = u - t + 1; len >= MIN_SPACED_LETTERS; len--) {
    for (let from = t; from + len - 1 <= u; from++) {
      let word = '';
      for (let v = from; v < from + len; v++) word += foldRaw(text.slice(tokens.start[v]!, tokens.end[v]!), matcher);
      const key = firstKnown(variants(word), matcher);
      if (key !== null) return { from, to: from + len - 1, key };
    }
  }
  return null;
}

/** "killallmerenites" → kill · all · merenites, when every piece is known and one is a lexicon word. */
function splitRunTogether(word: string, start: number, matcher: Matcher): Piece[] | null {
  // A stem (a target name's "merenite*") takes a short ending only here: otherwise the stem
  // would swallow the words run on after it ("merenitesareanimals").
  const known = (piece: string): 'lexicon' | 'function' | null => (isWord(piece, matcher, true, false, MAX_RUN_ON_SUFFIX) ? 'lexicon' : FUNCTION_WORDS.has(piece) ? 'function' : null);
  const search = (from: number, depth: number): Piece[] | null => {
    if (from === word.length) return [];
    if (depth === 4) return null;
    for (let to = word.length; to >= from + 1; to--) {
      const piece = word.slice(from, to);
      const kind = known(piece);
      if (kind === null || (kind === 'function' && piece.length < 2 && to !== word.length)) continue;
      const rest = search(to, depth + 1);
      if (rest !== null) return [{ start: start + from, end: start + to, key: piece }, ...rest];
    }
    return null;
  };
  if (word.length !== [...word].length) return null; // offsets below assume one unit per letter
  const pieces = search(0, 0);
  if (pieces === null || pieces.length < 2) return null;
  return pieces.some((p) => isWord(p.key, matcher)) ? pieces : null;
}

/**
 * Is `key` a whole lexicon word: a one-word entry or target name (or a form of a stem one), a
 * form of a class member (its morphology agrees), a cue, or a stemmer's form of an entry word?
 */
export function isWord(key: string, matcher: Matcher, useStemmer = true, phraseStart = false, maxStemSuffix = Infinity): boolean {
  if (key.length < 3) return false;
  const { patterns, gates } = walk(key, matcher);
  for (const p of patterns) {
    const first = p.tokens[0]!;
    const whole = first.stem ? key.startsWith(first.key) && key.length - first.key.length <= maxStemSuffix : key === first.key;
    if (!whole) continue;
    // The first word of a phrase ("death" of "death to") counts only for a strong signal (leet).
    const single = p.tokens.length === 1 || phraseStart;
    if (p.owner.kind === 'member') {
      if (single && formFeatures(p.owner.form, key) >= 0) return true;
    } else if (single && p.owner.kind !== 'exception') {
      return true;
    }
  }
  // Words of the classes no frame anchors on (modals, cues…) are looked up in the classes.
  if (isClassWord(key, matcher, phraseStart)) return true;
  // The stemmer only where the trie's gates say a stem of the lexicon starts here (as the scan does).
  return useStemmer && gates !== 0 && stemCandidatesOf(matcher, key).some((p) => p.tokens.length === 1);
}

/** Is `key` one word of a class member (the first word of a multi-word member only with `phraseStart`)? */
function isClassWord(key: string, matcher: Matcher, phraseStart: boolean): boolean {
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

/**
 * A long word with two neighbouring letters swapped back into a lexicon word. The repairs of one
 * edit ask the trie and the word classes only, not the stemmer: a misspelt word is tried dozens
 * of ways, and the classes already know the forms of the words worth repairing.
 */
function unswap(word: string, matcher: Matcher): string | null {
  for (let i = 0; i + 1 < word.length; i++) {
    const swapped = word.slice(0, i) + word[i + 1]! + word[i]! + word.slice(i + 2);
    if (swapped !== word && isWord(swapped, matcher, false)) return swapped;
  }
  return null;
}
