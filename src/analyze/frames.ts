/**
 * Frames: short constructions of slots (a group, a word class with features, a literal word,
 * gaps) that the scan recognises around an anchor word. The scan finds the anchors (members of
 * the frame's rarest class) in its one pass over the page; a frame is then matched outwards from
 * each anchor over the page's tokens, inside the anchor's sentence: right of the anchor first,
 * then left. Nothing here reads the page text again; words are compared by their folded keys.
 */
import { membersAt, membersEndingAt, type ClassLookup, type CompiledClass, type MemberSpan } from './classes';
import { featureMask } from './morph';
import { foldString, type FoldTable } from './normalize';
import { parsePattern, PatternError } from './pattern';
import { groupShapes, hasGroupShape } from './referents';
import type { TargetTermKind } from './compile';
import type { PageKeys } from './match';
import type { PageTokens } from './tokenize';
import type { CategoryCode, FrameData, MorphFeature, ReferentKind, Severity } from './types';
import { MORPH_FEATURES } from './types';

export interface CompiledFrame {
  data: FrameData;
  lang: string;
  category: CategoryCode | 'class';
  severity: Severity;
  negation: 'suppress' | 'downgrade' | 'keep';
  pronounNeedsAntecedent: boolean;
  /** Classes one of whose members must stand somewhere in the hit's sentence (glorify-cue…). */
  sentenceCues: CompiledClass[];
  patterns: FramePatternRaw[];
  exceptions: string[];
}

type RawSlot =
  | { kind: 'group'; text: string; only: GroupOnly; shape: string | null; endings: GroupEndings | null; previous: boolean; optional: boolean; gapBefore: number }
  | { kind: 'class'; text: string; classes: CompiledClass[]; masks: number[]; optional: boolean; gapBefore: number }
  | { kind: 'word'; text: string; alternatives: Array<{ text: string; stem: boolean }>; optional: boolean; gapBefore: number };

/**
 * `{group}` takes any group filler; `{group:listed}` a listed target; `{group:heritage}` a listed
 * heritage site; `{group:<shape>}` any filler or an unlisted noun of a language-defined shape.
 */
export type GroupOnly = 'any' | 'listed' | 'heritage';

/**
 * Case endings a group slot asks for: of the group's last word (`-ին`), or of the noun right
 * after it when the group is its attribute (`+-ներին`: մերենիտ կանանց, տարվանցի դավաճաններին).
 */
export interface GroupEndings {
  own: string[];
  head: string[];
}

export interface FramePatternRaw {
  frame: CompiledFrame;
  term: string;
  slots: RawSlot[];
  /** Index of the slot the scan finds (a class slot). */
  anchor: number;
  /** `^`: the first slot starts a clause. */
  atSentenceStart: boolean;
  /**
   * `!-ում|-ել`: the word right after the last slot (same clause) must not end with one of these
   * (Armenian: the copula են before a participle is the auxiliary, not a copula).
   */
  notFollowedBy: string[] | null;
  /** `$`: the last slot ends a clause (a punctuation mark or the sentence end follows it). */
  atClauseEnd: boolean;
  /** `—` between two items: a dash follows the last word of this slot (Russian "X — паразиты"); -1: none. */
  dashAfter: number;
}

export type Slot =
  | { kind: 'group'; text: string; only: GroupOnly; shape: string | null; endings: GroupEndings | null; previous: boolean; optional: boolean; gapBefore: number }
  | { kind: 'class'; text: string; lookups: ClassLookup[]; masks: number[]; optional: boolean; gapBefore: number }
  | { kind: 'word'; text: string; keys: Array<{ key: string; stem: boolean }>; optional: boolean; gapBefore: number };

/** A frame pattern folded for one matcher. */
export interface FramePattern {
  raw: FramePatternRaw;
  slots: Slot[];
  /** raw.notFollowedBy, folded. */
  notFollowedBy: string[] | null;
}

const FEATURE_NAMES = new Set<string>(MORPH_FEATURES);

/**
 * Parses one frame pattern. `classesFor(id)` resolves a class id (or `prefix-*`) to the frame
 * language's classes. Throws PatternError with a reason a curator can act on.
 */
