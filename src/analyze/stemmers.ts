/**
 * English and Russian Porter stemmers from `natural`, loaded lazily by submodule path:
 * importing `natural` itself costs ~1 s and runs dotenv, which prints to stdout.
 */
export type StemFn = (word: string) => string;

const STEMMER_MODULES: Record<string, string> = {
  en: 'natural/lib/natural/stemmers/porter_stemmer',
  ru: 'natural/lib/natural/stemmers/porter_stemmer_ru',
};

const loaded = new Map<string, StemFn>();
const CACHE_LIMIT = 50_000;

/** Languages with a stemmer, and the script its words are written in (to pick per token). */
export const STEMMER_LANGS = ['en', 'ru'] as const;
export type StemmerLang = (typeof STEMMER_LANGS)[number];

export function hasStemmer(lang: string): lang is StemmerLang {
  return lang === 'en' || lang === 'ru';
}

/** A memoised stemmer: vocabularies are Zipfian, so most calls are cache hits. */
export function stemmerFor(lang: StemmerLang): StemFn {
  const existing = loaded.get(lang);
  if (existing) return existing;
   
  const mod = require(STEMMER_MODULES[lang]!) as { stem(word: string): string };
  const cache = new Map<string, string>();
  const fn: StemFn = (word) => {
    let s = cache.get(word);
    if (s === undefined) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      s = mod.stem(word);
      cache.set(word, s);
    }
    return s;
  };
  loaded.set(lang, fn);
  return fn;
}
