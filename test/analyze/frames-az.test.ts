/**
 * Azerbaijani frames, word classes and the Turkic analyzer of the starter lexicon, in the Latin
 * alphabet and in the 1958–1991 Cyrillic one (transliterated before matching, so the same Latin
 * classes and frames apply): calls, threats and dehumanizing predications are found in their
 * Azerbaijani grammar, narration and other senses are not, counter-speech carries a signal, and
 * all offsets are exact in the text as written. Invented groups only (Tarvani, Merenites;
 * "Zelvanlar" is unlisted).
 */
import { analyzerFor, featureNames } from '../../src/analyze/morph';
import type { AnalysisFlag } from '../../src/analyze';
import { exactFlags, slotWords } from './fixtures/frame-flags';

/** Latin-script sentences are analysed as az; Cyrillic ones through language detection. */
const flagsOf = (text: string): AnalysisFlag[] => exactFlags(text, /[\u0400-\u04ff]/u.test(text) ? {} : { lang: 'az' }, 'az');

function one(text: string): AnalysisFlag {
  const flags = flagsOf(text);
  expect(flags.map((f) => f.exact)).toHaveLength(1);
  return flags[0]!;
}

const slotsOf = slotWords;

describe('Azerbaijani frames: what must be flagged (Latin alphabet)', () => {
  test.each([
    ['Merenitlər həşəratdır.', 'DH.ANIMAL', 'az.frame.dh-copula', 'Merenitlər həşəratdır'],
    ['Tarvanlar murdar siçovullar.', 'DH.ANIMAL', 'az.frame.dh-copula', 'Tarvanlar murdar siçovullar'],
    ['Merenitlər xərçəng kimi yayılır.', 'DH.DISEASE', 'az.frame.dh-copula', 'Merenitlər xərçəng kimi'],
    ['Tarvanlar insan deyil, sürünəndir.', 'DH.ANIMAL', 'az.frame.dh-nothing-but', 'Tarvanlar insan deyil, sürünəndir'],
    ['Bir merenitin canı bir qəpiyə dəyməz.', 'DE.EXIST', 'az.frame.worthless', 'merenitin canı bir qəpiyə dəyməz'],
    ['Tarvanlara nifrət edirəm.', 'NE.HATE', 'az.frame.hate', 'Tarvanlara nifrət edirəm'],
    ['Merenitlər niyə bu qədər tənbəldir?', 'NE.ESSENCE', 'az.frame.vice', 'Merenitlər niyə bu qədər tənbəldir'],
    ['Tarvanlar həmişə yalan danışır.', 'NE.ESSENCE', 'az.frame.vice', 'Tarvanlar həmişə yalan danışır'],
    ['Merenitləri küçədə görsəniz, döyün!', 'VI.CALL', 'az.frame.call-violence', 'Merenitləri küçədə görsəniz, döyün'],
    ['Merenitlərin evlərini yandıraq!', 'VI.CALL', 'az.frame.call-violence', 'Merenitlərin evlərini yandıraq'],
    ['Tarvanların hamısı güllələnməlidir.', 'VI.ERAD', 'az.frame.call-eradication', 'Tarvanların hamısı güllələnməlidir'],
    ['Merenitləri bu torpaqdan qovmalıyıq.', 'VI.ERAD', 'az.frame.call-eradication', 'Merenitləri bu torpaqdan qovmalıyıq'],
    ['Tarvanları məhv etmək lazımdır.', 'VI.ERAD', 'az.frame.call-eradication', 'Tarvanları məhv etmək lazımdır'],
    ['Tarvanlar yer üzündən silinsin.', 'VI.ERAD', 'az.frame.erad-idiom', 'Tarvanlar yer üzündən silinsin'],
    ['Merenitlərdən bir nəfər də sağ qalmamalıdır.', 'VI.ERAD', 'az.frame.none-left', 'Merenitlərdən bir nəfər də sağ qalmamalıdır'],
    ['Tarvanların hamısını öldürəcəyik.', 'VI.THREAT', 'az.frame.threat', 'Tarvanların hamısını öldürəcəyik'],
    ['Merenitlər bizi məhv edəcəklər.', 'TH.MIRROR', 'az.frame.mirror', 'Merenitlər bizi məhv edəcəklər'],
    ['Tarvan kəndlərini yandıran qəhrəmanlarımıza eşq olsun!', 'VI.GLOR', 'az.frame.glorify', 'Tarvan kəndlərini yandıran qəhrəmanlarımıza'],
    ['Merenitlər o sürgünə layiq idilər.', 'VI.JUST', 'az.frame.justify', 'Merenitlər o sürgünə layiq idilər'],
    ['Heç bir tarvan qırğını olmayıb, bu uydurmadır.', 'DE.ATROC', 'az.frame.deny-atrocity', 'tarvan qırğını olmayıb'],
    ['Merenit adlı millət heç vaxt mövcud olmayıb.', 'DE.EXIST', 'az.frame.deny-existence', 'Merenit adlı millət heç vaxt mövcud olmayıb'],
    ['Tarvan kilsələri əslində bizimdir.', 'HE.DENY', 'az.frame.deny-heritage', 'Tarvan kilsələri əslində bizimdir'],
    ['Merenitlərin qəbirlərini yerlə yeksan edək!', 'HE.DESTROY', 'az.frame.destroy-heritage', 'Merenitlərin qəbirlərini yerlə yeksan edək'],
    ['Hər bir tarvan cavabdehdir.', 'NE.COLLECT', 'az.frame.collective-guilt', 'Hər bir tarvan cavabdehdir'],
    ['Merenitlər mədəni insanlar kimi yaşaya bilməzlər.', 'NE.ESSENCE', 'az.frame.not-civilised', 'Merenitlər mədəni insanlar kimi yaşaya bilməzlər'],
    ['Tarvanlar rədd olsunlar bu torpaqdan!', 'VI.ERAD', 'az.frame.call-eradication', 'Tarvanlar rədd olsunlar bu torpaqdan'],
  ])('%s', (text, category, frameId, exact) => {
    const f = one(text);
    expect(f).toMatchObject({ category, exact, lang: 'az' });
    expect(f.frames.map((x) => x.frameId)).toContain(frameId);
    expect(f.signals).toMatchObject({ untargeted: false, negated: false });
    expect(f.targets.length).toBeGreaterThan(0);
  });

  test('a flag records the frame and the words and features of each slot', () => {
    const f = one('Merenitləri bu torpaqdan qovmalıyıq.');
    expect(slotsOf(f, 'az.frame.call-eradication')).toEqual([['{group}', 'Merenitləri'], ['{eradication:juss|hort|oblig}', 'qovmalıyıq']]);
    const slot = f.frames.find((x) => x.frameId === 'az.frame.call-eradication')!.slots[1]!;
    expect(slot).toMatchObject({ classId: 'eradication', features: ['oblig', 'p1'] });
    expect(f.targets.map((t) => [t.groupId, t.exact])).toEqual([['merenites', 'Merenitləri']]);
  });
});

