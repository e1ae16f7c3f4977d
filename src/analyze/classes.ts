/**
 * Word classes: the words that can fill a frame's slot (violence verbs, vermin nouns, modal
 * cues…), with the language's morphology (morph.ts) deciding which forms of a member a word is.
 *
 * Two ways to find members, one meaning: classes that anchor a frame go into the lexicon trie,
 * so the single scan finds their words (and nothing else is scanned for them); every class can
 * also be asked "is the word at token u one of yours?" while a frame is being matched around an
 * anchor. Both answer through `memberFeatures`, so a word is a member the same way either route.
 */
import { analyzerFor, ARMENIAN_VERB_PREFIXES, englishStem, featureMask, type Analyzer } from './morph';
import { foldString, type FoldTable } from './normalize';
import { parsePattern, PatternError } from './pattern';
import type { PageKeys } from './match';
import type { CategoryCode, MorphFeature, Severity, WordClassData, WordClassMember, WordClassPos } from './types';

/** A class as written, parsed once; folding happens per matcher. */
export interface CompiledClass {
  /** Index in CompiledLexicon.classes. */
  idx: number;
  id: string;
  lang: string;
  pos: WordClassPos;
  category: CategoryCode | null;
  severity: Severity | null;
  members: RawMember[];
}

interface RawMember {
  term: string;
  /** Token texts (NFC, unfolded) and whether each was written as a stem. */
  tokens: Array<{ text: string; stem: boolean }>;
  /** Irregular forms, each a one-token spelling with fixed features. */
  forms: Array<{ text: string; features: number }>;
}

/** One spelling of a member, folded for one matcher. */
export interface MemberForm {
  cls: CompiledClass;
  term: string;
  /** Folded keys of the member's words; the morph word's key is its stem. */
  keys: string[];
  /** Which word carries the inflection (the stem with `*`, or an English lemma's verb). */
  morphToken: number;
  /** The morph word is matched as a prefix (stem) and checked by the analyzer. */
  prefix: boolean;
  /** What the lemma has after the stem (English hate → hat + e). */
  tail: string;
  /** Features fixed by the spelling (irregular forms, Armenian կ-), or -1: ask the analyzer. */
  fixed: number;
  /** Features added to what the analyzer says (Armenian prefixes). */
  extra: number;
  analyze: Analyzer;
  /** formFeatures' answers so far, by word (made on first use). */
  memo: Map<string, number> | null;
}

/** A class's spellings for one matcher, for "is token u a member?" questions. */
export interface ClassLookup {
  cls: CompiledClass;
  forms: MemberForm[];
  /** Forms whose first word is exact, by that word's key. */
  byFirstKey: Map<string, MemberForm[]>;
  /** Forms whose first word is a prefix, by the prefix's first two units. */
  byPrefixStart: Map<string, MemberForm[]>;
  /** The same by number (prefixUnitsKey), so a page's word needs no slice to be looked up. */
  byPrefixUnits: Map<number, MemberForm[]>;
  /** Longest member, in words. */
  maxWords: number;
}

/** A member found at tokens first..last with its features. */
export interface MemberSpan {
  form: MemberForm;
  first: number;
  last: number;
  features: number;
}

export function compileClass(data: WordClassData, idx: number, lang: string, warnings: string[]): CompiledClass {
  const members: RawMember[] = [];
  for (const m of data.members) {
    const member: WordClassMember = typeof m === 'string' ? { term: m } : m;
    try {
      const parsed = parsePattern(member.term);
      if (parsed.gapsBefore.some((g) => g > 0)) throw new PatternError(`"${member.term}": no ~N gaps in class members`);
      const forms = Object.entries(member.forms ?? {}).map(([text, features]) => ({ text, features: featureMask(features as MorphFeature[]) }));
      members.push({ term: member.term, tokens: parsed.tokens.map((t) => ({ text: t.text, stem: t.stem })), forms });
    } catch (err) {
      if (!(err instanceof PatternError)) throw err;
      warnings.push(`class ${data.lang}/${data.id}: ${err.message}; member skipped`);
    }
  }
  return { idx, id: data.id, lang, pos: data.pos, category: data.category ?? null, severity: data.severity ?? null, members };
}

/** The word of a member that carries its inflection. */
function morphTokenOf(lang: string, pos: WordClassPos, tokens: RawMember['tokens']): number {
  for (let k = tokens.length - 1; k >= 0; k--) if (tokens[k]!.stem) return k;
  // English phrasal verbs inflect their first word (wipe out → wiped out); elsewhere the last.
  return lang === 'en' && pos === 'verb' ? 0 : tokens.length - 1;
}

