/**
 * A quick rejection of frame patterns before they are matched around an anchor. Every slot of
 * a frame is filled inside the anchor's sentence, so a pattern cannot match when one of its
 * required class slots has no word in that sentence that could begin a member of its classes,
 * or a required literal-word slot none of its words, or its frame's sentence cues (glorify-cue…)
 * no word there. The scan notes such words in its one trie walk (match.ts, owner kind `mark`):
 * the first word of every member of those classes (a prefix where the member's first word is a
 * stem) and every literal word. The check may let a pattern through that then fails, never
 * the reverse, so the flags are those of matching every pattern.
 */
import type { ClassLookup } from './classes';
import type { MatcherGrammar } from './grammar';
import type { FramePattern } from './frames';
import type { ScanResult } from './match';
import type { PageTokens } from './tokenize';

interface GrammarFilter {
  /** Per pattern: groups of mark numbers, each group satisfied by any one of them. */
  needs: Map<FramePattern, number[][]>;
  /** The words the scan marks, with their mark numbers. */
  words: MarkWord[];
  /** present[i] === stamp: mark i is in the current sentence. */
  present: Int32Array;
}

/** A word (`stem`: a word starting with it) that the scan marks with a mark number. */
export interface MarkWord {
  key: string;
  stem: boolean;
  mark: number;
}

const filters = new WeakMap<MatcherGrammar, GrammarFilter>();
let stamp = 0;

function filterFor(grammar: MatcherGrammar): GrammarFilter {
  let f = filters.get(grammar);
  if (f !== undefined) return f;
  const words: MarkWord[] = [];
  const seen = new Set<string>();
  const addWord = (key: string, stem: boolean, mark: number): void => {
    const id = `${mark}\u0000${stem ? '*' : ''}${key}`;
    if (key.length === 0 || seen.has(id)) return;
    seen.add(id);
    words.push({ key, stem, mark });
  };
  // One mark per class (by its index) and one per literal slot (by its text).
  const markOf = new Map<string, number>();
  const needs = new Map<FramePattern, number[][]>();
  const mark = (id: string, fill: (m: number) => void): number => {
    let m = markOf.get(id);
    if (m === undefined) { m = markOf.size; markOf.set(id, m); fill(m); }
    return m;
  };
  const lookupMark = (l: ClassLookup): number =>
    mark(`c${l.cls.idx}`, (m) => { for (const form of l.forms) addWord(form.keys[0]!, form.prefix && form.morphToken === 0, m); });
  for (const patterns of grammar.framesByAnchor.values()) {
    for (const p of patterns) {
      if (needs.has(p)) continue;
      const groups: number[][] = [];
      p.slots.forEach((slot, k) => {
        if (k === p.raw.anchor || slot.optional) return;
        if (slot.kind === 'class') groups.push(slot.lookups.map(lookupMark));
        else if (slot.kind === 'word') groups.push([mark(`w${slot.text}`, (m) => { for (const a of slot.keys) addWord(a.key, a.stem, m); })]);
      });
      const cues = grammar.sentenceCues.get(p.raw.frame);
      if (cues !== undefined && cues.length > 0) groups.push(cues.map(lookupMark));
      needs.set(p, groups);
    }
  }
  f = { needs, words, present: new Int32Array(markOf.size) };
  filters.set(grammar, f);
  return f;
}

/** The words the scan marks for a grammar's frames (compile.ts puts them in the trie). */
export function frameMarkWords(grammar: MatcherGrammar): MarkWord[] {
  return filterFor(grammar).words;
}

/** Tells, per pattern, whether it may match around anchors of one sentence after another. */
export class FrameFilter {
  private readonly f: GrammarFilter;
  private sentence = -1;
  private current = 0;
  /** Next unread mark of the scan (anchors come in token order). */
  private cursor = 0;

  constructor(grammar: MatcherGrammar, private readonly tokens: PageTokens, private readonly scan: ScanResult) {
    this.f = filterFor(grammar);
  }

  /** May `p` match around an anchor at token `t`? */
  allows(p: FramePattern, t: number): boolean {
    const groups = this.f.needs.get(p);
    if (groups === undefined || groups.length === 0) return true;
    const sentence = this.tokens.sentence[t]!;
    if (sentence !== this.sentence) this.mark(sentence);
    const present = this.f.present;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      let any = false;
      for (let i = 0; i < group.length && !any; i++) any = present[group[i]!] === this.current;
      if (!any) return false;
    }
    return true;
  }

  /** Marks what the scan noted in `sentence`. */
  private mark(sentence: number): void {
    this.sentence = sentence;
    this.current = ++stamp;
    const { markTokens, marks } = this.scan;
    const sentenceOf = this.tokens.sentence;
    const present = this.f.present;
    let c = this.cursor;
    if (c > 0 && c <= markTokens.length && sentenceOf[markTokens[c - 1]!]! >= sentence) c = 0; // asked out of order: start over
    while (c < markTokens.length && sentenceOf[markTokens[c]!]! < sentence) c++;
    const from = c;
    while (c < markTokens.length && sentenceOf[markTokens[c]!] === sentence) present[marks[c++]!] = this.current;
    this.cursor = from;
  }
}
