/**
 * Page language from script and letters, with a few stopwords to settle Latin-script pages.
 * franc would need ESM under jest and misfires on short text; the languages we serve are
 * separated well by script: Armenian → hy; Cyrillic with ә ғ ҝ ј ҹ һ ө ү → az (pre-1991
 * Azerbaijani), other Cyrillic → ru; Latin with ə → az, with ğ ş ı → tr, otherwise en.
 */
import { baseLang } from './lang';
import { CHAR_CLASS } from './normalize';
import { countScripts, type ScriptCounts } from './script';

const DEFAULT_CANDIDATES = ['en', 'ru', 'tr', 'az', 'hy'];
/** Letters are counted on this much text, stopwords on the first STOPWORD_CHARS. */
export const SAMPLE_CHARS = 6_000;
const STOPWORD_CHARS = 2_000;

const STOPWORDS: Record<string, Set<string>> = {
  en: new Set(['the', 'and', 'of', 'is', 'are', 'to', 'in', 'that', 'they', 'was', 'were', 'with', 'for', 'this', 'not']),
  // Posts often drop diacritics (degil, icin, hamisi): those spellings count too.
  tr: new Set(['ve', 'bir', 'bu', 'için', 'ile', 'da', 'de', 'olarak', 'çok', 'gibi', 'ama', 'daha', 'onlar', 'değil', 'yok', 'hepsi', 'hiç', 'yine', 'çünkü', 'artık', 'degil', 'icin', 'cok',
    // Question and degree words short posts are made of ("neden bu kadar…", "insan mı").
    'neden', 'niye', 'kadar', 'mı', 'diye', 'şimdi', 'hem']),
  az: new Set(['və', 'bir', 'bu', 'üçün', 'ilə', 'da', 'də', 'olaraq', 'çox', 'kimi', 'amma', 'daha', 'onlar', 'deyil', 'heç', 'hamısı', 'yox', 'yenə', 'indi', 'çünki', 'hamisi', 'hec', 'ucun',
    'niyə', 'nə', 'axı', 'hələ', 'belə', 'elə', 'deyə', 'niye']),
  ru: new Set(['и', 'в', 'не', 'на', 'что', 'с', 'это', 'как', 'по', 'они', 'к', 'но', 'из', 'за']),
  azCyrl: new Set(['вә', 'бир', 'бу', 'үчүн', 'илә', 'да', 'дә', 'олараг', 'чох', 'кими', 'онлар', 'дејил']),
};

/** word → the stopword lists it is in (one lookup per word). */
const STOPWORD_LANGS = new Map<string, string[]>();
for (const [lang, words] of Object.entries(STOPWORDS)) {
  for (const w of words) STOPWORD_LANGS.set(w, [...(STOPWORD_LANGS.get(w) ?? []), lang]);
}

/**
 * Per code unit its lower-case unit, 0 where toLowerCase gives more than one unit (İ). Words of
 * one-unit letters are lower-cased and looked up without making a string; the context-dependent
 * mapping (Greek final sigma) cannot make a word a stopword, none has a sigma.
 */
const LOWER = new Uint16Array(65536);
for (let u = 0; u < 65536; u++) {
  const lower = String.fromCharCode(u).toLowerCase();
  LOWER[u] = lower.length === 1 ? lower.charCodeAt(0) : 0;
}
const STOP_SLOTS = 256; // open addressing, a power of two well above the stopword count
const stopKeys = new Array<string>(STOP_SLOTS).fill('');
const stopLangs = new Array<string[]>(STOP_SLOTS).fill([]);
function stopHash(h: number): number {
  return (h ^ (h >>> 8)) & (STOP_SLOTS - 1);
}
for (const [word, langs] of STOPWORD_LANGS) {
  let h = 0;
  for (let k = 0; k < word.length; k++) h = (Math.imul(h, 31) + word.charCodeAt(k)) | 0;
  let slot = stopHash(h);
  while (stopKeys[slot] !== '') slot = (slot + 1) & (STOP_SLOTS - 1);
  stopKeys[slot] = word;
  stopLangs[slot] = langs;
}

/** The stopword lists text[i, j) lower-cased is in (what STOPWORD_LANGS.get(slice.toLowerCase()) gives). */
function stopwordLangs(text: string, i: number, j: number): string[] | undefined {
  let h = 0;
  for (let k = i; k < j; k++) {
    const u = LOWER[text.charCodeAt(k)]!;
    if (u === 0) return STOPWORD_LANGS.get(text.slice(i, j).toLowerCase());
    h = (Math.imul(h, 31) + u) | 0;
  }
  for (let slot = stopHash(h); ; slot = (slot + 1) & (STOP_SLOTS - 1)) {
    const key = stopKeys[slot]!;
    if (key === '') return undefined;
    if (key.length !== j - i) continue;
    let k = 0;
    while (k < key.length && key.charCodeAt(k) === LOWER[text.charCodeAt(i + k)]) k++;
    if (k === key.length) return stopLangs[slot];
  }
}

