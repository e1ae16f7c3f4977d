/**
 * Which script each UTF-16 code unit belongs to (and whether it is one of the letters that tell
 * Azerbaijani and Turkish apart), as one small code per unit. Language detection counts these
 * codes; the tokenizer can count them on its own pass over the page (a histogram indexed by
 * code), so detection does not read the page a second time.
 */
export const LATIN = 1;
export const CYRILLIC = 2;
export const ARMENIAN = 4;
export const SCHWA = 8;
export const TURKIC_LATIN = 16;
export const AZ_CYRILLIC = 32;
/** ö ü ç: Turkish and Azerbaijani (and German, French…), never English. */
export const TURKIC_SHARED = 64;
/** q and x: frequent in Azerbaijani, foreign in Turkish. */
export const QX = 128;
/** Length of a histogram indexed by script code. */
export const SCRIPT_CODES = 256;

/** By code unit (a Set of one-letter strings would allocate a string per character read). */
function unitSet(letters: string): Uint8Array {
  const set = new Uint8Array(65536);
  for (let i = 0; i < letters.length; i++) set[letters.charCodeAt(i)] = 1;
  return set;
}
const AZ_CYRILLIC_LETTERS = unitSet('әғҝјҹһөүӘҒҜЈҸҺӨҮ');
const TURKIC_LATIN_LETTERS = unitSet('ğşıĞŞİ');
const TURKIC_SHARED_LETTERS = unitSet('öüçÖÜÇ');
const QX_LETTERS = unitSet('qxQX');

export const SCRIPT: Uint8Array = buildScriptTable();

function buildScriptTable(): Uint8Array {
  const t = new Uint8Array(65536);
  for (let u = 0x41; u <= 0x2af; u++) if (u <= 0x5a || (u >= 0x61 && u <= 0x7a) || u >= 0xc0) t[u] = LATIN;
  for (let u = 0x0400; u <= 0x04ff; u++) t[u] = CYRILLIC | (AZ_CYRILLIC_LETTERS[u] === 1 ? AZ_CYRILLIC : 0);
  for (let u = 0x0531; u <= 0x058f; u++) t[u] = ARMENIAN;
  t[0x259] = LATIN | SCHWA; t[0x18f] = LATIN | SCHWA;
  for (let u = 0; u < 65536; u++) {
    if (TURKIC_LATIN_LETTERS[u] === 1) t[u] = LATIN | TURKIC_LATIN;
    else if (TURKIC_SHARED_LETTERS[u] === 1) t[u] = LATIN | TURKIC_SHARED;
    else if (QX_LETTERS[u] === 1) t[u] = LATIN | QX;
  }
  return t;
}

export interface ScriptCounts {
  latin: number; cyrillic: number; armenian: number;
  schwa: number; turkicLatin: number; azCyrillic: number;
  turkicShared: number; qx: number;
}

/** Counts of text[from, to). */
export function countScripts(text: string, from: number, to: number): ScriptCounts {
  const hist = new Int32Array(SCRIPT_CODES);
  const table = SCRIPT;
  for (let i = from; i < to; i++) hist[table[text.charCodeAt(i)]!]!++;
  return countsFromHistogram(hist);
}

/** The same counts from a histogram of script codes (see tokenize's `scripts`). */
export function countsFromHistogram(hist: Int32Array): ScriptCounts {
  const c: ScriptCounts = { latin: 0, cyrillic: 0, armenian: 0, schwa: 0, turkicLatin: 0, azCyrillic: 0, turkicShared: 0, qx: 0 };
  for (let s = 1; s < SCRIPT_CODES; s++) {
    const k = hist[s]!;
    if (k === 0) continue;
    if (s & LATIN) {
      c.latin += k;
      if (s & SCHWA) c.schwa += k;
      else if (s & TURKIC_LATIN) c.turkicLatin += k;
      else if (s & TURKIC_SHARED) c.turkicShared += k;
      else if (s & QX) c.qx += k;
    }
    else if (s & CYRILLIC) { c.cyrillic += k; if (s & AZ_CYRILLIC) c.azCyrillic += k; }
    else c.armenian += k;
  }
  return c;
}
