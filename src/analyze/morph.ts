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
import { MORPH_FEATURES, type MorphFeature, type WordClassPos } from './types';

export const F: Record<MorphFeature, number> = Object.fromEntries(MORPH_FEATURES.map((f, i) => [f, 1 << i])) as Record<MorphFeature, number>;

export function featureMask(features: readonly MorphFeature[]): number {
  let mask = 0;
  for (const f of features) mask |= F[f];
  return mask;
}

export function featureNames(mask: number): MorphFeature[] {
  return MORPH_FEATURES.filter((f) => (mask & F[f]) !== 0);
}

/** Features of `word` as a form of a member (stem + tail); -1: not one of its forms. */
export type Analyzer = (pos: WordClassPos, stem: string, tail: string, word: string) => number;

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
const RU_NOUN = /^(?:|а|я|у|ю|ом|ем|е|и|ы|ов|ев|ей|ам|ям|ами|ями|ах|ях|ой|ою|ею|ь|ью|ья|ьи|ье|ьем|ьев|ьям|ьями|ьях|ий|ие|ия|ию|ии|ием|иям|иями|иях|й)$/u;
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

// --- Turkish and Azerbaijani -----------------------------------------------------------------

/**
 * Turkic words are a stem and a chain of suffixes. The analyzer parses the chain after a
 * member's stem with a small grammar (voice → negation → tense/mood → person/copula for verbs;
 * plural → possessive → case → copula for nouns) and rejects a word whose rest is no such chain:
 * a stem catches every word that starts with it (yak- "burn": yakın "near", yakıt "fuel";
 * kır- "break": kırmızı "red", kırk "forty"; sür- "drive out": sürü "herd", süre "duration"), and
 * the grammar is what tells them apart. Vowel harmony is not checked (every variant of a suffix
 * is accepted), so the grammar is a filter, not a full morphology.
 *
 * Positive forms that start like the negative -ma-/-me-/-mə- are read as positive: the
 * infinitive -mak/-maq (and az -mağa), the necessitative -malı/-məli, the verbal noun -ma with
 * its possessive and case endings (-ması, -maya, -mayı, -mamız: "öldürmemiz gerek"). Negative
 * are -madı, -mamış, -mayacak, -mayın, -masın, -mayalım/-mayaq, -mamalı, -maz, -mıyor/-mır,
 * -masa, -mayan, -mayıb.
 */