/** Every spelling of a class's members, folded through `table`. */
export function memberForms(cls: CompiledClass, table: FoldTable): MemberForm[] {
  const analyze = analyzerFor(cls.lang);
  const out: MemberForm[] = [];
  for (const m of cls.members) {
    const keys = m.tokens.map((t) => foldString(t.text, table));
    if (keys.some((k) => k.length === 0)) continue;
    const morphToken = morphTokenOf(cls.lang, cls.pos, m.tokens);
    const written = m.tokens[morphToken]!;
    // Typed without Turkic letters, a short word that lost one is another word (öl- 'die' → ol- 'be').
    if (table.mode.endsWith('-ascii') && keys[morphToken]!.length <= 4 && /[ıışçğöüə]/u.test(written.text)) continue;
    let prefix = written.stem;
    let tail = '';
    if (!written.stem && cls.lang === 'en' && cls.pos !== 'other') {
      // An English lemma: match it and its regular forms (the analyzer checks the ending).
      const s = englishStem(cls.pos, keys[morphToken]!);
      keys[morphToken] = s.stem;
      tail = s.tail;
      prefix = true;
    }
    const base = { cls, term: m.term, morphToken, analyze, extra: 0, memo: null };
    out.push({ ...base, keys, prefix, tail, fixed: -1 });
    if (cls.lang === 'hy' && cls.pos === 'verb' && written.stem) {
      for (const p of ARMENIAN_VERB_PREFIXES) {
        const k = [...keys];
        k[morphToken] = p.prefix + keys[morphToken]!;
        out.push({ ...base, keys: k, prefix: true, tail: '', fixed: -1, extra: p.features });
      }
    }
    // Turkish verbs in -la/-le drop the vowel before the progressive: temizle- → temizliyor.
    const stemKey = keys[morphToken]!;
    if (cls.lang === 'tr' && cls.pos === 'verb' && written.stem && /[^aeıioöuü][ae]$/u.test(stemKey) && stemKey.length >= 4) {
      const k = [...keys];
      k[morphToken] = stemKey.slice(0, -1);
      out.push({ ...base, keys: k, prefix: true, tail: '', fixed: -1, analyze: progressiveOnly(analyze) });
    }
    for (const form of m.forms) {
      const k = [...keys];
      k[morphToken] = foldString(form.text, table);
      out.push({ ...base, keys: k, prefix: false, tail: '', fixed: form.features });
    }
  }
  return out;
}

/** The analyzer for a stem that lost its last vowel: only the progressive -ıyor may follow. */
function progressiveOnly(analyze: Analyzer): Analyzer {
  return (pos, stem, tail, word) => (/^[ıiuü]yor/u.test(word.slice(stem.length)) ? analyze(pos, stem, tail, word) : -1);
}

/**
 * Features of a form's morph word `key` (the word at the form's morph position), or -1 when the
 * word is not one of its forms. The stem of an Armenian prefixed spelling includes the prefix.
 */
export function formFeatures(form: MemberForm, key: string): number {
  if (form.fixed >= 0) return key === form.keys[form.morphToken] ? form.fixed : -1;
  // The scan asks this for every word that passes a member's stem in the trie: answers are
  // kept per form and word (running text repeats its words).
  const memo = (form.memo ??= new Map<string, number>());
  let f = memo.get(key);
  if (f === undefined) {
    f = analyzeForm(form, key);
    if (memo.size >= FORM_MEMO_LIMIT) memo.clear();
    memo.set(key, f);
  }
  return f;
}

const FORM_MEMO_LIMIT = 10_000;

function analyzeForm(form: MemberForm, key: string): number {
  const stem = form.keys[form.morphToken]!;
  if (!form.prefix) {
    if (key !== stem) return -1;
    const f = form.analyze(form.cls.pos, stem, form.tail, key);
    return f < 0 ? -1 : f | form.extra;
  }
  if (!key.startsWith(stem)) return -1;
  const f = form.analyze(form.cls.pos, stem, form.tail, key);
  return f < 0 ? -1 : f | form.extra;
}

const PREFIX_INDEX_UNITS = 2;

export function classLookup(cls: CompiledClass, forms: MemberForm[]): ClassLookup {
  const byFirstKey = new Map<string, MemberForm[]>();
  const byPrefixStart = new Map<string, MemberForm[]>();
  let maxWords = 1;
  for (const f of forms) {
    maxWords = Math.max(maxWords, f.keys.length);
    const firstIsPrefix = f.prefix && f.morphToken === 0;
    const map = firstIsPrefix ? byPrefixStart : byFirstKey;
    const key = firstIsPrefix ? f.keys[0]!.slice(0, PREFIX_INDEX_UNITS) : f.keys[0]!;
    const list = map.get(key);
    if (list) list.push(f); else map.set(key, [f]);
  }
  const byPrefixUnits = new Map<number, MemberForm[]>();
  for (const [key, list] of byPrefixStart) byPrefixUnits.set(prefixUnitsKey(key, key.length), list);
  return { cls, forms, byFirstKey, byPrefixStart, byPrefixUnits, maxWords };
}

