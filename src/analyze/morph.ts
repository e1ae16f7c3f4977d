/**
 * Word-class morphology: which forms of a class member a word is, and with which features
 * (tense, mood, person…). Frames use the features to tell a call ("they must be killed", "öldürün",
 * "уничтожим") from narration ("the army killed", "öldürdüler", "уничтожили"), so this is where
 * each language's grammar of modality lives. Pure: folded keys in (see normalize.ts), a bit set
 * out, or -1 when the word is not a form of the member (the stem "rat" must not take "rate").
 *
 * A member is written as a lemma (English) or a stem with `*` (the other languages); compile.ts
 * turns it into a trie prefix (`stem`) plus what the lemma has after the stem (`tail`: the final
 * e of "hate", the y of "bury").
 */
import type { WordClassPos } from './types';
import { F as FEATURES, featureMask as maskOf, featureNames as namesOf, type Analyzer } from './morph-features';
import { turkicAnalyzer } from './morph-turkic';

// Plain properties, not re-exports (which CommonJS compiles to getters, slow in the matching loops).
export const F = FEATURES;
export const featureMask = maskOf;
export const featureNames = namesOf;
export type { Analyzer };

// --- English --------------------------------------------------------------------------------

const EN_SIBILANT_END = /(?:s|x|z|ch|sh)$/u;
const EN_CONSONANT_Y = /[^aeiou]y$/u;

/** The trie prefix of an English lemma: the forms all start with it (hate → hat-ed, bury → bur-ied). */
export function englishStem(pos: WordClassPos, lemma: string): { stem: string; tail: string } {
  if (lemma.includes(' ')) return { stem: lemma, tail: '' };
  if (EN_CONSONANT_Y.test(lemma) && lemma.length > 3) return { stem: lemma.slice(0, -1), tail: 'y' };
  if (pos === 'verb' && lemma.endsWith('e') && lemma.length > 3 && !lemma.endsWith('ee')) return { stem: lemma.slice(0, -1), tail: 'e' };
  return { stem: lemma, tail: '' };
}

const englishAnalyzer: Analyzer = (pos, stem, tail, word) => {
  const s = word.slice(stem.length);
  const possessive = s.endsWith("'s") || s.endsWith("'");
  const suffix = possessive ? s.slice(0, s.lastIndexOf("'")) : s;
  if (pos === 'verb') {
    if (possessive) return -1;
    if (suffix === tail) return F.base | F.pres | F.imp | F.inf;
    const last = stem[stem.length - 1] ?? '';
    const doubled = last !== '' && !'aeiouwxy'.includes(last) ? last : '\u0000';
    if (tail === 'y') {
      if (suffix === 'ies') return F.pres;
      if (suffix === 'ied') return F.past | F.part;
      if (suffix === 'ying') return F.prog;
      return -1;
    }
    if (tail === 'e') {
      if (suffix === 'es') return F.pres;
      if (suffix === 'ed') return F.past | F.part;
      if (suffix === 'ing') return F.prog;
      return -1;
    }
    if (suffix === 's' || (suffix === 'es' && EN_SIBILANT_END.test(stem))) return F.pres;
    // Short lemmas keep their final e in the stem (use, die, tie): used, died.
    if (suffix === 'd' && stem.endsWith('e')) return F.past | F.part;
    if (suffix === 'ed' || suffix === `${doubled}ed`) return F.past | F.part;
    if (suffix === 'ing' || suffix === `${doubled}ing`) return F.prog;
    return -1;
  }
  if (pos === 'noun') {
    if (suffix === tail) return F.noun;
    if (tail === 'y') return suffix === 'ies' ? F.noun | F.plural : -1;
    if (suffix === `${tail}s` || (suffix === 'es' && EN_SIBILANT_END.test(stem))) return F.noun | F.plural;
    return -1;
  }
  if (pos === 'adj') {
    if (possessive) return -1;
    if (suffix === tail) return F.base;
    if (tail === 'y') return suffix === 'ier' || suffix === 'iest' ? F.base : -1;
    return suffix === 'er' || suffix === 'est' ? F.base : -1;
  }
  return suffix === tail ? F.base : -1;
};