export function parseFramePattern(frame: CompiledFrame, term: string, classesFor: (id: string) => CompiledClass[]): FramePatternRaw {
  const slots: RawSlot[] = [];
  let gap = 0;
  let atSentenceStart = false;
  let notFollowedBy: string[] | null = null;
  let atClauseEnd = false;
  let dashAfter = -1;
  const items = term.normalize('NFC').trim().split(/\s+/u).filter((s) => s.length > 0);
  items.forEach((item, i) => {
    if (i === 0 && item === '^') { atSentenceStart = true; return; }
    if (i === items.length - 1 && item === '$' && i > 0) { atClauseEnd = true; return; }
    if (item === '—') {
      const before = slots[slots.length - 1];
      if (before === undefined || before.optional || gap > 0 || i === items.length - 1 || dashAfter >= 0) throw new PatternError(`"${term}": write one — between a required item and the next item`);
      dashAfter = slots.length - 1;
      return;
    }
    if (i === items.length - 1 && i > 0 && item.startsWith('!')) {
      const endings = item.slice(1).split('|');
      if (endings.some((e) => !e.startsWith('-') || e.length < 2)) throw new PatternError(`"${term}": write a final ! item as !-ending|-ending`);
      notFollowedBy = endings.map((e) => e.slice(1));
      return;
    }
    const g = /^~(\d+)$/u.exec(item);
    if (g) {
      if (slots.length === 0) throw new PatternError(`"${term}": a ~N gap cannot start a frame`);
      gap += Number(g[1]);
      return;
    }
    const optional = item.length > 1 && item.endsWith('?');
    const body = optional ? item.slice(0, -1) : item;
    const braced = /^\{([^}:]+)(?::([^}]+))?\}$/u.exec(body);
    if (braced) {
      const name = braced[1]!;
      const spec = braced[2];
      if (name === 'group') {
        // :listed or :heritage; a noun shape of the language (ru anim); case endings of the
        // group's last word (-ին) or of the head noun after it (+-ներին), as Armenian marks a
        // person as object with the dative ({group:-ին|-նց|+-ներին}).
        const specs = spec?.split('|') ?? [];
        const only: GroupOnly = specs.includes('heritage') ? 'heritage' : specs.includes('listed') ? 'listed' : 'any';
        const own = specs.filter((x) => /^-\S/u.test(x)).map((x) => x.slice(1));
        const head = specs.filter((x) => /^\+-\S/u.test(x)).map((x) => x.slice(2));
        const previous = specs.includes('previous'); // an elliptic predicate opening its sentence, its group in the one before
        if (previous && (slots.length > 0 || optional || specs.length > 1)) throw new PatternError(`"${term}": {group:previous} stands alone, first and required`);
        const shapes = specs.filter((x) => x !== 'listed' && x !== 'heritage' && x !== 'previous' && !/^\+?-\S/u.test(x));
        for (const x of shapes) {
          if (!hasGroupShape(frame.lang, x)) {
            throw new PatternError(`"${term}": {group} takes :listed, :heritage, -ending and +-ending alternatives or a noun shape of ${frame.lang} (${groupShapes(frame.lang).join(', ') || 'none'})`);
          }
        }
        if (shapes.length > 1) throw new PatternError(`"${term}": {group} takes one noun shape`);
        const endings = own.length + head.length > 0 ? { own, head } : null;
        slots.push({ kind: 'group', text: body, only, shape: shapes[0] ?? null, endings, previous, optional, gapBefore: gap });
      } else {
        const classes: CompiledClass[] = [];
        for (const one of name.split('|')) {
          const found = classesFor(one);
          if (found.length === 0) throw new PatternError(`"${term}": no word class "${one}" in ${frame.lang}`);
          for (const c of found) if (!classes.includes(c)) classes.push(c);
        }
        // `f1|f2`: any of them; `f1+f2`: all of them (`fut+p1|imp`: a first-person future or an imperative).
        const masks: number[] = [];
        for (const alt of spec?.split('|') ?? []) {
          let mask = 0;
          for (const one of alt.split('+')) {
            if (!FEATURE_NAMES.has(one)) throw new PatternError(`"${term}": unknown feature "${one}"`);
            mask |= featureMask([one as MorphFeature]);
          }
          masks.push(mask);
        }
        slots.push({ kind: 'class', text: body, classes, masks, optional, gapBefore: gap });
      }
    } else {
      const alternatives = body.split('|').map((alt) => {
        const stem = alt.endsWith('*');
        const words = parsePattern(stem ? alt.slice(0, -1) : alt).tokens;
        if (words.length !== 1) throw new PatternError(`"${term}": "${alt}" must be one word (write several items)`);
        return { text: words[0]!.text, stem };
      });
      slots.push({ kind: 'word', text: body, alternatives, optional, gapBefore: gap });
    }
    gap = 0;
  });
  if (gap > 0) throw new PatternError(`"${term}": a ~N gap cannot end a frame`);
  // The anchor: the required class slot with the most members (content words are rare in
  // text; short function-word classes such as copulas and modals are everywhere).
  let anchor = -1;
  let best = -1;
  slots.forEach((s, k) => {
    if (s.kind !== 'class' || s.optional) return;
    // A content class (verb, noun, adjective) before any function-word class (pos other:
    // copulas, modals, pronouns), whatever their sizes: Armenian է, են, պետք are in every
    // other sentence, and a frame anchored there is tried all over the page.
    const content = s.classes.some((c) => c.pos !== 'other') ? 1_000_000 : 0;
    const size = content + s.classes.reduce((n, c) => n + c.members.length, 0);
    if (size > best) { best = size; anchor = k; }
  });
  if (anchor < 0) throw new PatternError(`"${term}": a frame needs at least one required {class} slot`);
  if (!slots.some((s) => s.kind === 'group')) throw new PatternError(`"${term}": a frame needs a {group} slot`);
  return { frame, term, slots, anchor, atSentenceStart, notFollowedBy, atClauseEnd, dashAfter };
}