interface Counts extends ScriptCounts {
  stop: Record<string, number>;
  /** Words with Turkish/Azerbaijani suffixes (plural + case, necessitative, copula…). */
  turkicSuffixes: number;
  /** Words with endings only Azerbaijani has (perfect -ıb/-ib, infinitive -maq/-mək). */
  azSuffixes: number;
  /** Cyrillic words with Turkic endings (-лар, -лары, -дыр): Azerbaijani typed without ә ҝ ј. */
  cyrillicTurkic: number;
}

/** Endings that English words do not have and Turkish and Azerbaijani words often do (also typed without ı ş ə). */
const TURKIC_SUFFIX = /\p{L}(?:olsun|olsunlar|ları|leri|ləri|ların|lerin|lərin|lara|lere|lərə|malı|meli|məli|malıy|meliy|məliy|dır|dir|dur|dür|dırlar|dirler|mış|miş|muş|müş|ıyor|iyor|uyor|üyor|acak|ecek|acaq|əcək|sınlar|sinler|sinlər|alım|elim|ında|inde|ından|inden|ımız|imiz|umuz|ümüz|lari|larin|larini|lerini|mali|maliyiz|meliyiz|sinlar|lardan|lerden|tır|tir|tur|tür|sın|sun|sün|sunlar|sünler|rsin|lsin|tsin|rsinler|lsinler)(?![\p{L}])/gu;

/** Azerbaijani-only endings: the perfect -(y)Ib (olmayıb, köçüblər; Turkish has -mış), -mAq, and the present -Ir- with 1sg -Am / 1pl -Ik (edirəm, typed edirem; bilirik). */
const AZ_SUFFIX = /\p{L}{2}(?:[ıiuü]b|[ıiuü]blər|[ıiuü]blar|[iu]bler|maq|mək|[ıiuü]r[aəe]m|[ıiuü]r[ıi][kq])(?![\p{L}])/gu;
/** Cyrillic Turkic endings Russian words do not have (доллар keeps its лл). */
const CYRILLIC_TURKIC_SUFFIX = /\p{L}(?:(?<!л)(?:лар|лары|ларын|лара)|ләр|дыр|дур|дүр)(?![\p{L}])/gu;

function count(text: string, sampleCounts: ScriptCounts | null): Counts {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  const scripts = sampleCounts ?? countScripts(sample, 0, sample.length);
  const c: Counts = { ...scripts, stop: {}, turkicSuffixes: 0, azSuffixes: 0, cyrillicTurkic: 0 };
  // Stopwords only settle what letters leave open: short text, or Latin with ğ/ş/ı but no ə.
  const letters = c.latin + c.cyrillic + c.armenian;
  const ambiguous = letters < 300 || (c.latin > c.cyrillic && c.schwa === 0 && c.turkicLatin + c.turkicShared > 0);
  if (ambiguous) {
    // Word by word over the first STOPWORD_CHARS of the text itself (a sliced string is
    // slower to read), no string per word.
    const limit = Math.min(text.length, STOPWORD_CHARS);
    const cls = CHAR_CLASS;
    for (let i = 0; i < limit;) {
      while (i < limit && cls[text.charCodeAt(i)] !== 1) i++;
      let j = i;
      while (j < limit && cls[text.charCodeAt(j)] === 1) j++;
      const langs = j > i && j - i <= 6 ? stopwordLangs(text, i, j) : undefined;
      if (langs) for (const lang of langs) c.stop[lang] = (c.stop[lang] ?? 0) + 1;
      i = j;
    }
    // Endings settle short posts only; on a page the letters have already spoken.
    if (letters < 300 && c.latin > c.cyrillic + c.armenian) {
      const lower = text.slice(0, limit).toLowerCase();
      c.turkicSuffixes = (lower.match(TURKIC_SUFFIX) ?? []).length;
      c.azSuffixes = (lower.match(AZ_SUFFIX) ?? []).length;
    }
    if (letters < 300 && c.cyrillic > c.latin + c.armenian && c.azCyrillic === 0) c.cyrillicTurkic = (text.slice(0, limit).toLowerCase().match(CYRILLIC_TURKIC_SUFFIX) ?? []).length;
  }
  return c;
}

/** Base languages of a candidate list, per list (the analyser passes the same list page after page). */
const allowedCache = new WeakMap<readonly string[], Set<string>>();
function allowedLanguages(candidates: readonly string[]): Set<string> {
  let set = allowedCache.get(candidates);
  if (!set) { set = new Set(candidates.map(baseLang)); allowedCache.set(candidates, set); }
  return set;
}

/**
 * The most likely of `candidates` for `text`, or null when no candidate fits its script
 * (or there are no letters at all). `sampleCounts`: the script counts of the first
 * SAMPLE_CHARS characters, if the caller already has them (the analyser's tokenizer pass).
 */
