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
import type { Matcher } from './compile';
import { isClassWord, isWord } from './lexicon-words';
import * as normalize from './normalize';
import * as scriptModule from './script';
import * as tokenizeModule from './tokenize';
import type { PageTokens } from './tokenize';

// Local copies, as in match.ts: CommonJS re-exports compile to getters, too slow per character.
const CHAR_CLASS = normalize.CHAR_CLASS;
const DROP = normalize.DROP;
const SPECIAL = normalize.SPECIAL;
const ARMENIAN = scriptModule.ARMENIAN;
const CYRILLIC = scriptModule.CYRILLIC;
const LATIN = scriptModule.LATIN;
const SCRIPT = scriptModule.SCRIPT;
const TOKEN_OBFUSCATED = tokenizeModule.TOKEN_OBFUSCATED;
const TOKEN_OVERRIDE = tokenizeModule.TOKEN_OVERRIDE;

/** Obfuscated tokens: the new token arrays and each rewritten token's key. */
export interface Deobfuscated {
  tokens: PageTokens;
  overrides: Map<number, string>;
}

/** Scripts a word's letters are read in. */
type Script = 'latin' | 'turkic' | 'cyrillic' | 'armenian';

/**
 * Digits and signs written for letters, per script: the same "3" is e in English, e or ə in
 * Azerbaijani, е or з in Russian ("м3рениты", "3ло"). The script is the one of the word's own
 * letters (after folding: an Azerbaijani Cyrillic word is read as Latin Azerbaijani).
 */
const LEET: Record<Script, Record<string, string[]>> = {
  latin: { '0': ['o'], '1': ['i', 'l'], '3': ['e'], '4': ['a'], '5': ['s'], '7': ['t'], '8': ['ate', 'b'], '@': ['a'], '$': ['s'], '!': ['i'] },
  turkic: { '0': ['o', 'ö'], '1': ['ı', 'i', 'l'], '3': ['e', 'ə'], '4': ['a'], '5': ['s', 'ş'], '6': ['ğ', 'g'], '7': ['t'], '8': ['b'], '9': ['g', 'ğ'], '@': ['a', 'ə'], '$': ['s', 'ş'], '!': ['i', 'ı'] },
  cyrillic: { '0': ['о'], '1': ['и', 'л'], '3': ['е', 'з'], '4': ['ч', 'а'], '6': ['б'], '7': ['т'], '8': ['в'], '9': ['я'], '@': ['а'], '$': ['с'] },
  armenian: { '0': ['օ', 'ո'], '@': ['ա'], '$': ['ս'] },
};
/** Every letter of a script: a censored letter ("у*бить", "սп*անել") may be any of them. */
const ALPHABET: Record<Script, string> = {
  latin: 'abcdefghijklmnopqrstuvwxyz',
  turkic: 'abcçdeəfgğhıijklmnoöpqrsştuüvxyz',
  cyrillic: 'абвгдежзийклмнопрстуфхцчшщъыьэюя',
  armenian: 'աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ',
};
/** A censor sign stands for one letter, or (less often) is put in beside them ("սպ*անել"). */
const CENSORED: Record<Script, string[]> = {
  latin: [...ALPHABET.latin, ''], turkic: [...ALPHABET.turkic, ''], cyrillic: [...ALPHABET.cyrillic, ''], armenian: [...ALPHABET.armenian, ''],
};
/** A word with more censored letters than this is not guessed at (the spellings multiply). */
const MAX_CENSORED = 2;
/** Spellings tried for one written word (two censored letters of a 40-letter alphabet, once each). */
const MAX_SPELLINGS = 1700;
const CENSOR = new Set(['*', '#']);

/** Characters that may stand between spaced-out letters ("k i l l", "k.i.l.l", "k-i-l-l"). */
const SPACERS = new Set([0x20, 0x2e, 0x2d, 0x5f, 0x2a, 0xb7, 0x2022]);
/** Signs that glue letters in leetspeak or censoring but end a token (r@ts, $cum, sc*m). */
const GLUE = new Set([0x40, 0x24, 0x2a, 0x23]);
const LEADING_GLUE = new Set([0x40, 0x24]);
const MIN_SPACED_LETTERS = 3;
/**
 * One-letter words of each language (Russian у, в, к, с, и, а, о, я; Turkish and Azerbaijani o;
 * Armenian և, է, ու's ո): a clean word before one of them is never joined to it ("тарванов в
 * крови" is not "тарвановв").
 */
