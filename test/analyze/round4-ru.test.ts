/**
 * Russian, generalisation round 4: constructions the blind-written passages used and the engine
 * missed (slang verbs, the object before a 1st-person or imperative verb, 'X надо было …',
 * 'ни одного X не останется', 'никто и не заметит', veiled threats, armed visits, herds and
 * animal sounds, desecration, heritage denial, long-form adjective predicates, inherited vice,
 * past-and-present hatred, burning glorified, 'не зря' justification). Every sentence here is our
 * own, with the starter lexicon's invented groups (тарван*, меренит*) and invented unlisted
 * peoples of every shape (ваштельцы: -ьцы; скеллисты: -исты; лорвит: -ит; зелванцы; зандрики),
 * and each construction has near misses that must stay silent. No database.
 */
import type { AnalysisFlag } from '../../src/analyze';
import { analyzerFor, featureNames } from '../../src/analyze/morph';
import { exactFlags } from './fixtures/frame-flags';

/** The flags of `text` (PO.RESPECT left out), every offset checked against the text. */
const run = (text: string): AnalysisFlag[] => exactFlags(text, { lang: 'ru' });

describe('Russian morphology, round 4', () => {
  const ru = analyzerFor('ru');
  const features = (pos: 'verb' | 'noun', stem: string, word: string): string => {
    const f = ru(pos, stem, '', word);
    return f < 0 ? '-' : featureNames(f).join(' ');
  };
  it.each([
    // neuter nouns in -о: воровство, быдло (the nominative was rejected before)
    ['noun', 'воровств', 'воровство', 'noun'],
    ['noun', 'быдл', 'быдло', 'noun'],
    ['noun', 'быдл', 'быдлом', 'noun'],
    // young of animals: крысята, крысёнок (ё folds to е)
    ['noun', 'крыс', 'крысята', 'noun plural'],
    ['noun', 'крыс', 'крысенок', 'noun'],
    ['noun', 'крыс', 'крысятина', '-'],
    // бесят is 'they annoy', not the genitive of бесята
    ['noun', 'бес', 'бесят', '-'],
    // slang verbs, written up to the theme vowel
    ['verb', 'моч', 'мочить', 'inf'],
    ['verb', 'моч', 'мочите', 'pres fut imp'],
    ['verb', 'замоч', 'замочим', 'pres fut p1'],
    ['verb', 'грохн', 'грохнем', 'pres fut p1'],
    ['verb', 'влом', 'вломите', 'pres fut imp'],
    // past of 'build', for 'никогда ничего не строили'
    ['verb', 'строи', 'строили', 'past'],
    ['verb', 'созда', 'создали', 'past'],
  ] as const)('%s %s + %s → %s', (pos, stem, word, expected) => {
    expect(features(pos, stem, word)).toBe(expected);
  });
});