export function detectLanguage(text: string, candidates: readonly string[] = DEFAULT_CANDIDATES, sampleCounts: ScriptCounts | null = null): string | null {
  const allowed = allowedLanguages(candidates);
  const c = count(text, sampleCounts);
  const stop = (l: string): number => c.stop[l] ?? 0;
  // Each language is considered once; the first of equal scores wins.
  let best: string | null = null;
  let bestScore = -Infinity;
  const consider = (lang: string, score: number): void => {
    if (allowed.has(lang) && score > bestScore) { best = lang; bestScore = score; }
  };

  // Pick the dominant script first, then the language within it.
  const script = c.armenian >= c.cyrillic && c.armenian >= c.latin ? 'armenian' : c.cyrillic >= c.latin ? 'cyrillic' : 'latin';
  if (c.armenian + c.cyrillic + c.latin === 0) return null;
  if (script === 'armenian') consider('hy', 1);
  else if (script === 'cyrillic') {
    consider('az', c.azCyrillic * 3 + stop('azCyrl') * 2 + c.cyrillicTurkic * 1.5);
    consider('ru', stop('ru') * 2 + 0.5);
  } else {
    // ö ü ç and Turkic endings point to Turkish or Azerbaijani; ə, q and x (foreign to Turkish
    // words), the perfect -ıb and -maq then to Azerbaijani.
    const turkic = c.turkicLatin + c.turkicShared * 0.5 + c.turkicSuffixes * 1.5;
    // Turkish first: equal evidence (no ə, q, x, -ıb, -maq) is a Turkish text more often.
    consider('tr', turkic + stop('tr') * 2 - c.schwa * 3 - c.azSuffixes * 2 - (turkic > 0 ? c.qx * 2.5 : 0));
    consider('az', c.schwa * 3 + stop('az') * 2 + c.turkicLatin * 0.5 + c.azSuffixes * 2 + (turkic > 0 ? c.qx * 2.5 + c.turkicShared * 0.3 + c.turkicSuffixes * 1.4 : 0));
    consider('en', stop('en') * 2 + 0.5);
  }
  // A candidate with the right script but no evidence still beats "unknown".
  return best;
}

/** "the", "and", "are" or "of" as a whole word (ASCII, any case; words are runs of CHAR_CLASS 1). */
const ENGLISH_FUNCTION_WORD = /the|and|are|of/gi;

function hasEnglishFunctionWord(text: string): boolean {
  // The RegExp finds candidates at native speed (they are rare on Turkic pages); the word
  // boundaries are checked here with the tokenizer's own letter class. Without the u flag,
  // ignoreCase maps no non-ASCII character onto these ASCII letters.
  const cls = CHAR_CLASS;
  ENGLISH_FUNCTION_WORD.lastIndex = 0;
  // test(), not exec(): no match object per candidate ("are" and "of" occur inside many
  // Turkic words). The match ends at lastIndex; only "of" ends in f, the others are 3 long.
  while (ENGLISH_FUNCTION_WORD.test(text)) {
    const j = ENGLISH_FUNCTION_WORD.lastIndex;
    const i = j - ((text.charCodeAt(j - 1) | 0x20) === 0x66 ? 2 : 3);
    if ((i === 0 || cls[text.charCodeAt(i - 1)] !== 1) && (j === text.length || cls[text.charCodeAt(j)] !== 1)) return true;
  }
  return false;
}

/** Fewer letters than this in another script (a name, an abbreviation) do not make a page mixed. */
const MIXED_MIN_LETTERS = 12;
const SENTENCE_SPLIT = /[.!?\u0589\n]+/u;

/**
 * Languages other than `primary` that whole sentences of the page are written in. Cheap when
 * the page is in one script: sentences are only examined when a second script (or, on a Latin
 * page, a second Latin-script language's letters or stopwords) is present. `pageCounts`: the
 * script counts of the whole page, if the caller has them.
 */
export function otherLanguagesOnPage(
  text: string, primary: string | null, candidates: readonly string[] = DEFAULT_CANDIDATES, pageCounts: ScriptCounts | null = null,
): string[] {
  if (primary === null) return [];
  const counts = pageCounts ?? countScripts(text, 0, text.length);
  const { latin, cyrillic, armenian } = counts;
  const turkic = counts.schwa + counts.turkicLatin;
  const scripts = [latin, cyrillic, armenian].filter((n) => n >= MIXED_MIN_LETTERS).length;
  const latinMix = latin >= MIXED_MIN_LETTERS && (primary === 'en' ? turkic >= 2 : (primary === 'tr' || primary === 'az') && hasEnglishFunctionWord(text));
  if (scripts < 2 && !latinMix) return [];
  const found = new Set<string>();
  for (const sentence of text.split(SENTENCE_SPLIT)) {
    if (sentence.length < 4) continue;
    const lang = detectLanguage(sentence, candidates);
    if (lang !== null && lang !== primary) found.add(lang);
  }
  return [...found];
}
