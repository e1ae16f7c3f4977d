/**
 * Russian frames, word classes, morphology and group referents, on the starter lexicon with its
 * invented groups (Tarvani: тарван*, Merenites: меренит*) and invented unlisted peoples
 * (зелванцы, зандрики). No database.
 */
import { analyzePage, compileLexicon, type AnalysisFlag } from '../../src/analyze';
import { analyzerFor, featureNames } from '../../src/analyze/morph';
import { loadLexicon } from '../../src/lexicon';

const lexicon = compileLexicon(loadLexicon());
const run = (text: string): AnalysisFlag[] => analyzePage(text, lexicon, { lang: 'ru' }).flags;

/** Every offset a flag reports slices the text to what it says. */
function expectExact(text: string, flags: AnalysisFlag[]): void {
  for (const f of flags) {
    expect(text.slice(f.start, f.end)).toBe(f.exact);
    for (const fr of f.frames) {
      expect(text.slice(fr.start, fr.end)).toBe(fr.exact);
      for (const s of fr.slots) expect(text.slice(s.start, s.end)).toBe(s.exact);
    }
    for (const t of f.targets) expect(text.slice(t.start, t.end)).toBe(t.exact);
    for (const r of f.referents) {
      expect(text.slice(r.start, r.end)).toBe(r.exact);
      if (r.antecedent) expect(text.slice(r.antecedent.start, r.antecedent.end)).toBe(r.antecedent.exact);
    }
  }
}

/** The one flag of `text`, which must come from `frameId`. */
function frameFlag(text: string, frameId: string): AnalysisFlag {
  const flags = run(text);
  expectExact(text, flags);
  expect(flags.map((f) => f.frames.map((fr) => fr.frameId))).toEqual([expect.arrayContaining([frameId])]);
  return flags[0]!;
}

/** slot → words that filled it, for the frame `frameId` of flag `f`. */
function slotsOf(f: AnalysisFlag, frameId: string): Record<string, string> {
  const fr = f.frames.find((x) => x.frameId === frameId)!;
  return Object.fromEntries(fr.slots.map((s) => [s.slot, s.exact]));
}

describe('Russian morphology on real paradigms', () => {
  const ru = analyzerFor('ru');
  const features = (pos: 'verb' | 'noun' | 'adj', stem: string, word: string): string => {
    const f = ru(pos, stem, '', word);
    return f < 0 ? '-' : featureNames(f).join(' ');
  };
  it.each([
    // perfective: the present form is the future
    ['verb', 'уничтож', 'уничтожить', 'inf'],
    ['verb', 'уничтож', 'уничтожим', 'pres fut p1'],
    ['verb', 'уничтож', 'уничтожат', 'pres fut'],
    ['verb', 'уничтож', 'уничтожьте', 'imp'],
    ['verb', 'уничтож', 'уничтожили', 'past'],
    ['verb', 'уничтож', 'уничтожив', 'past'],
    // imperfective
    ['verb', 'уничтож', 'уничтожаем', 'pres fut p1'],
    ['verb', 'уничтож', 'уничтожая', 'prog'],
    ['verb', 'веша', 'вешайте', 'imp'],
    ['verb', 'расстрелива', 'расстреливали', 'past'],
    // passive participles, long and short; verbal nouns are not participles
    ['verb', 'уничтож', 'уничтожены', 'part pass'],
    ['verb', 'уничтож', 'уничтоженных', 'part pass'],
    ['verb', 'расстрел', 'расстрелян', 'part pass'],
    ['verb', 'уби', 'убиты', 'part pass'],
    ['verb', 'уничтож', 'уничтожение', 'noun'],
    ['verb', 'истребл', 'истребления', 'noun'],
    // alternating stem: истреб-ить / истребл-ю
    ['verb', 'истребл', 'истреблю', 'pres fut p1'],
    ['verb', 'истреб', 'истреблю', '-'],
    // active participles
    ['verb', 'уничтож', 'уничтожающий', 'pres'],
    ['verb', 'уничтож', 'уничтоживший', 'past'],
    // reflexive: features kept, but never a 1st-person threat (застрелюсь = shoot myself)
    ['verb', 'плод', 'плодятся', 'pres fut'],
    ['verb', 'застрел', 'застрелюсь', 'pres fut'],
    ['verb', 'избав', 'избавьтесь', 'imp'],
    // nouns: cases and plural; innocent words that share the stem are not forms
    ['noun', 'крыс', 'крысы', 'noun plural'],
    ['noun', 'крыс', 'крысами', 'noun plural'],
    ['noun', 'крыс', 'крыс', 'noun'],
    ['noun', 'крыс', 'крысиный', '-'],
    ['noun', 'инфекци', 'инфекций', 'noun plural'],
    ['noun', 'изверг', 'изверги', 'noun plural'],
    ['noun', 'изверг', 'извергать', '-'],
    ['noun', 'вор', 'ворота', '-'],
    ['noun', 'нелюд', 'нелюдимый', '-'],
    // adjectives: short forms are predicative (cop); the neuter -о is the adverb
    ['adj', 'ленив', 'ленивы', 'base cop'],
    ['adj', 'ленив', 'ленивые', 'base'],
    ['adj', 'ленив', 'лениво', 'base'],
    ['adj', 'ленив', 'ленивец', '-'],
  ] as const)('%s %s* + %s → %s', (pos, stem, word, expected) => {
    expect(features(pos, stem, word)).toBe(expected);
  });
});

