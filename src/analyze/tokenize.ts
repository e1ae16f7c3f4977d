/**
 * One pass over the page with a char loop: word tokens over \p{L}\p{M}\p{N}, sentence
 * boundaries, and whether each token sits inside quotation marks.
 *
 * Why not Intl.Segmenter (which the design first named): a word + sentence pass with it runs at
 * a few MB/s against ~200 MB/s for this loop (npm run bench prints both), allocates an object
 * per segment, and goes quadratic on very long strings in Node 20. Words are the same as
 * Intl.Segmenter's word-like segments (granularity 'word') for English, Russian, Turkish,
 * Azerbaijani and Armenian text, except on purpose (test/analyze/tokenize-segmenter.test.ts
 * checks both the agreement and each difference):
 *   - a word hyphenated across a line break ("exter-\nminate") is one token;
 *   - a full stop, colon or middle dot between letters splits ("e.g" is two tokens), and so do
 *     decimal/thousands separators in numbers and the underscore;
 *   - the Armenian comma ՝ stays with its word, like the marks ՛ ՜ ՞ (matching drops all four);
 *   - astral characters count as word characters, so a surrogate pair is never split.
 *
 * Tokens keep ORIGINAL offsets. Words hyphenated across a line break ("exter-\nminate") are
 * one token whose span includes the hyphen and line break; matching skips those characters.
 */
import * as normalize from './normalize';
import type { FoldTable } from './normalize';
import * as scriptModule from './script';

// Local copies: CommonJS re-exports compile to getters, too slow for the per-character loop.
const CHAR_CLASS = normalize.CHAR_CLASS;
const APOSTROPHES = normalize.APOSTROPHES;
const DROP = normalize.DROP;
const SPECIAL = normalize.SPECIAL;
const SCRIPT = scriptModule.SCRIPT;

export const TOKEN_QUOTED = 1;
/** The token contains non-word characters to skip (a hyphen + line break join). */
export const TOKEN_JOINED = 2;
/** The token was rebuilt from an obfuscated spelling (obfuscation.ts): hits on it are fuzzy. */
export const TOKEN_OBFUSCATED = 4;
/** The token's key is given by PageKeys' overrides, not read from the text. */
export const TOKEN_OVERRIDE = 8;

export interface PageTokens {
  count: number;
  start: Int32Array;
  end: Int32Array;
  sentence: Int32Array;
  flags: Uint8Array;
  sentenceStart: number[];
  sentenceEnd: number[];
}

const HYPHENS = new Set([0x2d, 0x2010, 0x2011]);
const OPENERS = new Set([0xab, 0x201e, 0x201a, 0x2018]); // « „ ‚ ‘
const CLOSERS = new Set([0xbb, 0x201d]); // » ”
const TRAILING_CLOSERS = new Set([0x22, 0x27, 0x29, 0x5d, 0xbb, 0x201d, 0x2019, 0x201c]);

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x3000 || c === 0xfeff;
}

function isTerminator(c: number, armenianColon: boolean): boolean {
  // . ! ? … and Armenian full stop ։ (U+0589); Armenian typed with ASCII ':' uses it as a stop.
  return c === 0x2e || c === 0x21 || c === 0x3f || c === 0x2026 || c === 0x0589 || (armenianColon && c === 0x3a);
}

function isLowerCaseLetter(c: number): boolean {
  const ch = String.fromCharCode(c);
  return ch !== ch.toUpperCase();
}

/** If a hyphen at `i` ends a line and a lower-case letter starts the next, the index of that letter. */
function lineBreakJoin(text: string, i: number): number {
  let k = i + 1;
  const n = text.length;
  while (k < n && (text.charCodeAt(k) === 0x20 || text.charCodeAt(k) === 0x09 || text.charCodeAt(k) === 0x0d)) k++;
  if (k >= n || text.charCodeAt(k) !== 0x0a) return -1;
  k++;
  while (k < n && (text.charCodeAt(k) === 0x20 || text.charCodeAt(k) === 0x09)) k++;
  if (k >= n) return -1;
  const c = text.charCodeAt(k);
  return CHAR_CLASS[c] === 1 && isLowerCaseLetter(c) ? k : -1;
}

