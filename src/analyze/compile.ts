/**
 * Lexicon compilation. `compileLexicon` validates and parses every term once; the per-language
 * matcher (terms folded the way a page in that language is folded, inserted into one trie
 * with the target names and context cues) is built lazily on first use and cached.
 */
import { CUES, type CueKind } from './cues';
import { DROP, foldModeFor, foldString, foldTable, SPECIAL, stripTable, type FoldTable } from './normalize';
import { parsePattern, PatternError, type RawPattern } from './pattern';
import { hasStemmer, stemmerFor, type StemmerLang } from './stemmers';
import type { LexiconData, LexiconEntryData } from './types';

const DEFAULT_MIN_STEM_LEN = 4;
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
  useStemmer: boolean;
  fuzzy: boolean;
  insensitive: boolean;
}

interface CompiledTargetTerms {
  groupId: string;
  lang: string;
  patterns: RawPattern[];
}

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
  | { kind: 'target'; groupId: string }
  | { kind: 'cue'; cue: CueKind }
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

export class TrieNode {
  next: Map<number, TrieNode> | null = null;
  /** Patterns whose first token ends exactly here. */
  exact: CompiledPattern[] | null = null;
  /** Patterns whose first token is a stem ending here. */
  prefix: CompiledPattern[] | null = null;
  /** Bit per stemmer language: a token passing here may stem to a lexicon stem. */
  gate = 0;

  child(c: number): TrieNode {
    if (!this.next) this.next = new Map();
    let node = this.next.get(c);
    if (!node) { node = new TrieNode(); this.next.set(c, node); }
    return node;
  }
}

/**
 * The trie frozen into a double array for scanning: every node is a slot; the children of
 * slot s sit at base[s] + column(unit), and check[] names each slot's parent, so one step is
 * two array reads with no search and no branch on the node's shape (a sorted edge list needed
 * a binary search per step, the branchy part of the scan). Children of one node are adjacent,
 * which keeps the arrays small (a few bytes per node) and the walk in cache. The root's
 * children are one direct lookup by code unit. No Map lookups and no object hops per character.
 */
export class FlatTrie {
  /** Root child by code unit; 0 = none (the root, slot 0, is never a child). */
  readonly root = new Int32Array(65536);
  /** Code unit → column, 1.. (0 = no edge of the trie has this unit). */
  private readonly column = new Uint16Array(65536);
  /** Per slot: where its children start (child along unit u at base + column[u]). */
  readonly base: Int32Array;
  /** Per slot: its parent slot, -1 for a free slot. */
  readonly check: Int32Array;
  /** Root child by column (see columnsFor); 0 = none. */
  readonly rootByColumn: Int32Array;
  readonly exact: Array<CompiledPattern[] | null>;
  readonly prefix: Array<CompiledPattern[] | null>;
  /** Per slot: stemmer gate bits (STEMMER_BIT) | NODE_HAS_PREFIX | NODE_HAS_EXACT, one byte read per step. */
  readonly info: Uint8Array;

  constructor(rootNode: TrieNode) {
    // Breadth-first, so a node's slot is known before its children are placed.
    const nodes: TrieNode[] = [rootNode];
    for (let i = 0; i < nodes.length; i++) for (const child of nodes[i]!.next?.values() ?? []) nodes.push(child);
    let columns = 1;
    for (const node of nodes) {
      for (const unit of node.next?.keys() ?? []) if (this.column[unit] === 0) this.column[unit] = columns++;
    }
    // First fit: each node's children go to the lowest base whose slots are all free.
    let capacity = nodes.length * 2 + columns + 1;
    let base = new Int32Array(capacity);
    let check = new Int32Array(capacity).fill(-1);
    const slotOf = new Map<TrieNode, number>([[rootNode, 0]]);
    check[0] = 0;
    let firstFree = 1;
    let slots = 1;
    for (const node of nodes) {
      if (!node.next || node.next.size === 0) continue;
      const slot = slotOf.get(node)!;
      const kids = [...node.next].map(([unit, child]) => ({ unit, child, col: this.column[unit]! })).sort((a, b) => a.col - b.col);
      while (check[firstFree] !== -1) firstFree++;
      let b = Math.max(1, firstFree - kids[0]!.col);
      search: for (;;) {
        const need = b + kids[kids.length - 1]!.col + columns + 1;
        if (need >= capacity) {
          const grown = Math.max(capacity * 2, need + 1);
          const nb = new Int32Array(grown); nb.set(base); base = nb;
          const nc = new Int32Array(grown).fill(-1); nc.set(check); check = nc;
          capacity = grown;
        }
        for (const k of kids) if (check[b + k.col] !== -1) { b++; continue search; }
        break;
      }
      base[slot] = b;
      // Holes far behind the frontier are left empty: searching them again and again would
      // make building quadratic.
      if (b - firstFree > LOOKBACK_SLOTS) firstFree = b - LOOKBACK_SLOTS;
      for (const k of kids) {
        const s = b + k.col;
        check[s] = slot;
        slotOf.set(k.child, s);
        if (slot === 0) this.root[k.unit] = s;
        if (s >= slots) slots = s + 1;
      }
    }
    // Padded by one row of columns: base + any column stays inside the arrays.
    const length = slots + columns + 1;
    this.base = base.slice(0, length);
    this.check = check.slice(0, length);
    this.info = new Uint8Array(length);
    this.exact = new Array<CompiledPattern[] | null>(length).fill(null);
    this.prefix = new Array<CompiledPattern[] | null>(length).fill(null);
    if (columns >= COLUMN_SLOW) throw new Error(`trie alphabet of ${columns} units is too large`);
    this.rootByColumn = new Int32Array(columns);
    for (let u = 0; u < 65536; u++) if (this.root[u] !== 0) this.rootByColumn[this.column[u]!] = this.root[u]!;
    for (const [node, s] of slotOf) {
      this.exact[s] = node.exact;
      this.prefix[s] = node.prefix;
      this.info[s] = node.gate | (node.prefix ? NODE_HAS_PREFIX : 0) | (node.exact ? NODE_HAS_EXACT : 0);
    }
  }