const V2 = '[aeə]';
const V4 = '[ıiuü]';
/** Person, copula and the tense clitics that may follow a finite form (-dı, -mış, -sa, -ken). */
const TK_TAIL = new RegExp(`^(?:y?${V4}m|y?[aə]m|s${V4}n(?:${V4}z)?|s[aə]n|y?${V4}z|y?${V4}[qk]|l${V2}r|[dt]${V4}r|y?[dt]${V4}|y?m${V4}ş|y?s${V2}|y?k[ae]n|m|n|[qk]|n${V4}z){0,3}$`, 'u');
const TK_PAST_CLITIC = new RegExp(`(?:^|[^ıiuüaeə])[dt]${V4}(?!r)|m${V4}ş`, 'u');
const TK_P1_END = new RegExp(`(?:${V4}m|[aə]m|${V4}z|${V4}[qk]|^[qk]|[^ıiuüaeə][qk]|^m|[^ıiuüaeə]m)$`, 'u');
/** Plural, possessive, case (with -ki), copula: what a noun, an adjective used as a noun or a participle may carry. */
const TK_NOUN = new RegExp(
  `^(?<pl>l${V2}r)?`
  + `(?<poss>${V4}m${V4}z|${V4}n${V4}z|s?${V4}|${V4}m|${V4}n|m${V4}z|n${V4}z|m|n)?`
  + `(?<case>n?[dt]${V2}n?|n?${V4}n|y?l${V2}|n?${V2}|y?${V2}|n?${V4}|y?${V4}|c${V2})?`
  + `(?<ki>k${V4}(?:n?[dt]${V2}n?|n?${V4}|n?${V2}|n${V4}n|l${V2}r)?)?`
  + `(?<cop>(?:y?[dt]${V4}r|y?${V4}m|y?[aə]m|s${V4}n|s[aə]n|y?${V4}z|y?${V4}[qk]|s${V4}n${V4}z|y?[dt]${V4}|y?m${V4}ş|y?s${V2})(?:l${V2}r)?|l${V2}r[dt]${V4}r)?$`,
  'u',
);
/** Suffix patterns built once (vowel classes V2, V4 spliced in). */
const TK_PAST_START = new RegExp(`^[dt]${V4}`, 'u');
const TK_EVIDENTIAL = new RegExp(`^m${V4}ş`, 'u');
const TK_NEG_IMP = new RegExp(`^y${V4}n(?:${V4}z)?$`, 'u');
const TK_JUSSIVE = new RegExp(`^s${V4}n(?:l${V2}r)?$`, 'u');
const TK_COND_START = new RegExp(`^s${V2}`, 'u');
const TK_NEG_CONVERB = new RegExp(`^y${V4}p$`, 'u');
const TK_NEG_PERFECT = new RegExp(`^y${V4}b`, 'u');
const TK_IMP_PLURAL = new RegExp(`^y?${V4}n(?:${V4}z)?$`, 'u');
const TK_PROGRESSIVE = new RegExp(`^(m${V4})?${V4}?yor`, 'u');
const TK_AZ_NEG_PRESENT = new RegExp(`^m${V4}r`, 'u');
const TK_CONVERB_IB = new RegExp(`^y?${V4}([bp])`, 'u');
const TK_CONVERB_INCA = new RegExp(`^y?${V4}nc${V2}$`, 'u');
const TK_COND = new RegExp(`^y?s${V2}`, 'u');
const TK_PASSIVE_IN = new RegExp(`^${V4}n`, 'u');
const TK_PASSIVE_IL = new RegExp(`^${V4}l`, 'u');

type Chain = (s: string, az: boolean, prev?: string) => number;

/** Finite future (-acak/-acaq + person) or the future participle (-acağı, -acakları). */
const futureChain = (s: string): number => {
  const tail = s;
  if (TK_TAIL.test(tail) && !/^[ıi](?![mzqk])/u.test(tail)) {
    if (TK_PAST_CLITIC.test(tail)) return F.past;
    return F.fut | (TK_P1_END.test(tail) && tail.length > 0 ? F.p1 : 0);
  }
  return TK_NOUN.test(tail) ? F.part : -1;
};

