/**
 * Lexicon compilation. `compileLexicon` validates and parses every term once; the per-language
 * matcher (terms folded the way a page in that language is folded, inserted into one trie
 * with the target names and context cues) is built lazily on first use and cached.
 */
import type { MemberForm } from './classes';
import { CUES, type CueKind } from './cues';
import type { CompiledFrame } from './frames';
import { frameMarkWords } from './frame-filter';
import { compileGrammar, grammarFor, type CompiledGrammar, type MatcherGrammar } from './grammar';
import { baseLang } from './lang';
import { asciiFoldModeFor, foldModeFor, foldString, foldTable, stripTable, type FoldMode, type FoldTable } from './normalize';
import { parsePattern, PatternError, type RawPattern } from './pattern';
import { hasStemmer, stemmerFor, type StemmerLang } from './stemmers';
import { FlatTrie, StemCache, STEMMER_BIT, TrieNode } from './trie';
import type { LexiconData, LexiconEntryData, TargetGroupData } from './types';

const DEFAULT_MIN_STEM_LEN = 4;
/** Categories whose acts a history text narrates: by default their entries drop narration. */
const NARRATED_CATEGORIES = new Set<string>(['VI.ERAD', 'VI.THREAT', 'VI.CALL', 'HE.DESTROY']);
const FUZZY_MIN_LEN = 7;

export interface CompiledEntry {
  data: LexiconEntryData;
  /** Primary language subtag (az-Latn, az-Cyrl → az). */
  lang: string;
  patterns: RawPattern[];
  exceptions: RawPattern[];
  requiresTarget: boolean;
  /** unit 'sentence': n = how many sentences away (0 = same sentence); unit 'token': n tokens. */
  window: { unit: 'token' | 'sentence'; n: number };
  negation: 'suppress' | 'downgrade' | 'keep';
  quotation: 'flag' | 'downgrade';
  /** Past narration of the act drops the hit (see narration.ts). */
  narration: 'suppress' | 'keep';
  useStemmer: boolean;
  fuzzy: boolean;
  insensitive: boolean;
}

interface CompiledTargetTerms {
  groupId: string;
  lang: string;
  kind: TargetTermKind;
  patterns: RawPattern[];
}

export type TargetTermKind = TargetGroupData['terms'][number]['kind'];

export interface TokenPattern {
  /** Folded (and for insensitive entries diacritic-stripped) text. */
  key: string;
  stem: boolean;
  stemmer: StemmerLang | null;
  stemmed: string;
  fuzzy: boolean;
  insensitive: boolean;
}

export type PatternOwner =
  | { kind: 'entry'; entry: CompiledEntry }
  | { kind: 'target'; groupId: string; termKind: TargetTermKind }
  | { kind: 'cue'; cue: CueKind }
  | { kind: 'member'; form: MemberForm }
  /** A word that may fill a frame's required slot: the scan notes it (frame-filter.ts), nothing more. */
  | { kind: 'mark'; mark: number }
  | { kind: 'exception' };

export interface CompiledPattern {
  id: number;
  owner: PatternOwner;
  term: string;
  tokens: TokenPattern[];
  gapsBefore: number[];
  /** Tokens of a Turkic verb stem are checked for the negative infix -ma-/-me-/-mə-. */
  turkic: boolean;
}


/** Everything needed to scan a page in one language. */
export interface Matcher {
  lang: string | null;
  table: FoldTable;
  strip: FoldTable | null;
  trie: FlatTrie;
  /** trie.columnsFor(table.units): page code unit → trie column, one lookup per character. */
  columns: Uint16Array;
  stripTrie: FlatTrie | null;
  stemIndex: Record<StemmerLang, Map<string, CompiledPattern[]>>;
  /** Folded word → patterns it reaches through stemIndex (a bounded memo, see match.ts). */
  stemMemo: Map<string, CompiledPattern[]>;
  /** The same answers keyed by a hash of the token's folded units (see match.ts): no string made per token. */
  stemCache: StemCache;
  /** Fuzzy first tokens by length: a token is compared (one edit) with lengths ±1 only. */
  fuzzy: { minLength: number; byLength: Map<number, CompiledPattern[]> } | null;
  exceptions: Map<CompiledEntry, CompiledPattern[]>;
  /** Word classes and frames folded for this matcher's language. */
  grammar: MatcherGrammar;
  frameExceptions: Map<CompiledFrame, CompiledPattern[]>;
}

