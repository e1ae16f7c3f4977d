/**
 * Frame hits: every frame is tried around every anchor word the scan found, and a match is
 * evaluated with the same context rules as an entry (exceptions, negation, quotation,
 * condemnation). The group slot's filler becomes the hit's target (a listed group, also through
 * a pronoun's antecedent) or its referent (signal `untargeted`).
 */
import type { Matcher } from './compile';
import { NEGATION_WINDOW_AFTER, NEGATION_WINDOW_BEFORE } from './cues';
import { hasNegationCue, isCondemned, isQuoted, touchesObfuscated, type EvaluatedHit, type FrameHit, type ReferentHit } from './context';
import { FrameFilter } from './frame-filter';
import { matchFrame, type CompiledFrame, type FrameContext, type SlotFill } from './frames';
import { matchesOver, type MentionHit, type PageKeys, type ScanResult } from './match';
import { F } from './morph';
import { anyCue, sentenceRange } from './narration';
import { GroupFinder } from './referents';
import type { PageTokens } from './tokenize';
import type { CategoryCode, Severity } from './types';

export function evaluateFrames(text: string, scan: ScanResult, tokens: PageTokens, keys: PageKeys, matcher: Matcher): EvaluatedHit[] {
  const grammar = matcher.grammar;
  if (scan.members.length === 0 || grammar.framesByAnchor.size === 0) return [];
  let ctx: FrameContext | null = null;
  let filter: FrameFilter | null = null;
  const out: EvaluatedHit[] = [];
  // One hit per frame and anchor word; a number key, not a string made per pattern tried.
  const frameNumber = frameNumbers(grammar);
  const seen = new Set<number>();
  for (const anchor of scan.members) {
    const patterns = grammar.framesByAnchor.get(anchor.form.cls.idx);
    if (!patterns) continue;
    if (ctx === null) {
      // One context for the page: the group finder and the member cache serve every anchor.
      const finder = new GroupFinder(text, tokens, keys, scan.mentions, matcher.lang, grammar.referents);
      ctx = { text, tokens, keys, groupsAt: finder.groupsAt.bind(finder), groupsEndingAt: finder.groupsEndingAt.bind(finder), groupBefore: (u) => {
        const g = finder.groupBefore(u);
        return g && { first: g.first, last: g.last, group: g };
      } };
      filter = new FrameFilter(grammar, tokens, scan);
    }
    for (const p of patterns) {
      const frame = p.raw.frame;
      const once = frameNumber.get(frame)! * tokens.count + anchor.first;
      if (seen.has(once) || !filter!.allows(p, anchor.first)) continue;
      const fills = matchFrame(p, anchor, ctx);
      if (fills === null) continue;
      let first = Infinity;
      let last = -1;
      // The flag spans its own sentence: an elliptic predicate's group (previous sentence) is only named.
      for (const f of fills) if (f && f.group?.referent?.kind !== 'previous-sentence') { first = Math.min(first, f.first); last = Math.max(last, f.last); }
      const exceptions = matcher.frameExceptions.get(frame);
      if (exceptions?.some((x) => matchesOver(x, first, last, tokens, keys))) continue;
      const sentence = tokens.sentence[anchor.first]!;
      const cues = grammar.sentenceCues.get(frame);
      if (cues !== undefined && cues.length > 0) {
        const [from, to] = sentenceRange(tokens, sentence);
        if (!anyCue(cues, tokens, keys, sentence, from, to)) continue;
      }
      const negationSeen = (hasNegationCue(scan, tokens, first, last, sentence, true) && negationOutsideMembers(text, scan, tokens, first, last, sentence, fills))
        || fills.some((f) => f?.member !== undefined && (f.member.features & F.neg) !== 0);
      if (negationSeen && frame.negation === 'suppress') continue;
      seen.add(once);
      const { category, severity } = categoryOf(frame.category, frame.severity, fills);
      const { targets, referents } = groupsOf(fills);
      out.push({
        first, last, entry: null, frame: frameHit(frameNumber.get(frame)!, p.raw.term, p.slots.map((s) => s.text), fills),
        category, severity,
        negated: negationSeen && frame.negation === 'downgrade',
        quoted: isQuoted(scan, tokens, first, last),
        condemned: isCondemned(scan, sentence),
        fuzzy: touchesObfuscated(tokens, first, last),
        quotationDowngrade: false,
        targets, referents,
      });
    }
  }
  return out;
}