describe('Russian frames: must flag', () => {
  it('copular dehumanization with a dash (zero copula)', () => {
    const text = 'Тарваны — паразиты на теле страны.';
    const f = frameFlag(text, 'ru.frame.dh-copula');
    expect(f).toMatchObject({ category: 'DH.DISEASE', exact: 'Тарваны — паразиты' });
    expect(slotsOf(f, 'ru.frame.dh-copula')).toMatchObject({ '{group}': 'Тарваны' });
    expect(f.targets.map((t) => [t.groupId, t.exact])).toEqual([['tarvani', 'Тарваны']]);
    expect(f.signals.untargeted).toBe(false);
  });
  it('copula это and filler words, comparison, simile', () => {
    expect(frameFlag('Мерениты — это настоящая чума.', 'ru.frame.dh-copula').category).toBe('DH.DISEASE');
    const worse = frameFlag('Эти тарваны хуже крыс.', 'ru.frame.dh-copula');
    expect(worse.frames[0]!.slots.map((s) => s.exact)).toEqual(['тарваны', 'хуже', 'крыс']);
    expect(frameFlag('Мерениты жили подобно диким зверям.', 'ru.frame.dh-copula').category).toBe('DH.ANIMAL');
  });
  it('a group adjective with an insult noun (тарванская нечисть)', () => {
    const f = frameFlag('Тарванская нечисть опять вылезла на площадь.', 'ru.frame.dh-copula');
    expect(f).toMatchObject({ exact: 'Тарванская нечисть', category: 'DH.DEMON' });
  });
  it('modal + infinitive, the group fronted before an impersonal modal', () => {
    const f = frameFlag('Тарванов надо бить.', 'ru.frame.call-violence');
    expect(slotsOf(f, 'ru.frame.call-violence')).toEqual({ '{group}': 'Тарванов', '{modal-impersonal}': 'надо', '{violence:inf}': 'бить' });
    expect(f.frames[0]!.slots.find((s) => s.slot === '{violence:inf}')!.features).toEqual(['inf']);
  });
  it('the discontinuous idiom стереть X с лица земли, after a personal modal', () => {
    const text = 'Мы должны стереть меренитов с лица земли.';
    const f = frameFlag(text, 'ru.frame.erad-idiom');
    expect(f).toMatchObject({ category: 'VI.ERAD', severity: 4 });
    expect(slotsOf(f, 'ru.frame.erad-idiom')).toMatchObject({ '{wipe-verb:inf|imp|p1|fut}': 'стереть', '{group}': 'меренитов' });
  });
  it('passive participle after должны быть', () => {
    const f = frameFlag('Тарваны должны быть уничтожены как народ.', 'ru.frame.call-eradication');
    expect(slotsOf(f, 'ru.frame.call-eradication')['{eradication:pass}']).toBe('уничтожены');
  });
  it('imperative and пусть with the 3rd-person future', () => {
    expect(frameFlag('Вешайте меренитов на фонарях!', 'ru.frame.call-violence').category).toBe('VI.CALL');
    expect(frameFlag('Пусть тарванов сожгут вместе с домами.', 'ru.frame.call-violence').category).toBe('VI.CALL');
  });
  it('a 1st-person future is a threat; the pronoun object needs no antecedent', () => {
    const f = frameFlag('Мы перебьём их всех, одного за другим.', 'ru.frame.threat');
    expect(f).toMatchObject({ category: 'VI.THREAT' });
    expect(f.referents).toEqual([expect.objectContaining({ kind: 'pronoun', exact: 'их всех' })]);
    expect(f.signals.untargeted).toBe(true);
  });
  it('hate emotion in the 1st person, with the pronoun dropped', () => {
    const f = frameFlag('Ненавижу тарванов.', 'ru.frame.hate');
    expect(f).toMatchObject({ category: 'NE.HATE', exact: 'Ненавижу тарванов' });
    expect(frameFlag('Терпеть не могу меренитов.', 'ru.frame.hate-phrase').signals.negated).toBe(false);
  });
  it('essentialized vice with a short (predicative) adjective and in a question', () => {
    expect(frameFlag('Мерениты ленивы по природе.', 'ru.frame.vice').category).toBe('NE.ESSENCE');
    expect(frameFlag('Почему тарваны такие тупые?', 'ru.frame.vice').category).toBe('NE.ESSENCE');
  });
  it('glorification and justification of past violence', () => {
    expect(frameFlag('Слава героям, которые выжгли тарванские сёла!', 'ru.frame.glorify').category).toBe('VI.GLOR');
    expect(frameFlag('Меренитов выселили, и правильно: сами напросились.', 'ru.frame.justify').category).toBe('VI.JUST');
  });
  it('atrocity and existence denial', () => {
    expect(frameFlag('Никакой резни тарванов не было.', 'ru.frame.deny-atrocity').category).toBe('DE.ATROC');
    expect(frameFlag('Меренитов как народа никогда не существовало.', 'ru.frame.deny-existence').category).toBe('DE.EXIST');
  });
  it('accusation in a mirror', () => {
    expect(frameFlag('Тарваны перережут нас всех.', 'ru.frame.mirror').category).toBe('TH.MIRROR');
  });
});