const ONE_LETTER_WORDS: Record<string, string> = {
  en: 'aAiI', ru: 'аАбБвВжЖиИйкКоОсСуУяЯ', tr: 'oOeE', az: 'oOeEəƏоОеЕәӘ', hy: 'եԵէԷիԻոՈևուՈւ',
};
const ANY_ONE_LETTER_WORD = Object.values(ONE_LETTER_WORDS).join('');

function isOneLetterWord(c: number, lang: string | null): boolean {
  return (lang === null ? ANY_ONE_LETTER_WORD : ONE_LETTER_WORDS[lang] ?? ANY_ONE_LETTER_WORD).includes(String.fromCharCode(c));
}
/** One-letter words of text speak (r = are, u = you, n = and): never a letter split off a word. */
const TEXT_SPEAK_LETTERS = new Set([0x72, 0x75, 0x6e]);
const MIN_RUN_TOGETHER = 7;
const MIN_SWAPPED = 6;
/** Letters a stem may take as its ending inside words run together. */
const MAX_RUN_ON_SUFFIX = 3;
/**
 * Beyond this many letters after a stem a word is tried as words run together too
 * ("merenitesareanimals"); a long inflection that splits into nothing is left as it is.
 */
const MAX_KNOWN_SUFFIX = 5;
/** Short words allowed as pieces of run-together words, besides lexicon words. */
const FUNCTION_WORDS = new Set(['all', 'the', 'them', 'they', 'of', 'are', 'is', 'a', 'an', 'to', 'and', 'these', 'those', 'every', 'out', 'off', 'must', 'should', 'we', 'i', 'you', 'now', 'go', 'back', 'home', 'get']);

interface Piece { start: number; end: number; key: string }

