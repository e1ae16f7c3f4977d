/**
 * Word forms for the page search, made with the analyser's own normalisation (normalize.ts and
 * the tokenizer), so a search finds what the lexicon would: İ/I/ı/i by the Turkic rules of the
 * page's language, ё as е, Azerbaijani Cyrillic as Latin on Azerbaijani pages, Armenian in-word
 * marks and Russian stress marks dropped. Pure: text in, forms and offsets out.
 *
 * A page's forms are folded under its own language's table. A query has no language, so it is
 * folded under every table; a page matches when one of the query's forms is one of its own.
 */
import { detectLanguage } from './language';
import { APOSTROPHES, foldModeFor, foldString, foldTable, type FoldMode, type FoldTable } from './normalize';
import { tokenize, tokenKey } from './tokenize';

const QUERY_MODES: readonly FoldMode[] = ['default', 'turkic', 'az', 'unknown'];

/** Longest form kept (a run of letters longer than this is no word anyone searches for). */
export const MAX_FORM_LENGTH = 64;

export interface PageForms {
  /** The language the forms were folded for (detected from the text; null: none). */
  lang: string | null;
  /** Distinct folded word forms of the page. */
  forms: string[];
}

/** The distinct folded forms of a page's words, under its detected language. */
export function pageSearchForms(text: string): PageForms {
  const lang = text.length ? detectLanguage(text) : null;
  const table = foldTable(foldModeFor(lang));
  // Shared scratch arrays (see tokenize): used up before this function returns.
  const tokens = tokenize(text, lang, true);
  const forms = new Set<string>();
  const keep = (form: string) => {
    if (form.length > 0 && form.length <= MAX_FORM_LENGTH) forms.add(form);
  };
  for (let t = 0; t < tokens.count; t++) {
    const form = tokenKey(text, tokens, t, table);
    keep(form);
    // "İstanbul'da", "Tarvani's": the name before the apostrophe is a word of its own too.
    const apostrophe = form.indexOf("'");
    if (apostrophe > 0) keep(form.slice(0, apostrophe));
  }
  return { lang, forms: [...forms] };
}

/**
 * The words of a query, each with every form it may take on a page (one per fold table, without
 * repeats). Words are split as the tokenizer splits page text.
 */
export function queryWordForms(query: string): string[][] {
  const text = query.normalize('NFC');
  const tokens = tokenize(text, null);
  const words: string[][] = [];
  const seen = new Set<string>();
  for (let t = 0; t < tokens.count; t++) {
    const word = text.slice(tokens.start[t]!, tokens.end[t]!);
    const forms = [...new Set(QUERY_MODES.map((mode) => foldString(word, foldTable(mode))))].filter((f) => f.length > 0 && f.length <= MAX_FORM_LENGTH);
    const key = forms.join('\u0000');
    if (forms.length && !seen.has(key)) {
      seen.add(key);
      words.push(forms);
    }
  }
  return words;
}

function firstApostrophe(text: string, start: number, end: number): number {
  for (let i = start; i < end; i++) if (APOSTROPHES.has(text.charCodeAt(i))) return i;
  return -1;
}

export interface WordHit {
  start: number;
  end: number;
  exact: string;
}

/** Where on a page (folded for `lang`) the words with any of `forms` are: original offsets, in order. */
export function wordHits(text: string, lang: string | null, forms: ReadonlySet<string>, max = 200): WordHit[] {
  const table: FoldTable = foldTable(foldModeFor(lang));
  const tokens = tokenize(text, lang);
  const hits: WordHit[] = [];
  for (let t = 0; t < tokens.count && hits.length < max; t++) {
    const form = tokenKey(text, tokens, t, table);
    const start = tokens.start[t]!;
    let end = -1;
    if (forms.has(form)) end = tokens.end[t]!;
    else if (form.includes("'") && forms.has(form.slice(0, form.indexOf("'")))) end = firstApostrophe(text, start, tokens.end[t]!);
    if (end > start) hits.push({ start, end, exact: text.slice(start, end) });
  }
  return hits;
}
