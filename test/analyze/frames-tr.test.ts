/**
 * Turkish frames, word classes and the Turkic analyzer of the starter lexicon: calls, threats and
 * dehumanizing predications are found in their Turkish grammar (suffix moods, SOV order, the
 * copula on the noun), narration and other senses are not, counter-speech carries a signal,
 * every flag says which frame matched and which words filled its slots, and all offsets are
 * exact. Invented groups only (Tarvani, Merenites; "Zelvanlar" is unlisted).
 */
import { analyzerFor, featureNames } from '../../src/analyze/morph';
import type { AnalysisFlag } from '../../src/analyze';
import { exactFlags, slotWords } from './fixtures/frame-flags';

const flagsOf = (text: string): AnalysisFlag[] => exactFlags(text, { lang: 'tr' });

function one(text: string): AnalysisFlag {
  const flags = flagsOf(text);
  expect(flags.map((f) => f.exact)).toHaveLength(1);
  return flags[0]!;
}

const slotsOf = slotWords;

describe('Turkish frames: what must be flagged', () => {
  test.each([
    ['Merenitler haşeredir.', 'DH.ANIMAL', 'tr.frame.dh-copula', 'Merenitler haşeredir'],
    ['Tarvanlar pis sıçanlar.', 'DH.ANIMAL', 'tr.frame.dh-copula', 'Tarvanlar pis sıçanlar'],
    ['Merenitler kanser gibi yayılıyor.', 'DH.DISEASE', 'tr.frame.dh-copula', 'Merenitler kanser gibi'],
    ['Tarvanlar mikroptan başka bir şey değildir.', 'DH.DISEASE', 'tr.frame.dh-nothing-but', 'Tarvanlar mikroptan başka bir şey değildir'],
    ['Merenitler insan değil, sürüngen.', 'DH.ANIMAL', 'tr.frame.dh-nothing-but', 'Merenitler insan değil, sürüngen'],
    ['Bir Merenit’in hayatı beş para etmez.', 'DE.EXIST', 'tr.frame.worthless', 'Merenit’in hayatı beş para etmez'],
    ['Tarvanlardan tiksiniyorum.', 'NE.HATE', 'tr.frame.hate', 'Tarvanlardan tiksiniyorum'],
    ['Merenitler neden bu kadar tembel?', 'NE.ESSENCE', 'tr.frame.vice', 'Merenitler neden bu kadar tembel'],
    ['Tarvanlar hep yalan söyler.', 'NE.ESSENCE', 'tr.frame.vice', 'Tarvanlar hep yalan söyler'],
    ['Merenitleri sokakta görürseniz dövün!', 'VI.CALL', 'tr.frame.call-violence', 'Merenitleri sokakta görürseniz dövün'],
    ['Merenitlerin evlerini yakalım!', 'VI.CALL', 'tr.frame.call-violence', 'Merenitlerin evlerini yakalım'],
    ['Tarvanların hepsi kurşuna dizilmeli.', 'VI.ERAD', 'tr.frame.call-eradication', 'Tarvanların hepsi kurşuna dizilmeli'],
    ['Merenitleri bu topraklardan kovmalıyız.', 'VI.ERAD', 'tr.frame.call-eradication', 'Merenitleri bu topraklardan kovmalıyız'],
    ['Tarvanlar yeryüzünden silinsin.', 'VI.ERAD', 'tr.frame.erad-idiom', 'Tarvanlar yeryüzünden silinsin'],
    ['Merenitlerden tek bir kişi bile sağ kalmamalı.', 'VI.ERAD', 'tr.frame.none-left', 'Merenitlerden tek bir kişi bile sağ kalmamalı'],
    ['Tarvanların hepsini öldüreceğiz.', 'VI.THREAT', 'tr.frame.threat', 'Tarvanların hepsini öldüreceğiz'],
    ['Merenitler bizi yok edecek.', 'TH.MIRROR', 'tr.frame.mirror', 'Merenitler bizi yok edecek'],
    ['Tarvan köylerini yakan kahramanlarımıza selam olsun!', 'VI.GLOR', 'tr.frame.glorify', 'Tarvan köylerini yakan kahramanlarımıza'],
    ['Merenitler o sürgünü hak etmişti.', 'VI.JUST', 'tr.frame.justify', 'Merenitler o sürgünü hak etmişti'],
    ['Tarvan katliamı diye bir şey olmadı.', 'DE.ATROC', 'tr.frame.deny-atrocity', 'Tarvan katliamı diye bir şey olmadı'],
    ['Merenit diye bir millet hiç var olmadı.', 'DE.EXIST', 'tr.frame.deny-existence', 'Merenit diye bir millet hiç var olmadı'],
    ['Tarvan kiliseleri aslında bizimdir.', 'HE.DENY', 'tr.frame.deny-heritage', 'Tarvan kiliseleri aslında bizimdir'],
    ['Merenitlerin mezarlarını yerle bir edelim!', 'HE.DESTROY', 'tr.frame.destroy-heritage', 'Merenitlerin mezarlarını yerle bir edelim'],
    ['Sorel Manastırı yıkılmalı.', 'HE.DESTROY', 'tr.frame.destroy-heritage', 'Sorel Manastırı yıkılmalı'],
    ['Her Tarvan sorumludur.', 'NE.COLLECT', 'tr.frame.collective-guilt', 'Her Tarvan sorumludur'],
    ['Merenitler medeni insanlar gibi yaşayamaz.', 'NE.ESSENCE', 'tr.frame.not-civilised', 'Merenitler medeni insanlar gibi yaşayamaz'],
    ['Tarvanlar defolsun bu topraklardan!', 'VI.ERAD', 'tr.frame.call-eradication', 'Tarvanlar defolsun bu topraklardan'],
  ])('%s', (text, category, frameId, exact) => {
    const f = one(text);
    expect(f).toMatchObject({ category, exact, lang: 'tr' });
    expect(f.frames.map((x) => x.frameId)).toContain(frameId);
    expect(f.signals).toMatchObject({ untargeted: false, negated: false });
    expect(f.targets.map((t) => t.groupId)).toEqual(expect.arrayContaining([expect.stringMatching(/^(tarvani|merenites)$/u)]));
  });

  test('a flag records the frame, its version and the words and features of each slot', () => {
    const f = one('Tarvanları yok etmek lazım.');
    const frame = f.frames.find((x) => x.frameId === 'tr.frame.call-eradication')!;
    expect(frame.frameVersion).toBe(3);
    expect(frame.slots.map((s) => [s.kind, s.exact])).toEqual([['group', 'Tarvanları'], ['class', 'yok etmek'], ['class', 'lazım']]);
    expect(frame.slots[1]).toMatchObject({ classId: 'eradication', features: ['inf'] });
    expect(f.targets).toEqual([expect.objectContaining({ groupId: 'tarvani', start: 0, end: 10, exact: 'Tarvanları' })]);
  });

  test('the copula is read off the noun, the simile off gibi', () => {
    expect(slotsOf(one('Merenitler haşeredir.'), 'tr.frame.dh-copula')).toEqual([['{group}', 'Merenitler'], ['{dh-*:base+cop}', 'haşeredir']]);
    expect(slotsOf(one('Merenitler kanser gibi yayılıyor.'), 'tr.frame.dh-copula')).toEqual([['{group}', 'Merenitler'], ['{dh-*}', 'kanser'], ['gibi', 'gibi']]);
  });

  test('"not a stone shall remain" of a listed site is heritage destruction, not a call to eradicate people', () => {
    const f = one('Sorel Manastırı yıkılsın, tek bir taşı bile kalmasın!');
    expect(f).toMatchObject({ category: 'HE.DESTROY', exact: 'Sorel Manastırı yıkılsın' });
    expect(f.frames.map((x) => x.frameId)).not.toContain('tr.frame.none-left');
  });

  test('the first-person future is a threat; the third-person active future is not', () => {
    expect(slotsOf(one('Tarvanları vuracağım.'), 'tr.frame.threat')).toEqual([['{group}', 'Tarvanları'], ['{violence|eradication:fut+p1}', 'vuracağım']]);
    expect(flagsOf('Tarvanlar yarın köyü ziyaret edecek.')).toEqual([]);
  });
});

