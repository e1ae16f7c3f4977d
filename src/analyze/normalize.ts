/**
 * Character-level normalisation as lookup tables, so a page is never rewritten: the tokenizer
 * walks the original NFC text and folds each code unit through a table on the fly. Offsets of
 * a match are therefore the original token offsets and text.slice(start, end) === exact holds
 * for every normalisation by construction.
 *
 * A table maps a UTF-16 code unit to: 0 = drop (stress marks, Armenian in-word marks, soft
 * hyphen), SPECIAL = expands to several units (see `expansions`), otherwise the folded unit.
 */

export const DROP = 0;
export const SPECIAL = 0xffff;

/** Fold modes: which case folding and script mapping a page gets. */
export type FoldMode = 'default' | 'turkic' | 'az' | 'unknown' | 'turkic-ascii' | 'az-ascii';

export interface FoldTable {
  mode: FoldMode;
  units: Uint16Array;
  expansions: Map<number, string>;
}

/** 1 = word character (\p{L}\p{M}\p{N}, surrogates), 2 = word-internal mark to skip. */
export const CHAR_CLASS: Uint8Array = buildCharClass();

function buildCharClass(): Uint8Array {
  const cls = new Uint8Array(65536);
  const word = /[\p{L}\p{M}\p{N}]/u;
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) cls[c] = 1; // astral letters: keep pairs inside tokens
    else if (word.test(String.fromCharCode(c))) cls[c] = 1;
  }
  // Armenian emphasis/exclamation/comma/question marks sit inside words; soft hyphen too.
  for (let c = 0x055b; c <= 0x055e; c++) cls[c] = 2;
  cls[0x00ad] = 2;
  return cls;
}

export const APOSTROPHES = new Set([0x27, 0x2019, 0x02bc, 0x2018]);

/** Azerbaijani Cyrillic (1939–1991) → Latin (1991). Lower case only; upper is lowered first. */
export const AZ_CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'q', ғ: 'ğ', д: 'd', е: 'e', ә: 'ə', ж: 'j', з: 'z', и: 'i',
  ы: 'ı', ј: 'y', к: 'k', ҝ: 'g', л: 'l', м: 'm', н: 'n', о: 'o', ө: 'ö', п: 'p', р: 'r',
  с: 's', т: 't', у: 'u', ү: 'ü', ф: 'f', х: 'x', һ: 'h', ч: 'ç', ҹ: 'c', ш: 'ş', й: 'y',
  ё: 'yo', ю: 'yu', я: 'ya', ц: 's', щ: 'şç', ъ: '', ь: '', э: 'e',
};

const tableCache = new Map<string, FoldTable>();

export function foldModeFor(lang: string | null): FoldMode {
  if (lang === null) return 'unknown';
  if (lang === 'az') return 'az';
  if (lang === 'tr') return 'turkic';
  return 'default';
}

/**
 * Turkish or Azerbaijani typed on a keyboard without its letters ("velkarlari serhedden atin"):
 * the page is matched with ı ş ç ğ ö ü (and az ə) folded to i s c g o u e on both sides, so a
 * listed word matches its folded spelling. Only for a page with none of these letters at all
 * (see analyze.ts), where the folded spelling is what every word has.
 */
export function asciiFoldModeFor(lang: string | null): FoldMode | null {
  return lang === 'tr' ? 'turkic-ascii' : lang === 'az' ? 'az-ascii' : null;
}

const ASCII_TURKIC: Record<string, string> = { ı: 'i', I: 'i', ş: 's', Ş: 's', ç: 'c', Ç: 'c', ğ: 'g', Ğ: 'g', ö: 'o', Ö: 'o', ü: 'u', Ü: 'u' };