// --- Russian --------------------------------------------------------------------------------

/*
 * Russian members are stems (`уничтож*`): the analyzer reads the ending after the stem. Keys are
 * folded, so ё is е here. A verb with a stem alternation gets one member per stem (истреб* for
 * истребить, истребл* for истреблю / истребление); forms with no regular stem (бей, сожгу, стёр)
 * are listed in `forms`. Aspect is not visible in the ending: a perfective present form is the
 * future (уничтожим "we will destroy"), an imperfective one the present (уничтожаем), so both
 * get `pres` and `fut`; frames read the person (`p1`) and the mood, not the tense, for threats.
 * The reflexive -ся/-сь is read past and keeps the features (плодятся, уничтожаться), except
 * the 1st person: a reflexive violent verb is mostly about oneself (застрелюсь, повешусь), so
 * the few that threaten others (расправимся, избавимся) list that form.
 */
const RU_V = '[аеиоуыэюя]';
const RU_REFLEXIVE = /(?:ся|сь)$/u;
const RU_INF = new RegExp(`^${RU_V}?(?:ть|ти|чь)$`, 'u');
const RU_PAST = new RegExp(`^${RU_V}?л(?:а|о|и)?$`, 'u');
const RU_IMP = new RegExp(`^${RU_V}?(?:й|йте|ь|ьте|и|ите)$`, 'u');
/** 1st person singular and plural: уничтожу, уничтожим, уничтожаю, уничтожаем, убьём. */
const RU_FINITE_P1 = new RegExp(`^${RU_V}?(?:у|ю|ем|им)$`, 'u');
const RU_FINITE = new RegExp(`^${RU_V}?(?:ешь|ишь|ет|ит|ете|ите|ут|ют|ат|ят)$`, 'u');
const RU_ADJ_END = '(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ом|ем|ую|юю|ых|их|ыми|ими)';
/** Past passive participle, long or short: уничтоженный, уничтожены, расстрелян, убит, убитых. */
const RU_PASS_PAST = new RegExp(`^(?:[аяеи]?нн${RU_ADJ_END}|[аяеи]?н(?:а|о|ы)?|т(?:${RU_ADJ_END}|а|о|ы)?)$`, 'u');
/** Present passive participle (long forms only; the short ones are the 1st person plural). */
const RU_PASS_PRES = new RegExp(`^${RU_V}?(?:ем|им|ом)${RU_ADJ_END}$`, 'u');
const RU_ACTIVE_PRES = new RegExp(`^${RU_V}?(?:ющ|ящ|ущ|ащ)${RU_ADJ_END}$`, 'u');
const RU_ACTIVE_PAST = new RegExp(`^${RU_V}?в?ш${RU_ADJ_END}$`, 'u');
/** Gerunds: imperfective уничтожая (with the main verb's tense), perfective уничтожив (done). */
const RU_GERUND_IPF = new RegExp(`^${RU_V}?(?:я|а)$`, 'u');
const RU_GERUND_PF = new RegExp(`^${RU_V}?(?:в|вши|ши)$`, 'u');
/** Verbal nouns in -ние / -тие: уничтожение, истребления, избиением. */
const RU_VERBAL_NOUN = /^(?:[аяеи]?н|т)(?:ие|ия|ию|ием|ии|ий|иям|иями|иях|ье|ья|ью|ьем|ьи)$/u;
const RU_NOUN = /^(?:|а|я|о|у|ю|ом|ем|е|и|ы|ов|ев|ей|ам|ям|ами|ями|ах|ях|ой|ою|ею|ь|ью|ья|ьи|ье|ьем|ьев|ьям|ьями|ьях|ий|ие|ия|ию|ии|ием|иям|иями|иях|й)$/u;
// Neuter nominatives end in -о (воровство, быдло, дерьмо, село): the stem stops before it.
// Young of animals (крысята, крысёнок, бесята, зверята) are the dehumanizing classes' diminutives.
// Not the bare genitive -ят: бесят is 'they annoy'.
const RU_NOUN_YOUNG = /^(?:енок|енка|енку|енком|енке|ята|ятам|ятами|ятах|ата|атам|атами|атах)$/u;
const RU_NOUN_PLURAL = /^(?:и|ы|ов|ев|ей|ам|ям|ами|ями|ах|ях|ья|ьи|ьев|ьям|ьями|ьях|иям|иями|иях|й)$/u;
const RU_ADJ_LONG = new RegExp(`^${RU_ADJ_END}$`, 'u');
/** Short (predicative) adjectives: ленив, коварна, опасны. The neuter -о is left out: it is the adverb (лениво). */
const RU_ADJ_SHORT = /^(?:|а|ы|и)$/u;
const RU_ADVERB_OR_COMPARATIVE = /^(?:о|ее|ей)$/u;