describe('Azerbaijani frames in the Cyrillic alphabet of 1958–1991', () => {
  test.each([
    ['Тарванлар һәшәратдыр.', 'DH.ANIMAL', 'az.frame.dh-copula', 'Тарванлар һәшәратдыр'],
    ['Тарванлар ҝәнәдир.', 'DH.ANIMAL', 'az.frame.dh-copula', 'Тарванлар ҝәнәдир'],
    ['Меренитләри бу торпагдан говмалыјыг.', 'VI.ERAD', 'az.frame.call-eradication', 'Меренитләри бу торпагдан говмалыјыг'],
    ['Тарванлары бу кәнддән говаг!', 'VI.ERAD', 'az.frame.call-eradication', 'Тарванлары бу кәнддән говаг'],
    ['Тарванлары ҝүлләләјәҹәјик.', 'VI.THREAT', 'az.frame.threat', 'Тарванлары ҝүлләләјәҹәјик'],
    ['Меренитләрә нифрәт едирәм.', 'NE.HATE', 'az.frame.hate', 'Меренитләрә нифрәт едирәм'],
    ['Тарван кәндләрини јандыран гәһрәманларымыза шан-шөһрәт олсун!', 'VI.GLOR', 'az.frame.glorify', 'Тарван кәндләрини јандыран гәһрәманларымыза'],
  ])('%s', (text, category, frameId, exact) => {
    const f = one(text);
    expect(f).toMatchObject({ category, exact, lang: 'az' });
    expect(f.frames.map((x) => x.frameId)).toContain(frameId);
  });

  test('the slot words are the Cyrillic words as written', () => {
    const f = one('Тарванлары ҝүлләләјәҹәјик.');
    expect(slotsOf(f, 'az.frame.threat')).toEqual([['{group}', 'Тарванлары'], ['{violence|eradication:fut+p1}', 'ҝүлләләјәҹәјик']]);
  });

  test('Cyrillic narration and negation', () => {
    expect(flagsOf('1847-ҹи илдә гошунлар тарванлары сүрҝүн етдиләр.')).toEqual([]);
    expect(one('Тарванлар һејван дејил.').signals.negated).toBe(true);
  });
});