/** The first n (1 or 2) units of `key` as one number: distinct for every 1- and 2-unit string. */
function prefixUnitsKey(key: string, n: number): number {
  return n === 1 ? key.charCodeAt(0) : (key.charCodeAt(0) + 1) * 65536 + key.charCodeAt(1);
}

/**
 * Members of the class that start at token `u` and stay inside `sentence`, longest first.
 * `sentenceOf` and `count` bound the words a multi-word member may take.
 */
export function membersAt(lookup: ClassLookup, u: number, keys: PageKeys, sentenceOf: Int32Array, count: number): MemberSpan[] {
  return cachedSpans(lookup, u, keys, sentenceOf, count, false);
}

/** Kept per page: frames, referents and narration ask the same tokens again and again. */
function cachedSpans(lookup: ClassLookup, u: number, keys: PageKeys, sentenceOf: Int32Array, count: number, ending: boolean): MemberSpan[] {
  const cache = keys.memberSpans;
  const slot = (lookup.cls.idx * count + u) * 2 + (ending ? 1 : 0);
  let found = cache.get(slot);
  if (found === undefined) {
    found = ending ? findMembersEndingAt(lookup, u, keys, sentenceOf, count) : findMembersAt(lookup, u, keys, sentenceOf, count);
    cache.set(slot, found);
  }
  return found;
}

function findMembersAt(lookup: ClassLookup, u: number, keys: PageKeys, sentenceOf: Int32Array, count: number): MemberSpan[] {
  const key = keys.key(u);
  let out: MemberSpan[] | null = null;
  // No closures here: this runs for every slot tried around every anchor.
  const exact = lookup.byFirstKey.get(key);
  if (exact !== undefined) {
    for (let i = 0; i < exact.length; i++) {
      const span = spanOf(exact[i]!, u, keys, sentenceOf, count);
      if (span !== null) (out ??= []).push(span);
    }
  }
  // Prefix forms are indexed by their first PREFIX_INDEX_UNITS units (fewer when shorter).
  if (lookup.byPrefixUnits.size > 0) {
    for (let n = 1; n <= PREFIX_INDEX_UNITS && n <= key.length; n++) {
      const forms = lookup.byPrefixUnits.get(prefixUnitsKey(key, n));
      if (forms === undefined) continue;
      for (let i = 0; i < forms.length; i++) {
        const span = spanOf(forms[i]!, u, keys, sentenceOf, count);
        if (span !== null) (out ??= []).push(span);
      }
    }
  }
  if (out === null) return NO_SPANS;
  if (out.length > 1) out.sort((a, b) => b.last - a.last);
  return out;
}

const NO_SPANS: MemberSpan[] = [];

/** Members of the class that end at token `u`. */
export function membersEndingAt(lookup: ClassLookup, u: number, keys: PageKeys, sentenceOf: Int32Array, count: number): MemberSpan[] {
  return cachedSpans(lookup, u, keys, sentenceOf, count, true);
}

function findMembersEndingAt(lookup: ClassLookup, u: number, keys: PageKeys, sentenceOf: Int32Array, count: number): MemberSpan[] {
  const out: MemberSpan[] = [];
  for (let w = 1; w <= lookup.maxWords && u - w + 1 >= 0; w++) {
    const s = u - w + 1;
    if (sentenceOf[s] !== sentenceOf[u]) break;
    for (const span of membersAt(lookup, s, keys, sentenceOf, count)) if (span.last === u) out.push(span);
  }
  // Longest first, as membersAt: "we must" before "must".
  if (out.length > 1) out.sort((a, b) => a.first - b.first);
  return out.length === 0 ? NO_SPANS : out;
}

function spanOf(form: MemberForm, u: number, keys: PageKeys, sentenceOf: Int32Array, count: number): MemberSpan | null {
  const n = form.keys.length;
  if (u + n > count || sentenceOf[u + n - 1] !== sentenceOf[u]) return null;
  let features = 0;
  for (let k = 0; k < n; k++) {
    const key = keys.key(u + k);
    if (k === form.morphToken) {
      features = formFeatures(form, key);
      if (features < 0) return null;
    } else if (key !== form.keys[k]) {
      return null;
    }
  }
  return { form, first: u, last: u + n - 1, features };
}