/** Rewritten tokens, or null when no word of the page looks obfuscated (the common case). */
export function deobfuscate(text: string, tokens: PageTokens, matcher: Matcher): Deobfuscated | null {
  const out: Array<{ start: number; end: number; sentence: number; flags: number; key: string | null }> = [];
  let changed = false;
  // Tokens are copied only once a rewrite is found: most pages have none.
  const change = (upTo: number): void => {
    if (changed) return;
    for (let v = 0; v < upTo; v++) out.push(copy(tokens, v));
    changed = true;
  };
  const keep = (v: number): void => { if (changed) out.push(copy(tokens, v)); };
  // A word with no sign of obfuscation is repaired by one edit (a swapped, doubled, missing or
  // wrong letter) only in English: in the inflecting languages a real word one letter away from
  // a lexicon form is common ("нечистые" is not "нечистие"), and a clean word must stay as it is.
  const editsClean = matcher.lang === 'en';
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
          change(t);
          for (let v = t; v < found.from; v++) out.push(copy(tokens, v));
          out.push({ start: tokens.start[found.from]!, end: tokens.end[found.to]!, sentence, flags: flags | TOKEN_OBFUSCATED, key: found.key });
          for (let v = found.to + 1; v <= u; v++) out.push(copy(tokens, v));
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
    while (last + 1 < n && gluedTo(text, tokens.end[last]!, tokens.start[last + 1]!)) last++;
    if (last === t && gEnd < text.length && LEADING_GLUE.has(text.charCodeAt(gEnd)) && (gEnd + 1 >= text.length || CHAR_CLASS[text.charCodeAt(gEnd + 1)] !== 1)) gEnd++;
    else gEnd = tokens.end[last]!;
    const glued = gStart !== start || gEnd !== end;
    // Most words are clean: no glue, no digit, no run of one letter, one script, no letter split
    // off after them, no Latin word on a Russian page. What they repair into (almost always
    // nothing) depends on their folded units and the matcher alone, and is memoised by them,
    // with no string made for a word seen before.
    if (!glued && !(t + 1 < n && tokens.end[t + 1]! - tokens.start[t + 1]! === 1 && tokens.start[t + 1] === end + 1
      && text.charCodeAt(end) === 0x20 && tokens.sentence[t + 1] === sentence) && !maybeSuspicious(text, start, end, matcher.lang)) {
      // A word split in two by a space or in syllables by hyphens or dots depends on its
      // neighbour, not on the word alone: tried before the memo, only where a piece follows.
      if (mayContinueSplit(text, tokens, t)) {
        const split = splitWord(text, tokens, t, foldRaw(text.slice(start, end), matcher), matcher);
        if (split !== null) {
          change(t);
          out.push({ start, end: tokens.end[split.to]!, sentence, flags: flags | TOKEN_OBFUSCATED, key: split.key });
          t = split.to;
          continue;
        }
      }
      if (end - start < MIN_SWAPPED) {
        const short = editsClean && end - start >= MIN_SHORT ? memoOf(matcher).redoubled(text, start, end) : null;
        if (short !== null) {
          change(t);
          out.push({ start, end, sentence, flags: flags | TOKEN_OBFUSCATED, key: short });
        } else keep(t);
        continue;
      }
      const pieces = memoOf(matcher).repairedClean(text, start, end);
      if (pieces !== null) {
        change(t);
        for (const p of pieces) out.push({ start: start + p.start, end: start + p.end, sentence, flags: flags | TOKEN_OBFUSCATED, key: p.key });
        continue;
      }
      keep(t);
      continue;
    }
    const written = text.slice(gStart, gEnd);
    // Letters of another script that look the same ("kіll" with a Cyrillic і): read in the
    // script most of the word is written in.
    const raw = unmixScripts(written, matcher.lang);
    const suspicious = glued || raw !== written || (/[0-9]/u.test(raw) && /\p{L}/u.test(raw)) || /(\p{L})\1\1/u.test(raw.toLowerCase());
    const folded = foldRaw(raw, matcher);
    // A Russian word typed in Latin letters on a Russian page ("rezat'", "ubivat"): read back in
    // Cyrillic, kept only when that is a lexicon word.
    if (!suspicious && matcher.lang === 'ru' && end - start >= MIN_TRANSLIT && isLatinWord(text, start, end)) {
      const apostrophe = end < text.length && APOSTROPHE_SIGNS.has(text.charCodeAt(end)) ? 1 : 0;
      const key = transliterate(text.slice(start, end + apostrophe).toLowerCase());
      if (isWord(key, matcher, true, false, MAX_KNOWN_SUFFIX)) {
        change(t);
        out.push({ start, end: end + apostrophe, sentence, flags: flags | TOKEN_OBFUSCATED, key });
        continue;
      }
    }
    // A letter split off by a space ("Osmiran s are animals"): joined when that spells a lexicon word.
    if (!suspicious && t + 1 < n && tokens.end[t + 1]! - tokens.start[t + 1]! === 1 && tokens.start[t + 1] === end + 1
      && !TEXT_SPEAK_LETTERS.has(text.charCodeAt(tokens.start[t + 1]!) | 0x20)
      && !isOneLetterWord(text.charCodeAt(tokens.start[t + 1]!), matcher.lang)
      && text.charCodeAt(end) === 0x20 && tokens.sentence[t + 1] === sentence && !GLUE.has(text.charCodeAt(tokens.end[t + 1]!))
      && !isWord(folded, matcher, true, true, MAX_KNOWN_SUFFIX)) {
      const joined = folded + foldRaw(text.slice(tokens.start[t + 1]!, tokens.end[t + 1]!), matcher);
      if (isWord(joined, matcher, false, false, MAX_RUN_ON_SUFFIX)) {
        change(t);
        out.push({ start, end: tokens.end[t + 1]!, sentence, flags: flags | TOKEN_OBFUSCATED, key: joined });
        t++;
        continue;
      }
    }
    // A word split in two by a space ("ver min") or in syllables by hyphens or dots ("exter-mi-nate",
    // "Kal-dori"): joined when that spells a word worth hiding. Split by a space, only a word of
    // the content classes (dehumanizing nouns, verbs of violence or hatred): two real words
    // side by side must not merge ("be headed").
    if (!suspicious) {
      const split = splitWord(text, tokens, t, folded, matcher);
      if (split !== null) {
        change(t);
        out.push({ start, end: tokens.end[split.to]!, sentence, flags: flags | TOKEN_OBFUSCATED, key: split.key });
        t = split.to;
        continue;
      }
    }
    if (!suspicious && end - start < MIN_SWAPPED) {
      // A short verb of violence or hatred with one doubled letter dropped ("kil all X"), a short
      // word of those classes with a letter doubled ("scuum") or a hate verb with two letters
      // swapped ("haet"): English only.
      const short = editsClean && end - start >= MIN_SHORT ? redouble(folded, matcher) ?? shortRepair(folded, matcher) : null;
      if (short !== null) {
        change(t);
        out.push({ start, end, sentence, flags: flags | TOKEN_OBFUSCATED, key: short });
        continue;
      }
      keep(t);
      continue;
    }
    // A word the lexicon knows in any position (the first word of a phrase too) is left alone.
    const pieces = suspicious || !isWord(folded, matcher, true, true, MAX_KNOWN_SUFFIX) ? repair(folded, gStart, suspicious, suspicious || editsClean, matcher) : null;
    if (pieces !== null && !(pieces.length === 1 && pieces[0]!.key === folded && !glued && raw === written)) {
      change(t);
      for (const p of pieces) out.push({ start: p.start, end: p.end, sentence, flags: flags | TOKEN_OBFUSCATED, key: p.key });
      t = last;
      continue;
    }
    keep(t);
  }
  if (!changed) return null;
  return build(out, tokens);
}

