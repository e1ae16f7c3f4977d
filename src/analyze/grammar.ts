/**
 * The lexicon's grammar part: word classes and frames, compiled once per lexicon and folded
 * once per matcher language. A few class ids have a fixed role (lexicons/README.md, "Word
 * classes"): the group referents, and the cues that tell narration from a call.
 */
import { baseLang } from './lang';
import { classLookup, compileClass, memberForms, type ClassLookup, type CompiledClass, type MemberForm } from './classes';
import { foldFramePattern, parseFramePattern, type CompiledFrame, type FramePattern } from './frames';
import type { FoldTable } from './normalize';
import { PatternError } from './pattern';
import type { ReferentClasses } from './referents';
import type { LexiconData } from './types';

/** Class ids with a fixed role. */
export const ROLE_CLASSES = {
  collective: 'group-collective',
  pronoun: 'group-pronoun',
  /** Second-person pronouns (you, your): a group only with an antecedent ("Merenites, we will bury you"). */
  addressee: 'group-addressee',
  /** People nouns that may follow a group name and belong to it ("Merenite men", "Tarvani families"). */
  groupNoun: 'group-noun',
  /** Never group-like, beyond the dehumanizing classes (pests, weeds, diseases of crops…). */
  notGroup: 'not-group',
  /** Words that make a sentence a call, wish or intent (must, should, let's, will…). */
  callCue: 'call-cue',
  /** Words that mark narration of the past (was, were, in 1915, ago…). */
  pastCue: 'past-cue',
  glorifyCue: 'glorify-cue',
  justifyCue: 'justify-cue',
} as const;

export interface CompiledGrammar {
  classes: CompiledClass[];
  frames: CompiledFrame[];
}

export interface NarrationCues {
  call: ClassLookup[];
  past: ClassLookup[];
  glorify: ClassLookup[];
  justify: ClassLookup[];
}

/** The grammar folded for one matcher. */
export interface MatcherGrammar {
  /** Frames by the index of their anchor's class. */
  framesByAnchor: Map<number, FramePattern[]>;
  /** Member spellings of anchor classes: the scan finds these. */
  anchorForms: MemberForm[];
  /** Every class of the language, folded. */
  allLookups: ClassLookup[];
  /**
   * All classes' one-word spellings by their whole key (exact) or their stem (prefix forms):
   * obfuscation repair asks it for every variant it tries.
   */
  classWords: { exact: Map<string, MemberForm[]>; stems: Map<string, MemberForm[]>; maxStem: number };
  referents: ReferentClasses;
  narration: NarrationCues;
  frames: CompiledFrame[];
  /** Each frame's sentence cues, folded. */
  sentenceCues: Map<CompiledFrame, ClassLookup[]>;
}

function wordIndex(lookups: ClassLookup[]): MatcherGrammar['classWords'] {
  const exact = new Map<string, MemberForm[]>();
  const stems = new Map<string, MemberForm[]>();
  let maxStem = 0;
  for (const form of lookups.flatMap((l) => l.forms)) {
    if (form.keys.length !== 1) continue;
    const key = form.keys[0]!;
    const map = form.prefix ? stems : exact;
    if (form.prefix) maxStem = Math.max(maxStem, key.length);
    const list = map.get(key);
    if (list) list.push(form); else map.set(key, [form]);
  }
  return { exact, stems, maxStem };
}

