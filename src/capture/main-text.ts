/**
 * Analysing a captured page's main text, not its menus and footers. The pipeline reads the
 * rendered PDF (so flags get boxes on the page), whose text holds everything the page showed;
 * the main text (Readability's article, stored beside it) says which of it is the article or
 * statement. Here the main text is located in a page's text by its words, and everything else is
 * blanked for the analyser: same length, line breaks kept, so every offset the analyser gives is
 * an offset into the stored page text, which keeps menus and footers. Pure, no I/O.
 *
 * Located by word trigrams, in order of the page: a word of the page counts as main text when it
 * lies in a run of at least four words whose every trigram is one of the main text's, or on a
 * line that is a whole short block (a heading of one to three words) of the main text. A menu or
 * footer line that repeats the article's very words therefore counts as main text too, and a
 * word cut off from its sentence by a page break of the PDF (one or two words alone at the top
 * of a page) does not.
 */

import type { PassageQuote } from '../analyze/types';

const WORD = /[\p{L}\p{N}]+/gu;
const MIN_RUN = 4;
const SHORT_BLOCK = 3;

interface Word {
  key: string;
  start: number;
  end: number;
  line: number;
}

function normalWord(word: string): string {
  return word.normalize('NFKC').toLowerCase();
}

function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  let line = 0;
  let scanned = 0;
  for (const m of text.matchAll(WORD)) {
    for (let i = scanned; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    scanned = m.index;
    out.push({ key: normalWord(m[0]), start: m.index, end: m.index + m[0].length, line });
  }
  return out;
}

/** What locating needs of a main text: its trigrams and its short blocks. */
export interface MainTextIndex {
  trigrams: Set<string>;
  shortBlocks: Set<string>;
  words: number;
}

let lastIndex: { text: string; index: MainTextIndex } | null = null;

export function indexMainText(mainText: string): MainTextIndex {
  // Pages of one document come one after another with the same main text.
  if (lastIndex?.text === mainText) return lastIndex.index;
  const words = wordsOf(mainText).map((w) => w.key);
  const trigrams = new Set<string>();
  for (let i = 0; i + 2 < words.length; i++) trigrams.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  const shortBlocks = new Set<string>();
  for (const line of mainText.split('\n')) {
    const lineWords = [...line.matchAll(WORD)].map((m) => normalWord(m[0]));
    if (lineWords.length > 0 && lineWords.length <= SHORT_BLOCK) shortBlocks.add(lineWords.join(' '));
  }
  const index = { trigrams, shortBlocks, words: words.length };
  lastIndex = { text: mainText, index };
  return index;
}

/** The [start, end) spans of `pageText` that are main text, in order, not overlapping. */
export function mainTextSpans(pageText: string, mainText: string | MainTextIndex): Array<[number, number]> {
  const index = typeof mainText === 'string' ? indexMainText(mainText) : mainText;
  const words = wordsOf(pageText);
  const inTrigram = new Uint8Array(words.length);
  for (let i = 0; i + 2 < words.length; i++) {
    if (index.trigrams.has(`${words[i]!.key} ${words[i + 1]!.key} ${words[i + 2]!.key}`)) inTrigram[i] = inTrigram[i + 1] = inTrigram[i + 2] = 1;
  }
  const kept = new Uint8Array(words.length);
  for (let i = 0; i < words.length; ) {
    if (!inTrigram[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < words.length && inTrigram[j]) j++;
    if (j - i >= MIN_RUN) kept.fill(1, i, j);
    i = j;
  }
  // Whole short lines that are a short block of the main text (headings, one-line answers).
  for (let i = 0; i < words.length; ) {
    let j = i;
    while (j < words.length && words[j]!.line === words[i]!.line) j++;
    if (j - i <= SHORT_BLOCK && index.shortBlocks.has(words.slice(i, j).map((w) => w.key).join(' '))) kept.fill(1, i, j);
    i = j;
  }
  const spans: Array<[number, number]> = [];
  for (let i = 0; i < words.length; ) {
    if (!kept[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < words.length && kept[j + 1]) j++;
    // Punctuation attached to the run's first and last words belongs to it (quotes, full stop).
    let start = words[i]!.start;
    while (start > 0 && !/\s/.test(pageText[start - 1]!) && (i === 0 || start > words[i - 1]!.end)) start--;
    let end = words[j]!.end;
    while (end < pageText.length && !/\s/.test(pageText[end]!) && (j + 1 === words.length || end < words[j + 1]!.start)) end++;
    spans.push([start, end]);
    i = j + 1;
  }
  return spans;
}

/** `text` with every character outside `spans` replaced by a space, line breaks kept (same length). */
export function blankOutside(text: string, spans: ReadonlyArray<readonly [number, number]>): string {
  let out = '';
  let at = 0;
  const blank = (from: number, to: number) => text.slice(from, to).replace(/[^\n]/g, ' ');
  for (const [start, end] of spans) {
    out += blank(at, start) + text.slice(start, end);
    at = end;
  }
  return out + blank(at, text.length);
}

/** The share of the main text's trigrams that occur in `text`: is the main text there at all? */
export function mainTextCoverage(text: string, mainText: string): number {
  const index = indexMainText(mainText);
  if (index.trigrams.size === 0) return 0;
  const seen = new Set<string>();
  const words = wordsOf(text).map((w) => w.key);
  for (let i = 0; i + 2 < words.length; i++) {
    const key = `${words[i]} ${words[i + 1]} ${words[i + 2]}`;
    if (index.trigrams.has(key)) seen.add(key);
  }
  return seen.size / index.trigrams.size;
}

/**
 * A flag found in the blanked text, quoted from the stored text: the same offsets, with the
 * context (prefix, suffix, sentence) as the page really reads.
 */
export function quotedFrom<F extends PassageQuote & { sentenceStart: number; sentenceEnd: number }>(flag: F, text: string): F {
  return {
    ...flag,
    exact: text.slice(flag.start, flag.end),
    prefix: text.slice(flag.start - flag.prefix.length, flag.start),
    suffix: text.slice(flag.end, flag.end + flag.suffix.length),
    sentence: text.slice(flag.sentenceStart, flag.sentenceEnd),
  };
}

/** The main text a capture's pages are analysed by, or null when they are analysed whole. */
export function analysedMainText(doc: { capture?: { analysed?: 'main' | 'page'; mainText?: string } | null }): string | null {
  return doc.capture?.analysed === 'main' && doc.capture.mainText ? doc.capture.mainText : null;
}