/** What follows the negative -ma-/-me-/-mə-; `pos` parses the positive forms that share the start. */
function afterMa(s: string, az: boolean): number {
  const N = F.neg;
  // Positive: infinitive, necessitative, verbal noun.
  if (/^(?:[kq]|ğ(?=[aeəıi]))/u.test(s)) {
    const rest = s.slice(1);
    return /^(?:$|t[ae]n?|l[aeə]|s[ıi]z[ıi]n|d[aeə]n?|[aeəıi]n?)$/u.test(rest) ? F.inf : -1;
  }
  if (/^l[ıi]/u.test(s)) return TK_TAIL.test(s.slice(2)) ? F.oblig | (TK_P1_END.test(s.slice(2)) && s.length > 2 ? F.p1 : 0) : -1;
  if (s === '') return F.noun;
  // Negative finite and non-finite forms.
  if (TK_PAST_START.test(s)) {
    if (s[0] === 't') return -1; // after the vowel of -mA: -dI
    const rest = s.slice(2);
    if (/^[ğky]/u.test(rest)) return TK_NOUN.test(rest.slice(1)) ? N | F.part | F.past : -1;
    return TK_TAIL.test(rest) ? N | F.past | (TK_P1_END.test(rest) && rest.length > 0 ? F.p1 : 0) : -1;
  }
  if (/^d[aeə]n$/u.test(s)) return 0; // -madan "without / before": no mood of its own
  if (TK_EVIDENTIAL.test(s)) return TK_TAIL.test(s.slice(3)) ? N | F.past | F.part : -1;
  if (/^y[aeə]c[aeə][kqğy]/u.test(s)) { const f = futureChain(s.slice(5)); return f < 0 ? -1 : N | f; }
  if (TK_NEG_IMP.test(s)) return N | F.imp;
  if (TK_JUSSIVE.test(s)) return N | F.juss;
  if (az ? /^y[aə][qk]$/u.test(s) : /^y[ae]l[ıi]m$/u.test(s)) return N | F.hort | F.p1;
  if (/^m[aeə]/u.test(s)) { const f = afterMa(s.slice(2), az); return f < 0 ? -1 : N | (f & ~F.neg); }
  if (/^z/u.test(s)) return TK_TAIL.test(s.slice(1)) ? N | F.pres | (TK_P1_END.test(s.slice(1)) && s.length > 1 ? F.p1 : 0) : -1;
  if (/^y[ıi]z$/u.test(s)) return N | F.pres | F.p1;
  if (TK_COND_START.test(s)) return TK_TAIL.test(s.slice(2)) ? N | F.cond : -1;
  if (/^y[aeə]n/u.test(s)) return TK_NOUN.test(s.slice(3)) ? N | F.part : -1;
  if (TK_NEG_CONVERB.test(s)) return N;
  // -mAyIncA(yA) "until not / unless": kalmayıncaya kadar.
  if (/^y[ıiuü]nc[aeə](?:y[aeə])?$/u.test(s)) return N | F.part;
  if (TK_NEG_PERFECT.test(s)) return TK_TAIL.test(s.slice(3)) ? N | F.past : -1;
  // The verbal noun -ma with possessive and case: "yok edilmesi", "öldürmeye", "öldürmemiz".
  return TK_NOUN.test(s) ? F.noun : -1;
}

/** The tense/mood part of a verb chain (after voice), positive or negative. */
const TK_VOWELS = 'aeəıiouöü';
const TK_VOICELESS = 'çfhkpsşt';

/**
 * The tense/mood part of a verb chain (after voice), positive or negative. `prev` is the letter
 * before it (the stem's or the passive's last): a suffix takes the buffer y only after a vowel and
 * never starts with a vowel after one (sür-yani is no form: Süryani is a word of its own), and
 * Turkish past -DI is -tI after a voiceless consonant (et-ti, kes-ti) and -dI elsewhere
 * (Azerbaijani keeps d: et-di).
 */
const verbChain = (s: string, az: boolean, prev: string): number => {
  if (s.length > 0) {
    const afterVowel = TK_VOWELS.includes(prev);
    if (s[0] === 'y' ? !afterVowel : afterVowel && TK_VOWELS.includes(s[0]!)) return -1;
  }
  return verbChainAfter(s, az, prev);
};