/**
 * The lexicon word(s) an obfuscated spelling stands for: one word (de-leeted, de-repeated), the
 * pieces of words run together, or a long word with two letters swapped back; null if none.
 */
function repair(folded: string, start: number, suspicious: boolean, oneEdit: boolean, matcher: Matcher): Piece[] | null {
  const end = start + folded.length;
  for (const v of suspicious ? variants(folded, matcher.lang) : [folded]) {
    if (isWord(v, matcher, true, suspicious, MAX_KNOWN_SUFFIX)) return [{ start, end, key: v }];
  }
  if (folded.length !== end - start || [...folded].length !== folded.length) return null; // offsets need one unit per letter
  for (const v of suspicious ? variants(folded, matcher.lang) : [folded]) {
    if (v.length !== folded.length) continue; // a de-repeated spelling has no offsets per piece
    if (v.length >= MIN_RUN_TOGETHER) {
      const pieces = splitRunTogether(v, start, matcher);
      if (pieces !== null) return pieces;
    }
    if (oneEdit && v.length >= MIN_SWAPPED) {
      const fixed = unswap(v, matcher) ?? undouble(v, matcher) ?? revowel(v, matcher) ?? replaceVowel(v, matcher);
      if (fixed !== null) return [{ start, end, key: fixed }];
    }
  }
  return null;
}

/** Slots of each RepairMemo cache (a power of two). */
const MEMO_SLOTS = 1 << 14;
/** Answers kept behind the slots, per cache. */
const MEMO_LIMIT = 100_000;

/**
 * A direct-mapped cache: a clean word's folded units (by hash, verified against the stored
 * key) → its answer. A colliding word replaces the one in its slot.
 */
class FoldedCache<V> {
  private readonly hashes = new Int32Array(MEMO_SLOTS);
  /** '' = empty slot (a word is never empty). */
  private readonly keys: string[] = new Array<string>(MEMO_SLOTS).fill('');
  private readonly values: V[];

  constructor(private readonly matcher: Matcher, empty: V, private readonly compute: (folded: string) => V) {
    this.values = new Array<V>(MEMO_SLOTS).fill(empty);
  }

  /** Behind the slots: every answer so far (bounded), as a word evicted from its slot comes back. */
  private readonly all = new Map<string, V>();

  private answer(folded: string): V {
    if (this.all.has(folded)) return this.all.get(folded)!;
    const value = this.compute(folded);
    if (this.all.size >= MEMO_LIMIT) this.all.clear();
    this.all.set(folded, value);
    return value;
  }

  get(text: string, s: number, e: number): V {
    const units = this.matcher.table.units;
    let h = 0;
    let length = 0;
    for (let p = s; p < e; p++) {
      const u = units[text.charCodeAt(p)]!;
      if (u === DROP) continue;
      // An expansion: the string route (foldRaw), not cached.
      if (u === SPECIAL) return this.answer(foldRaw(text.slice(s, e), this.matcher));
      h = (Math.imul(h, 31) + u) | 0;
      length++;
    }
    const slot = (h ^ (h >>> 14)) & (MEMO_SLOTS - 1);
    const known = this.keys[slot]!;
    if (this.hashes[slot] === h && known.length === length) {
      let j = 0;
      for (let p = s; p < e; p++) {
        const u = units[text.charCodeAt(p)]!;
        if (u === DROP) continue;
        if (known.charCodeAt(j) !== u) break;
        j++;
      }
      if (j === length) return this.values[slot]!;
    }
    const folded = foldRaw(text.slice(s, e), this.matcher);
    const value = this.answer(folded);
    this.hashes[slot] = h;
    this.keys[slot] = folded;
    this.values[slot] = value;
    return value;
  }
}

/**
 * What a clean word (no glue, digits, letter runs or mixed scripts) repairs into, per matcher:
 * running text repeats its words, and trying a long word's swaps, doublings, vowels and splits
 * asks the lexicon a hundred times. The answers depend on the folded word and the matcher only
 * (its language decides whether one-edit repairs apply); whatever depends on the neighbours
 * (split words, a letter split off) or on the raw spelling (transliteration) is tried outside.
 */