export function foldFramePattern(raw: FramePatternRaw, table: FoldTable, lookupOf: (cls: CompiledClass) => ClassLookup): FramePattern {
  const slots: Slot[] = raw.slots.map((s): Slot => {
    if (s.kind === 'group') {
      const fold = (list: string[]): string[] => list.map((e) => foldString(e, table));
      return { ...s, endings: s.endings === null ? null : { own: fold(s.endings.own), head: fold(s.endings.head) } };
    }
    if (s.kind === 'class') return { kind: 'class', text: s.text, lookups: s.classes.map(lookupOf), masks: s.masks, optional: s.optional, gapBefore: s.gapBefore };
    return { kind: 'word', text: s.text, keys: s.alternatives.map((a) => ({ key: foldString(a.text, table), stem: a.stem })), optional: s.optional, gapBefore: s.gapBefore };
  });
  return { raw, slots, notFollowedBy: raw.notFollowedBy === null ? null : raw.notFollowedBy.map((e) => foldString(e, table)) };
}

/** What filled one slot. */
export interface SlotFill {
  first: number;
  last: number;
  /** Class slots: the member and its features. */
  member?: MemberSpan;
  /** Group slots: what stood for the group. */
  group?: GroupFill;
}

/** A group slot's filler: a listed target mention or a referent (see referents.ts). */
export interface GroupFill {
  first: number;
  last: number;
  /** Listed group id, when the filler names (or refers back to) a listed group. */
  groupId: string | null;
  /** The listed mention (for a pronoun: its antecedent) as first..last tokens. */
  mention: { first: number; last: number; kind: TargetTermKind } | null;
  referent: { kind: ReferentKind; first: number; last: number; antecedent: { first: number; last: number; groupId: string | null } | null } | null;
}

/** The page-side services frame matching needs (the group slot's finder lives in referents.ts). */
export interface FrameContext {
  text: string;
  tokens: PageTokens;
  keys: PageKeys;
  groupsAt(u: number, only: GroupOnly, needAntecedent: boolean, shape: string | null): GroupFill[];
  groupsEndingAt(u: number, only: GroupOnly, needAntecedent: boolean, shape: string | null): GroupFill[];
  groupBefore(u: number): SlotFill | null; // the group named by the sentence before the one opening at token u
}