const verbChainAfter: Chain = (s, az, prev = '') => {
  let m: RegExpExecArray | null;
  if (s === '') return F.imp | F.base;
  // -(y)In/-(y)InIz: the 2nd person plural imperative is a call wherever it stands ("evlerini
  // ateşe verin ki…"); `plural` tells it from the bare stem, which frames want at a clause end.
  if (TK_IMP_PLURAL.test(s)) return F.imp | F.plural;
  if (TK_JUSSIVE.test(s)) return F.juss | (s.length > 3 ? F.plural : 0);
  if (az ? /^y?(?:[aə][qk]|[aə]l[ıi]m)$/u.test(s) : /^y?[ae](?:l[ıi]m|y[ıi]m)$/u.test(s)) return F.hort | F.p1;
  // Progressive -(I)yor (tr) and the negative -mIyor; az present negative -mIr.
  if ((m = TK_PROGRESSIVE.exec(s))) {
    const tail = s.slice(m[0].length);
    if (!TK_TAIL.test(tail)) return -1;
    const neg = m[1] ? F.neg : 0;
    return neg | F.prog | (TK_PAST_CLITIC.test(tail) ? F.past : F.pres) | (TK_P1_END.test(tail) && tail.length > 0 ? F.p1 : 0);
  }
  if (TK_EVIDENTIAL.test(s)) {
    const tail = s.slice(3);
    if (TK_TAIL.test(tail)) return F.past | F.part;
    return TK_NOUN.test(tail) ? F.past | F.part : -1;
  }
  if (az && (m = TK_AZ_NEG_PRESENT.exec(s))) {
    const tail = s.slice(3);
    return TK_TAIL.test(tail) ? F.neg | (TK_PAST_CLITIC.test(tail) ? F.past : F.pres) | (TK_P1_END.test(tail) && tail.length > 0 ? F.p1 : 0) : -1;
  }
  if (/^m[aeə]/u.test(s)) return afterMa(s.slice(2), az);
  // Future -(y)AcAk / -(y)AcAq.
  if (/^y?[aeə]c[aeə][kqğy]/u.test(s)) return futureChain(s.slice(s.startsWith('y') ? 5 : 4));
  // Abilitative -(y)Abil- (tr): the chain goes on after "bil".
  if ((m = /^y?[ae]bil/u.exec(s))) {
    const f = verbChain(s.slice(m[0].length), az, 'l');
    return f < 0 || (f & F.imp) !== 0 ? -1 : f;
  }
  // Past -DI (finite) and the past participle -DIK/-DIğI/-DIyI.
  if (TK_PAST_START.test(s)) {
    if ((s[0] === 't') !== (!az && TK_VOICELESS.includes(prev))) return -1;
    const rest = s.slice(2);
    if (/^(?:ğ|k(?=[ıiuülaeə])|y(?=[ıiuü]))/u.test(rest)) return TK_NOUN.test(rest.slice(1)) ? F.part | F.past : -1;
    if (az && /^[qk]d[aə]$/u.test(rest)) return F.part;
    return TK_TAIL.test(rest) ? F.past | (TK_P1_END.test(rest) && rest.length > 0 ? F.p1 : 0) : -1;
  }
  // az perfect / converb -(y)Ib, tr converb -(y)Ip.
  if ((m = TK_CONVERB_IB.exec(s))) {
    const tail = s.slice(m[0].length);
    if (m[1] === 'p') return tail === '' ? F.part : -1;
    return TK_TAIL.test(tail) ? F.past | F.part : -1;
  }
  // Converbs -(y)ArAk, -(y)IncA, az -(y)AndA.
  if (/^y?[aeə]r[aeə]k$/u.test(s)) return F.part;
  if (TK_CONVERB_INCA.test(s)) return 0;
  if (az && /^y?[aə]nd[aə]$/u.test(s)) return F.part;
  // Participle -(y)An with noun endings ("yakan kahramanlar", "öldürenler").
  if (/^y?[aeə]n/u.test(s)) {
    const rest = s.slice(s.startsWith('y') ? 3 : 2);
    if (TK_NOUN.test(rest)) return F.part;
  }
  // Aorist / az present -(A)r, -(I)r, -yIr.
  if ((m = /^(?:[aeəıiuü]|y[ıiuü])?r/u.exec(s))) {
    const tail = s.slice(m[0].length);
    if (TK_TAIL.test(tail)) return (TK_PAST_CLITIC.test(tail) ? F.past : F.pres) | (TK_P1_END.test(tail) && tail.length > 0 ? F.p1 : 0);
  }
  // Conditional -sA.
  if (TK_COND.test(s)) {
    const tail = s.slice(s.startsWith('y') ? 3 : 2);
    if (TK_TAIL.test(tail)) return F.cond | (TK_P1_END.test(tail) && tail.length > 0 ? F.p1 : 0);
  }
  // Impossibility -(y)AmA- (tr "öldüremez", "yok edemedi"): a negative chain.
  if ((m = /^y?[ae]m[ae]/u.exec(s)) && !/^y?[ae]m[ae]$/u.test(s)) {
    // The chain after -(y)AmA- must itself be negative (-mAz, -dI, -yAcAk, -mAk): yıka-mak
    // (to wash) and yıka-malı are not "cannot demolish".
    const f = afterMa(s.slice(m[0].length), az);
    return f < 0 || (f & F.neg) === 0 && !/^(?:z|[dt]|y|m[ıiuü]ş|s[aeə])/u.test(s.slice(m[0].length)) ? -1 : f | F.neg;
  }
  return -1;
};