  /**
   * Per code unit of a page: the column of its folded unit in this trie (0 = no edge has it),
   * or COLUMN_SLOW where `units` drops it, expands it or makes it an apostrophe. One lookup per
   * character then replaces fold + column; a step is base[node] + column, checked.
   */
  columnsFor(units: Uint16Array): Uint16Array {
    const out = new Uint16Array(65536);
    for (let c = 0; c < 65536; c++) {
      const u = units[c]!;
      out[c] = u === DROP || u === SPECIAL || u === APOSTROPHE_UNIT ? COLUMN_SLOW : this.column[u]!;
    }
    return out;
  }

  /** Child of `node` along code unit `unit`, or 0. */
  next(node: number, unit: number): number {
    if (node === 0) return this.root[unit]!;
    const s = this.base[node]! + this.column[unit]!;
    return this.check[s] === node ? s : 0;
  }
}

/** FlatTrie.columnsFor: the character needs the full walk (walkToken in match.ts). */
export const COLUMN_SLOW = 0xffff;
const APOSTROPHE_UNIT = 0x27;

/** How far behind the last placed node a free slot is still looked for (building the double array). */
const LOOKBACK_SLOTS = 256;

/** Slots of a StemCache (a power of two). */
const STEM_CACHE_SLOTS = 1 << 14;

/**
 * A direct-mapped cache: folded word (by hash, verified against the stored key) → patterns
 * it reaches through a stemmer. A colliding word replaces the one in its slot.
 */
export class StemCache {
  readonly mask = STEM_CACHE_SLOTS - 1;
  readonly hashes = new Int32Array(STEM_CACHE_SLOTS);
  /** '' = empty slot (a token is never empty). */
  readonly keys: string[] = new Array<string>(STEM_CACHE_SLOTS).fill('');
  readonly lists: CompiledPattern[][] = new Array<CompiledPattern[]>(STEM_CACHE_SLOTS).fill([]);
}

export const STEMMER_BIT: Record<StemmerLang, number> = { en: 1, ru: 2 };
/** FlatTrie.info bits above the stemmer gate bits. */
export const NODE_GATES = 3;
export const NODE_HAS_PREFIX = 4;
export const NODE_HAS_EXACT = 8;

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
}

interface TrieRoots { plain: TrieNode; strip: TrieNode | null }

/** A matcher while its patterns are indexed: tries still as linked nodes. */
type MatcherBuild = Omit<Matcher, 'trie' | 'stripTrie' | 'columns'> & { roots: TrieRoots };

export function baseLang(lang: string): string {
  return lang.trim().toLowerCase().split(/[-_]/u)[0] ?? '';
}

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
        this.targets.push({ groupId: group.id, lang: baseLang(block.lang), patterns });
        langs.add(baseLang(block.lang));
      }
    }
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
      useStemmer: entry.match?.stem ?? true,
      fuzzy: entry.match?.fuzzy ?? false,
      insensitive: entry.match?.diacritics === 'insensitive',
    };
  }

  /** The matcher for pages in `lang` (null = unknown: every entry applies). Cached. */
  matcherFor(lang: string | null): Matcher {
    const cacheKey = lang ?? '\u0000';
    let m = this.matchers.get(cacheKey);
    if (!m) { m = this.buildMatcher(lang); this.matchers.set(cacheKey, m); }
    return m;
  }

  private buildMatcher(lang: string | null): Matcher {
    const table = foldTable(foldModeFor(lang));
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
      for (const raw of t.patterns) this.index(m, this.fold(m, raw, { kind: 'target', groupId: t.groupId }, opts));
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

/** a[i..] === b[j..] without allocating. */
function sameTail(a: string, i: number, b: string, j: number): boolean {
  if (a.length - i !== b.length - j) return false;
  for (; i < a.length; i++, j++) if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
  return true;
}

/** Levenshtein distance ≤ 1, plus adjacent transposition (common OCR/typing slip). */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (la - lb > 1 || lb - la > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === la && i === lb) return true;
  if (la === lb) {
    if (sameTail(a, i + 1, b, i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && sameTail(a, i + 2, b, i + 2); // transposition
  }
  return la > lb ? sameTail(a, i + 1, b, i) : sameTail(a, i, b, i + 1);
}

export function compileLexicon(data: LexiconData): CompiledLexicon {
  return new CompiledLexicon(data);
}