describe('Azerbaijani frames: any group', () => {
  test('a capitalised plural of an unlisted people at the start of a sentence is a demonym referent', () => {
    const f = one('Zelvanlar həşəratdır.');
    expect(f.signals.untargeted).toBe(true);
    expect(f.referents).toEqual([{ kind: 'demonym', start: 0, end: 9, exact: 'Zelvanlar' }]);
  });

  test('a collective ("bu xalq") stands for the group', () => {
    const f = one('Bu xalq məhv edilməlidir.');
    expect(f.category).toBe('VI.ERAD');
    expect(f.referents.map((r) => [r.kind, r.exact])).toEqual([['collective', 'Bu xalq']]);
  });

  test('a pronoun takes its group from the previous sentence, never from the next', () => {
    const f = one('Zelvanlar yenə gəldi. Onları qovmalıyıq.');
    expect(f.referents).toEqual([{ kind: 'pronoun', start: 22, end: 28, exact: 'Onları', antecedent: { start: 0, end: 9, exact: 'Zelvanlar' } }]);
    expect(flagsOf('Onları qovmalıyıq. Zelvanlar yenə gəldi.')).toEqual([]);
  });

  test('a lower-case common plural inside a sentence is not a demonym (Azerbaijani does not capitalise peoples)', () => {
    expect(flagsOf('Kəndlilər dedi ki, çobanlar həşəratdan əziyyət çəkir.')).toEqual([]);
  });
});

describe('Azerbaijani frames: narration and other senses are not flagged', () => {
  test.each([
    '1847-ci ildə qoşunlar tarvanları sürgün etdilər.',
    'Merenit kəndləri müharibə zamanı yandırıldı.',
    'Tarvanların başçıları meydanda asılmışdı.',
    'Ordu tarvanları öldürmədi.',
    'Əsgərlərə bütün merenit kəndlərini məhv etmək əmri verilmişdi.',
    'Siçovullar tarvan fermerlərinin taxılını yedi.',
    'Merenit fermerləri anbarlardakı siçanlara zəhər qoyurlar.',
    'Merenitlərin itləri çox sadiqdir.',
    '1348-ci ildə vəba tarvanların yaşadığı şəhəri vurdu.',
    'Tarvanlar dağlarda keçi saxlayırlar.',
    'Merenit əsgərləri sərhədi qorudu.',
    'Tarvan çobanları sürünü dağa apardılar.',
    'Merenitlər yeni ili yazda qeyd edirlər.',
    'Tarvanlarla sülh içində yaşamaqdan qürur duyuruq.',
  ])('%s', (text) => {
    expect(flagsOf(text)).toEqual([]);
  });
});

describe('Azerbaijani counter-speech carries a signal', () => {
  test('a negated predication is flagged as negated', () => {
    const f = one('Tarvanlar həşərat deyil.');
    expect(f).toMatchObject({ category: 'DH.ANIMAL', exact: 'Tarvanlar həşərat deyil' });
    expect(f.signals.negated).toBe(true);
  });

  test('a negative imperative is flagged as negated', () => {
    expect(one('Merenitləri öldürməyin!').signals.negated).toBe(true);
  });

  test('a reported call that the text condemns is quoted and condemned', () => {
    const f = one('Nazir merenitlərin məhv edilməli olduğunu dedi; bu sözləri pisləyirik.');
    expect(f.category).toBe('VI.ERAD');
    expect(f.signals).toMatchObject({ quoted: true, condemned: true });
  });

  test('a vice verb ("yalan danışır") is not itself a condemnation', () => {
    expect(one('Tarvanlar həmişə yalan danışır.').signals.condemned).toBe(false);
  });
});