/** The passive suffix: -Il after a consonant, -In after l, -n after a vowel. */
function passiveLength(stem: string, s: string): number {
  const last = stem[stem.length - 1] ?? '';
  if ('aeəıiouöü'.includes(last)) return s.startsWith('n') ? 1 : 0;
  if (last === 'l') return TK_PASSIVE_IN.test(s) ? 2 : 0;
  return TK_PASSIVE_IL.test(s) ? 2 : 0;
}

function turkicVerb(stem: string, s: string, az: boolean): number {
  const direct = verbChain(s, az, stem[stem.length - 1] ?? '');
  const p = passiveLength(stem, s);
  if (p > 0) {
    const rest = s.slice(p);
    // A bare passive stem ("asıl", "yakın") is no finished form: these are other words.
    const f = rest === '' ? -1 : verbChain(rest, az, s[p - 1]!);
    if (f >= 0 && (f & F.imp) === 0) return f | F.pass;
    if (f >= 0 && (f & F.imp) !== 0 && rest !== '') {
      // Passive + -sın: jussive of the passive ("yakılsın"); a passive imperative is rare.
      return (f & ~(F.imp | F.base)) | F.pass;
    }
  }
  return direct;
}

/**
 * The noun suffixes in order, checked at each boundary like the verb chain: the buffer y (and s
 * of the possessive) only after a vowel, no vowel-initial suffix after a vowel, the pronominal n
 * only after a vowel, Turkish -tA/-tAn/-tIr/-tI only after a voiceless consonant (Azerbaijani
 * keeps d), and no Azerbaijani -am (1sg copula) in Turkish: dev-am, dev-le-ti, yara-tır are other
 * words (devam, devleti, yaratır).
 */
function nounBoundariesHold(stem: string, groups: Record<string, string | undefined>, az: boolean): boolean {
  let prev = stem[stem.length - 1] ?? '';
  for (const name of ['pl', 'poss', 'case', 'ki', 'cop'] as const) {
    const g = groups[name];
    if (!g) continue;
    const c = g[0]!;
    const afterVowel = TK_VOWELS.includes(prev);
    if ((c === 'y' || (c === 's' && name === 'poss') || (c === 'n' && name !== 'poss')) && !afterVowel) return false;
    if (TK_VOWELS.includes(c) && afterVowel) return false;
    if ((c === 't') !== (!az && TK_VOICELESS.includes(prev)) && (c === 't' || c === 'd')) return false;
    if (!az && name === 'cop' && /^y?[aə]m/u.test(g)) return false;
    // The past, evidential and conditional copula take y after a vowel (haşere-ydi, not haşere-di).
    if (name === 'cop' && afterVowel && /^(?:[dt][ıiuü](?!r)|m[ıiuü]ş|s[aeə])/u.test(g)) return false;
    prev = g[g.length - 1]!;
  }
  return true;
}

function turkicAnalyzer(az: boolean): Analyzer {
  return (pos, stem, tail, word) => {
    let s = word.slice(stem.length);
    // A proper name's suffixes follow an apostrophe (Merenitler'i): read past it. An apostrophe
    // further on ends a proper name that only starts like the member (Bitlis'in is no bitli-).
    const apostrophe = s.indexOf("'");
    if (apostrophe > 0 && pos !== 'other') return -1;
    if (apostrophe >= 0) s = s.slice(0, apostrophe) + s.slice(apostrophe + 1);
    if (pos === 'verb') return turkicVerb(stem, s, az);
    if (pos === 'other') return F.base;
    const m = TK_NOUN.exec(s);
    if (!m) return -1;
    const g = m.groups ?? {};
    if (!nounBoundariesHold(stem, g, az)) return -1;
    let f = pos === 'noun' ? F.noun : F.base;
    if (g.pl) f |= F.plural;
    if (g.cop) f |= F.cop;
    // Nominative (no possessive, case or -ki): the form a predicate noun takes.
    if (!g.poss && !g.case && !g.ki) f |= F.base;
    return f;
  };
}

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
