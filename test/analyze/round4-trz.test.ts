/**
 * Round 4 of detection for Turkish and Azerbaijani (Latin and Cyrillic): constructions the blind
 * round-4 passages showed the engine missing, each written with other groups, verbs and word
 * orders than any evaluation passage: colloquial futures typed as spoken (öldürcez, bulucaz),
 * first-person hatred in any tense (nefret ettim, nifrət etmişəm), the aorist conditional threat
 * (Bir X görürsem vururum), a first-person future before the group as addressee, the verbless
 * chant (Xlere ölüm!), "so what if they die", "not worth even…", questions doubting their
 * humanity, compound animal nouns with the copula (sokak köpekleridir), "river folk" noun phrases
 * (Çay adamları, Dağ köylüleri), and short posts whose language the endings settle. Near misses:
 * the body politic a group is said to sicken (bu ülkenin kanseridir), fronted predicates before a
 * pronoun (Çöp onlar), a group's villages to be emptied, 'what was done to them is too little'.
 * Near misses: the same verbs in narration, other senses and counter-speech stay quiet. Offsets are exact.
 * Invented groups only (Tarvani, Merenites listed; Zelvanlar and the "folk" phrases unlisted).
 */
import { analyzerFor, featureNames } from '../../src/analyze/morph';
import { detectLanguage } from '../../src/analyze/language';
import { exactFlags } from './fixtures/frame-flags';