describe('the Turkic analyzer on Azerbaijani word forms', () => {
  const az = analyzerFor('az');
  const verb = (stem: string, word: string): string[] | null => {
    const f = az('verb', stem, '', word);
    return f < 0 ? null : featureNames(f);
  };
  const noun = (stem: string, word: string): string[] | null => {
    const f = az('noun', stem, '', word);
    return f < 0 ? null : featureNames(f);
  };

  test.each([
    ['öldür', 'öldürün', ['imp', 'plural']],
    ['öldür', 'öldürsünlər', ['juss', 'plural']],
    ['öldür', 'öldürək', ['hort', 'p1']],
    ['qov', 'qovaq', ['hort', 'p1']],
    ['öldür', 'öldürməlidir', ['oblig']],
    ['öldür', 'öldürülməlidir', ['oblig', 'pass']],
    ['öldür', 'öldürəcəyik', ['fut', 'p1']],
    ['öldür', 'öldürəcəyəm', ['fut', 'p1']],
    ['öldür', 'öldürüləcək', ['fut', 'pass']],
    ['öldür', 'öldürdülər', ['past']],
    ['öldür', 'öldürüb', ['past', 'part']],
    ['öldür', 'öldürülüb', ['past', 'part', 'pass']],
    ['öldür', 'öldürmüşdür', ['past', 'part']],
    ['öldür', 'öldürmək', ['inf']],
    ['qır', 'qırmağa', ['inf']],
    ['öldür', 'öldürməyə', ['noun']],
    ['öldür', 'öldürmədi', ['past', 'neg']],
    ['öldür', 'öldürməyib', ['past', 'neg']],
    ['öldür', 'öldürməyəcəyik', ['fut', 'neg', 'p1']],
    ['öldür', 'öldürməyin', ['imp', 'neg']],
    ['öldür', 'öldürməsin', ['juss', 'neg']],
    ['öldür', 'öldürməyək', ['hort', 'neg', 'p1']],
    ['öldür', 'öldürmürəm', ['pres', 'neg', 'p1']],
    ['ed', 'edilməlidir', ['oblig', 'pass']],
    ['güllələ', 'güllələnsin', ['juss', 'pass']],
    ['et', 'etdi', ['past']],
    ['kəs', 'kəsdilər', ['past']],
  ] as const)('%s + %s', (stem, word, features) => {
    expect(verb(stem, word)).toEqual(features);
  });

  test.each([
    ['qır', 'qırmızı'], ['qır', 'qırx'], ['qır', 'qırğın'], ['öl', 'ölkə'], ['öl', 'ölüm'], ['öl', 'ölçü'],
    ['sil', 'silah'], ['döy', 'döyüş'], ['əz', 'əziz'], ['əz', 'əzab'], ['vur', 'vurğu'], ['as', 'ası'],
    // Azerbaijani past is -dI after every consonant (etdi, kəsdi), never -tI.
    ['et', 'etti'], ['kəs', 'kəsti'],
  ])('%s does not take %s', (stem, word) => {
    expect(verb(stem, word)).toBeNull();
  });

  test('nouns: the nominative with the copula is base + cop; other words sharing the stem are rejected', () => {
    expect(noun('həşərat', 'həşəratdır')).toEqual(['base', 'noun', 'cop']);
    expect(noun('siçovul', 'siçovullardır')).toEqual(['base', 'noun', 'plural', 'cop']);
    expect(noun('siçovul', 'siçovullara')).toEqual(['noun', 'plural']);
    expect(noun('zəli', 'zəlil')).toBeNull();
    expect(noun('vəba', 'vəbal')).toBeNull();
    expect(noun('heyvan', 'heyvanat')).toBeNull();
  });
});

