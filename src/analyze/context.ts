/**
 * Context rules applied to each entry hit: exceptions, the target-mention requirement,
 * negation, quotation / reported speech and condemnation. Signals only lower priority; the
 * one thing that hides a hit is negation on an entry whose setting is `suppress`.
 */
import type { Matcher } from './compile';
import { NEGATION_WINDOW_AFTER, NEGATION_WINDOW_BEFORE } from './cues';
import { matchesOver, type EntryHit, type MentionHit, type PageKeys, type ScanResult } from './match';
import { TOKEN_QUOTED, type PageTokens } from './tokenize';

export interface EvaluatedHit {
  hit: EntryHit;
  /** Negation seen and the entry says `downgrade` (for `keep`, negation is part of the harm). */
  negated: boolean;
  quoted: boolean;
  condemned: boolean;
  /** Target mentions that satisfied the entry's window (for standalone: same sentence). */
  targets: MentionHit[];
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
      const reach = entry.requiresTarget ? entry.window.n : 0;
      targets = [];
      for (let k = s - reach; k <= s + reach; k++) {
        const list = mentionsBySentence.get(k);
        if (list !== undefined) for (let i = 0; i < list.length; i++) targets.push(list[i]!);
      }
    }
    if (entry.requiresTarget && targets.length === 0) continue;

    const negationSeen = hit.infixNegated || hasNegationCue(scan, tokens, hit.first, hit.last, s);
    if (negationSeen && entry.negation === 'suppress') continue;

    let quoted = scan.reportedSentence[s] === 1;
    for (let t = hit.first; t <= hit.last && !quoted; t++) quoted = (tokens.flags[t]! & TOKEN_QUOTED) !== 0;

    let condemned = false;
    for (let k = Math.max(0, s - CONDEMNATION_SENTENCE_REACH); k <= s + CONDEMNATION_SENTENCE_REACH && !condemned; k++) {
      condemned = scan.condemnedSentence[k] === 1;
    }

    out.push({ hit, negated: negationSeen && entry.negation === 'downgrade', quoted, condemned, targets });
  }
  return out;
}

function hasNegationCue(scan: ScanResult, tokens: PageTokens, first: number, last: number, sentence: number): boolean {
  for (let t = Math.max(0, first - NEGATION_WINDOW_BEFORE); t < first; t++) {
    if (scan.negationBefore[t] === 1 && tokens.sentence[t] === sentence) return true;
  }
  for (let t = last + 1; t <= last + NEGATION_WINDOW_AFTER && t < tokens.count; t++) {
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