class RepairMemo {
  /** A short word: the verb it is with a doubled letter restored, or null. */
  readonly short: FoldedCache<string | null>;
  /** A long word: its pieces at offsets from the word's start, or null. */
  readonly long: FoldedCache<Piece[] | null>;

  constructor(matcher: Matcher) {
    this.short = new FoldedCache<string | null>(matcher, null, (folded) => redouble(folded, matcher) ?? shortRepair(folded, matcher));
    this.long = new FoldedCache<Piece[] | null>(matcher, null, (folded) => {
      // A word the lexicon knows in any position (the first word of a phrase too) is left alone.
      const pieces = isWord(folded, matcher, true, true, MAX_KNOWN_SUFFIX) ? null : repair(folded, 0, false, matcher.lang === 'en', matcher);
      return pieces !== null && !(pieces.length === 1 && pieces[0]!.key === folded) ? pieces : null;
    });
  }

  redoubled(text: string, s: number, e: number): string | null {
    return this.short.get(text, s, e);
  }

  repairedClean(text: string, s: number, e: number): Piece[] | null {
    return this.long.get(text, s, e);
  }
}

const memos = new WeakMap<Matcher, RepairMemo>();

function memoOf(matcher: Matcher): RepairMemo {
  let m = memos.get(matcher);
  if (m === undefined) { m = new RepairMemo(matcher); memos.set(matcher, m); }
  return m;
}

/** Lower case per code unit, or NO_LOWER where it takes context or more than one unit. */
const NO_LOWER = 0xffff;
let lowerTable: Uint16Array | null = null;

function lowerUnits(): Uint16Array {
  if (lowerTable !== null) return lowerTable;
  const table = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) {
    const l = String.fromCharCode(c).toLowerCase();
    // Surrogates (astral letters) and Σ (final sigma depends on what follows) take the RegExp.
    table[c] = l.length !== 1 || (c >= 0xd800 && c <= 0xdfff) || c === 0x3a3 ? NO_LOWER : l.charCodeAt(0);
  }
  lowerTable = table;
  return table;
}

/**
 * false when text[s..e) is surely a clean word for deobfuscate's slow path: no ASCII digit, letters
 * of one script only (unmixScripts leaves it as it is), no three code units in a row that are one
 * letter in lower case, no unit whose lower case needs more, and not a Latin word that a Russian
 * page would transliterate. true means "take the slow path".
 */
