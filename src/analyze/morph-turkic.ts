/** Turkish and Azerbaijani morphology for word classes (see morph.ts): suffix chains after a stem. */
import { F, type Analyzer } from './morph-features';

// --- Turkish and Azerbaijani -----------------------------------------------------------------

/**
 * Turkic words are a stem and a chain of suffixes. The analyzer parses the chain after a
 * member's stem with a small grammar (voice → negation → tense/mood → person/copula for verbs;
 * plural → possessive → case → copula for nouns) and rejects a word whose rest is no such chain:
 * a stem catches every word that starts with it (yak- "burn": yakın "near", yakıt "fuel";
 * kır- "break": kırmızı "red", kırk "forty"; sür- "drive out": sürü "herd", süre "duration"), and
 * the grammar is what tells them apart. Vowel harmony is not checked (every variant of a suffix
 * is accepted), so the grammar is a filter, not a full morphology. The suffix consonants ş ğ
 * also match s g, as a page typed without Turkic letters writes them (-mis, -acagi, -digi).
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
const TK_TAIL = new RegExp(`^(?:y?${V4}m|y?[aə]m|s${V4}n(?:${V4}z)?|s[aə]n|y?${V4}z|y?${V4}[qk]|l${V2}r|[dt]${V4}r|y?[dt]${V4}|y?m${V4}[şs]|y?s${V2}|y?k[ae]n|m|n|[qk]|n${V4}z){0,3}$`, 'u');
const TK_PAST_CLITIC = new RegExp(`(?:^|[^ıiuüaeə])[dt]${V4}(?!r)|m${V4}[şs]`, 'u');
const TK_P1_END = new RegExp(`(?:${V4}m|[aə]m|${V4}z|${V4}[qk]|^[qk]|[^ıiuüaeə][qk]|^m|[^ıiuüaeə]m)$`, 'u');
/** Plural, possessive, case (with -ki), copula: what a noun, an adjective used as a noun or a participle may carry. */
const TK_NOUN = new RegExp(
  `^(?<pl>l${V2}r)?`
  + `(?<poss>${V4}m${V4}z|${V4}n${V4}z|s?${V4}|${V4}m|${V4}n|m${V4}z|n${V4}z|m|n)?`
  + `(?<case>n?[dt]${V2}n?|n?${V4}n|y?l${V2}|n?${V2}|y?${V2}|n?${V4}|y?${V4}|c${V2})?`
  + `(?<ki>k${V4}(?:n?[dt]${V2}n?|n?${V4}|n?${V2}|n${V4}n|l${V2}r)?)?`
  + `(?<cop>(?:y?[dt]${V4}r|y?${V4}m|y?[aə]m|s${V4}n|s[aə]n|y?${V4}z|y?${V4}[qk]|s${V4}n${V4}z|y?[dt]${V4}|y?m${V4}[şs]|y?s${V2})(?:l${V2}r)?|l${V2}r[dt]${V4}r)?$`,
  'u',
);
/** Suffix patterns built once (vowel classes V2, V4 spliced in). */
const TK_PAST_START = new RegExp(`^[dt]${V4}`, 'u');
const TK_EVIDENTIAL = new RegExp(`^m${V4}[şs]`, 'u');
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
/** Colloquial future, person-final only (-cAz/-cAm 1pl/1sg, -cAk/-cAklAr 3rd): never a noun ending. */
const TK_COLLOQUIAL_FUT = new RegExp(`^(?:y?${V4})?c[ae](?:z|m|k|kl[ae]r|n|ks${V4}n(?:${V4}z)?)$`, 'u');

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
  if (/^(?:[kq]|[ğg](?=[aeəıi]))/u.test(s)) {
    const rest = s.slice(1);
    return /^(?:$|t[ae]n?|l[aeə]|s[ıi]z[ıi]n|d[aeə]n?|[aeəıi]n?)$/u.test(rest) ? F.inf : -1;
  }
  if (/^l[ıi]/u.test(s)) return TK_TAIL.test(s.slice(2)) ? F.oblig | (TK_P1_END.test(s.slice(2)) && s.length > 2 ? F.p1 : 0) : -1;
  if (s === '') return F.noun;
  // Negative finite and non-finite forms.
  if (TK_PAST_START.test(s)) {
    if (s[0] === 't') return -1; // after the vowel of -mA: -dI
    const rest = s.slice(2);
    if (/^[ğgky]/u.test(rest)) return TK_NOUN.test(rest.slice(1)) ? N | F.part | F.past : -1;
    return TK_TAIL.test(rest) ? N | F.past | (TK_P1_END.test(rest) && rest.length > 0 ? F.p1 : 0) : -1;
  }
  if (/^d[aeə]n$/u.test(s)) return 0; // -madan "without / before": no mood of its own
  if (TK_EVIDENTIAL.test(s)) return TK_TAIL.test(s.slice(3)) ? N | F.past | F.part : -1;
  if (/^y[aeə]c[aeə][kqğgy]/u.test(s)) { const f = futureChain(s.slice(5)); return f < 0 ? -1 : N | f; }
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
    // Evidential/perfect with person (az nifrət etmişəm, tr görmüşüz): first person as elsewhere.
    if (TK_TAIL.test(tail)) return F.past | F.part | (TK_P1_END.test(tail) && tail.length > 0 ? F.p1 : 0);
    return TK_NOUN.test(tail) ? F.past | F.part : -1;
  }
  if (az && (m = TK_AZ_NEG_PRESENT.exec(s))) {
    const tail = s.slice(3);
    return TK_TAIL.test(tail) ? F.neg | (TK_PAST_CLITIC.test(tail) ? F.past : F.pres) | (TK_P1_END.test(tail) && tail.length > 0 ? F.p1 : 0) : -1;
  }
  if (/^m[aeə]/u.test(s)) return afterMa(s.slice(2), az);
  // Future -(y)AcAk / -(y)AcAq.
  if (/^y?[aeə]c[aeə][kqğgy]/u.test(s)) return futureChain(s.slice(s.startsWith('y') ? 5 : 4));
  // Colloquial Turkish future as posts type it: the -A- dropped or raised and -Ak- swallowed
  // before the person ending (öldür-cez, gebert-cem, bul-u-caz, gel-i-cez, yap-ı-cak-lar).
  if (!az && TK_COLLOQUIAL_FUT.test(s)) return F.fut | (/[zm]$/u.test(s) ? F.p1 : 0);
  // Abilitative -(y)Abil- (tr): the chain goes on after "bil".
  if ((m = /^y?[ae]bil/u.exec(s))) {
    const f = verbChain(s.slice(m[0].length), az, 'l');
    return f < 0 || (f & F.imp) !== 0 ? -1 : f;
  }
  // Past -DI (finite) and the past participle -DIK/-DIğI/-DIyI.
  if (TK_PAST_START.test(s)) {
    if ((s[0] === 't') !== (!az && TK_VOICELESS.includes(prev))) return -1;
    const rest = s.slice(2);
    if (/^(?:[ğg]|k(?=[ıiuülaeə])|y(?=[ıiuü]))/u.test(rest)) return TK_NOUN.test(rest.slice(1)) ? F.part | F.past : -1;
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
    if (TK_TAIL.test(tail)) {
      // Aorist conditional -(A)rsA/-(I)rsA (görürsem, vurursak): a condition, first person in -sAm/-sAk.
      const cond = TK_COND_START.test(tail) ? F.cond | (/^s[aeə][mkq]$/u.test(tail) ? F.p1 : 0) : 0;
      return (TK_PAST_CLITIC.test(tail) ? F.past : F.pres) | (TK_P1_END.test(tail) && tail.length > 0 ? F.p1 : 0) | cond;
    }
  }
  // Conditional -sA.
  if (TK_COND.test(s)) {
    const tail = s.slice(s.startsWith('y') ? 3 : 2);
    if (TK_TAIL.test(tail)) return F.cond | ((TK_P1_END.test(tail) && tail.length > 0) || /^[mkq]$/u.test(tail) ? F.p1 : 0);
  }
  // Impossibility -(y)AmA- (tr "öldüremez", "yok edemedi"): a negative chain.
  if ((m = /^y?[ae]m[ae]/u.exec(s)) && !/^y?[ae]m[ae]$/u.test(s)) {
    // The chain after -(y)AmA- must itself be negative (-mAz, -dI, -yAcAk, -mAk): yıka-mak
    // (to wash) and yıka-malı are not "cannot demolish".
    const f = afterMa(s.slice(m[0].length), az);
    return f < 0 || (f & F.neg) === 0 && !/^(?:z|[dt]|y|m[ıiuü][şs]|s[aeə])/u.test(s.slice(m[0].length)) ? -1 : f | F.neg;
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
    if (name === 'cop' && afterVowel && /^(?:[dt][ıiuü](?!r)|m[ıiuü][şs]|s[aeə])/u.test(g)) return false;
    prev = g[g.length - 1]!;
  }
  return true;
}

export function turkicAnalyzer(az: boolean): Analyzer {
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