/** Case folding and script mapping for one mode. Built once per mode (~10 ms), then cached. */
export function foldTable(mode: FoldMode): FoldTable {
  const cached = tableCache.get(mode);
  if (cached) return cached;
  const units = new Uint16Array(65536);
  const expansions = new Map<number, string>();
  const set = (c: number, out: string): void => {
    if (out.length === 0) units[c] = DROP;
    else if (out.length === 1 && out.charCodeAt(0) !== SPECIAL) units[c] = out.charCodeAt(0);
    else { units[c] = SPECIAL; expansions.set(c, out); }
  };
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) { units[c] = c; continue; }
    const ch = String.fromCharCode(c);
    const lower = ch.toLowerCase();
    // Multi-unit lower cases other than İ do not occur in our scripts; keep the unit as is.
    units[c] = lower.length === 1 ? lower.charCodeAt(0) : c;
  }
  units[0] = 0; // NUL never appears inside a token; keeps DROP unambiguous
  units[SPECIAL] = DROP; // U+FFFF is a noncharacter; keeps SPECIAL unambiguous
  set(0x0130, 'i'); // İ → i (toLowerCase would give i + U+0307)
  set(0x0401, 'е'); set(0x0451, 'е'); // Ё ё → е
  set(0x0300, ''); set(0x0301, ''); // Russian stress marks (combining grave/acute)
  for (let c = 0x055b; c <= 0x055e; c++) set(c, '');
  set(0x00ad, ''); // soft hyphen
  set(0x0587, 'եւ'); // Armenian ligature և (what NFKC gives)
  for (const a of APOSTROPHES) set(a, "'");
  if (mode === 'turkic' || mode === 'az') {
    set(0x49, 'ı'); // I → ı
  }
  if (mode === 'turkic-ascii' || mode === 'az-ascii') {
    for (const [from, to] of Object.entries(ASCII_TURKIC)) set(from.charCodeAt(0), to);
    if (mode === 'az-ascii') { set(0x0259, 'e'); set(0x018f, 'e'); } // ə Ə
  }
  if (mode === 'unknown') {
    set(0x49, 'i'); set(0x0131, 'i'); // I, ı, İ, i are one class when the language is unknown
  }
  if (mode === 'az') {
    for (const [cyr, lat] of Object.entries(AZ_CYRILLIC_TO_LATIN)) {
      set(cyr.charCodeAt(0), lat);
      const upper = cyr.toUpperCase();
      if (upper.length === 1 && upper !== cyr) set(upper.charCodeAt(0), lat);
    }
    set(0x04e8, 'ö'); set(0x04ae, 'ü'); set(0x04d8, 'ə'); set(0x0408, 'y');
  }
  const table = { mode, units, expansions };
  tableCache.set(mode, table);
  return table;
}

const LETTERS_WITHOUT_DECOMPOSITION: Record<string, string> = {
  ı: 'i', ə: 'e', ø: 'o', ł: 'l', đ: 'd', ß: 'ss', æ: 'ae', œ: 'oe',
};

/** `fold` followed by removal of diacritics (for entries with match.diacritics insensitive). */
export function stripTable(mode: FoldMode): FoldTable {
  const key = `${mode}:strip`;
  const cached = tableCache.get(key);
  if (cached) return cached;
  const base = foldTable(mode);
  const units = new Uint16Array(65536);
  const expansions = new Map<number, string>();
  for (let c = 0; c < 65536; c++) {
    const u = base.units[c]!;
    if (c >= 0xd800 && c <= 0xdfff) { units[c] = c; continue; }
    const folded = u === SPECIAL ? base.expansions.get(c)! : u === DROP ? '' : String.fromCharCode(u);
    let out = '';
    for (const ch of folded) {
      const mapped = LETTERS_WITHOUT_DECOMPOSITION[ch];
      out += mapped ?? ch.normalize('NFD').replace(/\p{M}/gu, '');
    }
    // A bare combining mark strips to nothing: that is the point of insensitive matching.
    if (out.length === 0) units[c] = DROP;
    else if (out.length === 1) units[c] = out.charCodeAt(0);
    else { units[c] = SPECIAL; expansions.set(c, out); }
  }
  units[0] = 0;
  units[SPECIAL] = DROP;
  const table = { mode, units, expansions };
  tableCache.set(key, table);
  return table;
}

/** Folds a whole string through a table (for lexicon terms and cue words, not for pages). */
export function foldString(s: string, table: FoldTable): string {
  let out = '';
  const nfc = s.normalize('NFC');
  for (let i = 0; i < nfc.length; i++) {
    const c = nfc.charCodeAt(i);
    const u = table.units[c]!;
    if (u === DROP) continue;
    out += u === SPECIAL ? table.expansions.get(c)! : String.fromCharCode(u);
  }
  return out;
}
