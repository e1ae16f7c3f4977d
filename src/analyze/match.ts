/**
 * Scanning a tokenized page against a matcher: one trie walk per token finds lexicon entries,
 * target names and context cues together; phrases are then verified token by token.
 */
import { formFeatures, type MemberSpan } from './classes';
import type { CompiledEntry, CompiledPattern, Matcher, TargetTermKind, TokenPattern } from './compile';
import * as trieModule from './trie';
import { withinOneEdit, type FlatTrie } from './trie';
import { TURKIC_NEGATIVE_SUFFIX } from './cues';
import * as normalize from './normalize';
import type { FoldTable } from './normalize';
import { cachedStemCandidates, stemCandidates } from './stem-candidates';
import { stemmerFor } from './stemmers';
import * as tokenizeModule from './tokenize';
import type { PageTokens } from './tokenize';

// Local copies: CommonJS re-exports compile to getters, too slow for per-character loops.
const CHAR_CLASS = normalize.CHAR_CLASS;
const APOSTROPHES = normalize.APOSTROPHES;
const DROP = normalize.DROP;
const SPECIAL = normalize.SPECIAL;
const TOKEN_JOINED = tokenizeModule.TOKEN_JOINED;
const TOKEN_OVERRIDE = tokenizeModule.TOKEN_OVERRIDE;
const TOKEN_SLOW = TOKEN_JOINED | TOKEN_OVERRIDE;
const tokenKey = tokenizeModule.tokenKey;
const NODE_GATES = trieModule.NODE_GATES;
const NODE_HAS_EXACT = trieModule.NODE_HAS_EXACT;
const COLUMN_SLOW = trieModule.COLUMN_SLOW;
const NODE_HAS_PREFIX = trieModule.NODE_HAS_PREFIX;

export interface PatternHit {
  pattern: CompiledPattern;
  /** First and last token index of the match. */
  first: number;
  last: number;
  fuzzy: boolean;
  /** A Turkic verb stem in the match carries the negative infix (məhv etmədi). */
  infixNegated: boolean;
}

export interface EntryHit extends PatternHit {
  entry: CompiledEntry;
}

export interface MentionHit {
  groupId: string;
  first: number;
  last: number;
  /** name, demonym, toponym or heritage (a site such as "Sorel Monastery"). */
  kind: TargetTermKind;
}

export interface ScanResult {
  entryHits: EntryHit[];
  mentions: MentionHit[];
  /** Words of frame-anchor classes, with their features (frames are matched around them). */
  members: MemberSpan[];
  /** Per token: a negation cue that applies to what follows it ends here. */
  negationBefore: Uint8Array;
  /** Per token: a negation cue that applies to what precedes it starts here. */
  negationAfter: Uint8Array;
  /** Per sentence: has a reported-speech cue. */
  reportedSentence: Uint8Array;
  /** Per sentence: has a condemnation cue. */
  condemnedSentence: Uint8Array;
  /** Words that may fill a frame's required slot: token and mark number (frame-filter.ts), in token order. */
  markTokens: number[];
  marks: number[];
}

const APOSTROPHE_UNIT = 0x27;

/** Lazily folded token strings for one page (most tokens never need one). */
export class PageKeys {
  private plain: Array<string | undefined> | null = null;
  private stripped: Array<string | undefined> | null = null;
  private spans: Map<number, MemberSpan[]> | null = null;

  /** Class members found at (or ending at) a token, kept for the page (see classes.ts membersAt). */
  get memberSpans(): Map<number, MemberSpan[]> {
    return (this.spans ??= new Map<number, MemberSpan[]>());
  }

  constructor(
    private readonly text: string,
    private readonly tokens: PageTokens,
    private readonly matcher: Matcher,
    /** The page came from OCR: fuzzy entries may match within one edit. */
    readonly fuzzy = false,
    /** Keys of tokens rebuilt from obfuscated spellings (obfuscation.ts), by token. */
    private readonly overrides: Map<number, string> | null = null,
  ) {
  }

  key(t: number, insensitive = false): string {
    if (this.overrides !== null) {
      const o = this.overrides.get(t);
      if (o !== undefined) return o;
    }
    // Made on first use: most pages need few keys, many none.
    const cache = insensitive && this.matcher.strip ? (this.stripped ??= new Array<string | undefined>(this.tokens.count)) : (this.plain ??= new Array<string | undefined>(this.tokens.count));
    let k = cache[t];
    if (k === undefined) {
      const table = insensitive && this.matcher.strip ? this.matcher.strip : this.matcher.table;
      k = tokenKey(this.text, this.tokens, t, table);
      cache[t] = k;
    }
    return k;
  }
}

