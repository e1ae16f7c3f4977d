/**
 * The lexicon pattern syntax (see types.ts): space-separated tokens, `stem*` prefixes and
 * `~N` gaps of 0..N tokens. Parsing is script-neutral; folding happens per page language.
 */
import { APOSTROPHES, CHAR_CLASS } from './normalize';

export interface RawTokenPattern {
  /** NFC, not yet folded. */
  text: string;
  stem: boolean;
}

export interface RawPattern {
  term: string;
  tokens: RawTokenPattern[];
  /** gapsBefore[k] = how many arbitrary tokens may precede tokens[k] (0 for k = 0). */
  gapsBefore: number[];
}

export class PatternError extends Error {}

const MAX_GAP = 10;

/** Splits one written word the way the tokenizer would ("face-to-face" → 3 tokens). */
function splitWord(word: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    const inWord = CHAR_CLASS[c] !== 0
      || (APOSTROPHES.has(c) && cur.length > 0 && i + 1 < word.length && CHAR_CLASS[word.charCodeAt(i + 1)] === 1);
    if (inWord) cur += word[i];
    else if (cur) { parts.push(cur); cur = ''; }
  }
  if (cur) parts.push(cur);
  return parts;
}

export function parsePattern(term: string): RawPattern {
  const tokens: RawTokenPattern[] = [];
  const gapsBefore: number[] = [];
  let pendingGap = 0;
  for (const chunk of term.normalize('NFC').trim().split(/\s+/u)) {
    if (!chunk) continue;
    const gap = /^~(\d+)$/u.exec(chunk);
    if (gap) {
      if (tokens.length === 0) throw new PatternError(`"${term}": a ~N gap cannot start a pattern`);
      pendingGap += Number(gap[1]);
      if (pendingGap > MAX_GAP) throw new PatternError(`"${term}": gaps over ~${MAX_GAP} are not allowed`);
      continue;
    }
    const stem = chunk.endsWith('*');
    const words = splitWord(stem ? chunk.slice(0, -1) : chunk);
    if (words.length === 0) throw new PatternError(`"${term}": "${chunk}" has no letters`);
    words.forEach((w, idx) => {
      gapsBefore.push(tokens.length === 0 ? 0 : idx === 0 ? pendingGap : 0);
      tokens.push({ text: w, stem: stem && idx === words.length - 1 });
    });
    pendingGap = 0;
  }
  if (tokens.length === 0) throw new PatternError(`"${term}": empty pattern`);
  if (pendingGap > 0) throw new PatternError(`"${term}": a ~N gap cannot end a pattern`);
  return { term, tokens, gapsBefore };
}