describe('Turkish frames: any group', () => {
  test('a capitalised plural of an unlisted people is a demonym referent (untargeted)', () => {
    const f = one('Zelvanlar haşeredir.');
    expect(f.signals.untargeted).toBe(true);
    expect(f.referents).toEqual([{ kind: 'demonym', start: 0, end: 9, exact: 'Zelvanlar' }]);
  });

  test('a collective ("bu halk") stands for the group', () => {
    const f = one('Bu halk yok edilmeli.');
    expect(f.category).toBe('VI.ERAD');
    expect(f.referents.map((r) => [r.kind, r.exact])).toEqual([['collective', 'halk']]);
  });

  test('a pronoun takes its group from the previous sentence, never from the next', () => {
    const text = 'Zelvanlar yine geldi. Onları sürmeliyiz.';
    const f = one(text);
    expect(f).toMatchObject({ category: 'VI.ERAD', exact: 'Onları sürmeliyiz' });
    expect(f.referents).toEqual([{ kind: 'pronoun', start: 22, end: 28, exact: 'Onları', antecedent: { start: 0, end: 9, exact: 'Zelvanlar' } }]);
    expect(flagsOf('Onları sürmeliyiz. Zelvanlar yine geldi.')).toEqual([]);
  });
});

describe('Turkish frames: narration and other senses are not flagged', () => {
  test.each([
    // Past narration of violence (-DI, -mIş, the passive past) is not a call.
    '1847 yılında askerler binlerce Tarvan’ı sürgün etti.',
    'Merenit köyleri savaş sırasında yakıldı ve yağmalandı.',
    'Tarvanların liderleri şehir meydanında asılmıştı.',
    'Askerlere bütün Merenit köylerini yok etme emri verildi.',
    // A negated past is narration too.
    'Ordu Tarvanları öldürmedi.',
    // Animals, pests and diseases in their own sense.
    'Fareler Tarvan çiftçilerin tahılını yedi.',
    'Merenit çiftçileri ambarlardaki farelere zehir koyuyor.',
    'Merenitlerin köpekleri çok sadıktır.',
    '1348’de veba Tarvanların yaşadığı kenti vurdu.',
    // A bare noun before a verb is its object, not a predicate.
    'Tarvanlar dağlarda keçi besler.',
    // Stem traps the analyzer rejects or the frames exclude: yakın (near), asker, sürü.
    'Tarvanlara yakın bir köyde yaşıyoruz.',
    'Merenit askerleri sınırı korudu.',
    'Tarvan çobanları sürüyü dağa çıkardı.',
    // Neutral and positive mentions.
    'Merenitler yeni yılı ilkbaharda kutlar.',
    'Tarvanlarla barış içinde yaşamaktan gurur duyuyoruz.',
  ])('%s', (text) => {
    expect(flagsOf(text)).toEqual([]);
  });
});

