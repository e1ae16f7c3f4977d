/**
 * Public types of the analysis core: lexicon data as curators write it, and the flags the
 * matcher returns. The core is pure (text + compiled lexicon in, flags out); these types are
 * the contract between the lexicon files, the matcher, the store and the CLI.
 */

/**
 * Category codes, defined in docs/taxonomy.md. Stable once data uses them: codes are added,
 * never renamed. VI.CALL and NE.HATE came with frames (lexicon 2026.12.0).
 */
export const CATEGORY_CODES = [
  'DH.ANIMAL', 'DH.DISEASE', 'DH.DEMON', 'DH.OBJECT', 'DH.DISGUST',
  'VI.ERAD', 'VI.THREAT', 'VI.GLOR', 'VI.JUST', 'VI.CALL',
  'TH.MIRROR', 'TH.PURITY',
  'NE.SLUR', 'NE.ESSENCE', 'NE.COLLECT', 'NE.HATE',
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
    /**
     * Past narration of the act (a past verb, or a noun in a past sentence, with no call cue):
     * `suppress` drops the hit unless a glorifying or justifying cue makes it VI.GLOR / VI.JUST.
     * Default `suppress` for VI.ERAD, VI.THREAT, VI.CALL and HE.DESTROY, else `keep`.
     */
    narration?: 'suppress' | 'keep';
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

/** Parts of speech a word class can have; each language's morphology knows their forms. */
export const WORD_CLASS_POS = ['verb', 'noun', 'adj', 'other'] as const;
export type WordClassPos = (typeof WORD_CLASS_POS)[number];

/**
 * One member of a word class, in the pattern syntax (no `~N` gaps). A plain word is a lemma:
 * in English its regular inflections are matched (kill, kills, killed, killing); in the other
 * languages write a stem with `*` (уничтож*, öldür*, սպան*) and the language's morphology
 * accepts only the endings of the class's part of speech. Irregular forms are listed in
 * `forms` with their features (see MORPH_FEATURES).
 */
export interface WordClassMember {
  term: string;
  /** Irregular forms: form → features ("shot": ["past", "part"]). */
  forms?: Record<string, MorphFeature[]>;
  status?: 'draft' | 'reviewed';
  /** English gloss or usage note. */
  note?: string;
}

/**
 * A word class: words that can fill one slot of a frame (violence verbs, vermin nouns, modal
 * cues…). Classes are per language; the same `id` in every language names the same class.
 */
export interface WordClassData {
  id: string;
  lang: string;
  pos: WordClassPos;
  /** For classes that decide a frame's category (dehumanizing nouns by kind). */
  category?: CategoryCode;
  severity?: Severity;
  description: string;
  /** Where the members come from (curator, literature…). */
  source: { type: 'literature' | 'usage' | 'curator' | 'import'; ref: string; citation?: string };
  members: Array<string | WordClassMember>;
}

/**
 * A frame: a short construction of slots that the scan recognises (see lexicons/README.md,
 * "Frames"). Pattern syntax, one token per space-separated item:
 *   - `{group}` a target mention or a group referent (collective noun, demonym-shaped word,
 *     pronoun with its antecedent); `{group:listed}` a listed target only; `{group:heritage}`
 *     a listed heritage site (a target term of kind `heritage`); `{group:<shape>}` also an
 *     unlisted noun of a shape the language defines in referents.ts (ru `anim`: an animate
 *     object form such as "зандриков"), for slots whose words only people fill;
 *     `{group:-ին|-նց}` a group whose last word ends with one of these endings (a case: the
 *     object, not the subject), `+-ներին` one whose head noun right after it does (the group as
 *     attribute: մերենիտ կանանց); alternatives combine (`{group:listed|-ին}`);
 *   - `{class}` a member of a word class; `{class:f1|f2}` with one of these features
 *     (`{violence:imp|oblig}`), `f1+f2` with all of them (`{violence:fut+p1|imp}`); `{a|b}` a
 *     member of either class; `{dh-*}` any class whose id starts with `dh-`;
 *   - a literal word, a stem `word*`, or alternatives `must|should|ought`;
 *   - a trailing `?` makes any item optional (`all?`, `{intensifier}?`);
 *   - `~N` allows up to N arbitrary words before the next item;
 *   - a leading `^` anchors the frame at the start of a clause: of the sentence, or after a
 *     comma, semicolon, colon, dash or opening quote ("Citizens, kill …"); a trailing `$` anchors
 *     it at the end of a clause (a punctuation mark or the sentence end follows its last
 *     word: the predicate of a verb-final language, "Tarvanlar haşere."); a trailing
 *     `!-ում|-ել` says the next word of the clause must not end with one of these endings;
 *   - features joined with `+` must all hold (`{violence:fut+p1}`: a first-person future);
 *   - one `—` between a required item and the next: a dash stands right after the item's last
 *     word (the Russian dash copula "X — паразиты"; a hyphen counts only with spaces around it).
 */
export interface FrameData {
  id: string;
  version: number;
  status: 'draft' | 'reviewed' | 'retired';
  lang: string;
  patterns: string[];
  /** Fixed category, or `class`: the category of the first slot whose class has one. */
  category: CategoryCode | 'class';
  severity: Severity;
  /** What a negation cue in or before the frame does. Default `downgrade`. */
  negation?: 'suppress' | 'downgrade' | 'keep';
  /** A pronoun in `{group}` needs an antecedent group in this or the previous sentence. Default true. */
  pronounNeedsAntecedent?: boolean;
  /** Patterns (entry syntax) that cancel a frame hit they overlap. */
  exceptions?: string[];
  /**
   * Class ids: a member of one of them must stand somewhere in the hit's sentence (narrated
   * violence is glorification only with a glorify-cue in the sentence).
   */
  sentenceCues?: string[];
  meaning: string;
  whyHarmful: string;
  /** How the frame decides: which grammar tells a call from narration, what it cannot see. */
  method: string;
  source: { type: 'literature' | 'usage' | 'curator' | 'import'; ref: string; citation?: string };
}

/** Morphological features a language's morphology may give a word form. */
export const MORPH_FEATURES = [
  'base', 'inf', 'pres', 'past', 'part', 'prog', 'fut', 'imp', 'oblig', 'juss', 'hort', 'subj',
  'neg', 'p1', 'pass', 'noun', 'plural', 'cop', 'cond',
] as const;
export type MorphFeature = (typeof MORPH_FEATURES)[number];

export interface LexiconData {
  id: string;
  /** Version of the lexicon as a whole; every flag records it. */
  version: string;
  name: string;
  description?: string;
  entries: LexiconEntryData[];
  targets: TargetGroupData[];
  /** Word classes that frames use (absent in lexicons made before frames). */
  classes?: WordClassData[];
  frames?: FrameData[];
}

export interface FlagSignals {
  negated: boolean;
  quoted: boolean;
  condemned: boolean;
  fuzzy: boolean;
  /** No listed target group: the frame's group slot was filled by a referent (see referents). */
  untargeted: boolean;
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

/** One filled slot of a frame hit: which words filled it and why. */
export interface FrameSlotFill {
  /** The slot as written in the pattern (`{group}`, `{violence:imp}`, `must|should`). */
  slot: string;
  kind: 'group' | 'class' | 'word';
  /** For class slots: the class that matched. */
  classId?: string;
  /** Morphological features of the word (class slots). */
  features?: MorphFeature[];
  start: number;
  end: number;
  exact: string;
}

/** A frame that matched: id and version, the pattern, and every slot's words. */
export interface FrameMatch {
  frameId: string;
  frameVersion: number;
  category: CategoryCode;
  severity: Severity;
  pattern: string;
  start: number;
  end: number;
  exact: string;
  slots: FrameSlotFill[];
  fuzzy: boolean;
}

/**
 * The words that stand for the group when no listed target is named: a generic collective
 * ("the whole tribe"), a demonym-shaped word, or a pronoun with the antecedent it was resolved to
 * (taken from the same or the previous sentence, never from a later one).
 */
export interface GroupReferent {
  /** `previous-sentence`: an elliptic predicate ("The Tarvanis? Savages.") whose group the sentence before names. */
  kind: 'collective' | 'demonym' | 'pronoun' | 'previous-sentence';
  start: number;
  end: number;
  exact: string;
  antecedent?: { start: number; end: number; exact: string; groupId?: string };
}

export type ReferentKind = GroupReferent['kind'];

/**
 * Where a flag is in its page's text, and the words around it: what a reader needs to find the
 * passage (the flag's record, its API view, exports and dossiers all carry these six fields).
 */
export interface PassageQuote {
  start: number;
  end: number;
  exact: string;
  /** Up to ~200 chars before/after, like W3C TextQuoteSelector prefix/suffix. */
  prefix: string;
  suffix: string;
  sentence: string;
}

/** The passage fields of a flag (or its record), alone. */
export function passageQuote({ start, end, exact, prefix, suffix, sentence }: PassageQuote): PassageQuote {
  return { start, end, exact, prefix, suffix, sentence };
}

/**
 * One flag: a candidate for human review, never a verdict. Offsets are UTF-16 code units into
 * the page text exactly as given to the analyser (stored NFC): text.slice(start, end) === exact.
 */
export interface AnalysisFlag extends PassageQuote {
  sentenceStart: number;
  sentenceEnd: number;
  /** Every entry that matched in this span (overlapping hits in one sentence merge). */
  matches: EntryMatch[];
  /** Every frame that matched in this span, with its slot fillers. */
  frames: FrameMatch[];
  targets: TargetMention[];
  /** Group referents standing in for an unlisted group (signal `untargeted`), or pronouns. */
  referents: GroupReferent[];
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
  /**
   * Undo common obfuscation before matching (statements, posts, comments): leetspeak (k1ll,
   * 3xterminate), letters spaced or dotted apart (k i l l), runs of one letter (kiiill), words
   * run together, one swapped letter in long words. Offsets stay exact; such hits carry
   * the signal `fuzzy`.
   */
  obfuscation?: boolean;
}

export interface PageAnalysis {
  lang: string | null;
  flags: AnalysisFlag[];
}