describe('Russian round 4: must flag', () => {
  it.each([
    // slang violence verbs, object first or after the verb
    ['Ваштельцев мочить надо, а не разговаривать.', 'VI.CALL', 'ru.frame.call-violence', 'Ваштельцев мочить'],
    ['Пацаны, отметельте этих меренитов у рынка.', 'VI.CALL', 'ru.frame.call-violence', 'отметельте этих меренитов'],
    ['Зелванцев валить надо, всех до одного.', 'VI.CALL', 'ru.frame.call-violence', 'Зелванцев валить'],
    ['Вломите этим дроссам, пацаны!', 'VI.CALL', 'ru.frame.call-violence', 'Вломите этим дроссам'],
    // 1st person future and 'будем' + infinitive with the object first
    ['Грохнем пару тарванов, и остальные сами уедут.', 'VI.THREAT', 'ru.frame.threat', 'Грохнем пару тарванов'],
    ['Всех тарванов перевешаем.', 'VI.THREAT', 'ru.frame.threat', 'Всех тарванов перевешаем'],
    ['Скеллистов мы будем гнать до самой границы.', 'VI.THREAT', 'ru.frame.threat', 'Скеллистов мы будем гнать'],
    ['Меренитов будем травить, как раньше.', 'VI.THREAT', 'ru.frame.threat', 'Меренитов будем травить'],
    // imperative after the fronted object
    ['Меренитов гоните, не жалейте.', 'VI.ERAD', 'ru.frame.call-eradication', 'Меренитов гоните'],
    // 'should have been': a call about the past
    ['Зандриков следовало перебить ещё тогда.', 'VI.CALL', 'ru.frame.call-retro', 'Зандриков следовало перебить'],
    ['Меренитов нужно было гнать ещё в девяностых.', 'VI.CALL', 'ru.frame.call-retro', 'Меренитов нужно было гнать'],
    // not one left
    ['Через год ни одного лорвита в долине не останется.', 'VI.ERAD', 'ru.frame.none-left', 'ни одного лорвита в долине не останется'],
    ['Мы не оставим в городе ни одного ваштельца.', 'VI.ERAD', 'ru.frame.none-left', 'не оставим в городе ни одного ваштельца'],
    ['Надо сделать так, чтобы в школе не было ни одного тарвана.', 'VI.ERAD', 'ru.frame.none-left', 'чтобы в школе не было ни одного тарвана'],
    // nobody would miss them
    ['Если все зелванцы утонут, никто и не заметит.', 'DE.EXIST', 'ru.frame.worthless', 'зелванцы утонут, никто и не заметит'],
    ['Сгорят мерениты — никто не заплачет.', 'DE.EXIST', 'ru.frame.worthless', 'мерениты — никто не заплачет'],
    // veiled threats to the addressed group
    ['Тарваны, после выборов вам тут житья не дадут.', 'VI.THREAT', 'ru.frame.threat-idiom', 'вам тут житья не дадут'],
    ['Зелванцы, ночью вас уже никто не защитит.', 'VI.THREAT', 'ru.frame.threat-idiom', 'вас уже никто не защитит'],
    // expulsion euphemisms
    ['Ваштельцам — билет в один конец.', 'VI.ERAD', 'ru.frame.expel-shout', 'Ваштельцам — билет в один конец'],
    ['Всем меренитам пора на выход.', 'VI.ERAD', 'ru.frame.expel-shout', 'меренитам пора на выход'],
    // herds and animal sounds
    ['Опять это стадо тарванов перекрыло дорогу.', 'DH.ANIMAL', 'ru.frame.herd', 'стадо тарванов'],
    ['Мерениты опять блеют про свои права.', 'DH.ANIMAL', 'ru.frame.herd', 'Мерениты опять блеют'],
    // armed visits
    ['Берите биты и идите к зелванцам в общагу.', 'VI.CALL', 'ru.frame.armed-visit', 'биты и идите к зелванцам'],
    ['Хорошо бы кто-нибудь навестил тарванов с топором.', 'VI.CALL', 'ru.frame.armed-visit', 'Хорошо бы кто-нибудь навестил тарванов с топором'],
    // desecration, heritage destruction and denial
    ['Надо обоссать тарванские могилы.', 'HE.DESECR', 'ru.frame.desecrate', 'Надо обоссать тарванские могилы'],
    ['Тарванские церкви — наши.', 'HE.DENY', 'ru.frame.deny-heritage', 'Тарванские церкви — наши'],
    ['Мерениты на этой земле никогда ничего не строили.', 'HE.DENY', 'ru.frame.deny-heritage', 'Мерениты на этой земле никогда ничего не строили'],
    // vice: long-form adjectives as predicate, 'who wasn't a thief', inherited vice, crime rising
    ['Мерениты ленивые, грязные и нечестные.', 'NE.ESSENCE', 'ru.frame.vice', 'Мерениты ленивые'],
    ['Тарваны тупые и жадные.', 'NE.ESSENCE', 'ru.frame.vice', 'Тарваны тупые и жадные'],
    ['Знаете хоть одного тарвана, который не был бы вором?', 'NE.ESSENCE', 'ru.frame.vice', 'Знаете хоть одного тарвана, который не был бы вором'],
    ['У меренитов обман не считается грехом.', 'NE.ESSENCE', 'ru.frame.vice', 'У меренитов обман не считается грехом'],
    ['Там, где поселились тарваны, сразу выросла преступность.', 'NE.ESSENCE', 'ru.frame.vice', 'где поселились тарваны, сразу выросла преступность'],
    ['Дай меренитам палец — по локоть откусят.', 'NE.ESSENCE', 'ru.frame.vice', 'меренитам палец — по локоть откусят'],
    // hatred: always, then and now, 'can't stand the sight of them' with the group one sentence back
    ['Я всегда ненавидел меренитов.', 'NE.HATE', 'ru.frame.hate', 'Я всегда ненавидел меренитов'],
    ['Я ненавидел тарванов тогда и ненавижу сейчас.', 'NE.HATE', 'ru.frame.hate', 'ненавидел тарванов тогда и ненавижу'],
    ['Соседи спросили про тарванов. Честно: видеть их не могу.', 'NE.HATE', 'ru.frame.hate-phrase', 'видеть их не могу'],
    // burning glorified, violence justified
    ['Как хорошо, что сгорели молельни меренитов.', 'VI.GLOR', 'ru.frame.glorify', 'Как хорошо, что сгорели молельни меренитов'],
    ['Меренитов выгнали в сорок четвёртом, и не зря.', 'VI.JUST', 'ru.frame.justify', 'Меренитов выгнали в сорок четвёртом, и не зря'],
    ['Депортация тарванов спасла страну от измены.', 'VI.JUST', 'ru.frame.justify', 'Депортация тарванов спасла'],
    // purity; animals with the dash copula for unlisted peoples
    ['Выйти замуж за меренита — значит испортить свою кровь.', 'TH.PURITY', 'ru.frame.purity', 'меренита — значит испортить свою кровь'],
    ['Ваштельцы — скоты.', 'DH.ANIMAL', 'ru.frame.dh-copula', 'Ваштельцы — скоты'],
    ['Зандрики — быдло.', 'DH.ANIMAL', 'ru.frame.dh-copula', 'Зандрики — быдло'],
    // clear off: пусть + go-away verb, an imperative to the addressed group
    ['Пусть мерениты убираются к себе.', 'VI.ERAD', 'ru.frame.go-away', 'Пусть мерениты убираются'],
    ['Пусть эти зелванцы катятся ко всем чертям.', 'VI.ERAD', 'ru.frame.go-away', 'Пусть эти зелванцы катятся'],
    ['Тарваны, проваливайте!', 'VI.ERAD', 'ru.frame.go-away', 'Тарваны, проваливайте'],
    // бы with the object first; 'идём бить X'; ellipsis 'X да в овраг'
    ['Тарванов бы всех перевешать.', 'VI.CALL', 'ru.frame.call-violence', 'Тарванов бы всех перевешать'],
    ['Парни, берём арматуру и идём бить тарванов.', 'VI.CALL', 'ru.frame.call-violence', 'идём бить тарванов'],
    ['Эх, собрать бы всех зелванцев да в овраг.', 'VI.CALL', 'ru.frame.call-ellipsis', 'зелванцев да в овраг'],
    // veiled threats: 'пока целы', 'не уйдёт живым', 'скоро конец'
    ['Тарванчики, собирайте вещички, пока целы.', 'VI.THREAT', 'ru.frame.threat-idiom', 'Тарванчики, собирайте вещички, пока целы'],
    ['И пусть ни один меренит не уйдёт живым.', 'VI.THREAT', 'ru.frame.threat-idiom', 'меренит не уйдёт живым'],
    ['Тарванам скоро конец, запомните мои слова.', 'VI.THREAT', 'ru.frame.threat-idiom', 'Тарванам скоро конец'],
    // diminutives of the dehumanizing nouns; 'это вообще не люди' after the dash
    ['Эти меренитики — крысята подзаборные.', 'DH.ANIMAL', 'ru.frame.dh-copula', 'Эти меренитики — крысята'],
    ['Зелванцы — это вообще не люди, а скоты.', 'DE.EXIST', 'ru.frame.deny-existence', 'Зелванцы — это вообще не люди'],
    ['Как же тарваны бесят.', 'NE.HATE', 'ru.frame.hate', 'тарваны бесят'],
  ] as const)('%s → %s', (text, category, frameId, exact) => {
    const flags = run(text);
    const f = flags.find((x) => x.frames.some((fr) => fr.frameId === frameId));
    expect(f).toBeDefined();
    expect(f!.category).toBe(category);
    expect(f!.exact).toBe(exact);
    expect(f!.signals.negated).toBe(false);
  });

  it('an unlisted -ьцы people is a group referent, with its offsets', () => {
    const text = 'Давайте выгоним остравельцев.';
    const flags = run(text);
    expect(flags).toHaveLength(1);
    expect(flags[0]!.referents.map((r) => [r.kind, r.exact])).toEqual([['demonym', 'остравельцев']]);
    expect(flags[0]!.signals.untargeted).toBe(true);
  });

  it('the listed group of a 2nd-person threat is the addressee named before it', () => {
    const text = 'Мерениты, это последнее предупреждение, потом не жалуйтесь.';
    const flags = run(text);
    expect(flags.map((f) => f.category)).toEqual(['VI.THREAT']);
    expect(flags[0]!.targets.map((t) => t.exact)).toEqual(['Мерениты']);
  });
});