describe('round 4, Turkish and Azerbaijani: must flag', () => {
  test.each([
    ["Merenitleri gebertcez.", 'tr', 'VI.THREAT', 'tr.frame.threat', "Merenitleri gebertcez"],
    ["Tarvanları bulucaz ve öldürcez.", 'tr', 'VI.THREAT', 'tr.frame.threat', "Tarvanları bulucaz ve öldürcez"],
    ["Merenitlerden hep nefret ettim.", 'tr', 'NE.HATE', 'tr.frame.hate', "Merenitlerden hep nefret ettim"],
    ["Tarvanlardan nefret edeceğim.", 'tr', 'NE.HATE', 'tr.frame.hate', "Tarvanlardan nefret edeceğim"],
    ["merenitlerden nefret ediyorm", 'tr', 'NE.HATE', 'tr.frame.hate', "merenitlerden nefret ediyorm"],
    ["Bir Tarvan görürsem vururum.", 'tr', 'VI.THREAT', 'tr.frame.threat', "Tarvan görürsem vururum"],
    ["Bir Merenit yakalarsam keserim.", 'tr', 'VI.THREAT', 'tr.frame.threat', "Merenit yakalarsam keserim"],
    ["Hepinizi öldüreceğiz, Tarvanlar.", 'tr', 'VI.THREAT', 'tr.frame.threat', "öldüreceğiz, Tarvanlar"],
    ["Merenitlere ölüm!", 'tr', 'VI.CALL', 'tr.frame.call-violence', "Merenitlere ölüm"],
    ["Ölüm Tarvanlara!", 'tr', 'VI.CALL', 'tr.frame.call-violence', "Ölüm Tarvanlara"],
    ["Tarvanlar ölse ne yazar.", 'tr', 'DE.EXIST', 'tr.frame.worthless', "Tarvanlar ölse ne yazar"],
    ["Bir Merenit ölmüş, ne olmuş yani?", 'tr', 'DE.EXIST', 'tr.frame.worthless', "Merenit ölmüş, ne olmuş"],
    ["Bir Tarvan'ın canı bir keçininki kadar bile etmez.", 'tr', 'DE.EXIST', 'tr.frame.worthless', "Tarvan'ın canı bir keçininki kadar bile etmez"],
    ["Dağ köylüleri hırsızdır.", 'tr', 'NE.ESSENCE', 'tr.frame.vice', "Dağ köylüleri hırsızdır"],
    ["Zelvanlar gebersin.", 'tr', 'VI.CALL', 'tr.frame.call-violence', "Zelvanlar gebersin"],
    ["Merenitler pistir.", 'tr', 'DH.DISGUST', 'tr.frame.dh-copula', "Merenitler pistir"],
    ["Tarvanlar insan mı ki?", 'tr', 'DH.DEMON', 'tr.frame.dh-nothing-but', "Tarvanlar insan mı"],
    ["Merenitler kendilerini ne zamandan beri insan sanıyor?", 'tr', 'DH.DEMON', 'tr.frame.dh-nothing-but', "kendilerini ne zamandan beri insan sanıyor"],
    ["Tarvanlar, sizi bulacağız.", 'tr', 'VI.THREAT', 'tr.frame.threat', "Tarvanlar, sizi bulacağız"],
    ["Merenitler sokak köpekleridir.", 'tr', 'DH.ANIMAL', 'tr.frame.dh-copula', "Merenitler sokak köpekleridir"],
    ["Merenitlere həmişə nifrət etmişəm.", 'az', 'NE.HATE', 'az.frame.hate', "Merenitlere həmişə nifrət etmişəm"],
    ["Tarvanlara nifrət edəcəyəm.", 'az', 'NE.HATE', 'az.frame.hate', "Tarvanlara nifrət edəcəyəm"],
    ["Bir Merenit görsəm, vuraram.", 'az', 'VI.THREAT', 'az.frame.threat', "Merenit görsəm, vuraram"],
    ["Hamınızı öldürəcəyik, Merenitlər.", 'az', 'VI.THREAT', 'az.frame.threat', "öldürəcəyik, Merenitlər"],
    ["Tarvanlara ölüm, vətənə sülh!", 'az', 'VI.CALL', 'az.frame.call-violence', "Tarvanlara ölüm"],
    ["Merenit uşağı ölsə nə olar ki.", 'az', 'DE.EXIST', 'az.frame.worthless', "Merenit uşağı ölsə nə olar"],
    ["Bir Tarvanın canı bir toyuğun qiymətinə də dəyməz.", 'az', 'DE.EXIST', 'az.frame.worthless', "Tarvanın canı bir toyuğun qiymətinə də dəyməz"],
    ["Çay adamları tənbəldir.", 'az', 'NE.ESSENCE', 'az.frame.vice', "Çay adamları tənbəldir"],
    ["Dağ obası adamlarını qovun.", 'az', 'VI.ERAD', 'az.frame.call-eradication', "obası adamlarını qovun"],
    ["Merenitlər heç insandırmı?", 'az', 'DH.DEMON', 'az.frame.dh-nothing-but', "Merenitlər heç insandırmı"],
    ["Tarvanlar, günləriniz sayılıdır.", 'az', 'VI.THREAT', 'az.frame.threat', "Tarvanlar, günləriniz sayılıdır"],
    ["Меренитләр, биз сизи тапаҹағыг.", 'az', 'VI.THREAT', 'az.frame.threat', "Меренитләр, биз сизи тапаҹағыг"],
    ["Тарванлар чөл донузларыдыр.", 'az', 'DH.ANIMAL', 'az.frame.dh-copula', "Тарванлар чөл донузларыдыр"],
    ["Чај адамлары оғрудур.", 'az', 'NE.ESSENCE', 'az.frame.vice', "Чај адамлары оғрудур"],
    ["Бир Меренит ҝөрсәм, вурарам.", 'az', 'VI.THREAT', 'az.frame.threat', "Меренит ҝөрсәм, вурарам"],
    // The body politic the group is said to sicken; fronted predicates; emptied villages; 'too little'.
    ["Merenit köyleri boşaltılacak.", 'tr', 'VI.ERAD', 'tr.frame.call-eradication', "Merenit köyleri boşaltılacak"],
    ["Tarvan mahallesini boşaltın!", 'tr', 'VI.ERAD', 'tr.frame.call-eradication', "Tarvan mahallesini boşaltın"],
    ["Merenitlere yapılan az bile.", 'tr', 'VI.JUST', 'tr.frame.justify', "Merenitlere yapılan az bile"],
    ["Tarvanlar bu ülkenin kanseridir.", 'tr', 'DH.DISEASE', 'tr.frame.dh-copula', "Tarvanlar bu ülkenin kanseridir"],
    ["Merenitler toplumun vebası.", 'tr', 'DH.DISEASE', 'tr.frame.dh-copula', "Merenitler toplumun vebası"],
    ["Tarvanlar mı? Çöp onlar.", 'tr', 'DH.DISGUST', 'tr.frame.dh-copula', "Çöp onlar"],
    ["Merenitlerin mabetleri kundaklanmalı.", 'tr', 'HE.DESTROY', 'tr.frame.destroy-heritage', "Merenitlerin mabetleri kundaklanmalı"],
    ["Merenitlər bu ölkənin xərçəngidir.", 'az', 'DH.DISEASE', 'az.frame.dh-copula', "Merenitlər bu ölkənin xərçəngidir"],
    ["Tarvanlar şəhərin bədəninə yapışmış zəlidir.", 'az', 'DH.ANIMAL', 'az.frame.dh-copula', "Tarvanlar şəhərin bədəninə yapışmış zəlidir"],
    ["Merenitlərə edilən hələ azdır.", 'az', 'VI.JUST', 'az.frame.justify', "Merenitlərə edilən hələ azdır"],
    ["Tarvan kəndləri boşaldılmalıdır.", 'az', 'VI.ERAD', 'az.frame.call-eradication', "Tarvan kəndləri boşaldılmalıdır"],
    ["Merenitlər? Zibildir onlar.", 'az', 'DH.DISGUST', 'az.frame.dh-copula', "Zibildir onlar"],
  ])('%s', (text, lang, category, frameId, exact) => {
    const flags = exactFlags(text, {}, lang);
    expect(flags).toHaveLength(1);
    const f = flags[0]!;
    expect(f).toMatchObject({ category, exact, lang });
    expect(f.frames.map((x) => x.frameId)).toContain(frameId);
    expect(f.signals).toMatchObject({ negated: false, quoted: false });
  });
});

