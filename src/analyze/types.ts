/**
 * Public types of the analysis core: lexicon data as curators write it, and the flags the
 * matcher returns. The core is pure (text + compiled lexicon in, flags out); these types are
 * the contract between the lexicon files, the matcher, the store and the CLI.
 */

/** Category codes, defined in docs/taxonomy.md. Stable once data uses them. */
export const CATEGORY_CODES = [
  'DH.ANIMAL', 'DH.DISEASE', 'DH.DEMON', 'DH.OBJECT', 'DH.DISGUST',
  'VI.ERAD', 'VI.THREAT', 'VI.GLOR', 'VI.JUST',
  'TH.MIRROR', 'TH.PURITY',
  'NE.SLUR', 'NE.ESSENCE', 'NE.COLLECT',
  'HE.DESTROY', 'HE.DENY', 'HE.DESECR',
  'DE.ATROC', 'DE.EXIST',
  'CODE', 'PO.RESPECT',
] as const;
export type CategoryCode = (typeof CATEGORY_CODES)[number];

export type Severity = 1 | 2 | 3 | 4;

/**
 * One predicate entry. `terms` use a small pattern syntax, written lower-case in the entry's
 * own script:
 *   - space-separated tokens, each matching one word token;
 *   - a token ending in `*` is a stem: it matches any word that starts with it (agglutinative
 *     suffixes, inflection), provided the stem is at least `match.minStemLen` letters;
 *   - `~N` is a gap of 0..N arbitrary word tokens ("wipe ~3 off the face of the earth").
 * Plain tokens in `en` and `ru` also match their inflected forms through the stemmer unless
 * `match.stem` is false.
 */
export interface LexiconEntryData {
  id: string;
  version: number;
  status: 'draft' | 'reviewed' | 'retired';
  /** BCP-47: en, ru, tr, az, hy… `az` entries are written in Latin script and also match
   *  Cyrillic-era Azerbaijani text through transliteration. */
  lang: string;
  /** `predicate`: flags only near a target mention (see context); `standalone`: flags alone. */
  role: 'predicate' | 'standalone';
  terms: string[];
  category: CategoryCode;
  severity: Severity;
  match?: {
    /** `insensitive`: é matches e, ş matches s… Default strict. */
    diacritics?: 'strict' | 'insensitive';
    /** On OCR'd pages (AnalyzeOptions.fuzzy), allow one edit on terms of 7+ letters; such
     *  hits carry signal `fuzzy`. */
    fuzzy?: boolean;
    /** Minimum letters before a `*`. Default 4. */
    minStemLen?: number;
    /** Use the language stemmer for plain tokens (en, ru). Default true where available. */
    stem?: boolean;
  };
  context?: {
    /** Default true for `predicate`, false for `standalone`. */
    requiresTarget?: boolean;
    /** Where a target mention must be. Default: same sentence. */
    window?: { unit: 'token' | 'sentence'; n: number };
    /** What a negation cue before the term does. Default `downgrade`. */
    negation?: 'suppress' | 'downgrade' | 'keep';
    /** What quotation/reported speech does. Default `flag` (signal only). */
    quotation?: 'flag' | 'downgrade';
  };
  /** Patterns (same syntax) that cancel a hit when they match over it ("pest control"). */
  exceptions?: string[];
  meaning: string;
  whyHarmful: string;
  source: { type: 'literature' | 'usage' | 'curator' | 'import'; ref: string; citation?: string };
  /** Free-text remarks by name (a curator's; an importer's alternatives, context…); never matched. */
  notes?: Record<string, string>;
}

/** A target group: names, demonyms, toponyms and heritage sites per language. Groups are data. */
export interface TargetGroupData {
  id: string;
  name: string;
  /** True for the invented groups used in fixtures and examples. */
  fictional?: boolean;
  terms: Array<{
    lang: string;
    kind: 'name' | 'demonym' | 'toponym' | 'heritage';
    /** Same pattern syntax as predicate terms. */
    terms: string[];
  }>;
}

export interface LexiconData {
  id: string;
  /** Version of the lexicon as a whole; every flag records it. */
  version: string;
  name: string;
  description?: string;
  entries: LexiconEntryData[];
  targets: TargetGroupData[];
}

export interface FlagSignals {
  negated: boolean;
  quoted: boolean;
  condemned: boolean;
  fuzzy: boolean;
}

export interface EntryMatch {
  entryId: string;
  entryVersion: number;
  category: CategoryCode;
  severity: Severity;
  start: number;
  end: number;
  exact: string;
  term: string;
  fuzzy: boolean;
}

export interface TargetMention {
  groupId: string;
  start: number;
  end: number;
  exact: string;
}

/**
 * One flag: a candidate for human review, never a verdict. Offsets are UTF-16 code units into
 * the page text exactly as given to the analyser (stored NFC): text.slice(start, end) === exact.
 */
export interface AnalysisFlag {
  start: number;
  end: number;
  exact: string;
  /** Up to ~200 chars before/after, like W3C TextQuoteSelector prefix/suffix. */
  prefix: string;
  suffix: string;
  sentence: string;
  sentenceStart: number;
  sentenceEnd: number;
  /** Every entry that matched in this span (overlapping hits in one sentence merge). */
  matches: EntryMatch[];
  targets: TargetMention[];
  /** Of the most severe match. */
  category: CategoryCode;
  severity: Severity;
  signals: FlagSignals;
  /** Orders review: severity first, then signals. Higher = sooner. */
  priority: number;
  /** Language the page was analysed as (null = unknown). */
  lang: string | null;
  lexiconId: string;
  lexiconVersion: string;
}

export interface AnalyzeOptions {
  /** Force the page language; otherwise detected among `languages`. */
  lang?: string | null;
  /** Languages to consider when detecting (default: all the lexicon has). */
  languages?: string[];
  /**
   * The page text came from OCR: entries with `match.fuzzy` also match within one edit
   * (such hits carry signal `fuzzy`). Off for text layers and plain text, where a near miss
   * is a different word, not noise.
   */
  fuzzy?: boolean;
}

export interface PageAnalysis {
  lang: string | null;
  flags: AnalysisFlag[];
}