/** Each frame's index in grammar.frames, made once per grammar (not per page). */
const frameIndexes = new WeakMap<Matcher['grammar'], Map<CompiledFrame, number>>();

function frameNumbers(grammar: Matcher['grammar']): Map<CompiledFrame, number> {
  let numbers = frameIndexes.get(grammar);
  if (numbers === undefined) {
    numbers = new Map(grammar.frames.map((f, i) => [f, i]));
    frameIndexes.set(grammar, numbers);
  }
  return numbers;
}

/**
 * Is a negation cue of the frame's window outside the words of its class slots? A negation that
 * is part of a member is the member's meaning, not a denial of it ("can't stand", "can't be
 * trusted", "better without", "no better than"). Nor does the negative auxiliary that opens a
 * question ("Aren't X just parasites?", "Don't you think X are animals?") deny anything: it asks
 * for agreement. Only called once the cheap check has seen a cue.
 */
function negationOutsideMembers(text: string, scan: ScanResult, tokens: PageTokens, first: number, last: number, sentence: number, fills: Array<SlotFill | null>): boolean {
  const inMember = (t: number): boolean => fills.some((f) => f?.member !== undefined && t >= f.first && t <= f.last);
  const sentenceFirst = tokens.sentence.indexOf(sentence, Math.max(0, first - NEGATION_WINDOW_BEFORE - 64));
  const end = tokens.sentenceEnd[sentence] ?? text.length;
  const question = /\?\s*["'”’»)]*\s*$/u.test(text.slice(Math.max(0, end - 4), end + 1));
  const rhetorical = (t: number): boolean => question && t === sentenceFirst && endsWithNot(text, tokens.end[t]!);
  for (let t = Math.max(0, first - NEGATION_WINDOW_BEFORE); t < last; t++) {
    if (scan.negationBefore[t] === 1 && tokens.sentence[t] === sentence && !inMember(t) && !rhetorical(t)) return true;
  }
  for (let t = first + 1; t <= last + NEGATION_WINDOW_AFTER && t < tokens.count; t++) {
    if (scan.negationAfter[t] === 1 && tokens.sentence[t] === sentence && !inMember(t)) return true;
  }
  return false;
}

/** The token ends in English "n't" (aren't, don't, isn't). */
function endsWithNot(text: string, end: number): boolean {
  return /n['’]t$/iu.test(text.slice(Math.max(0, end - 3), end));
}

/** A frame's category: fixed, or that of the first class slot whose class has one. */
function categoryOf(category: CategoryCode | 'class', severity: Severity, fills: Array<SlotFill | null>): { category: CategoryCode; severity: Severity } {
  if (category !== 'class') return { category, severity };
  for (const f of fills) {
    const cls = f?.member?.form.cls;
    if (cls?.category) return { category: cls.category, severity: cls.severity ?? severity };
  }
  return { category: 'DH.DEMON', severity };
}

function groupsOf(fills: Array<SlotFill | null>): { targets: MentionHit[]; referents: ReferentHit[] } {
  const targets: MentionHit[] = [];
  const referents: ReferentHit[] = [];
  for (const f of fills) {
    const g = f?.group;
    if (!g) continue;
    if (g.groupId !== null && g.mention !== null) targets.push({ groupId: g.groupId, first: g.mention.first, last: g.mention.last, kind: g.mention.kind });
    if (g.referent !== null) referents.push({ ...g.referent });
  }
  return { targets, referents };
}

function frameHit(frameIndex: number, patternTerm: string, slotTexts: string[], fills: Array<SlotFill | null>): FrameHit {
  const slots: FrameHit['slots'] = [];
  fills.forEach((f, k) => {
    if (!f) return;
    const text = slotTexts[k]!;
    if (f.group) slots.push({ text, kind: 'group', first: f.first, last: f.last });
    else if (f.member) slots.push({ text, kind: 'class', classId: f.member.form.cls.id, features: f.member.features, first: f.first, last: f.last });
    else slots.push({ text, kind: 'word', first: f.first, last: f.last });
  });
  return { frameIndex, patternTerm, slots };
}