interface TrieRoots { plain: TrieNode; strip: TrieNode | null }

/** A matcher while its patterns are indexed: tries still as linked nodes. */
type MatcherBuild = Omit<Matcher, 'trie' | 'stripTrie' | 'columns'> & { roots: TrieRoots };

export { baseLang };

export class CompiledLexicon {
  readonly id: string;
  readonly version: string;
  readonly name: string;
  /** Entries that compiled (retired ones are left out). */
  readonly entryCount: number;
  /** Terms skipped at compile time, with the entry id and the reason. */
  readonly warnings: string[] = [];
  /** Languages the lexicon has entries or target names for (detection candidates). */
  readonly languages: string[];
  readonly entries: CompiledEntry[] = [];
  /** Word classes and frames. */
  readonly grammar: CompiledGrammar;
  private readonly targets: CompiledTargetTerms[] = [];
  private readonly matchers = new Map<string, Matcher>();
  private nextPatternId = 0;

  constructor(data: LexiconData) {
    this.id = data.id;
    this.version = data.version;
    this.name = data.name;
    const langs = new Set<string>();
    for (const entry of data.entries) {
      if (entry.status === 'retired') continue;
      const compiled = this.compileEntry(entry);
      if (compiled) { this.entries.push(compiled); langs.add(compiled.lang); }
    }
    for (const group of data.targets) {
      for (const block of group.terms) {
        const patterns = this.parseAll(block.terms, `target ${group.id}`, 1);
        this.targets.push({ groupId: group.id, lang: baseLang(block.lang), kind: block.kind, patterns });
        langs.add(baseLang(block.lang));
      }
    }
    this.grammar = compileGrammar(data, this.warnings);
    for (const f of this.grammar.frames) langs.add(f.lang);
    this.entryCount = this.entries.length;
    this.languages = [...langs].sort();
  }

  private parseAll(terms: string[], owner: string, minStemLen: number): RawPattern[] {
    const out: RawPattern[] = [];
    for (const term of terms) {
      try {
        const p = parsePattern(term);
        const only = p.tokens.length === 1 ? p.tokens[0] : undefined;
        // A lone short stem ("et*") would match half the language; inside a phrase it is anchored.
        if (only?.stem && [...only.text].length < minStemLen) {
          throw new PatternError(`"${term}": stem shorter than minStemLen ${minStemLen}`);
        }
        out.push(p);
      } catch (err) {
        if (!(err instanceof PatternError)) throw err;
        this.warnings.push(`${owner}: ${err.message}; term skipped`);
      }
    }
    return out;
  }

  private compileEntry(entry: LexiconEntryData): CompiledEntry | null {
    const minStemLen = entry.match?.minStemLen ?? DEFAULT_MIN_STEM_LEN;
    const patterns = this.parseAll(entry.terms, `entry ${entry.id}`, minStemLen);
    if (patterns.length === 0) {
      this.warnings.push(`entry ${entry.id}: no usable terms; entry skipped`);
      return null;
    }
    const standalone = entry.role === 'standalone';
    return {
      data: entry,
      lang: baseLang(entry.lang),
      patterns,
      exceptions: this.parseAll(entry.exceptions ?? [], `entry ${entry.id} exception`, 1),
      requiresTarget: entry.context?.requiresTarget ?? !standalone,
      window: entry.context?.window ?? { unit: 'sentence', n: 0 },
      negation: entry.context?.negation ?? 'downgrade',
      quotation: entry.context?.quotation ?? 'flag',
      narration: entry.context?.narration ?? (NARRATED_CATEGORIES.has(entry.category) ? 'suppress' : 'keep'),
      useStemmer: entry.match?.stem ?? true,
      fuzzy: entry.match?.fuzzy ?? false,
      insensitive: entry.match?.diacritics === 'insensitive',
    };
  }

