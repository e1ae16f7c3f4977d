/**
 * Page language from script and letters, with a few stopwords to settle Latin-script pages.
 * franc would need ESM under jest and misfires on short text; the languages we serve are
 * separated well by script: Armenian → hy; Cyrillic with ә ғ ҝ ј ҹ һ ө ү → az (pre-1991
 * Azerbaijani), other Cyrillic → ru; Latin with ə → az, with ğ ş ı → tr, otherwise en.
 */
import { baseLang } from './compile';
import { CHAR_CLASS } from './normalize';

const DEFAULT_CANDIDATES = ['en', 'ru', 'tr', 'az', 'hy'];
/** Letters are counted on this much text, stopwords on the first STOPWORD_CHARS. */
const SAMPLE_CHARS = 6_000;
const STOPWORD_CHARS = 2_000;

const STOPWORDS: Record<string, Set<string>> = {
  en: new Set(['the', 'and', 'of', 'is', 'are', 'to', 'in', 'that', 'they', 'was', 'were', 'with', 'for', 'this', 'not']),
  tr: new Set(['ve', 'bir', 'bu', 'için', 'ile', 'da', 'de', 'olarak', 'çok', 'gibi', 'ama', 'daha', 'onlar', 'değil']),
  az: new Set(['və', 'bir', 'bu', 'üçün', 'ilə', 'da', 'də', 'olaraq', 'çox', 'kimi', 'amma', 'daha', 'onlar', 'deyil']),
  ru: new Set(['и', 'в', 'не', 'на', 'что', 'с', 'это', 'как', 'по', 'они', 'к', 'но', 'из', 'за']),
  azCyrl: new Set(['вә', 'бир', 'бу', 'үчүн', 'илә', 'да', 'дә', 'олараг', 'чох', 'кими', 'онлар', 'дејил']),
};

/** word → the stopword lists it is in (one lookup per word). */
const STOPWORD_LANGS = new Map<string, string[]>();
for (const [lang, words] of Object.entries(STOPWORDS)) {
  for (const w of words) STOPWORD_LANGS.set(w, [...(STOPWORD_LANGS.get(w) ?? []), lang]);
}

/** By code unit (a Set of one-letter strings would allocate a string per character read). */
const AZ_CYRILLIC_LETTERS = unitSet('әғҝјҹһөүӘҒҜЈҸҺӨҮ');
const TURKIC_LATIN_LETTERS = unitSet('ğşıĞŞİ');

function unitSet(letters: string): Uint8Array {
  const set = new Uint8Array(65536);
  for (let i = 0; i < letters.length; i++) set[letters.charCodeAt(i)] = 1;
  return set;
}

/** Per code unit: which script (and which telling letter) it is, for one-lookup counting. */
const LATIN = 1;
const CYRILLIC = 2;
const ARMENIAN = 4;
const SCHWA = 8;
const TURKIC_LATIN = 16;
const AZ_CYRILLIC = 32;
const SCRIPT = buildScriptTable();

function buildScriptTable(): Uint8Array {
  const t = new Uint8Array(65536);
  for (let u = 0x41; u <= 0x2af; u++) if (u <= 0x5a || (u >= 0x61 && u <= 0x7a) || u >= 0xc0) t[u] = LATIN;
  for (let u = 0x0400; u <= 0x04ff; u++) t[u] = CYRILLIC | (AZ_CYRILLIC_LETTERS[u] === 1 ? AZ_CYRILLIC : 0);
  for (let u = 0x0531; u <= 0x058f; u++) t[u] = ARMENIAN;
  t[0x259] = LATIN | SCHWA; t[0x18f] = LATIN | SCHWA;
  for (let u = 0; u < 65536; u++) if (TURKIC_LATIN_LETTERS[u] === 1) t[u] = LATIN | TURKIC_LATIN;
  return t;
}

interface ScriptCounts {
  latin: number; cyrillic: number; armenian: number;
  schwa: number; turkicLatin: number; azCyrillic: number;
}

function countScripts(text: string, from: number, to: number): ScriptCounts {
  let latin = 0; let cyrillic = 0; let armenian = 0; let schwa = 0; let turkicLatin = 0; let azCyrillic = 0;
  const table = SCRIPT;
  for (let i = from; i < to; i++) {
    const s = table[text.charCodeAt(i)]!;
    if (s === 0) continue;
    if (s & LATIN) { latin++; if (s & SCHWA) schwa++; else if (s & TURKIC_LATIN) turkicLatin++; }
    else if (s & CYRILLIC) { cyrillic++; if (s & AZ_CYRILLIC) azCyrillic++; }
    else armenian++;
  }
  return { latin, cyrillic, armenian, schwa, turkicLatin, azCyrillic };
}

/** The last page counted in full, so otherLanguagesOnPage does not count it a second time. */
let lastCounted: { text: string; counts: ScriptCounts } | null = null;