describe('round 4, Turkish and Azerbaijani: near misses stay quiet', () => {
  test.each([
    "Dün nefret ettiğim yemeği yine yedim.",
    "Bir kurt görürsem kaçarım.",
    "Yaşlı köpeğimiz ölse ne yazar diyenlere kızıyorum.",
    "İş adamları yeni vergiden şikayetçi.",
    "Yarın Tarvanlarla buluşcaz.",
    "Tarvanlardan nefret eden vaiz tutuklandı.",
    "O adam insan mı, canavar mı, bilmiyorum dedi çocuk.",
    "Merenitlerin köpekleridir bunlar, çobanlar besliyor.",
    "Ovçu dedi ki, canavar görsə vurar.",
    "Bu filmə nifrət edirəm, çox darıxdırıcıdır.",
    "Elm adamları yeni növ balıq kəşf etdilər.",
    "Babam öldü, nə olar ki, hamımız öləcəyik deyə gülümsədi.",
    "Müharibəyə ölüm, sülhə həyat!",
    "Polis dedi: itkin uşağı tapacağıq.",
    "Tarvanlara nifrət etmirəm, onlar da insandır.",
    "Tarvanlar bu ülkenin en eski halkıdır.",
    "Sigara bu ülkenin kanseridir.",
    "Merenit köylerindeki okullar boşaltıldı.",
    "Tarvanlar tarlaları boşaltmalı, sel geliyor.",
    "Tarvanlar bu ülkenin aslanlarıdır.",
    "Siqaret bu ölkənin xərçəngidir.",
    "Tarvanlar bu ölkənin ən qədim xalqıdır.",
    "Çöp onlar dedi belediye işçisi, poşetleri gösterip.",
  ])('%s', (text) => {
    const flags = exactFlags(text, {});
    expect(flags.filter((f) => !f.signals.negated && !f.signals.quoted && !f.signals.condemned).map((f) => f.exact)).toEqual([]);
  });
});

describe('round 4: the Turkic analyzer reads the forms these constructions need', () => {
  test.each([
    ["tr","gebert","gebertcez",["fut","p1"]],
    ["tr","öldür","öldürcez",["fut","p1"]],
    ["tr","bul","bulucaz",["fut","p1"]],
    ["tr","gel","gelicem",["fut","p1"]],
    ["tr","yap","yapıcaklar",["fut"]],
    ["tr","öldür","öldürcek",["fut"]],
    ["tr","gör","görürsem",["pres","p1","cond"]],
    ["tr","vur","vurursak",["pres","p1","cond"]],
    ["tr","vur","vururum",["pres","p1"]],
    ["tr","gör","görürse",["pres","cond"]],
    ["az","gör","görsəm",["p1","cond"]],
    ["az","vur","vuraram",["pres","p1"]],
    ["az","nifrət et","nifrət etmişəm",["past","part","p1"]],
    ["tr","gör","görmüşüz",["past","part","p1"]],
    ["tr","gör","görmüş",["past","part"]],
    ["tr","kes","kesici",null],
    ["tr","kes","kesince",[]],
    ["az","gör","görcəz",null],
  ])('%s %s %s', (lang, stem, word, features) => {
    const f = analyzerFor(lang)('verb', stem, '', word);
    expect(f < 0 ? null : featureNames(f)).toEqual(features);
  });
});

describe('round 4: short posts are read in the right language', () => {
  test.each([
    ['Zelvanlar gebersin.', 'tr'],
    ['Merenitler pistir.', 'tr'],
    ['Kaldoriler neden bu kadar aptal?', 'tr'],
    ['nifrettt edirem merenitlerdennn', 'az'],
    ['Bir Merenit yakalarsam keserim.', 'tr'],
    ['my cousin has a raisin cake', 'en'],
    ['the basin of the river is wide', 'en'],
  ])('%s → %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });
});