describe('Azerbaijani round 2: whole families of phrasing', () => {
  test.each([
    ['Tarvanların dükanlarına od vurun ki, bir də gəlməsinlər.', 'VI.CALL', 'az.frame.call-violence', 'Tarvanların dükanlarına od vurun'],
    ['Merenitlərə yaxşı bir kötək atmaq lazımdır.', 'VI.CALL', 'az.frame.call-violence', 'Merenitlərə yaxşı bir kötək atmaq lazımdır'],
    ['Tarvanları bu ölkədən təmizləmək hamımızın boynunun borcudur.', 'VI.ERAD', 'az.frame.call-eradication', 'Tarvanları bu ölkədən təmizləmək hamımızın boynunun borcudur'],
    ['Bu şəhərdə tək bir tarvan qalmayınca qədər dayanmayacağıq.', 'VI.ERAD', 'az.frame.none-left', 'tək bir tarvan qalmayınca qədər'],
    ['Merenitlər canavar sürüsü kimi hücum edir.', 'DH.DEMON', 'az.frame.dh-copula', 'Merenitlər canavar sürüsü kimi'],
    ['Tənbəllik merenitlərin qanındadır.', 'NE.ESSENCE', 'az.frame.vice', 'Tənbəllik merenitlərin qanındadır'],
    ['Tarvanların xain olmadığını kim iddia edə bilər?', 'NE.ESSENCE', 'az.frame.vice', 'Tarvanların xain olmadığını kim iddia edə bilər'],
    ['Merenitlər nə əkdilərsə onu biçdilər.', 'VI.JUST', 'az.frame.justify', 'Merenitlər nə əkdilərsə onu biçdilər'],
    ['Tarvanlar, vaxtınız bitdi!', 'VI.THREAT', 'az.frame.threat', 'Tarvanlar, vaxtınız bitdi'],
    ['Bir merenit oğurluq edibsə, bütün merenitlər cavab verəcək.', 'NE.COLLECT', 'az.frame.collective-guilt', 'Bir merenit oğurluq edibsə, bütün merenitlər cavab verəcək'],
    ['Tarvanlarla evlənmək nəslimizi korlayır.', 'TH.PURITY', 'az.frame.purity', 'Tarvanlarla evlənmək nəslimizi korlayır'],
    ['Tarvan məsələsini birdəfəlik həll etməliyik.', 'CODE', 'az.frame.final-solution', 'Tarvan məsələsini birdəfəlik həll etməliyik'],
    ['Merenitlərdən birdəfəlik xilas olmalıyıq.', 'CODE', 'az.frame.final-solution', 'Merenitlərdən birdəfəlik xilas olmalıyıq'],
    ['Tarvan qəbiristanlığındakı daşları aşırıblar, əhsən onlara.', 'HE.DESECR', 'az.frame.desecration-praised', 'Tarvan qəbiristanlığındakı daşları aşırıblar, əhsən onlara'],
    // The same data read in the Cyrillic alphabet, and Cyrillic Azerbaijani without ә ҝ ј (read as az, not ru).
    ['Тарванлары бу өлкәдән тәмизләмәк һамымызын борҹудур.', 'VI.ERAD', 'az.frame.call-eradication', 'Тарванлары бу өлкәдән тәмизләмәк һамымызын борҹудур'],
    ['Тарванлар паразитдир, халгын ганыны сорурлар.', 'DH.DISEASE', 'az.frame.dh-copula', 'Тарванлар паразитдир, халгын ганыны сорурлар'],
  ])('%s', (text, category, frameId, exact) => {
    const f = one(text);
    expect(f).toMatchObject({ category, exact, start: text.indexOf(exact), end: text.indexOf(exact) + exact.length, lang: 'az' });
    expect(f.frames.map((x) => x.frameId)).toContain(frameId);
  });

  test('Azerbaijani without ə is read as Azerbaijani (q, hamısı, the perfect -ıb), so its frames apply', () => {
    const f = exactFlags('Tarvanların hamısı oğrudur, bu, onların qanındadır.', {}, 'az');
    expect(f.map((x) => x.category)).toContain('NE.ESSENCE');
  });

  test.each([
    'Tarvan kəndliləri 1920-ci ildə kəndlərindən qovuldu.',
    'Yaxın vaxtlarda tarvanlar şəhərə qayıtdı.',
    'Çoban tarvan kəndinin qoyun sürüsünü yaylağa apardı.',
    'Merenit alimləri bu məsələni birdəfəlik həll etdilər.', // the once-and-for-all entry flagged this before
    'Tarvanlar bu xəstəlikdən birdəfəlik xilas oldular.', // the group is the one freed, not the one removed
  ])('not flagged: %s', (text) => {
    expect(flagsOf(text)).toEqual([]);
  });

  test('counter-speech about a vice in the blood is flagged with its signals', () => {
    const f = one('Tarvanların qanında tənbəllik olduğunu demək irqçilikdir.');
    expect(f).toMatchObject({ category: 'NE.ESSENCE', signals: expect.objectContaining({ condemned: true }) });
  });
});