function maybeSuspicious(text: string, s: number, e: number, lang: string | null): boolean {
  const lower = lowerUnits();
  let prev1 = -1;
  let prev2 = -2;
  let scripts = 0;
  let asciiLetters = true;
  for (let p = s; p < e; p++) {
    const c = text.charCodeAt(p);
    if (c >= 0x30 && c <= 0x39) return true;
    // Letters of two scripts (Latin, Cyrillic or Greek, Armenian): unmixScripts may fold them.
    const script = scriptOf(c);
    if (script !== 0) {
      scripts |= script;
      if ((scripts & (scripts - 1)) !== 0) return true;
    }
    if ((c | 0x20) < 0x61 || (c | 0x20) > 0x7a) asciiLetters = false;
    const l = lower[c]!;
    if (l === NO_LOWER || (l === prev1 && l === prev2)) return true;
    prev2 = prev1;
    prev1 = l;
  }
  // Transliterated Russian ("rezat'") is read on Russian pages only.
  return lang === 'ru' && asciiLetters && e - s >= MIN_TRANSLIT;
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

/** Pieces of a word split by hyphens or dots ("exter-mi-nate"). */
const MAX_SPLIT_PIECES = 4;

/** Cheap pre-check of splitWord: the next token of the sentence follows after one space, hyphen or dot. */
function mayContinueSplit(text: string, tokens: PageTokens, t: number): boolean {
  const u = t + 1;
  if (u >= tokens.count || tokens.sentence[u] !== tokens.sentence[t] || tokens.start[u] !== tokens.end[t]! + 1) return false;
  const sep = text.charCodeAt(tokens.end[t]!);
  const space = sep === 0x20;
  if (!space && sep !== 0x2d && sep !== 0x2e) return false;
  const min = space ? MIN_SPLIT_PIECE : 2;
  return tokens.end[t]! - tokens.start[t]! >= min && tokens.end[u]! - tokens.start[u]! >= min;
}

function splitWord(text: string, tokens: PageTokens, t: number, folded: string, matcher: Matcher): { to: number; key: string } | null {
  const n = tokens.count;
  const sentence = tokens.sentence[t]!;
  let joined = folded;
  let best: { to: number; key: string } | null = null;
  for (let u = t + 1; u < n && u - t < MAX_SPLIT_PIECES && tokens.sentence[u] === sentence; u++) {
    if (tokens.start[u] !== tokens.end[u - 1]! + 1) break;
    const sep = text.charCodeAt(tokens.end[u - 1]!);
    const space = sep === 0x20;
    if (!space && sep !== 0x2d && sep !== 0x2e) break;
    const len = tokens.end[u]! - tokens.start[u]!;
    if (space && (u > t + 1 || len < MIN_SPLIT_PIECE || tokens.end[t]! - tokens.start[t]! < MIN_SPLIT_PIECE)) break;
    if (len < 2 || tokens.end[t]! - tokens.start[t]! < 2) break;
    joined += foldRaw(text.slice(tokens.start[u]!, tokens.end[u]!), matcher);
    if (joined.length < MIN_SWAPPED) continue;
    const known = space ? isClassWord(joined, matcher, false) && inRepairClass(joined, matcher, true) : isWord(joined, matcher, false);
    // A first word the lexicon knows on its own or as a phrase's start ("iki ayaqlı heyvan") is no split word.
    if (known && !(space && isWord(folded, matcher, true, true))) best = { to: u, key: joined };
    if (space) break;
  }
  return best;
}

/** Shortest Latin word read as transliterated Russian. */
const MIN_TRANSLIT = 4;
const APOSTROPHE_SIGNS = new Set([0x27, 0x2019, 0x02bc]);
/** Common Latin spellings of Russian letters, longest first (an apostrophe is the soft sign). */
const TRANSLIT: Array<[string, string]> = [
  ['shch', 'щ'], ['sch', 'щ'], ['zh', 'ж'], ['kh', 'х'], ['ch', 'ч'], ['sh', 'ш'], ['ts', 'ц'], ['yu', 'ю'], ['ya', 'я'], ['yo', 'е'],
  ['ju', 'ю'], ['ja', 'я'], ['iy', 'ий'], ['yi', 'ый'], ['a', 'а'], ['b', 'б'], ['v', 'в'], ['w', 'в'], ['g', 'г'], ['d', 'д'], ['e', 'е'],
  ['z', 'з'], ['i', 'и'], ['j', 'й'], ['k', 'к'], ['l', 'л'], ['m', 'м'], ['n', 'н'], ['o', 'о'], ['p', 'п'], ['r', 'р'], ['s', 'с'],
  ['t', 'т'], ['u', 'у'], ['f', 'ф'], ['h', 'х'], ['x', 'кс'], ['c', 'ц'], ['y', 'ы'], ["'", 'ь'], ['\u2019', 'ь'], ['\u02bc', 'ь'],
];

function isLatinWord(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) return false;
  }
  return true;
}

function transliterate(latin: string): string {
  let out = '';
  for (let i = 0; i < latin.length;) {
    const pair = TRANSLIT.find(([from]) => latin.startsWith(from, i));
    if (pair === undefined) { out += latin[i]; i++; continue; }
    out += pair[1];
    i += pair[0].length;
  }
  return out;
}

/** Are the tokens ending at `end` and starting at `next` one word, joined by one or two glue signs ("r@ts", "уб**ать")? */
function gluedTo(text: string, end: number, next: number): boolean {
  if (next - end < 1 || next - end > MAX_CENSORED) return false;
  for (let i = end; i < next; i++) if (!GLUE.has(text.charCodeAt(i))) return false;
  return true;
}