function russianVerb(s: string): number {
  const refl = RU_REFLEXIVE.test(s) && s.length > 2;
  const e = refl ? s.slice(0, -2) : s;
  let f = 0;
  if (RU_INF.test(e)) f |= F.inf;
  if (RU_PAST.test(e)) f |= F.past;
  if (RU_IMP.test(e)) f |= F.imp;
  if (RU_FINITE_P1.test(e)) f |= F.pres | F.fut | (refl ? 0 : F.p1);
  if (RU_FINITE.test(e)) f |= F.pres | F.fut;
  if (!refl) {
    if (RU_PASS_PAST.test(e)) f |= F.part | F.pass;
    if (RU_PASS_PRES.test(e)) f |= F.part | F.pass | F.pres;
    if (RU_VERBAL_NOUN.test(e)) f |= F.noun;
  }
  if (RU_ACTIVE_PRES.test(e)) f |= F.pres;
  if (RU_ACTIVE_PAST.test(e)) f |= F.past;
  if (f === 0 && RU_GERUND_PF.test(e)) f |= F.past;
  if (f === 0 && RU_GERUND_IPF.test(e)) f |= F.prog;
  return f;
}

const russianAnalyzer: Analyzer = (pos, stem, tail, word) => {
  const s = word.slice(stem.length);
  if (pos === 'verb') {
    const f = russianVerb(s);
    if (f !== 0) return f;
    return s === tail ? F.base : -1;
  }
  if (pos === 'noun') {
    if (RU_NOUN_YOUNG.test(s)) return F.noun | (s.startsWith('ят') || s.startsWith('ат') ? F.plural : 0);
    if (!RU_NOUN.test(s)) return -1;
    return F.noun | (RU_NOUN_PLURAL.test(s) ? F.plural : 0);
  }
  if (pos === 'adj') {
    if (RU_ADJ_LONG.test(s)) return F.base;
    if (RU_ADJ_SHORT.test(s)) return F.base | F.cop;
    return RU_ADVERB_OR_COMPARATIVE.test(s) ? F.base : -1;
  }
  return s === tail ? F.base : -1;
};

// --- Armenian -------------------------------------------------------------------------------