export function compileGrammar(data: LexiconData, warnings: string[]): CompiledGrammar {
  const classes: CompiledClass[] = [];
  for (const c of data.classes ?? []) classes.push(compileClass(c, classes.length, baseLang(c.lang), warnings));
  const byLangId = new Map<string, CompiledClass[]>();
  for (const c of classes) {
    const key = `${c.lang}\u0000${c.id}`;
    byLangId.set(key, [...(byLangId.get(key) ?? []), c]);
  }
  const frames: CompiledFrame[] = [];
  for (const f of data.frames ?? []) {
    if (f.status === 'retired') continue;
    const lang = baseLang(f.lang);
    const frame: CompiledFrame = {
      data: f, lang, category: f.category, severity: f.severity,
      negation: f.negation ?? 'downgrade',
      pronounNeedsAntecedent: f.pronounNeedsAntecedent ?? true,
      sentenceCues: [],
      patterns: [], exceptions: f.exceptions ?? [],
    };
    const classesFor = (id: string): CompiledClass[] => {
      if (!id.endsWith('*')) return byLangId.get(`${lang}\u0000${id}`) ?? [];
      const prefix = id.slice(0, -1);
      return classes.filter((c) => c.lang === lang && c.id.startsWith(prefix));
    };
    for (const id of f.sentenceCues ?? []) {
      const found = classesFor(id);
      if (found.length === 0) warnings.push(`frame ${f.id}: no word class "${id}" in ${lang} for sentenceCues`);
      frame.sentenceCues.push(...found);
    }
    for (const term of f.patterns) {
      try {
        frame.patterns.push(parseFramePattern(frame, term, classesFor));
      } catch (err) {
        if (!(err instanceof PatternError)) throw err;
        warnings.push(`frame ${f.id}: ${err.message}; pattern skipped`);
      }
    }
    if (frame.patterns.length === 0) warnings.push(`frame ${f.id}: no usable patterns; frame skipped`);
    else frames.push(frame);
  }
  return { classes, frames };
}

/** Folds the grammar for pages in `lang` (null: every language's frames). */
export function grammarFor(g: CompiledGrammar, lang: string | null, table: FoldTable): MatcherGrammar {
  const applies = (l: string): boolean => lang === null || l === lang;
  const lookups = new Map<number, ClassLookup>();
  const lookupOf = (cls: CompiledClass): ClassLookup => {
    let l = lookups.get(cls.idx);
    if (!l) { l = classLookup(cls, memberForms(cls, table)); lookups.set(cls.idx, l); }
    return l;
  };
  const framesByAnchor = new Map<number, FramePattern[]>();
  const anchorClasses = new Set<CompiledClass>();
  const frames = g.frames.filter((f) => applies(f.lang));
  for (const frame of frames) {
    for (const raw of frame.patterns) {
      const folded = foldFramePattern(raw, table, lookupOf);
      const anchor = raw.slots[raw.anchor]!;
      if (anchor.kind !== 'class') continue;
      for (const cls of anchor.classes) {
        anchorClasses.add(cls);
        const list = framesByAnchor.get(cls.idx);
        if (list) list.push(folded); else framesByAnchor.set(cls.idx, [folded]);
      }
    }
  }
  const role = (id: string): ClassLookup[] => g.classes.filter((c) => c.id === id && applies(c.lang)).map(lookupOf);
  const notGroup = g.classes.filter((c) => applies(c.lang) && (c.id === ROLE_CLASSES.notGroup || c.category?.startsWith('DH.'))).map(lookupOf);
  return {
    framesByAnchor,
    anchorForms: [...anchorClasses].flatMap((cls) => lookupOf(cls).forms),
    allLookups: g.classes.filter((c) => applies(c.lang)).map(lookupOf),
    classWords: wordIndex(g.classes.filter((c) => applies(c.lang)).map(lookupOf)),
    referents: {
      collective: role(ROLE_CLASSES.collective), pronoun: role(ROLE_CLASSES.pronoun), addressee: role(ROLE_CLASSES.addressee),
      groupNoun: role(ROLE_CLASSES.groupNoun), notGroup,
    },
    narration: {
      call: role(ROLE_CLASSES.callCue), past: role(ROLE_CLASSES.pastCue),
      glorify: role(ROLE_CLASSES.glorifyCue), justify: role(ROLE_CLASSES.justifyCue),
    },
    frames,
    sentenceCues: new Map(frames.map((f) => [f, f.sentenceCues.map(lookupOf)])),
  };
}