/** Letters drawn the same in another script, by the script a word is read in. */
const LOOK_ALIKES: Record<'latin' | 'cyrillic' | 'armenian', Record<string, string>> = {
  latin: {
    'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'һ': 'h', 'к': 'k', 'м': 'm', 'т': 't', 'в': 'b', 'н': 'h',
    'А': 'A', 'Е': 'E', 'О': 'O', 'Р': 'P', 'С': 'C', 'У': 'Y', 'Х': 'X', 'І': 'I', 'Ј': 'J', 'Ѕ': 'S', 'К': 'K', 'М': 'M', 'Т': 'T', 'В': 'B', 'Н': 'H',
    'ο': 'o', 'α': 'a', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'τ': 't', 'υ': 'u', 'ρ': 'p', 'Ο': 'O', 'Α': 'A', 'Ε': 'E', 'Ι': 'I', 'Κ': 'K', 'Τ': 'T',
    'օ': 'o', 'ս': 'u', 'հ': 'h', 'ո': 'n', 'ց': 'g', 'գ': 'q', 'ա': 'w', 'Օ': 'O', 'Ս': 'U', 'Հ': 'H',
  },
  cyrillic: {
    a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', y: 'у', x: 'х', k: 'к', m: 'м', t: 'т', b: 'ь', h: 'н', n: 'п', r: 'г', u: 'и',
    A: 'А', E: 'Е', O: 'О', P: 'Р', C: 'С', Y: 'У', X: 'Х', K: 'К', M: 'М', T: 'Т', B: 'В', H: 'Н',
  },
  armenian: {
    o: 'օ', u: 'ս', h: 'հ', n: 'ո', g: 'ց', q: 'գ', w: 'ա', d: 'դ',
    O: 'Օ', U: 'Ս', H: 'Հ',
    'п': 'պ', 'о': 'օ', 'ј': 'յ', 'һ': 'հ', 'ц': 'ց', 'О': 'Օ', 'П': 'Պ',
  },
};

/** The script of one code unit for look-alike counting: 1 Latin, 2 Cyrillic (and Greek), 4 Armenian, 0 none. */
function scriptOf(c: number): number {
  const s = SCRIPT[c]!;
  if (s !== 0) return s & (LATIN | CYRILLIC | ARMENIAN);
  return c >= 0x0370 && c <= 0x03ff ? CYRILLIC : 0; // Greek look-alikes count with Cyrillic
}

/** The script a page in `lang` is written in (ties of a mixed word go to it). */
function pageScript(lang: string | null): number {
  return lang === 'ru' ? CYRILLIC : lang === 'hy' ? ARMENIAN : LATIN;
}

/**
 * A word mixing scripts ("вeлкaры" with Latin e and a, "kіll" with a Cyrillic і, "uպանել"
 * with a Latin u), written in the script most of its letters are in — on a tie, the page's.
 * Letters with no look-alike stay as written (the word then matches nothing). Clean words —
 * one script — are returned as they are, without allocating.
 */
function unmixScripts(word: string, lang: string | null): string {
  let latin = 0;
  let cyrillic = 0;
  let armenian = 0;
  for (let i = 0; i < word.length; i++) {
    const s = scriptOf(word.charCodeAt(i));
    if (s === LATIN) latin++;
    else if (s === CYRILLIC) cyrillic++;
    else if (s === ARMENIAN) armenian++;
  }
  if ((latin > 0 ? 1 : 0) + (cyrillic > 0 ? 1 : 0) + (armenian > 0 ? 1 : 0) < 2) return word;
  const home = pageScript(lang);
  const score = (s: number, k: number): number => 2 * k + (s === home ? 1 : 0);
  const best = Math.max(score(LATIN, latin), score(CYRILLIC, cyrillic), score(ARMENIAN, armenian));
  const into = best === score(LATIN, latin) ? 'latin' : best === score(CYRILLIC, cyrillic) ? 'cyrillic' : 'armenian';
  const target = into === 'latin' ? LATIN : into === 'cyrillic' ? CYRILLIC : ARMENIAN;
  const table = LOOK_ALIKES[into];
  let out = '';
  for (const ch of word) {
    const s = scriptOf(ch.charCodeAt(0));
    out += s !== 0 && s !== target ? table[ch] ?? ch : ch;
  }
  return out;
}

/** The script whose digit and censor table a folded word takes: the one of its letters. */
function leetScript(word: string, lang: string | null): Script | null {
  for (let i = 0; i < word.length; i++) {
    const s = scriptOf(word.charCodeAt(i));
    if (s === CYRILLIC) return 'cyrillic';
    if (s === ARMENIAN) return 'armenian';
    if (s === LATIN) return lang === 'tr' || lang === 'az' ? 'turkic' : 'latin';
  }
  return null;
}

/** Letters of each piece of a word split by a space ("ver min"). */
const MIN_SPLIT_PIECE = 3;
/** Shortest word whose one wrong vowel is repaired ("subhumen"). */
const MIN_VOWEL_REPLACED = 6;

/**
 * Is `word` a one-word member form of a class whose words are worth obfuscating: the short-repair
 * verbs, or (with `nouns`) a dehumanizing noun? Not the function-word classes (copula, modals…).
 */