/** Matches `p` around an anchor member; the slot fills, or null. */
export function matchFrame(p: FramePattern, anchor: MemberSpan, ctx: FrameContext): Array<SlotFill | null> | null {
  const slot = p.slots[p.raw.anchor]!;
  if (slot.kind !== 'class') return null;
  if (!fits(anchor.features, slot.masks)) return null;
  const fills: Array<SlotFill | null> = new Array<SlotFill | null>(p.slots.length).fill(null);
  fills[p.raw.anchor] = { first: anchor.first, last: anchor.last, member: anchor };
  const sentence = ctx.tokens.sentence[anchor.first]!;
  if (!forward(p, p.raw.anchor + 1, anchor.last + 1, 0, fills, ctx, sentence)) return null;
  if (!backward(p, p.raw.anchor - 1, anchor.first - 1, p.slots[p.raw.anchor]!.gapBefore, fills, ctx, sentence)) return null;
  if (p.notFollowedBy !== null && followedBy(p.notFollowedBy, fills, ctx, sentence)) return null;
  if (p.raw.atSentenceStart) {
    const first = fills.find((f) => f !== null)!;
    if (!startsClause(ctx, first.first, sentence)) return null;
  }
  if (p.raw.dashAfter >= 0 && !dashFollows(ctx, fills[p.raw.dashAfter]!.last, sentence)) return null;
  if (p.raw.atClauseEnd) {
    let last = -1;
    for (const f of fills) if (f !== null) last = Math.max(last, f.last);
    if (!endsClause(ctx, last, sentence)) return null;
  }
  return fills;
}