interface TokenArrays { start: Int32Array; end: Int32Array; sentence: Int32Array; flags: Uint8Array }

function tokenArrays(capacity: number): TokenArrays {
  return { start: new Int32Array(capacity), end: new Int32Array(capacity), sentence: new Int32Array(capacity), flags: new Uint8Array(capacity) };
}

let scratch: TokenArrays = tokenArrays(4096);

/**
 * Tokens of a page. With `reuse`, the arrays are shared scratch buffers, valid only until the
 * next reusing call (the analyser consumes a page's tokens before it tokenizes the next one);
 * this saves allocating and collecting ~6 bytes per character of every page.
 * With `scripts` (zeroed, SCRIPT_CODES long), every character's script code is counted on the
 * way (see script.ts), so language detection needs no second pass over the page.
 */
export function tokenize(text: string, lang: string | null = null, reuse = false, scripts: Int32Array | null = null): PageTokens {
  const n = text.length;
  const capacity = (n >> 1) + 1;
  if (reuse && scratch.start.length < capacity) scratch = tokenArrays(Math.max(capacity, scratch.start.length * 2));
  const { start, end, sentence, flags } = reuse ? scratch : tokenArrays(capacity);
  const sentenceStart: number[] = [];
  const sentenceEnd: number[] = [];
  const armenianColon = lang === 'hy';

  let count = 0;
  let sentOpenAt = -1; // start of the open sentence, -1 if none
  let lastContentEnd = 0; // end of the last non-space character
  let pendingEnd = -1; // a terminator was seen; sentence ends here unless cancelled
  let lineBreakSincePending = false; // a line break after the terminator: a new sentence whatever its case
  const quotes: number[] = [];

  const closeSentence = (at: number): void => {
    if (sentOpenAt >= 0) { sentenceStart.push(sentOpenAt); sentenceEnd.push(at); }
    sentOpenAt = -1;
    pendingEnd = -1;
  };

  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (scripts !== null) scripts[SCRIPT[c]!]!++;
    if (CHAR_CLASS[c] === 1) {
      if (pendingEnd >= 0) {
        // "e.g. the" / "Mr. Smith"-like cases: a lower-case word after a stop continues it, unless
        // a line break came first (posts and lists start lines in lower case).
        if ((isLowerCaseLetter(c) && !lineBreakSincePending) || pendingEnd === i) pendingEnd = -1;
        else closeSentence(pendingEnd);
      }
      if (sentOpenAt < 0) sentOpenAt = i;
      let j = i + 1;
      let joined = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (CHAR_CLASS[d] !== 0) { if (scripts !== null) scripts[SCRIPT[d]!]!++; j++; continue; }
        if (APOSTROPHES.has(d) && j + 1 < n && CHAR_CLASS[text.charCodeAt(j + 1)] === 1) {
          if (scripts !== null) { scripts[SCRIPT[d]!]!++; scripts[SCRIPT[text.charCodeAt(j + 1)]!]!++; }
          j += 2;
          continue;
        }
        // A line-break join skips only hyphens and white space, none of which has a script.
        if (HYPHENS.has(d)) {
          const k = lineBreakJoin(text, j);
          if (k > 0) { j = k; joined = true; continue; }
        }
        break;
      }
      start[count] = i;
      end[count] = j;
      sentence[count] = sentenceStart.length;
      flags[count] = (quotes.length > 0 ? TOKEN_QUOTED : 0) | (joined ? TOKEN_JOINED : 0);
      count++;
      lastContentEnd = j;
      i = j;
      continue;
    }
    if (isSpace(c)) {
      if (c === 0x0a && pendingEnd >= 0) lineBreakSincePending = true;
      if (c === 0x0a) {
        // A blank line ends the paragraph: close the sentence and forget unbalanced quotes.
        let k = i + 1;
        while (k < n && isSpace(text.charCodeAt(k)) && text.charCodeAt(k) !== 0x0a) k++;
        if (k < n && text.charCodeAt(k) === 0x0a) {
          closeSentence(pendingEnd >= 0 ? pendingEnd : lastContentEnd);
          quotes.length = 0;
          i = k;
          continue;
        }
      }
      i++;
      continue;
    }
    // Other punctuation.
    if (isTerminator(c, armenianColon)) {
      const prevWord = i > 0 && CHAR_CLASS[text.charCodeAt(i - 1)] === 1;
      const nextWord = i + 1 < n && CHAR_CLASS[text.charCodeAt(i + 1)] === 1;
      const initial = c === 0x2e && count > 0 && end[count - 1] === i && end[count - 1]! - start[count - 1]! === 1
        && !isLowerCaseLetter(text.charCodeAt(i - 1));
      if (!(prevWord && nextWord) && !initial) { pendingEnd = i + 1; lineBreakSincePending = false; }
      if (sentOpenAt < 0) sentOpenAt = i;
      lastContentEnd = i + 1;
      i++;
      continue;
    }
    if (pendingEnd === i && TRAILING_CLOSERS.has(c)) pendingEnd = i + 1; // keep ." and .» inside
    else if (pendingEnd >= 0) closeSentence(pendingEnd);
    if (sentOpenAt < 0) sentOpenAt = i;
    lastContentEnd = i + 1;
    trackQuote(text, i, c, quotes);
    i++;
  }
  closeSentence(pendingEnd >= 0 ? pendingEnd : lastContentEnd);
  return { count, start, end, sentence, flags, sentenceStart, sentenceEnd };
}