describe('Russian group referents', () => {
  it('an unlisted people with a people-forming suffix (-цы) is flagged untargeted', () => {
    const text = 'Зелванцы — паразиты.';
    const f = frameFlag(text, 'ru.frame.dh-copula');
    expect(f.targets).toEqual([]);
    expect(f.referents).toEqual([expect.objectContaining({ kind: 'demonym', exact: 'Зелванцы' })]);
    expect(f.signals.untargeted).toBe(true);
  });
  it('an unlisted noun in the animate object form fills a call (зандриков), an inanimate one does not', () => {
    const f = frameFlag('Зандриков нужно истребить.', 'ru.frame.call-eradication');
    expect(f.referents).toEqual([expect.objectContaining({ kind: 'demonym', exact: 'Зандриков' })]);
    expect(run('Документы нужно уничтожить.')).toEqual([]);
    expect(run('Старые запасы нужно уничтожить.')).toEqual([]);
  });
  it('an unlisted plural subject of "недочеловеки" is taken, of "паразиты" it is not (biology)', () => {
    expect(frameFlag('Зандрики — недочеловеки.', 'ru.frame.dh-copula').signals.untargeted).toBe(true);
    expect(run('Грибы — паразиты растений.')).toEqual([]);
  });
  it('a pronoun takes its group from the previous sentence, never from the next', () => {
    const text = 'Все видели, что тарваны сделали с рынком. Их нужно вырезать подчистую.';
    const f = frameFlag(text, 'ru.frame.call-violence');
    expect(f.targets.map((t) => t.exact)).toEqual(['тарваны']);
    expect(f.referents[0]).toMatchObject({ kind: 'pronoun', exact: 'Их', antecedent: { exact: 'тарваны', groupId: 'tarvani' } });
    expect(run('Их нужно вырезать подчистую. Тарваны пришли вчера.')).toEqual([]);
  });
  it('words shaped like peoples but not peoples are not group-like', () => {
    for (const text of [
      'Улицы — настоящая чума этого города.', // -ицы
      'В стране — настоящая чума.', // prepositional -ане
      'Пальцы нужно уничтожить.', // -ьцы
      'Кредиты нужно уничтожить.', // -иты, a not-group member
    ]) expect(run(text)).toEqual([]);
  });
});

