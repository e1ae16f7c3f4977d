/**
 * Context rules applied to each entry hit: exceptions, the target-mention requirement,
 * narration, negation, quotation / reported speech and condemnation. Signals only lower
 * priority; what hides a hit is negation on an entry whose setting is `suppress`, and past
 * narration of violence with no call, glorifying or justifying cue (see narration.ts).
 */
import type { Matcher } from './compile';
import { NEGATION_WINDOW_AFTER, NEGATION_WINDOW_BEFORE } from './cues';
import { matchesOver, type EntryHit, type MentionHit, type PageKeys, type ScanResult } from './match';
import { narrationOf } from './narration';
import { TOKEN_OBFUSCATED, TOKEN_QUOTED, type PageTokens } from './tokenize';
import type { CategoryCode, ReferentKind, Severity } from './types';

/** A group referent found by a frame, as tokens (see referents.ts). */
export interface ReferentHit {
  kind: ReferentKind;
  first: number;
  last: number;
  antecedent: { first: number; last: number; groupId: string | null } | null;
}

/** A frame hit, as tokens (see frame-hits.ts). */
export interface FrameHit {
  frameIndex: number;
  patternTerm: string;
  slots: Array<{ text: string; kind: 'group' | 'class' | 'word'; classId?: string; features?: number; first: number; last: number }>;
}

/** A hit (an entry's or a frame's) with the context rules applied. */
export interface EvaluatedHit {
  first: number;
  last: number;
  /** The entry hit, or null for a frame hit. */
  entry: EntryHit | null;
  frame: FrameHit | null;
  /** Of the hit (narration may turn an entry's VI.ERAD into VI.GLOR). */
  category: CategoryCode;
  severity: Severity;
  /** Negation seen and the rule says `downgrade` (for `keep`, negation is part of the harm). */
  negated: boolean;
  quoted: boolean;
  condemned: boolean;
  fuzzy: boolean;
  /** The entry asks quotation to lower priority more. */
  quotationDowngrade: boolean;
  /** Target mentions that satisfied the entry's window (for standalone: same sentence). */
  targets: MentionHit[];
  referents: ReferentHit[];
}

/** How far (in sentences) condemnation cues reach: the hit's sentence and its neighbours. */
const CONDEMNATION_SENTENCE_REACH = 1;

export function evaluateHits(scan: ScanResult, tokens: PageTokens, keys: PageKeys, matcher: Matcher): EvaluatedHit[] {
  const mentionsBySentence = new Map<number, MentionHit[]>();
  for (const m of scan.mentions) {
    const s = tokens.sentence[m.first]!;
    const list = mentionsBySentence.get(s);
    if (list) list.push(m); else mentionsBySentence.set(s, [m]);
  }
  // The scan records mentions in token order (by first token): already sorted.
  const sortedMentions = scan.mentions;

  const out: EvaluatedHit[] = [];
  for (const hit of scan.entryHits) {
    const entry = hit.entry;
    const exceptions = matcher.exceptions.get(entry);
    if (exceptions?.some((p) => matchesOver(p, hit.first, hit.last, tokens, keys))) continue;

    const s = tokens.sentence[hit.first]!;
    let targets: MentionHit[];
    if (entry.requiresTarget && entry.window.unit === 'token') {
      targets = mentionsWithinTokens(sortedMentions, hit.first, hit.last, entry.window.n);
    } else {
      // A sentence window looks back, never ahead: a group named in the next sentence is not
      // what this one speaks of.
      const reach = entry.requiresTarget ? entry.window.n : 0;
      targets = [];
      for (let k = s - reach; k <= s; k++) {
        const list = mentionsBySentence.get(k);
        if (list !== undefined) for (let i = 0; i < list.length; i++) targets.push(list[i]!);
      }
    }
    if (entry.requiresTarget && targets.length === 0) continue;

    let category = entry.data.category;
    let severity = entry.data.severity;
    if (entry.narration === 'suppress') {
      const narration = narrationOf(hit, tokens, keys, matcher);
      if (narration === 'narrated') continue;
      if (narration === 'glorified') { category = 'VI.GLOR'; severity = 3; }
      if (narration === 'justified') { category = 'VI.JUST'; severity = 3; }
    }

    const negationSeen = hit.infixNegated || hasNegationCue(scan, tokens, hit.first, hit.last, s);
    if (negationSeen && entry.negation === 'suppress') continue;

    out.push({
      first: hit.first, last: hit.last, entry: hit, frame: null, category, severity,
      negated: negationSeen && entry.negation === 'downgrade',
      quoted: isQuoted(scan, tokens, hit.first, hit.last),
      condemned: isCondemned(scan, s),
      fuzzy: hit.fuzzy || touchesObfuscated(tokens, hit.first, hit.last),
      quotationDowngrade: entry.quotation === 'downgrade',
      targets,
      referents: [],
    });
  }
  return out;
}

/** A token of first..last was rebuilt from an obfuscated spelling. */
export function touchesObfuscated(tokens: PageTokens, first: number, last: number): boolean {
  for (let t = first; t <= last; t++) if ((tokens.flags[t]! & TOKEN_OBFUSCATED) !== 0) return true;
  return false;
}

/** Reported speech in the sentence, or the words inside quotation marks. */
export function isQuoted(scan: ScanResult, tokens: PageTokens, first: number, last: number): boolean {
  if (scan.reportedSentence[tokens.sentence[first]!] === 1) return true;
  for (let t = first; t <= last; t++) if ((tokens.flags[t]! & TOKEN_QUOTED) !== 0) return true;
  return false;
}

/** A condemnation cue in the sentence or a neighbouring one. */
export function isCondemned(scan: ScanResult, sentence: number): boolean {
  for (let k = Math.max(0, sentence - CONDEMNATION_SENTENCE_REACH); k <= sentence + CONDEMNATION_SENTENCE_REACH; k++) {
    if (scan.condemnedSentence[k] === 1) return true;
  }
  return false;
}

/**
 * A negation cue shortly before `first`, between `first` and `last` when `inside`, or just after
 * `last`. Inside a frame a post-posed negation counts too: the frame may end on it ("Tarvanlar
 * haşere değil", a bare noun with the negative copula).
 */
export function hasNegationCue(scan: ScanResult, tokens: PageTokens, first: number, last: number, sentence: number, inside = false): boolean {
  for (let t = Math.max(0, first - NEGATION_WINDOW_BEFORE); t < (inside ? last : first); t++) {
    if (scan.negationBefore[t] === 1 && tokens.sentence[t] === sentence) return true;
  }
  for (let t = inside ? first + 1 : last + 1; t <= last + NEGATION_WINDOW_AFTER && t < tokens.count; t++) {
    if (scan.negationAfter[t] === 1 && tokens.sentence[t] === sentence) return true;
  }
  return false;
}

/** Mentions with at most `n` tokens between them and the hit (may cross sentence ends). */
function mentionsWithinTokens(sorted: MentionHit[], first: number, last: number, n: number): MentionHit[] {
  const out: MentionHit[] = [];
  // Binary search for the first mention that could be in range (mentions span few tokens).
  let lo = 0;
  let hi = sorted.length;
  const from = first - n - 16;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.first < from) lo = mid + 1; else hi = mid;
  }
  for (let i = lo; i < sorted.length && sorted[i]!.first <= last + n + 1; i++) {
    const m = sorted[i]!;
    if (m.last >= first - n - 1) out.push(m);
  }
  return out;
}