/**
 * Walks token `t` through the trie, appending every pattern whose first token matches it.
 * Returns the stemmer gate bits met on the way.
 */
function walkToken(text: string, tokens: PageTokens, t: number, trie: FlatTrie, table: FoldTable, out: CompiledPattern[]): number {
  const units = table.units;
  const joined = (tokens.flags[t]! & TOKEN_JOINED) !== 0;
  const end = tokens.end[t]!;
  const info = trie.info;
  let node = 0;
  let gates = 0;
  for (let p = tokens.start[t]!; p < end; p++) {
    const c = text.charCodeAt(p);
    if (joined && CHAR_CLASS[c] === 0 && !APOSTROPHES.has(c)) continue;
    const u = units[c]!;
    if (u === DROP) continue;
    // Name + apostrophe + suffix (Tarvania'da, Tarvania's): the name matches as a whole word.
    if (u === APOSTROPHE_UNIT && (info[node]! & NODE_HAS_EXACT) !== 0) pushNew(out, trie.exact[node]!);
    if (u === SPECIAL) {
      const exp = table.expansions.get(c)!;
      for (let i = 0; i < exp.length; i++) {
        node = trie.next(node, exp.charCodeAt(i));
        if (node === 0) return gates;
        const f = info[node]!;
        if ((f & NODE_HAS_PREFIX) !== 0) pushNew(out, trie.prefix[node]!);
        gates |= f & NODE_GATES;
      }
      continue;
    }
    node = trie.next(node, u);
    if (node === 0) return gates;
    const f = info[node]!;
    if (f === 0) continue; // most nodes: no pattern ends here, no gate
    if ((f & NODE_HAS_PREFIX) !== 0) pushNew(out, trie.prefix[node]!);
    gates |= f & NODE_GATES;
  }
  if (node !== 0 && (info[node]! & NODE_HAS_EXACT) !== 0) pushNew(out, trie.exact[node]!);
  return gates;
}

/** walkToken for a token whose key is given (an override), walked unit by unit. */
function walkKey(key: string, trie: FlatTrie, out: CompiledPattern[]): number {
  const info = trie.info;
  let node = 0;
  let gates = 0;
  for (let i = 0; i < key.length; i++) {
    node = trie.next(node, key.charCodeAt(i));
    if (node === 0) return gates;
    const f = info[node]!;
    if ((f & NODE_HAS_PREFIX) !== 0) pushNew(out, trie.prefix[node]!);
    gates |= f & NODE_GATES;
  }
  if ((info[node]! & NODE_HAS_EXACT) !== 0) pushNew(out, trie.exact[node]!);
  return gates;
}

function pushNew(out: CompiledPattern[], list: CompiledPattern[]): void {
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    if (out.length === 0 || !out.includes(p)) out.push(p);
  }
}

function keyBeforeApostrophe(key: string): string | null {
  const i = key.indexOf("'");
  return i > 0 ? key.slice(0, i) : null;
}

/** Does token `t` match one pattern token? Returns 0 = no, 1 = yes, 2 = yes within one edit. */
function tokenMatches(pt: TokenPattern, t: number, keys: PageKeys): 0 | 1 | 2 {
  const key = keys.key(t, pt.insensitive);
  if (pt.stem) return key.startsWith(pt.key) ? 1 : 0;
  if (key === pt.key || keyBeforeApostrophe(key) === pt.key) return 1;
  if (pt.stemmer && stemmerFor(pt.stemmer)(key) === pt.stemmed) return 1;
  if (pt.fuzzy && keys.fuzzy && withinOneEdit(key, pt.key)) return 2;
  return 0;
}

/**
 * Matches pattern tokens k.. starting at token `t`, within one sentence, honouring ~N gaps.
 * Fills `positions` and returns the last token index, or -1.
 */
function matchRest(p: CompiledPattern, k: number, t: number, tokens: PageTokens, keys: PageKeys, positions: number[], fuzzy: { used: boolean }): number {
  if (k === p.tokens.length) return positions[k - 1]!;
  const sentence = tokens.sentence[t - 1]!;
  const maxGap = p.gapsBefore[k]!;
  for (let g = 0; g <= maxGap; g++) {
    const u = t + g;
    if (u >= tokens.count || tokens.sentence[u] !== sentence) return -1;
    const r = tokenMatches(p.tokens[k]!, u, keys);
    if (r === 0) continue;
    positions[k] = u;
    const wasFuzzy = fuzzy.used;
    if (r === 2) fuzzy.used = true;
    const last = matchRest(p, k + 1, u + 1, tokens, keys, positions, fuzzy);
    if (last >= 0) return last;
    fuzzy.used = wasFuzzy;
  }
  return -1;
}