/**
 * Eastern Armenian verbs. A member is written as its stem without the infinitive ending
 * (սպան* for սպանել, կոտոր* for կոտորել, ոչնչաց* for ոչնչացնել, վերա* for վերանալ), and a
 * word is the stem, an optional stem-forming consonant, an optional passive վ and an ending:
 *   - ն: the present stem of -նել and -(ա)ցնել verbs (ոչնչաց-ն-ել, մեռ-ն-են, վերա-ն-ան);
 *   - ր: the aorist stem of causatives (ոչնչաց-ր-եց, ոչնչաց-ր-ին, imperative ոչնչաց-ր-եք);
 *   - ց: the aorist stem of -անալ verbs (վերա-ց-ան, վերա-ց-ավ, հեռա-ց-եք);
 *   - վ: the passive (սպան-վ-ել, սպան-վ-եց-ին, սպան-վ-ած, ոչնչաց-վ-են).
 * Tense and mood: -ել (infinitive; also the perfect participle, "սպանել են" = they have
 * killed), -ելու (future participle: "սպանելու ենք" = we are going to kill), -ում (present),
 * -եմ -ես -ի -ենք -եք -են (subjunctive: wishes, "պետք է"/"պիտի" + subjunctive, "թող" +
 * subjunctive, hortative 1pl), -եի… (past subjunctive; with կ- the conditional), -իր -եք -ա
 * -ացեք -ու (imperative), -եցի… -ացի… -ավ -ան (aorist: narration), -ած/-ված (resultative
 * participle: narration or a passive state). The future prefix կ- and the negative չ- are
 * handled by compile (ARMENIAN_VERB_PREFIXES). The in-word marks ՛ ՜ ՞ are dropped by folding
 * (սպանե՛ք → սպանեք) before any of this runs.
 */
const HY_VERB_ENDINGS = new Map<string, number>();
const HY_AFTER_N = new Map<string, number>();
const HY_AFTER_R = new Map<string, number>();
const HY_AFTER_C = new Map<string, number>();

function hyEndings(into: Map<string, number>, features: number, ...endings: string[]): void {
  for (const e of endings) into.set(e, (into.get(e) ?? 0) | features);
}

{
  const P1 = (f: number): number => f | F.p1;
  for (const table of [HY_VERB_ENDINGS, HY_AFTER_N]) {
    hyEndings(table, F.inf, 'ել', 'ալ', 'ելը', 'ալը', 'ելն', 'ալն');
    hyEndings(table, F.inf | F.fut, 'ելու', 'ալու');
    // Converbs and the agent participle (սպանելով 'by killing', սպանող 'killer'): verb forms
    // that are neither a call nor narration; `prog`, never `base` (which phrases use).
    hyEndings(table, F.prog, 'ելով', 'ալով', 'ելիս', 'ալիս', 'ելուց', 'ալուց', 'ելուն', 'ալուն', 'ելիք', 'ալիք', 'ացող', 'ող', 'ողը', 'ողն', 'ողի',
      'ողին', 'ողներ', 'ողները', 'ողներն', 'ողների', 'ողներին', 'ողներից');
    hyEndings(table, F.pres, 'ում');
    hyEndings(table, F.subj, 'ես', 'ի', 'եք', 'են', 'աս', 'ա', 'աք', 'ան');
    hyEndings(table, P1(F.subj), 'եմ', 'ենք', 'ամ', 'անք');
    hyEndings(table, F.subj | F.cond, 'եիր', 'եր', 'եիք', 'եին', 'այիր', 'ար', 'այիք', 'ային');
    hyEndings(table, P1(F.subj | F.cond), 'եի', 'եինք', 'այի', 'այինք');
    hyEndings(table, F.imp, 'իր', 'եք', 'ա', 'եցեք', 'ացեք');
    // Classical orthography (Western Armenian and diaspora print) writes է in these endings:
    // սպաննեցէ՛ք, սպաննէք, կը սպաննէին.
    hyEndings(table, F.imp, 'եցէք', 'ացէք');
    hyEndings(table, F.imp | F.subj, 'էք');
    hyEndings(table, F.subj | F.cond, 'էիր', 'էր', 'էիք', 'էին');
    hyEndings(table, P1(F.subj | F.cond), 'էի', 'էինք');
  }
  // Only the stem itself, never the ն present stem, makes the aorist and the participles.
  hyEndings(HY_VERB_ENDINGS, F.part, 'ել');
  // The aorist has no p1: p1 marks the non-past first person (կսպանենք, սպանենք), which
  // frames read as a promise or a hortative; "we killed" is narration.
  hyEndings(HY_VERB_ENDINGS, F.past, 'եցի', 'եցիր', 'եց', 'եցինք', 'եցիք', 'եցին', 'ացի', 'ացիր', 'աց', 'ացինք', 'ացիք',
    'ացին', 'ավ', 'ար', 'աք', 'ան', 'ա', 'անք');
  hyEndings(HY_VERB_ENDINGS, F.part | F.past, 'ած', 'ածը', 'ածն', 'ածի', 'ածին', 'ածներ', 'ածները', 'ածներն', 'ածների',
    'ածներին', 'ացել', 'ացած', 'ացածը', 'ացածներ', 'ացածները');
  hyEndings(HY_AFTER_R, F.past, 'ի', 'ինք', 'իր', 'եց', 'իք', 'ին');
  hyEndings(HY_AFTER_R, F.part | F.past, 'ած', 'ածը', 'ածներ', 'ածները', 'ածների', 'ածներին', 'ել');
  hyEndings(HY_AFTER_R, F.imp, 'ու', 'եք');
  hyEndings(HY_AFTER_C, F.past, 'ա', 'անք', 'ար', 'ավ', 'աք', 'ան');
  hyEndings(HY_AFTER_C, F.part | F.past, 'ած', 'ածը', 'ածներ', 'ածները', 'ածների', 'ածներին', 'ել');
  hyEndings(HY_AFTER_C, F.imp, 'իր', 'եք');
  // Western Armenian causatives make the aorist and imperative with -ուց- (ոչնչացուցին,
  // ոչնչացուցէ՛ք) where Eastern has -ր- (ոչնչացրին, ոչնչացրեք).
  hyEndings(HY_VERB_ENDINGS, F.past, 'ուցին', 'ուցինք', 'ուց', 'ուցի');
  hyEndings(HY_VERB_ENDINGS, F.imp, 'ուցէք', 'ուցեք', 'ուր');
  hyEndings(HY_AFTER_C, F.prog, 'ող', 'ողներ', 'ողները', 'ողների', 'ողներին');
}