function inRepairClass(word: string, matcher: Matcher, nouns: boolean): boolean {
  for (const lookup of matcher.grammar.allLookups) {
    const id = lookup.cls.id;
    if (!SHORT_REPAIR_CLASSES.has(id) && !(nouns && id.startsWith('dh-') && lookup.cls.pos === 'noun')) continue;
    if (isFormOf(lookup, word)) return true;
  }
  return false;
}

/**
 * A short unknown word with one letter doubled ("scuum") back into a word of the short-repair
 * classes or a dehumanizing noun, or with two letters swapped ("haet") back into a verb of
 * hatred only: swaps of short words make other real words too often ("silt", "beta").
 */
function shortRepair(word: string, matcher: Matcher): string | null {
  if (word.length < 4) return null;
  let found: string | null = null;
  for (let i = 1; i < word.length && found === null; i++) {
    if (word[i] !== word[i - 1]) continue;
    const single = word.slice(0, i) + word.slice(i + 1);
    if (single.length >= 3 && inRepairClass(single, matcher, true)) found = single;
  }
  for (let i = 0; i + 1 < word.length && found === null; i++) {
    if (word[i] === word[i + 1]) continue;
    const swapped = word.slice(0, i) + word[i + 1]! + word[i]! + word.slice(i + 2);
    for (const lookup of matcher.grammar.allLookups) {
      if (lookup.cls.id === 'hate-emotion' && isFormOf(lookup, swapped)) { found = swapped; break; }
    }
  }
  return found !== null && !isWord(word, matcher, true, true) ? found : null;
}

/**
 * A long word with one vowel written wrong ("subhumen") back into a dehumanizing noun. Nouns only:
 * a verb one vowel away is too often another real verb ("departed" / "deported").
 */
function replaceVowel(word: string, matcher: Matcher): string | null {
  if (word.length < MIN_VOWEL_REPLACED) return null;
  // English y stands for i as often as a vowel does ("parasytes").
  const vowels = matcher.lang === 'en' || matcher.lang === null ? 'aeiouy' : VOWELS[matcher.lang] ?? VOWELS.en!;
  for (let i = 0; i < word.length; i++) {
    if (!vowels.includes(word[i]!)) continue;
    for (const v of vowels) {
      if (v === word[i]) continue;
      const changed = word.slice(0, i) + v + word.slice(i + 1);
      if (inRepairClass(changed, matcher, true) && isClassWord(changed, matcher, false)) {
        for (const lookup of matcher.grammar.allLookups) {
          if (lookup.cls.id.startsWith('dh-') && lookup.cls.pos === 'noun' && isFormOf(lookup, changed)) return changed;
        }
      }
    }
  }
  return null;
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

/** De-leeted, de-censored and de-repeated spellings of a word, most likely first. */
function variants(word: string, lang: string | null): string[] {
  const script = leetScript(word, lang);
  if (script === null) return [];
  const leet = LEET[script];
  let censored = 0;
  for (const ch of word) if (CENSOR.has(ch)) censored++;
  if (censored > MAX_CENSORED) return [];
  let spellings = [''];
  for (const ch of word) {
    const subs = CENSOR.has(ch) ? CENSORED[script] : leet[ch] ?? [ch];
    const next: string[] = [];
    for (const s of spellings) for (const sub of subs) if (next.length < MAX_SPELLINGS) next.push(s + sub);
    spellings = next;
  }
  const out: string[] = [];
  for (const s of spellings) {
    if (/[0-9@$*#!]/u.test(s)) continue;
    out.push(s);
    // A run of three or more is one letter more often than two ("убиииить", "haaate").
    const one = s.replace(/(\p{L})\1{2,}/gu, '$1');
    const two = s.replace(/(\p{L})\1{2,}/gu, '$1$1');
    if (one !== s) out.push(one);
    if (two !== s) out.push(two);
  }
  return out;
}

function firstKnown(candidates: string[], matcher: Matcher): string | null {
  for (const c of candidates) if (isWord(c, matcher)) return c;
  return null;
}

function bestSpacedRun(text: string, tokens: PageTokens, t: number, u: number, matcher: Matcher): { from: number; to: number; key: string } | null {
  // The longest sub-run that spells a lexicon word ("I k i l l" → "kill").
  for (let len = u - t + 1; len >= MIN_SPACED_LETTERS; len--) {
    for (let from = t; from + len - 1 <= u; from++) {
      let word = '';
      for (let v = from; v < from + len; v++) word += foldRaw(text.slice(tokens.start[v]!, tokens.end[v]!), matcher);
      const key = firstKnown(variants(word, matcher.lang), matcher);
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