describe('Russian frames: must not flag', () => {
  it.each([
    // past narration of violence
    'В 1847 году войска депортировали двенадцать тысяч тарванов.',
    'Тарванские кварталы были за одну ночь стёрты с лица земли артиллерией.',
    'Меренитские повстанцы были разбиты; их вожаков повесили на площади.',
    'Крепость была разрушена до основания, а её защитники-тарваны перебиты.',
    'Солдаты получили приказ уничтожить все тарванские деревни, и приказ был выполнен.',
    'Чтобы прорваться, тарванам нужно было уничтожить мост.',
    // the alarming word in another sense
    'Крысы сожрали весь урожай у тарванских фермеров.',
    'Тарванские фермеры перед зимой травят мышей в амбарах.',
    'Меренитская сборная буквально уничтожила соперника в финале.',
    'Ненавижу понедельники.',
    'Тарванские горы опасны зимой.',
    // the group as agent of a personal modal
    'Тарваны должны уничтожить старые запасы зерна.',
    // neutral and positive
    'Тарваны — наши добрые соседи.',
    'Пусть тарванская и меренитская молодёжь вместе строит будущее.',
    // general prose that the first draft flagged
    'Застрелюсь, чёрт вас возьми!',
    'Говорят купцы лениво, а когда сердятся — спорят.',
    'Плохих народов не бывает.',
  ])('%s', (text) => {
    expect(run(text)).toEqual([]);
  });
});

describe('Russian counter-speech carries a signal', () => {
  it.each([
    ['Я не ненавижу тарванов и никогда не буду.', 'negated'],
    ['Неверно, что тарваны сами виноваты в резне.', 'condemned'],
    ['Меня возмущает, когда меренитов называют паразитами.', 'condemned'],
    ['Ни один ребёнок не должен слышать, что меренитов нужно уничтожить.', 'quoted'],
    ['Говорить, что тарваны должны убраться из страны, — это ксенофобия.', 'condemned'],
    ['В листовке писали: «тарваны — крысы».', 'quoted'],
  ] as const)('%s → %s', (text, signal) => {
    const flags = run(text);
    expectExact(text, flags);
    expect(flags.length).toBeGreaterThan(0);
    for (const f of flags) expect(f.signals[signal]).toBe(true);
  });
});