interface Counts {
  latin: number; cyrillic: number; armenian: number;
  schwa: number; turkicLatin: number; azCyrillic: number;
  stop: Record<string, number>;
}

function count(text: string): Counts {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  const scripts = countScripts(sample, 0, sample.length);
  if (sample === text) lastCounted = { text, counts: scripts };
  const c: Counts = { ...scripts, stop: {} };
  // Stopwords only settle what letters leave open: short text, or Latin with ğ/ş/ı but no ə.
  const letters = c.latin + c.cyrillic + c.armenian;
  const ambiguous = letters < 300 || (c.latin > c.cyrillic && c.schwa === 0 && c.turkicLatin > 0);
  if (ambiguous) {
    const head = sample.length > STOPWORD_CHARS ? sample.slice(0, STOPWORD_CHARS) : sample;
    // Word by word without splitting the sample: only short words become strings.
    const cls = CHAR_CLASS;
    for (let i = 0; i < head.length;) {
      while (i < head.length && cls[head.charCodeAt(i)] !== 1) i++;
      let j = i;
      while (j < head.length && cls[head.charCodeAt(j)] === 1) j++;
      const langs = j > i && j - i <= 6 ? STOPWORD_LANGS.get(head.slice(i, j).toLowerCase()) : undefined;
      if (langs) for (const lang of langs) c.stop[lang] = (c.stop[lang] ?? 0) + 1;
      i = j;
    }
  }
  return c;
}

/**
 * The most likely of `candidates` for `text`, or null when no candidate fits its script
 * (or there are no letters at all).
 */
export function detectLanguage(text: string, candidates: readonly string[] = DEFAULT_CANDIDATES): string | null {
  const allowed = new Set(candidates.map(baseLang));
  const c = count(text);
  const stop = (l: string): number => c.stop[l] ?? 0;
  const scores = new Map<string, number>();
  const consider = (lang: string, score: number): void => { if (allowed.has(lang)) scores.set(lang, Math.max(scores.get(lang) ?? -Infinity, score)); };

  // Pick the dominant script first, then the language within it.
  const script = c.armenian >= c.cyrillic && c.armenian >= c.latin ? 'armenian' : c.cyrillic >= c.latin ? 'cyrillic' : 'latin';
  if (c.armenian + c.cyrillic + c.latin === 0) return null;
  if (script === 'armenian') consider('hy', 1);
  else if (script === 'cyrillic') {
    consider('az', c.azCyrillic * 3 + stop('azCyrl') * 2);
    consider('ru', stop('ru') * 2 + 0.5);
  } else {
    consider('az', c.schwa * 3 + stop('az') * 2 + c.turkicLatin * 0.5);
    consider('tr', c.turkicLatin + stop('tr') * 2 - c.schwa * 3);
    consider('en', stop('en') * 2 + 0.5);
  }
  // A candidate with the right script but no evidence still beats "unknown".
  let best: string | null = null;
  let bestScore = -Infinity;
  for (const [lang, score] of scores) if (score > bestScore) { best = lang; bestScore = score; }
  return best;
}

/** "the", "and", "are" or "of" as a whole word, compared by code unit (no strings made). */
function hasEnglishFunctionWord(text: string): boolean {
  const cls = CHAR_CLASS;
  const lower = (i: number): number => text.charCodeAt(i) | 0x20; // ASCII letters only matter
  for (let i = 0; i < text.length;) {
    while (i < text.length && cls[text.charCodeAt(i)] !== 1) i++;
    let j = i;
    while (j < text.length && cls[text.charCodeAt(j)] === 1) j++;
    if (j - i === 2 && lower(i) === 0x6f && lower(i + 1) === 0x66) return true; // of
    if (j - i === 3) {
      const a = lower(i); const b = lower(i + 1); const c = lower(i + 2);
      if ((a === 0x74 && b === 0x68 && c === 0x65) || (a === 0x61 && b === 0x6e && c === 0x64) || (a === 0x61 && b === 0x72 && c === 0x65)) return true; // the, and, are
    }
    i = j;
  }
  return false;
}

/** Fewer letters than this in another script (a name, an abbreviation) do not make a page mixed. */
const MIXED_MIN_LETTERS = 12;
const SENTENCE_SPLIT = /[.!?\u0589\n]+/u;

/**
 * Languages other than `primary` that whole sentences of the page are written in. Cheap when
 * the page is in one script: sentences are only examined when a second script (or, on a Latin
 * page, a second Latin-script language's letters or stopwords) is present.
 */
export function otherLanguagesOnPage(text: string, primary: string | null, candidates: readonly string[] = DEFAULT_CANDIDATES): string[] {
  if (primary === null) return [];
  const counts = lastCounted !== null && lastCounted.text === text ? lastCounted.counts : countScripts(text, 0, text.length);
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