describe('Russian round 4: near misses stay silent', () => {
  it.each([
    // narration and other senses of the same verbs
    'В 1944 году тарванов выселили эшелонами.',
    'Хозяйка замочила бельё на ночь.',
    'Лесорубы будут валить лес всю зиму.',
    'Давить на педаль нужно плавно.',
    'Давайте перебьём цену конкурентов.',
    // an agent in the dative is not the object of 'надо было'
    'Чтобы прорваться, тарванам нужно было уничтожить мост.',
    // 'none left' told as history, and of other nouns
    'В селе не осталось ни одного жителя после войны.',
    'Не осталось ни одного продавца.',
    'Никто не заметил, как мерениты ушли.',
    // -ьцы words that are not peoples in a hateful frame
    'Владельцы магазинов жалуются на налоги.',
    'Жильцы дома собрались во дворе.',
    // herds, animals and visits in their plain sense
    'Стадо коров перекрыло дорогу.',
    'Собаки опять лают всю ночь.',
    'Коровы — домашний скот.',
    'Кролики — грызуны.',
    'Идите к соседям с пирогом.',
    'Возьмите нож и идите к столу.',
    'Студентам — билет на концерт.',
    // heritage and virtue
    'Тарваны на этой земле построили первую школу.',
    'Тарванский храм отреставрируют к лету.',
    'Городскую библиотеку надо отремонтировать.',
    'Мерениты трудолюбивые и честные.',
    // past hatred of a thing; condemnation of an expulsion; a fire put out
    'Я ненавидел рыбий жир в детстве.',
    'Депортация тарванов была преступлением.',
    'Хорошо, что пожар в доме меренитов быстро потушили.',
    // go-away verbs and 'идём + infinitive' in their plain senses
    'Пусть дети убираются в своих комнатах.',
    'Мерениты, убирайте за собой мусор.',
    'Пойдём бить рекорды.',
    'Идите резать хлеб.',
    'Тарваны бы всех обыграли.',
    'Пойдём с меренитами в кино.',
    'Мерениты пока живы и здоровы, слава богу.',
    'Собирайте вещи, мы уезжаем.',
    'У кошки родились котята.',
    'Крысята в зоомагазине стоят дорого.',
    'Мерениты — это вообще интересный народ.',
  ])('no flag: %s', (text) => {
    expect(run(text)).toEqual([]);
  });
});