describe('Turkish counter-speech carries a signal', () => {
  test('a negated predication is flagged as negated', () => {
    const f = one('Tarvanlar haşere değildir.');
    expect(f).toMatchObject({ category: 'DH.ANIMAL', exact: 'Tarvanlar haşere değildir' });
    expect(f.signals.negated).toBe(true);
  });

  test('a negative imperative is flagged as negated', () => {
    expect(one('Merenitleri öldürmeyin!').signals.negated).toBe(true);
  });

  test('a quoted call that the text condemns is quoted and condemned', () => {
    const f = one('Bakan, Merenitlerin yok edilmesi gerektiğini söyledi; bu sözleri kınıyoruz.');
    expect(f.category).toBe('VI.ERAD');
    expect(f.signals).toMatchObject({ quoted: true, condemned: true });
  });

  test('"the lie that they are vermin" is condemned', () => {
    const f = one('Tarvanların haşere olduğu yalanı pogromları meşrulaştırmak için uyduruldu.');
    expect(f.signals.condemned).toBe(true);
  });

  test('a vice verb ("yalan söyler") is not itself a condemnation', () => {
    expect(one('Tarvanlar hep yalan söyler.').signals.condemned).toBe(false);
  });
});

describe('the Turkic analyzer on Turkish word forms', () => {
  const tr = analyzerFor('tr');
  const verb = (stem: string, word: string): string[] | null => {
    const f = tr('verb', stem, '', word);
    return f < 0 ? null : featureNames(f);
  };
  const noun = (stem: string, word: string): string[] | null => {
    const f = tr('noun', stem, '', word);
    return f < 0 ? null : featureNames(f);
  };

  test.each([
    ['öldür', 'öldürün', ['imp', 'plural']],
    ['öldür', 'öldürsünler', ['juss', 'plural']],
    ['öldür', 'öldürelim', ['hort', 'p1']],
    ['öldür', 'öldürmeli', ['oblig']],
    ['öldür', 'öldürülmelidir', ['oblig', 'pass']],
    ['öldür', 'öldüreceğiz', ['fut', 'p1']],
    ['öldür', 'öldürülecek', ['fut', 'pass']],
    ['öldür', 'öldüreceği', ['part']],
    ['öldür', 'öldürecekti', ['past']],
    ['öldür', 'öldürdüler', ['past']],
    ['öldür', 'öldürmüştür', ['past', 'part']],
    ['öldür', 'öldürüyordu', ['past', 'prog']],
    ['öldür', 'öldürmek', ['inf']],
    ['öldür', 'öldürmeye', ['noun']],
    ['öldür', 'öldürmemiz', ['noun']],
    ['öldür', 'öldürmedi', ['past', 'neg']],
    ['öldür', 'öldürmeyecek', ['fut', 'neg']],
    ['öldür', 'öldürmeyin', ['imp', 'neg']],
    ['öldür', 'öldürmesin', ['juss', 'neg']],
    ['öldür', 'öldürmemeli', ['oblig', 'neg']],
    ['öldür', 'öldürmüyor', ['pres', 'prog', 'neg']],
    ['öldür', 'öldürebiliriz', ['pres', 'p1']],
    ['öldür', 'öldürerek', ['part']],
    ['ed', 'edilmeli', ['oblig', 'pass']],
    ['temizle', 'temizlenmeli', ['oblig', 'pass']],
    ['as', 'asılmalı', ['oblig', 'pass']],
    ['et', 'etti', ['past']],
    ['yık', 'yıkamaz', ['pres', 'neg']],
    ['temizle', 'temizleyin', ['imp', 'plural']],
  ] as const)('%s + %s', (stem, word, features) => {
    expect(verb(stem, word)).toEqual(features);
  });

  test.each([
    ['yak', 'yakıt'], ['yak', 'yakışıklı'], ['kır', 'kırmızı'], ['kır', 'kırk'], ['sür', 'sürü'], ['sür', 'süre'],
    ['sür', 'sürekli'], ['as', 'asker'], ['as', 'asla'], ['as', 'asıl'], ['öl', 'ölçü'], ['öl', 'öldürmek'], ['sil', 'silah'],
    ['döv', 'döviz'], ['boğ', 'boğaz'],
    // A consonant stem takes no buffer y (Süryani), a vowel stem no vowel-initial suffix;
    // -tI only after a voiceless consonant; -AmA- (cannot) only with a negative chain.
    ['sür', 'süryani'], ['temizle', 'temizlein'], ['et', 'etdi'], ['sür', 'sürtü'], ['kuru', 'kuruntular'],
    ['yık', 'yıkamak'], ['yık', 'yıkamalı'],
  ])('%s does not take %s', (stem, word) => {
    expect(verb(stem, word)).toBeNull();
  });

  test('nouns: the nominative with the copula is base + cop, a case ending is not base', () => {
    expect(noun('haşere', 'haşeredir')).toEqual(['base', 'noun', 'cop']);
    expect(noun('sıçan', 'sıçanlardır')).toEqual(['base', 'noun', 'plural', 'cop']);
    expect(noun('haşere', 'haşereden')).toEqual(['noun']);
    expect(noun('veba', 'vebal')).toBeNull();
    expect(noun('hayvan', 'hayvanat')).toBeNull();
  });

  test('nouns: suffix boundaries follow the buffer, the vowel and the voicing rules', () => {
    expect(noun('haşere', 'haşereydi')).toEqual(['base', 'noun', 'cop']);
    expect(noun('köpek', 'köpektir')).toEqual(['base', 'noun', 'cop']);
    expect(noun('köpek', 'köpekdir')).toBeNull();
    expect(noun('dev', 'devam')).toBeNull(); // devam (continuation), not an Azerbaijani 1sg copula
    expect(noun('dev', 'devleti')).toBeNull(); // devlet (state)
    expect(noun('yara', 'yaratır')).toBeNull(); // yaratmak (to create)
    expect(noun('sürü', 'sürüdü')).toBeNull();
    expect(noun('bitli', "bitlis'in")).toBeNull(); // a proper name that only starts like the member
  });

  test('a proper name’s suffixes after the apostrophe are read past it', () => {
    expect(verb('öldür', "öldür'ün")).toEqual(['imp', 'plural']);
    expect(noun('osmiran', "osmiran'lar")).toEqual(['base', 'noun', 'plural']);
  });
});