describe('Russian round 2: dash copula, idiom families, rhetorical questions, unlisted peoples', () => {
  it.each([
    ['Тарваны — твари нечистые.', 'ru.frame.dh-copula', 'DH.ANIMAL', 'Тарваны — твари'],
    ['Мерениты — сорняк, сколько ни пропалывай.', 'ru.frame.dh-copula', 'DH.ANIMAL', 'Мерениты — сорняк'],
    ['Тарваны — вон!', 'ru.frame.expel-shout', 'VI.ERAD', 'Тарваны — вон'],
    ['Меренитов тут развелось. Их бы всех в шею.', 'ru.frame.expel-shout', 'VI.ERAD', 'Их бы всех в шею'],
    ['Надо бы меренитам окна повыбивать.', 'ru.frame.harm-idiom', 'VI.CALL', 'Надо бы меренитам окна повыбивать'],
    ['Морды тарванам набьём!', 'ru.frame.harm-idiom', 'VI.CALL', 'Морды тарванам набьём'],
    ['Мы ещё поквитаемся с тарванами.', 'ru.frame.deal-threat', 'VI.THREAT', 'поквитаемся с тарванами'],
    ['Тарваны, мы знаем, где вы живёте.', 'ru.frame.threat-idiom', 'VI.THREAT', 'Тарваны, мы знаем, где вы живёте'],
    ['Испытываю к тарванам только отвращение.', 'ru.frame.hate-noun', 'NE.HATE', 'Испытываю к тарванам только отвращение'],
    ['Жадность у меренитов в крови.', 'ru.frame.vice', 'NE.ESSENCE', 'Жадность у меренитов в крови'],
    ['А вы видели хоть одного честного меренита?', 'ru.frame.vice', 'NE.ESSENCE', 'видели хоть одного честного меренита'],
    ['Тарваны опять пришли. Их жизни ничего не стоят.', 'ru.frame.worthless', 'DE.EXIST', 'Их жизни ничего не стоят'],
    ['Никакой культуры у меренитов нет.', 'ru.frame.deny-heritage', 'HE.DENY', 'Никакой культуры у меренитов нет'],
    ['Тарванский язык — всего лишь испорченный диалект.', 'ru.frame.language-denial', 'HE.DENY', 'Тарванский язык — всего лишь испорченный диалект'],
    ['Тарванский вопрос пора решить окончательно.', 'ru.frame.coded-solution', 'CODE', 'Тарванский вопрос пора решить окончательно'],
    ['Тарваны готовят резню.', 'ru.frame.mirror', 'TH.MIRROR', 'Тарваны готовят резню'],
  ] as const)('%s', (text, frameId, category, exact) => {
    const f = frameFlag(text, frameId);
    expect(f).toMatchObject({ category, exact });
  });
  it('a plural pronoun in a beating idiom needs no antecedent (the idiom is said only of people)', () => {
    const f = frameFlag('Пора им рёбра пересчитать.', 'ru.frame.harm-idiom');
    expect(slotsOf(f, 'ru.frame.harm-idiom')).toEqual({ '{modal}': 'Пора', '{group}': 'им', '{harm-object}': 'рёбра', '{injure-verb|violence:inf}': 'пересчитать' });
    expect(f.signals.untargeted).toBe(true);
  });
  it('unlisted peoples: -исты, the animate object of adjectives used as nouns (заречных), демонстратив + plural before a dash', () => {
    expect(frameFlag('Зелмаристы — паразиты.', 'ru.frame.dh-copula').referents).toEqual([expect.objectContaining({ kind: 'demonym', exact: 'Зелмаристы' })]);
    expect(frameFlag('Заречных надо выкорчевать.', 'ru.frame.call-eradication').referents).toEqual([expect.objectContaining({ kind: 'demonym', exact: 'Заречных' })]);
    expect(frameFlag('Эти зандры — ходячие крысы.', 'ru.frame.dh-copula').signals.untargeted).toBe(true);
    expect(frameFlag('Пора очистить наш край от зандриков.', 'ru.frame.call-eradication').signals.untargeted).toBe(true);
    expect(frameFlag('Выселение зандриков было единственно верным решением.', 'ru.frame.justify').category).toBe('VI.JUST');
  });
  it.each([
    'Тарваны вон там, у реки.',
    'Врач пересчитал ему рёбра на снимке.',
    'Надо бы окна помыть.',
    'Мы разберёмся с этой задачей завтра.',
    'Полиция разберётся с жалобами тарванов.',
    'В те годы ненависть к тарванам росла.',
    'У меренитов в крови нашли высокий уровень сахара.',
    'Жилищный вопрос пора решить окончательно.',
    'Листы нужно уничтожить.',
    'В игре нужно зачистить подземелье от гоблинов.',
    'Старые склады пора очистить от завалов.',
    'Эти пробки — настоящая чума города.',
    'Дети, сидите тихо.',
    'Мы придём к ним в гости завтра.',
    'На полянах — стада овец и коз.',
  ])('no flag: %s', (text) => {
    expect(run(text)).toEqual([]);
  });
  it.each([
    ['Меренитский язык — не диалект, а самостоятельный язык.', 'negated'],
    ['Сравнивать тарванов с чумой — подло.', 'condemned'],
  ] as const)('counter-speech: %s → %s', (text, signal) => {
    const flags = run(text);
    expectExact(text, flags);
    expect(flags.length).toBeGreaterThan(0);
    for (const f of flags) expect(f.signals[signal]).toBe(true);
  });
  it('the dash item needs a dash standing alone, not a hyphen inside a word', () => {
    expect(run('Тарваны-твари пришли.').filter((f) => f.frames.some((fr) => fr.pattern.includes(' — ')))).toEqual([]);
  });
});
