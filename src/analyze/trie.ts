/**
 * The lexicon trie: built as linked nodes while patterns are indexed, then frozen into a double
 * array for the scan (see FlatTrie), plus the small caches the scan keeps per matcher.
 */
import type { CompiledPattern } from './compile';
import { DROP, SPECIAL } from './normalize';
import type { StemmerLang } from './stemmers';

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