describe('Turkish round 2: whole families of phrasing', () => {
  test.each([
    // The 2pl imperative is a call wherever it stands, not only at the clause end.
    ['Tarvanların dükkânlarını ateşe verin ki bir daha gelmesinler.', 'VI.CALL', 'tr.frame.call-violence', 'Tarvanların dükkânlarını ateşe verin'],
    ['Merenitleri sokakta görünce dövün ki akıllansınlar.', 'VI.CALL', 'tr.frame.call-violence', 'Merenitleri sokakta görünce dövün'],
    // A curse in the jussive before the group.
    ['Kahrolsun Merenitler!', 'VI.CALL', 'tr.frame.call-violence', 'Kahrolsun Merenitler'],
    ['Gebersin Tarvanlar, hepsi!', 'VI.CALL', 'tr.frame.call-violence', 'Gebersin Tarvanlar'],
    // Beating said with a noun and a light verb, and duty idioms as modals.
    ['Merenitlere bir güzel dayak atmak lazım.', 'VI.CALL', 'tr.frame.call-violence', 'Merenitlere bir güzel dayak atmak lazım'],
    ['Tarvanlara sopa çekmek şart.', 'VI.CALL', 'tr.frame.call-violence', 'Tarvanlara sopa çekmek şart'],
    ['Tarvanları bu ülkeden temizlemek hepimizin boynunun borcudur.', 'VI.ERAD', 'tr.frame.call-eradication', 'Tarvanları bu ülkeden temizlemek hepimizin boynunun borcudur'],
    ['Merenitleri topraklarımızdan kovmak vatan borcudur.', 'VI.ERAD', 'tr.frame.call-eradication', 'Merenitleri topraklarımızdan kovmak vatan borcudur'],
    ['Bu şehirde tek bir Tarvan kalmayıncaya kadar çalışacağız.', 'VI.ERAD', 'tr.frame.none-left', 'tek bir Tarvan kalmayıncaya kadar'],
    // The object after the verb (an afterthought).
    ['Haritadan silin Merenitleri!', 'VI.ERAD', 'tr.frame.erad-idiom', 'Haritadan silin Merenitleri'],
    // Similes, 'in human guise', heaps and herds.
    ['Merenitler kurt sürüleri misali saldırıyor.', 'DH.ANIMAL', 'tr.frame.dh-copula', 'Merenitler kurt sürüleri misali'],
    ['Tarvanlar insan kılığına girmiş canavarlar.', 'DH.DEMON', 'tr.frame.dh-copula', 'Tarvanlar insan kılığına girmiş canavarlar'],
    ['Merenitler dediğin bir pislik yığını.', 'DH.DISGUST', 'tr.frame.dh-copula', 'Merenitler dediğin bir pislik yığını'],
    // A vice in the blood, genes or nature.
    ['Tembellik Tarvanların kanında var.', 'NE.ESSENCE', 'tr.frame.vice', 'Tembellik Tarvanların kanında var'],
    ['Merenitlerin doğasında ihanet var.', 'NE.ESSENCE', 'tr.frame.vice', 'Merenitlerin doğasında ihanet'],
    // Rhetorical questions.
    ['Merenitlerin hain olmadığını kim iddia edebilir?', 'NE.ESSENCE', 'tr.frame.vice', 'Merenitlerin hain olmadığını kim iddia edebilir'],
    ['Tarvanların bu şehre bir yararı olduğunu düşünen var mı?', 'NE.ESSENCE', 'tr.frame.vice', 'Tarvanların bu şehre bir yararı olduğunu düşünen var mı'],
    ['Tarvanlara güvenilmeyeceği ortada değil mi?', 'NE.ESSENCE', 'tr.frame.vice', 'Tarvanlara güvenilmeyeceği'],
    // Justification by idiom and by 'what was done to them'.
    ['Merenitler ne ektilerse onu biçtiler.', 'VI.JUST', 'tr.frame.justify', 'Merenitler ne ektilerse onu biçtiler'],
    ['Tarvanlara yapılanlar sertti ama yerindeydi.', 'VI.JUST', 'tr.frame.justify', 'Tarvanlara yapılanlar sertti ama yerindeydi'],
    ['Oh olsun Merenitlere!', 'VI.JUST', 'tr.frame.justify', 'Oh olsun Merenitlere'],
    ['Merenitleri köylerinden kovalayanlarla gurur duyuyorum.', 'VI.GLOR', 'tr.frame.glorify', 'Merenitleri köylerinden kovalayanlarla gurur duyuyorum'],
    ['Tarvanlar, sıra sizde!', 'VI.THREAT', 'tr.frame.threat', 'Tarvanlar, sıra sizde'],
    ['Merenitlerin kapısına incir ağacı dikeceğiz.', 'VI.THREAT', 'tr.frame.threat', 'Merenitlerin kapısına incir ağacı dikeceğiz'],
    ['Bir Merenit suç işlerse bütün Merenitler bedelini öder.', 'NE.COLLECT', 'tr.frame.collective-guilt', 'Bir Merenit suç işlerse bütün Merenitler bedelini öder'],
    ['Tarvanlarla karışmak soyumuzu bozuyor.', 'TH.PURITY', 'tr.frame.purity', 'Tarvanlarla karışmak soyumuzu bozuyor'],
    ['Şu Merenit kırmaları yine burada.', 'NE.SLUR', 'tr.frame.slur-compound', 'Merenit kırmaları'],
    ['Tarvan sorununu kökten çözmeliyiz.', 'CODE', 'tr.frame.final-solution', 'Tarvan sorununu kökten çözmeliyiz'],
    ['Tarvan mezarlığındaki taşları devirmişler, aferin onlara.', 'HE.DESECR', 'tr.frame.desecration-praised', 'Tarvan mezarlığındaki taşları devirmişler, aferin'],
    ['Merenitler bıçak biliyor; önce biz vurmazsak bizden kimse kalmayacak.', 'TH.MIRROR', 'tr.frame.mirror', 'Merenitler bıçak biliyor; önce biz vurmazsak bizden kimse kalmayacak'],
  ])('%s', (text, category, frameId, exact) => {
    const f = one(text);
    expect(f).toMatchObject({ category, exact, start: text.indexOf(exact), end: text.indexOf(exact) + exact.length, lang: 'tr' });
    expect(f.frames.map((x) => x.frameId)).toContain(frameId);
    expect(f.targets.map((t) => t.groupId)).toEqual(expect.arrayContaining([expect.stringMatching(/^(tarvani|merenites)$/u)]));
  });

  test('slot words: the imperative mid-clause, the duty idiom, the essence word', () => {
    expect(slotsOf(one('Tarvanların dükkânlarını ateşe verin ki bir daha gelmesinler.'), 'tr.frame.call-violence'))
      .toEqual([['{group}', 'Tarvanların'], ['{violence:imp+plural}', 'ateşe verin']]);
    expect(slotsOf(one('Tarvanları bu ülkeden temizlemek hepimizin boynunun borcudur.'), 'tr.frame.call-eradication'))
      .toEqual([['{group}', 'Tarvanları'], ['{eradication:inf|noun}', 'temizlemek'], ['{filler}', 'hepimizin'], ['{modal}', 'boynunun borcudur']]);
    expect(slotsOf(one('Tembellik Tarvanların kanında var.'), 'tr.frame.vice'))
      .toEqual([['{vice-abstract|vice-noun|vice-adjective}', 'Tembellik'], ['{group}', 'Tarvanların'], ['{essence-noun}', 'kanında var']]);
  });

  test.each([
    'Tarvan köylüleri 1920\'de köylerinden kovalandı.', // narration of the removal verb
    'Yakın zamanda Tarvanlar şehre döndü.', // yakın "near", not the imperative of yak-
    'Kesin bilgi yok: Merenitler yarın gelecek.', // kesin "certain"
    'Çiftçiler zararlıları yok etmek için ilaç attı.', // pests, no group
    'Tarvan çobanlar koyun sürüsünü yaylaya götürdü.', // a real herd
    'Tarvan tarihçileri bu meseleyi kesin olarak çözdü.', // solving a question, not the group's
    'Merenitlerin kapılarını açın, misafirlerimizdir.', // an imperative of welcome
    'Tarvan öğrencileri okuldan çıkarılmasın diye dilekçe verdik.', // a negated jussive, in their defence
    'Merenit ressamların eserleri müzede sergileniyor, herkes gurur duyuyor.', // praise without violence
  ])('not flagged: %s', (text) => {
    expect(flagsOf(text)).toEqual([]);
  });

  test('counter-speech about a vice in the blood is flagged with its signals', () => {
    const f = one('Tarvanların kanında tembellik olduğunu söylemek ırkçılıktır.');
    expect(f).toMatchObject({ category: 'NE.ESSENCE', signals: expect.objectContaining({ condemned: true }) });
  });

  test.each([
    ['ver', 'verin', ['imp', 'plural']],
    ['kal', 'kalmayıncaya', ['part', 'neg']],
    ['kal', 'kalmayana', ['part', 'neg']],
    ['öl', 'ölsünler', ['juss', 'plural']],
  ] as Array<[string, string, string[]]>)('analyzer: %s + %s', (stem, word, features) => {
    const f = analyzerFor('tr')('verb', stem, '', word);
    expect(f < 0 ? null : featureNames(f)).toEqual(features);
  });
});