/** Quotation state as a small stack of opening marks (nested «„“» quotes, straight quotes). */
function trackQuote(text: string, i: number, c: number, quotes: number[]): void {
  const top = quotes.length > 0 ? quotes[quotes.length - 1] : -1;
  if (c === 0x22) { // "
    if (top === 0x22) quotes.pop(); else quotes.push(c);
  } else if (c === 0x201c) { // “ closes „ (German/Russian low-high style), otherwise opens
    if (top === 0x201e) quotes.pop(); else quotes.push(c);
  } else if (OPENERS.has(c)) {
    quotes.push(c);
  } else if (CLOSERS.has(c)) {
    if (quotes.length > 0) quotes.pop();
  } else if (c === 0x27 || c === 0x2019) { // ' ’ outside a word: closing or opening single quote
    if (top === 0x2018 || top === 0x27) quotes.pop();
    else {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0x20;
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0x20;
      if (CHAR_CLASS[prev] !== 1 && CHAR_CLASS[next] === 1) quotes.push(0x27);
    }
  }
}

/** The folded form of token `t` (used where a string is needed: stemmer, phrases, cues). */
export function tokenKey(text: string, tokens: PageTokens, t: number, table: FoldTable): string {
  const s = tokens.start[t]!;
  const e = tokens.end[t]!;
  const joined = (tokens.flags[t]! & TOKEN_JOINED) !== 0;
  const units = table.units;
  if (!joined) {
    // Most tokens are already folded (lower case, nothing to drop): a slice, no concatenation.
    let p = s;
    while (p < e) { const c = text.charCodeAt(p); if (units[c] !== c) break; p++; }
    if (p === e) return text.slice(s, e);
  }
  let out = '';
  for (let p = s; p < e; p++) {
    const c = text.charCodeAt(p);
    if (joined && CHAR_CLASS[c] === 0 && !APOSTROPHES.has(c)) continue;
    const u = units[c]!;
    if (u === DROP) continue;
    out += u === SPECIAL ? table.expansions.get(c)! : String.fromCharCode(u);
  }
  return out;
}