/** Case and article endings of nouns, after the stem or the plural -ներ/-եր. */
const HY_CASES = ['', 'ը', 'ն', 'ի', 'ին', 'ից', 'ով', 'ում', 'ս', 'դ', 'իս', 'իդ'];
const HY_NOUN_SINGULAR = new Set([...HY_CASES, 'ու', 'ուն', 'ուց', 'իով', 'իում']);
const HY_PLURAL_STEM = /(?:ներ|եր)$/u;
const HY_NOUN_PLURAL = new Set(['ներ', 'եր', 'իներ'].flatMap((pl) => HY_CASES.map((c) => pl + c)));
/**
 * Compounds of մարդ 'man' take its plural: -իկ in the nominative (կիսամարդիկ, ենթամարդիկ),
 * -կանց in the genitive/dative and its cases (կիսամարդկանց, ենթամարդկանցից).
 */
const HY_MARD_PLURAL = new Set(['իկ', 'իկը', 'իկն', 'կանց', 'կանցից', 'կանցով', 'կանցում']);

function armenianVerb(s: string): number {
  let rest = s;
  let table = HY_VERB_ENDINGS;
  let f = 0;
  const first = rest[0];
  if (first === 'ն' || first === 'ր' || first === 'ց') {
    const after = first === 'ն' ? HY_AFTER_N : first === 'ր' ? HY_AFTER_R : HY_AFTER_C;
    const direct = HY_VERB_ENDINGS.get(rest);
    if (direct === undefined && (after.has(rest.slice(1)) || rest[1] === 'վ')) { table = after; rest = rest.slice(1); }
  }
  if (rest[0] === 'վ' && rest.length > 1 && HY_VERB_ENDINGS.has(rest.slice(1))) {
    f |= F.pass;
    rest = rest.slice(1);
    table = HY_VERB_ENDINGS;
  }
  const e = table.get(rest);
  return e === undefined ? -1 : f | e;
}