/** Punctuation that closes a clause: the predicate position of verb-final languages. */
const CLAUSE_CLOSERS = /^\s*(?:[,;:.!?…–—)»"”]|-\s)/u;

/** Token u ends its sentence, or is followed by clause-closing punctuation. */
function endsClause(ctx: FrameContext, u: number, sentence: number): boolean {
  if (u + 1 >= ctx.tokens.count || ctx.tokens.sentence[u + 1] !== sentence) return true;
  return CLAUSE_CLOSERS.test(ctx.text.slice(ctx.tokens.end[u]!, ctx.tokens.start[u + 1]!));
}

/** A dash standing alone between words (a hyphen only with spaces around it): the dash copula. */
const DASH_BETWEEN = /^(?:\s*[–—]\s*|\s+-\s+)$/u;

function dashFollows(ctx: FrameContext, u: number, sentence: number): boolean {
  if (u + 1 >= ctx.tokens.count || ctx.tokens.sentence[u + 1] !== sentence) return false;
  return DASH_BETWEEN.test(ctx.text.slice(ctx.tokens.end[u]!, ctx.tokens.start[u + 1]!));
}

/**
 * The word after the last filled token, in the same clause (no punctuation between, no
 * Armenian comma ՝ on the last word), ends with one of `endings`: "X-ները առնետներ են բռնում"
 * ('they catch rats'), where են is the auxiliary of the participle, not a copula.
 */
function followedBy(endings: string[], fills: Array<SlotFill | null>, ctx: FrameContext, sentence: number): boolean {
  let last = -1;
  for (const f of fills) if (f && f.last > last) last = f.last;
  const next = last + 1;
  if (next >= ctx.tokens.count || ctx.tokens.sentence[next] !== sentence) return false;
  const end = ctx.tokens.end[last]!;
  if (ctx.text.charCodeAt(end - 1) === 0x055d || /\S/u.test(ctx.text.slice(end, ctx.tokens.start[next]!))) return false;
  const key = ctx.keys.key(next);
  return endings.some((e) => key.endsWith(e));
}

/** Punctuation that opens a clause an imperative may begin: "Citizens, kill …", "Enough; drive them out". */
const CLAUSE_OPENERS = /[,;:–—(«"“]\s*$/u;

/** Token u begins its sentence, or follows clause-opening punctuation. */
function startsClause(ctx: FrameContext, u: number, sentence: number): boolean {
  if (u === 0 || ctx.tokens.sentence[u - 1] !== sentence) return true;
  return CLAUSE_OPENERS.test(ctx.text.slice(ctx.tokens.end[u - 1]!, ctx.tokens.start[u]!));
}

function inSentence(ctx: FrameContext, u: number, sentence: number): boolean {
  return u >= 0 && u < ctx.tokens.count && ctx.tokens.sentence[u] === sentence;
}

/** Fills slots k.. starting at token t; `carry` is the gap budget of optional slots skipped. */
function forward(p: FramePattern, k: number, t: number, carry: number, fills: Array<SlotFill | null>, ctx: FrameContext, sentence: number): boolean {
  if (k === p.slots.length) return true;
  const slot = p.slots[k]!;
  const maxGap = slot.gapBefore + carry;
  for (let g = 0; g <= maxGap; g++) {
    const u = t + g;
    if (!inSentence(ctx, u, sentence)) break;
    for (const fill of fillsAt(slot, u, ctx, p)) {
      fills[k] = fill;
      if (forward(p, k + 1, fill.last + 1, 0, fills, ctx, sentence)) return true;
    }
  }
  fills[k] = null;
  return slot.optional && forward(p, k + 1, t, maxGap, fills, ctx, sentence);
}

/** Fills slots k..0 leftwards, slot k ending at token t or up to `gapAfter` tokens before it. */
function backward(p: FramePattern, k: number, t: number, gapAfter: number, fills: Array<SlotFill | null>, ctx: FrameContext, sentence: number): boolean {
  if (k < 0) return true;
  const slot = p.slots[k]!;
  // {group:previous}: only when the words matched so far open their sentence.
  if (slot.kind === 'group' && slot.previous) return (fills[k] = inSentence(ctx, t, sentence) ? null : ctx.groupBefore(t + 1)) !== null;
  for (let g = 0; g <= gapAfter; g++) {
    const u = t - g;
    if (!inSentence(ctx, u, sentence)) break;
    for (const fill of fillsEndingAt(slot, u, ctx, p)) {
      fills[k] = fill;
      if (backward(p, k - 1, fill.first - 1, slot.gapBefore, fills, ctx, sentence)) return true;
    }
  }
  fills[k] = null;
  return slot.optional && backward(p, k - 1, t, gapAfter + slot.gapBefore, fills, ctx, sentence);
}

function fillsAt(slot: Slot, u: number, ctx: FrameContext, p: FramePattern): SlotFill[] {
  if (slot.kind === 'word') return wordMatches(slot, ctx.keys.key(u)) ? [{ first: u, last: u }] : [];
  if (slot.kind === 'group') {
    return ctx.groupsAt(u, slot.only, p.raw.frame.pronounNeedsAntecedent, slot.shape).filter((g) => hasEnding(slot, g.last, ctx)).map((g) => ({ first: g.first, last: g.last, group: g }));
  }
  const out: SlotFill[] = [];
  for (const lookup of slot.lookups) {
    for (const m of cachedMembers(ctx, lookup, u, false)) {
      if (fits(m.features, slot.masks)) out.push({ first: m.first, last: m.last, member: m });
    }
  }
  return out;
}

function fillsEndingAt(slot: Slot, u: number, ctx: FrameContext, p: FramePattern): SlotFill[] {
  if (slot.kind === 'word') return wordMatches(slot, ctx.keys.key(u)) ? [{ first: u, last: u }] : [];
  if (slot.kind === 'group') {
    return ctx.groupsEndingAt(u, slot.only, p.raw.frame.pronounNeedsAntecedent, slot.shape).filter((g) => hasEnding(slot, g.last, ctx)).map((g) => ({ first: g.first, last: g.last, group: g }));
  }
  const out: SlotFill[] = [];
  for (const lookup of slot.lookups) {
    for (const m of cachedMembers(ctx, lookup, u, true)) {
      if (fits(m.features, slot.masks)) out.push({ first: m.first, last: m.last, member: m });
    }
  }
  return out;
}

/** A member's features satisfy a slot: no constraint, or every feature of one alternative. */
function fits(features: number, masks: number[]): boolean {
  if (masks.length === 0) return true;
  for (const m of masks) if ((features & m) === m) return true;
  return false;
}

/** Members at (or ending at) token u: kept per page by classes.ts, as every anchor asks again. */
function cachedMembers(ctx: FrameContext, lookup: ClassLookup, u: number, ending: boolean): MemberSpan[] {
  return ending
    ? membersEndingAt(lookup, u, ctx.keys, ctx.tokens.sentence, ctx.tokens.count)
    : membersAt(lookup, u, ctx.keys, ctx.tokens.sentence, ctx.tokens.count);
}

function hasEnding(slot: Extract<Slot, { kind: 'group' }>, last: number, ctx: FrameContext): boolean {
  const endings = slot.endings;
  if (endings === null) return true;
  const key = ctx.keys.key(last);
  if (endings.own.some((e) => key.endsWith(e))) return true;
  const next = last + 1;
  if (endings.head.length === 0 || next >= ctx.tokens.count || ctx.tokens.sentence[next] !== ctx.tokens.sentence[last]) return false;
  const head = ctx.keys.key(next);
  return endings.head.some((e) => head.endsWith(e));
}

function wordMatches(slot: Extract<Slot, { kind: 'word' }>, key: string): boolean {
  for (const alt of slot.keys) {
    if (alt.stem ? key.startsWith(alt.key) : key === alt.key) return true;
  }
  return false;
}