/** Verifies a pattern whose first token matched at `t`. */
export function verifyAt(p: CompiledPattern, t: number, firstFuzzy: boolean, tokens: PageTokens, keys: PageKeys): PatternHit | null {
  // A one-token pattern outside Turkic (most entries): the hit is the token.
  if (p.tokens.length === 1 && !p.turkic) return { pattern: p, first: t, last: t, fuzzy: firstFuzzy, infixNegated: false };
  const positions: number[] = [t];
  const fuzzy = { used: firstFuzzy };
  const last = p.tokens.length === 1 ? t : matchRest(p, 1, t + 1, tokens, keys, positions, fuzzy);
  if (last < 0) return null;
  let infixNegated = false;
  if (p.turkic) {
    p.tokens.forEach((pt, k) => {
      if (!pt.stem) return;
      const suffix = keys.key(positions[k]!, pt.insensitive).slice(pt.key.length);
      if (TURKIC_NEGATIVE_SUFFIX.test(suffix)) infixNegated = true;
    });
  }
  return { pattern: p, first: t, last, fuzzy: fuzzy.used, infixNegated };
}

/** Does pattern `p` (an exception) match anywhere overlapping tokens first..last? */
export function matchesOver(p: CompiledPattern, first: number, last: number, tokens: PageTokens, keys: PageKeys): boolean {
  const span = p.tokens.length + p.gapsBefore.reduce((a, b) => a + b, 0);
  for (let s = Math.max(0, first - span + 1); s <= last; s++) {
    if (tokenMatches(p.tokens[0]!, s, keys) === 0) continue;
    const hit = verifyAt(p, s, false, tokens, keys);
    if (hit && hit.last >= first) return true;
  }
  return false;
}

/** Per-token and per-sentence cue marks, reused page after page (a scan is consumed before the next one). */
let negationScratch = { before: new Uint8Array(4096), after: new Uint8Array(4096) };
let sentenceScratch = { reported: new Uint8Array(1024), condemned: new Uint8Array(1024) };