/**
 * Abstract nouns in -ություն change their last syllable in the genitive/dative and instrumental
 * (ցեղասպանություն, ցեղասպանության, ցեղասպանությամբ; classical -ութիւն, -ութեան, -ութեամբ): a
 * member written up to the changing vowel (ցեղասպանությ*, ցեղասպանութ*) takes both, and the
 * rest of the word is read as usual after the nominative's ուն/իւն.
 */
const HY_ABSTRACT_OBLIQUE = new Set(['ան', 'անը', 'անն', 'ամբ']);
const HY_ABSTRACT_OBLIQUE_CLASSICAL = new Set(['եան', 'եանը', 'եանն', 'եամբ']);

function armenianAbstractRest(stem: string, s: string): string | null {
  if (stem.endsWith('ությ')) {
    // An oblique case form: read as the genitive ending -ի (a case form, never the bare `base`).
    if (HY_ABSTRACT_OBLIQUE.has(s)) return 'ի';
    return s.startsWith('ուն') ? s.slice(3) : null;
  }
  if (stem.endsWith('ութ')) {
    if (HY_ABSTRACT_OBLIQUE_CLASSICAL.has(s)) return 'ի';
    return s.startsWith('իւն') ? s.slice(3) : null;
  }
  return s;
}

const armenianAnalyzer: Analyzer = (pos, stem, tail, word) => {
  // The future prefix կ- and the negative չ- sit before the stem; compile.ts indexes those
  // spellings as members of their own and passes them here with the prefix in `stem`.
  let s = word.slice(stem.length);
  if (pos === 'noun') {
    const rest = armenianAbstractRest(stem, s);
    if (rest === null) return -1;
    s = rest;
  }
  // The bare stem is a form only of exact members (a phrase, an imperative such as թող);
  // frames ask verb slots for features, which a bare stem never has.
  if (pos === 'verb') return s === tail ? F.base : armenianVerb(s);
  if (pos === 'noun' || pos === 'adj') {
    const kind = pos === 'noun' ? F.noun : F.base;
    if (HY_NOUN_PLURAL.has(s)) return kind | F.plural;
    if (HY_MARD_PLURAL.has(s) && stem.endsWith('մարդ')) return kind | F.plural;
    // A member written as a plural stem (որդեր*, կենդանիներ*): its case forms are plurals.
    if (HY_CASES.includes(s) && stem.length >= 4 && HY_PLURAL_STEM.test(stem)) return kind | F.plural | (s === '' ? F.base : 0);
    // `base`: the bare form, as an attribute before another noun (մակաբույծ տարվանցիներ).
    if (s === '') return pos === 'noun' ? F.noun | F.base : F.base;
    if (HY_NOUN_SINGULAR.has(s)) return pos === 'noun' ? F.noun : F.base;
    return -1;
  }
  return s === tail ? F.base : -1;
};

const ANY_FORM: Analyzer = (pos, stem, tail, word) => (word.length === stem.length + tail.length ? F.base : F.base);

const ANALYZERS: Record<string, Analyzer> = {
  en: englishAnalyzer,
  ru: russianAnalyzer,
  tr: turkicAnalyzer(false),
  az: turkicAnalyzer(true),
  hy: armenianAnalyzer,
};

/** The analyzer of a language; languages without one accept every word that starts with the stem. */
export function analyzerFor(lang: string): Analyzer {
  return ANALYZERS[lang] ?? ANY_FORM;
}

/** Armenian verbs: prefixes that precede the stem as spellings of their own (կ- future, չ- negative). */
export const ARMENIAN_VERB_PREFIXES: ReadonlyArray<{ prefix: string; features: number }> = [
  { prefix: 'կ', features: F.fut },
  { prefix: 'չ', features: F.neg },
];
