/**
 * Narration is not a call. History textbooks narrate atrocities ("In 1804 the army killed
 * hundreds of Tarvani villagers"; "troops deported twelve thousand Merenites in 1847"), and an
 * entry such as "deport" or "exterminate" meeting a group in such a sentence is not a call for
 * violence. An entry whose rule is `narration: suppress` (the default for calls, threats and
 * heritage destruction) is read as narration when
 *   - its verb is a past form or a participle (the language's morphology decides: killed,
 *     уничтожили, öldürdüler, սպանեցին) and no call cue (must, should, let's, will, надо…)
 *     stands just before it — "they must be deported" stays a call; or
 *   - it is a noun ("the deportation of…") in a sentence with a past cue (was, were, a year…)
 *     and no call cue.
 * Narrated violence is dropped unless the sentence glorifies it ("glory to the heroes who…")
 * or justifies it ("they got what they deserved"): then it becomes VI.GLOR or VI.JUST.
 */
import { membersAt, type ClassLookup } from './classes';
import type { Matcher } from './compile';
import type { EntryHit, PageKeys } from './match';
import { analyzerFor, englishStem, F } from './morph';
import { stemmerFor } from './stemmers';
import type { PageTokens } from './tokenize';

export type Narration = 'call' | 'narrated' | 'glorified' | 'justified';

/** Verb features that make a form a call, wish, intent or plain statement, not narration. */
const CALL_FORMS = F.imp | F.fut | F.oblig | F.juss | F.hort | F.subj | F.inf | F.base | F.pres | F.prog | F.cond;
const PAST_FORMS = F.past | F.part;
/** Where a call cue must stand to make a past form a call: "must (all) be deported". */
const CALL_CUE_BEFORE = 4;
const CALL_CUE_AFTER = 2;
/** Where a past cue governs an infinitive: "tried to ⟨kill⟩" before it, "⟨öldürmeye⟩ çalıştılar" after. */
const PAST_CUE_BEFORE = 3;
const PAST_CUE_AFTER = 2;
/** English nouns made from verbs ("deportation", "expulsions"): not a verb form. */
const EN_NOUN = /(?:tion|sion|ment|ance|ence|ity|ness|ure|age|al)s?$/u;
/** English simple past of a regular verb, as a past marker in the sentence ("answered"). */
const EN_REGULAR_PAST = /^(?!hundred$)[a-z]{3,}[^e]ed$/u;
const YEAR = /^(?:1[0-9]{3}|20[0-9]{2})(?![0-9])/u;

export function narrationOf(hit: EntryHit, tokens: PageTokens, keys: PageKeys, matcher: Matcher): Narration {
  const cues = matcher.grammar.narration;
  // Without call cues (a lexicon made before word classes) a call cannot be told from narration.
  if (cues.call.length === 0) return 'call';
  const sentence = tokens.sentence[hit.first]!;
  const features = verbFeatures(hit, keys);
  const callNear = anyCue(cues.call, tokens, keys, sentence, hit.first - CALL_CUE_BEFORE, hit.last + CALL_CUE_AFTER);
  if (callNear) return 'call';
  let narrated: boolean;
  if (features >= 0 && (features & F.noun) === 0) {
    if ((features & PAST_FORMS) !== 0 && (features & CALL_FORMS & ~F.base) === 0) narrated = true;
    // "tried to exterminate", "пытались уничтожить", "yok etmeye çalıştılar": an infinitive
    // governed by a past verb of attempt or plan (a past cue right next to it).
    else if ((features & (F.inf | F.base)) !== 0 && anyCue(cues.past, tokens, keys, sentence, hit.first - PAST_CUE_BEFORE, hit.first - 1)) narrated = true;
    else if ((features & (F.inf | F.base)) !== 0 && anyCue(cues.past, tokens, keys, sentence, hit.last + 1, hit.last + PAST_CUE_AFTER)) narrated = true;
    // A gerund ("answered by razing their town") in a sentence told in the past.
    else narrated = (features & F.prog) !== 0 && (features & ~(F.prog | F.pres)) === 0 && hasPastCue(cues.past, tokens, keys, sentence, hit.entry.lang);
  } else {
    narrated = hasPastCue(cues.past, tokens, keys, sentence, hit.entry.lang);
  }
  if (!narrated) return 'call';
  const [from, to] = sentenceRange(tokens, sentence);
  if (anyCue(cues.glorify, tokens, keys, sentence, from, to)) return 'glorified';
  if (anyCue(cues.justify, tokens, keys, sentence, from, to)) return 'justified';
  return 'narrated';
}

/**
 * The morphological features of the hit's verb, or -1 when it is no form the analyzer knows
 * (a noun such as "deportation", an irregular form).
 */
function verbFeatures(hit: EntryHit, keys: PageKeys): number {
  const p = hit.pattern;
  let k = -1;
  for (let i = p.tokens.length - 1; i >= 0; i--) if (p.tokens[i]!.stem) { k = i; break; }
  if (k < 0) k = hit.entry.lang === 'en' ? 0 : p.tokens.length - 1;
  // Only the first and the last word of a hit have a known position (gaps move the others).
  const position = k === 0 ? hit.first : k === p.tokens.length - 1 ? hit.last : -1;
  if (position < 0) return -1;
  const pt = p.tokens[k]!;
  const key = keys.key(position);
  const lang = hit.entry.lang;
  if (lang === 'en' && EN_NOUN.test(key)) return -1;
  let stem = pt.key;
  let tail = '';
  if (!pt.stem) {
    if (lang === 'en') ({ stem, tail } = englishStem('verb', pt.key));
    else if (lang === 'ru') stem = stemmerFor('ru')(pt.key);
  }
  if (!key.startsWith(stem)) return -1;
  return analyzerFor(lang)('verb', stem, tail, key);
}

export function sentenceRange(tokens: PageTokens, sentence: number): [number, number] {
  let from = 0;
  let lo = 0;
  let hi = tokens.count - 1;
  // Tokens are in sentence order: binary search the first token of the sentence.
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens.sentence[mid]! < sentence) lo = mid + 1; else { from = mid; hi = mid - 1; }
  }
  let to = from;
  while (to + 1 < tokens.count && tokens.sentence[to + 1] === sentence) to++;
  return [from, to];
}

export function anyCue(lookups: ClassLookup[], tokens: PageTokens, keys: PageKeys, sentence: number, from: number, to: number): boolean {
  if (lookups.length === 0) return false;
  for (let u = Math.max(0, from); u <= to && u < tokens.count; u++) {
    if (tokens.sentence[u] !== sentence) continue;
    for (const lookup of lookups) if (membersAt(lookup, u, keys, tokens.sentence, tokens.count).length > 0) return true;
  }
  return false;
}

function hasPastCue(lookups: ClassLookup[], tokens: PageTokens, keys: PageKeys, sentence: number, lang: string): boolean {
  const [from, to] = sentenceRange(tokens, sentence);
  for (let u = from; u <= to; u++) {
    const key = keys.key(u);
    if (YEAR.test(key) || (lang === 'en' && EN_REGULAR_PAST.test(key))) return true;
  }
  return anyCue(lookups, tokens, keys, sentence, from, to);
}