export function scanPage(text: string, tokens: PageTokens, matcher: Matcher, keys: PageKeys): ScanResult {
  const n = tokens.count;
  const sentences = tokens.sentenceStart.length;
  if (negationScratch.before.length < n) negationScratch = { before: new Uint8Array(n * 2), after: new Uint8Array(n * 2) };
  negationScratch.before.fill(0, 0, n);
  negationScratch.after.fill(0, 0, n);
  if (sentenceScratch.reported.length < sentences) sentenceScratch = { reported: new Uint8Array(sentences * 2), condemned: new Uint8Array(sentences * 2) };
  sentenceScratch.reported.fill(0, 0, sentences);
  sentenceScratch.condemned.fill(0, 0, sentences);
  const result: ScanResult = {
    entryHits: [],
    mentions: [],
    members: [],
    negationBefore: negationScratch.before,
    negationAfter: negationScratch.after,
    reportedSentence: sentenceScratch.reported.subarray(0, sentences),
    condemnedSentence: sentenceScratch.condemned.subarray(0, sentences),
    markTokens: [],
    marks: [],
  };
  const candidates: CompiledPattern[] = [];
  const fuzzyCandidates: CompiledPattern[] = [];
  const fuzzyByLength = keys.fuzzy ? matcher.fuzzy : null;
  const { start, end, flags } = tokens;
  const trie = matcher.trie;
  const units = matcher.table.units;
  const info = trie.info;
  const { base, check, rootByColumn } = trie;
  const columns = matcher.columns;
  const { stripTrie, strip } = matcher;
  for (let t = 0; t < n; t++) {
    if (candidates.length > 0) candidates.length = 0;
    // The common case inline (no call per token): a plain token whose units all fold to one
    // unit. Anything else (a line-break join, a dropped mark, an expansion, an apostrophe)
    // is walked again by walkToken, which handles it all.
    let gates = 0;
    let node = 0;
    let p = start[t]!;
    const e = end[t]!;
    let slow = (flags[t]! & TOKEN_SLOW) !== 0;
    for (; p < e && !slow; p++) {
      const col = columns[text.charCodeAt(p)]!;
      if (col === COLUMN_SLOW) { slow = true; break; }
      if (node === 0) node = rootByColumn[col]!;
      else {
        const child = base[node]! + col;
        node = check[child] === node ? child : 0;
      }
      if (node === 0) break;
      const f = info[node]!;
      if (f === 0) continue;
      if ((f & NODE_HAS_PREFIX) !== 0) pushNew(candidates, trie.prefix[node]!);
      gates |= f & NODE_GATES;
    }
    if (slow) {
      candidates.length = 0;
      gates = (flags[t]! & TOKEN_OVERRIDE) !== 0 ? walkKey(keys.key(t), trie, candidates) | NODE_GATES : walkToken(text, tokens, t, trie, matcher.table, candidates);
    } else if (node !== 0 && (info[node]! & NODE_HAS_EXACT) !== 0) {
      pushNew(candidates, trie.exact[node]!);
    }
    if (stripTrie !== null && strip !== null) gates |= walkToken(text, tokens, t, stripTrie, strip, candidates);
    if (gates !== 0) {
      const list = slow ? stemCandidates(matcher, keys.key(t)) : cachedStemCandidates(text, start[t]!, e, units, matcher, keys, t);
      if (list.length > 0) pushNew(candidates, list);
    }
    if (fuzzyCandidates.length > 0) fuzzyCandidates.length = 0;
    if (fuzzyByLength !== null && e - start[t]! >= fuzzyByLength.minLength - 1) {
      const key = keys.key(t);
      for (let len = key.length - 1; len <= key.length + 1; len++) {
        for (const p of fuzzyByLength.byLength.get(len) ?? []) {
          if (!candidates.includes(p) && !fuzzyCandidates.includes(p) && withinOneEdit(key, p.tokens[0]!.key)) fuzzyCandidates.push(p);
        }
      }
    }
    if (endsWithNotContraction(text, e)) result.negationBefore[t] = 1;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]!;
      const owner = c.owner;
      if (owner.kind === 'mark') { result.markTokens.push(t); result.marks.push(owner.mark); continue; }
      record(result, verifyAt(c, t, false, tokens, keys), tokens, keys);
    }
    for (let i = 0; i < fuzzyCandidates.length; i++) record(result, verifyAt(fuzzyCandidates[i]!, t, true, tokens, keys), tokens, keys);
  }
  return result;
}

/** English "n't" (isn't, don't, aren't) ends the token: a negation before what follows. */
function endsWithNotContraction(text: string, end: number): boolean {
  const t = text.charCodeAt(end - 1) | 0x20;
  if (t !== 0x74) return false;
  return APOSTROPHES.has(text.charCodeAt(end - 2)) && (text.charCodeAt(end - 3) | 0x20) === 0x6e;
}

function record(result: ScanResult, hit: PatternHit | null, tokens: PageTokens, keys: PageKeys): void {
  if (!hit) return;
  const owner = hit.pattern.owner;
  switch (owner.kind) {
    case 'entry': {
      // Hits arrive in token order: duplicates (exact + stemmer route) share the first token.
      const hits = result.entryHits;
      for (let i = hits.length - 1; i >= 0 && hits[i]!.first === hit.first; i--) if (hits[i]!.pattern === hit.pattern) return;
      hits.push({
        pattern: hit.pattern, first: hit.first, last: hit.last, fuzzy: hit.fuzzy, infixNegated: hit.infixNegated, entry: owner.entry,
      });
      return;
    }
    case 'target': {
      const mentions = result.mentions;
      for (let i = mentions.length - 1; i >= 0 && mentions[i]!.first === hit.first; i--) {
        const m = mentions[i]!;
        if (m.groupId === owner.groupId) {
          if (hit.last > m.last) { m.last = hit.last; m.kind = owner.termKind; }
          return;
        }
      }
      mentions.push({ groupId: owner.groupId, first: hit.first, last: hit.last, kind: owner.termKind });
      return;
    }
    case 'cue':
      if (owner.cue === 'negationBefore') result.negationBefore[hit.last] = 1;
      else if (owner.cue === 'negationAfter') result.negationAfter[hit.first] = 1;
      else if (owner.cue === 'reported') result.reportedSentence[tokens.sentence[hit.first]!] = 1;
      else result.condemnedSentence[tokens.sentence[hit.first]!] = 1;
      return;
    case 'member': {
      const form = owner.form;
      const features = formFeatures(form, keys.key(hit.first + form.morphToken));
      if (features >= 0) result.members.push({ form, first: hit.first, last: hit.last, features });
      return;
    }
    case 'mark':
    case 'exception':
      return;
  }
}