  /**
   * The matcher for pages in `lang` (null = unknown: every entry applies). Cached. `ascii`: a
   * Turkish or Azerbaijani page typed without its letters (see asciiFoldModeFor).
   */
  matcherFor(lang: string | null, ascii = false): Matcher {
    const asciiMode = ascii ? asciiFoldModeFor(lang) : null;
    const cacheKey = (lang ?? '\u0000') + (asciiMode !== null ? ':ascii' : '');
    let m = this.matchers.get(cacheKey);
    if (!m) { m = this.buildMatcher(lang, asciiMode); this.matchers.set(cacheKey, m); }
    return m;
  }

  private buildMatcher(lang: string | null, asciiMode: FoldMode | null): Matcher {
    const table = foldTable(asciiMode ?? foldModeFor(lang));
    const anyInsensitive = this.entries.some((e) => e.insensitive && (lang === null || e.lang === lang));
    const strip = anyInsensitive ? stripTable(table.mode) : null;
    const roots: TrieRoots = { plain: new TrieNode(), strip: strip ? new TrieNode() : null };
    const m: MatcherBuild = {
      lang, table, strip,
      roots,
      stemIndex: { en: new Map(), ru: new Map() },
      stemMemo: new Map(),
      stemCache: new StemCache(),
      fuzzy: null,
      exceptions: new Map(),
      grammar: grammarFor(this.grammar, lang, table),
      frameExceptions: new Map(),
    };
    const applies = (l: string): boolean => lang === null || l === lang;
    for (const entry of this.entries) {
      if (!applies(entry.lang)) continue;
      const opts = {
        stemmer: entry.useStemmer && hasStemmer(entry.lang) ? entry.lang : null,
        fuzzy: entry.fuzzy, insensitive: entry.insensitive, turkic: entry.lang === 'tr' || entry.lang === 'az',
      };
      for (const raw of entry.patterns) this.index(m, this.fold(m, raw, { kind: 'entry', entry }, opts));
      if (entry.exceptions.length > 0) {
        m.exceptions.set(entry, entry.exceptions.map((raw) => this.fold(m, raw, { kind: 'exception' }, { ...opts, fuzzy: false })));
      }
    }
    for (const t of this.targets) {
      if (!applies(t.lang)) continue;
      const opts = { stemmer: hasStemmer(t.lang) ? t.lang : null, fuzzy: false, insensitive: false, turkic: false };
      for (const raw of t.patterns) this.index(m, this.fold(m, raw, { kind: 'target', groupId: t.groupId, termKind: t.kind }, opts));
    }
    for (const [cueLang, kinds] of Object.entries(CUES)) {
      if (!applies(cueLang)) continue;
      for (const [cue, terms] of Object.entries(kinds) as Array<[CueKind, string[]]>) {
        for (const term of terms) {
          const opts = { stemmer: null, fuzzy: false, insensitive: false, turkic: false };
          this.index(m, this.fold(m, parsePattern(term), { kind: 'cue', cue }, opts));
        }
      }
    }
    const plain = { stemmer: null, fuzzy: false, insensitive: false, turkic: false };
    for (const form of m.grammar.anchorForms) this.index(m, this.memberPattern(form));
    for (const w of frameMarkWords(m.grammar)) {
      const token: TokenPattern = { key: w.key, stem: w.stem, stemmer: null, stemmed: '', fuzzy: false, insensitive: false };
      this.index(m, { id: this.nextPatternId++, owner: { kind: 'mark', mark: w.mark }, term: w.key, tokens: [token], gapsBefore: [0], turkic: false });
    }
    for (const frame of m.grammar.frames) {
      if (frame.exceptions.length === 0) continue;
      const raws = this.parseAll(frame.exceptions, `frame ${frame.data.id} exception`, 1);
      m.frameExceptions.set(frame, raws.map((raw) => this.fold(m, raw, { kind: 'exception' }, plain)));
    }
    const { roots: built, ...rest } = m;
    const trie = new FlatTrie(built.plain);
    return { ...rest, trie, columns: trie.columnsFor(table.units), stripTrie: built.strip ? new FlatTrie(built.strip) : null };
  }

  private fold(
    m: MatcherBuild, raw: RawPattern, owner: PatternOwner,
    opts: { stemmer: StemmerLang | null; fuzzy: boolean; insensitive: boolean; turkic: boolean },
  ): CompiledPattern {
    const table = opts.insensitive && m.strip ? m.strip : m.table;
    const tokens = raw.tokens.map((t): TokenPattern => {
      const key = foldString(t.text, table);
      const stemmer = !t.stem && opts.stemmer ? opts.stemmer : null;
      return {
        key,
        stem: t.stem,
        stemmer,
        stemmed: stemmer ? stemmerFor(stemmer)(key) : '',
        fuzzy: opts.fuzzy && !t.stem && [...key].length >= FUZZY_MIN_LEN,
        insensitive: opts.insensitive && m.strip !== null,
      };
    });
    return { id: this.nextPatternId++, owner, term: raw.term, tokens, gapsBefore: raw.gapsBefore, turkic: opts.turkic };
  }

  /** A member spelling as a trie pattern: its morph word is a prefix the analyzer then checks. */
  private memberPattern(form: MemberForm): CompiledPattern {
    const tokens = form.keys.map((key, k): TokenPattern => ({
      key, stem: k === form.morphToken && form.prefix, stemmer: null, stemmed: '', fuzzy: false, insensitive: false,
    }));
    return { id: this.nextPatternId++, owner: { kind: 'member', form }, term: form.term, tokens, gapsBefore: tokens.map(() => 0), turkic: false };
  }

  private index(m: MatcherBuild, p: CompiledPattern): void {
    const first = p.tokens[0]!;
    if (first.key.length === 0) return;
    const root = first.insensitive && m.roots.strip ? m.roots.strip : m.roots.plain;
    let node = root;
    for (let i = 0; i < first.key.length; i++) node = node.child(first.key.charCodeAt(i));
    if (first.stem) (node.prefix ??= []).push(p);
    else (node.exact ??= []).push(p);
    if (first.stemmer && first.stemmed.length > 0) {
      const list = m.stemIndex[first.stemmer].get(first.stemmed);
      if (list) list.push(p); else m.stemIndex[first.stemmer].set(first.stemmed, [p]);
      const gateLen = stemGateLength(first.stemmer, first.stemmed);
      let g = root;
      for (let i = 0; i < gateLen; i++) g = g.child(first.stemmed.charCodeAt(i));
      g.gate |= STEMMER_BIT[first.stemmer];
    }
    if (first.fuzzy) {
      m.fuzzy ??= { minLength: Infinity, byLength: new Map() };
      m.fuzzy.minLength = Math.min(m.fuzzy.minLength, first.key.length);
      const list = m.fuzzy.byLength.get(first.key.length);
      if (list) list.push(p); else m.fuzzy.byLength.set(first.key.length, [p]);
    }
  }
}

/**
 * How many leading letters of `stemmed` every word that stems to it starts with: the trie
 * gate that decides whether a token is worth stemming at all.
 *   - English Porter rewrites at most the last letter of what it keeps (happy → happi,
 *     hoping → hope).
 *   - Russian Porter only strips endings, except that it collapses нн → н anywhere in the
 *     word, so the stem is a prefix of the word up to its first н.
 */
export function stemGateLength(lang: StemmerLang, stemmed: string): number {
  if (lang === 'ru') {
    const n = stemmed.indexOf('н');
    return Math.max(1, n >= 0 ? n + 1 : stemmed.length);
  }
  // natural's English Porter only ever rewrites the last letter of what it keeps (y→i,
  // added e): checked against all 63,875 lower-case words of /usr/share/dict/american-english.
  return Math.max(1, stemmed.length - 1);
}

export function compileLexicon(data: LexiconData): CompiledLexicon {
  return new CompiledLexicon(data);
}
