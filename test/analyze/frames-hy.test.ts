/**
 * Armenian frames, word classes and morphology on the starter lexicon. Groups are invented:
 * the listed example groups (տարվանցիներ, մերենիտներ) and unlisted names made up here
 * (քելմարներ, դորանցիներ, սալվիրներ). No database.
 */
import { analyzePage, compileLexicon, type AnalysisFlag } from '../../src/analyze';
import { analyzerFor, featureNames } from '../../src/analyze/morph';
import { loadLexicon } from '../../src/lexicon';

const lexicon = compileLexicon(loadLexicon());
const run = (text: string): AnalysisFlag[] => analyzePage(text, lexicon, { lang: 'hy' }).flags;

/** Every offset a flag reports points at its text: the flag, each frame, slot, target and referent. */
function expectExact(text: string, flags: AnalysisFlag[]): void {
  for (const f of flags) {
    expect(text.slice(f.start, f.end)).toBe(f.exact);
    expect(text.slice(f.sentenceStart, f.sentenceEnd)).toBe(f.sentence);
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

function only(text: string): AnalysisFlag {
  const flags = run(text);
  expectExact(text, flags);
  expect(flags.map((f) => f.exact)).toHaveLength(1);
  return flags[0]!;
}

/** A slot as written, without its feature or case spec; the dehumanizing noun classes as {dh}. */
function slotName(slot: string): string {
  const bare = slot.replace(/^\{([^}:]+):[^}]*\}$/u, '{$1}');
  return bare.includes('dh-') ? '{dh}' : bare;
}

/** The slot fillers of each match of one frame in the flag, as slot → exact words (with features). */
function slotsOf(flag: AnalysisFlag, frameId: string): Array<Record<string, string>> {
  const matches = flag.frames.filter((x) => x.frameId === frameId);
  expect(matches.length).toBeGreaterThan(0);
  return matches.map((fr) => {
    const out: Record<string, string> = {};
    for (const s of fr.slots) out[slotName(s.slot)] = s.features ? `${s.exact} (${s.features.join(',')})` : s.exact;
    return out;
  });
}

/** One flag, made by `frameId` with `category`, over `exact`, with these slot fillers and no signal. */
function expectFrameFlag(text: string, frameId: string, category: string, exact: string, slots: Record<string, string>): void {
  const f = only(text);
  // The flag takes the most severe category of what matched in it; the frame keeps its own.
  expect(f.frames.filter((x) => x.frameId === frameId).map((x) => x.category)).toContain(category);
  expect(f.exact).toBe(exact);
  expect(slotsOf(f, frameId)).toContainEqual(expect.objectContaining(slots));
  expect(f.signals).toMatchObject({ negated: false, quoted: false, condemned: false });
}

describe('Armenian morphology (morph.ts) on real word forms', () => {
  const hy = analyzerFor('hy');
  const features = (pos: 'verb' | 'noun' | 'adj', stem: string, word: string): string[] | null => {
    const f = hy(pos, stem, '', word);
    return f < 0 ? null : featureNames(f);
  };

  test.each([
    // -ել verb: սպանել 'kill'
    ['սպան', 'սպանել', ['inf', 'part']],
    ['սպան', 'սպանելու', ['inf', 'fut']],
    ['սպան', 'սպանում', ['pres']],
    ['սպան', 'սպանիր', ['imp']],
    ['սպան', 'սպանեք', ['imp', 'subj']],
    ['սպան', 'սպանեմ', ['subj', 'p1']],
    ['սպան', 'սպանենք', ['subj', 'p1']],
    ['սպան', 'սպանեն', ['subj']],
    ['սպան', 'սպանեի', ['subj', 'p1', 'cond']],
    ['սպան', 'սպանեցին', ['past']],
    ['սպան', 'սպանեցինք', ['past']],
    ['սպան', 'սպանած', ['past', 'part']],
    ['սպան', 'սպանված', ['past', 'part', 'pass']],
    ['սպան', 'սպանվեն', ['subj', 'pass']],
    ['սպան', 'սպանվեցին', ['past', 'pass']],
    ['սպան', 'սպանելով', ['prog']],
    ['սպան', 'սպանողները', ['prog']],
    // causative -ացնել: ոչնչացնել 'destroy' (present stem -ն-, aorist stem -ր-)
    ['ոչնչաց', 'ոչնչացնել', ['inf']],
    ['ոչնչաց', 'ոչնչացնենք', ['subj', 'p1']],
    ['ոչնչաց', 'ոչնչացնում', ['pres']],
    ['ոչնչաց', 'ոչնչացրեց', ['past']],
    ['ոչնչաց', 'ոչնչացրին', ['past']],
    ['ոչնչաց', 'ոչնչացրու', ['imp']],
    ['ոչնչաց', 'ոչնչացրեք', ['imp']],
    ['ոչնչաց', 'ոչնչացրած', ['past', 'part']],
    ['ոչնչաց', 'ոչնչացված', ['past', 'part', 'pass']],
    ['ոչնչաց', 'ոչնչացվեն', ['subj', 'pass']],
    // -անալ: վերանալ 'vanish'; -նել: մեռնել 'die'
    ['վերա', 'վերանան', ['subj']],
    ['վերա', 'վերանում', ['pres']],
    ['վերա', 'վերացան', ['past']],
    ['վերա', 'վերացավ', ['past']],
    ['մեռ', 'մեռնել', ['inf']],
    ['մեռ', 'մեռնեն', ['subj']],
    ['մեռ', 'մեռավ', ['past']],
    ['մեռ', 'մեռան', ['past', 'subj']],
    // -ալ verb: կարդալ 'read'
    ['կարդ', 'կարդալ', ['inf']],
    ['կարդ', 'կարդալու', ['inf', 'fut']],
    ['կարդ', 'կարդա', ['past', 'imp', 'subj']],
    ['կարդ', 'կարդացեք', ['imp']],
    ['կարդ', 'կարդացին', ['past']],
    ['կարդ', 'կարդացած', ['past', 'part']],
  ] as const)('verb %s + %s', (stem, word, expected) => {
    expect(features('verb', stem, word)).toEqual(expected);
  });

  test.each([
    ['առնետ', 'առնետ', ['base', 'noun']],
    ['առնետ', 'առնետը', ['noun']],
    ['առնետ', 'առնետի', ['noun']],
    ['առնետ', 'առնետներ', ['noun', 'plural']],
    ['առնետ', 'առնետները', ['noun', 'plural']],
    ['առնետ', 'առնետներին', ['noun', 'plural']],
    ['առնետ', 'առնետների', ['noun', 'plural']],
    ['մակաբույծ', 'մակաբույծներից', ['noun', 'plural']],
    ['գայլ', 'գայլեր', ['noun', 'plural']],
    ['կենդան', 'կենդանու', ['noun']],
    ['կենդան', 'կենդանիներ', ['noun', 'plural']],
    ['որդեր', 'որդերը', ['noun', 'plural']], // a member written as a plural stem
  ] as const)('noun %s + %s', (stem, word, expected) => {
    expect(features('noun', stem, word)).toEqual(expected);
  });

  test.each([
    // a stem takes only its own endings: these words merely start with it
    ['verb', 'քանդ', 'քանդակ'], // sculpture, not 'demolish'
    ['verb', 'կոտոր', 'կոտորակ'], // fraction, not 'massacre'
    ['verb', 'սպան', 'սպանդ'], // the noun 'slaughter'
    ['verb', 'ջարդ', 'ջարդը'], // the noun 'massacre' with its article
    ['verb', 'կրակ', 'կրակը'], // 'the fire'
    ['verb', 'բազմա', 'բազմաթիվ'], // 'numerous', not 'multiply'
    ['noun', 'աղբ', 'աղբյուր'], // spring, not 'garbage'
    ['noun', 'ժողովրդ', 'ժողովրդական'], // 'popular'
    ['noun', 'խոզ', 'խոզանակ'], // brush, not 'pig'
    ['noun', 'ցեղ', 'ցեղասպանություն'], // genocide, not 'tribe'
    ['noun', 'կով', 'կովկաս'],
  ] as const)('%s stem %s does not take %s', (pos, stem, word) => {
    expect(features(pos, stem, word)).toBeNull();
  });

  test('the future կ- and negative չ- prefixes and the dropped ՛ mark reach the frame slots', () => {
    const t = 'Մենք կկոտորենք մերենիտներին։';
    expect(slotsOf(only(t), 'hy.frame.threat')).toContainEqual(expect.objectContaining({ '{violence|eradication}': 'կկոտորենք (fut,subj,p1)' }));
    const imp = 'Վտարե՛ք տարվանցիներին մեր երկրից։';
    expect(slotsOf(only(imp), 'hy.frame.call-eradication')).toContainEqual(expect.objectContaining({ '{eradication}': 'Վտարե՛ք (imp,subj)' }));
  });
});

describe('Armenian frames: must flag', () => {
  test.each([
    // [text, frame id, category, flag exact, slot fillers]
    ['Մերենիտները ուտիճներ են։', 'hy.frame.dh-copula', 'DH.ANIMAL', 'Մերենիտները ուտիճներ են',
      { '{group}': 'Մերենիտները', '{dh}': 'ուտիճներ (noun,plural)', '{copula}': 'են (base)' }],
    ['Տարվանցիները բոլորն էլ գարշելի մակաբույծներ են։', 'hy.frame.dh-copula', 'DH.DISEASE', 'Տարվանցիները բոլորն էլ գարշելի մակաբույծներ են',
      { '{group}': 'Տարվանցիները', '{dh}': 'մակաբույծներ (noun,plural)', '{copula}': 'են (base)' }],
    ['Այդ մակաբույծ մերենիտները մեր հողն են խլում։', 'hy.frame.dh-copula', 'DH.DISEASE', 'մակաբույծ մերենիտները',
      { '{dh}': 'մակաբույծ (base,noun)', '{group}': 'մերենիտները' }],
    ['Մերենիտների կյանքը ոչինչ չարժե։', 'hy.frame.worthless', 'DE.EXIST', 'Մերենիտների կյանքը ոչինչ չարժե',
      { '{group}': 'Մերենիտների', '{worthless}': 'ոչինչ չարժե (base)' }],
    ['Ատում եմ տարվանցիներին։', 'hy.frame.hate', 'NE.HATE', 'Ատում եմ տարվանցիներին',
      { '{hate-emotion}': 'Ատում (pres)', 'եմ|ենք': 'եմ', '{group}': 'տարվանցիներին' }],
    ['Տանել չեմ կարողանում մերենիտներին։', 'hy.frame.hate-phrase', 'NE.HATE', 'Տանել չեմ կարողանում մերենիտներին',
      { '{hate-emotion}': 'Տանել չեմ կարողանում (base)', '{group}': 'մերենիտներին' }],
    ['Երդվում եմ, որ ոչ մի մերենիտ ողջ չի մնա։', 'hy.frame.threat-idiom', 'VI.THREAT', 'ոչ մի մերենիտ ողջ չի մնա',
      { '{group}': 'մերենիտ', '{threat-idiom}': 'ողջ չի մնա (base)' }],
    ['Տարվանցիները միշտ ստում են։', 'hy.frame.vice', 'NE.ESSENCE', 'Տարվանցիները միշտ ստում',
      { '{group}': 'Տարվանցիները', '{vice-verb}': 'ստում (pres)' }],
    ['Ինչու են մերենիտներն այդքան ագահ։', 'hy.frame.vice', 'NE.ESSENCE', 'են մերենիտներն այդքան ագահ',
      { '{copula}': 'են (base)', '{group}': 'մերենիտներն', '{vice-adjective}': 'ագահ (base)' }],
    ['Տարվանցիներին պետք է գնդակահարել։', 'hy.frame.call-violence', 'VI.CALL', 'Տարվանցիներին պետք է գնդակահարել',
      { '{group}': 'Տարվանցիներին', '{modal}': 'պետք է (base)', '{violence}': 'գնդակահարել (inf,part)' }],
    ['Թող սատկեն մերենիտները։', 'hy.frame.call-violence', 'VI.CALL', 'Թող սատկեն մերենիտները',
      { 'թող': 'Թող', '{death}': 'սատկեն (subj)', '{group}': 'մերենիտները' }],
    ['Պետք է վտարել բոլոր մերենիտներին։', 'hy.frame.call-eradication', 'VI.ERAD', 'Պետք է վտարել բոլոր մերենիտներին',
      { '{modal}': 'Պետք է (base)', '{eradication}': 'վտարել (inf,part)', '{group}': 'մերենիտներին' }],
    ['Մերենիտներին պետք է երկրի երեսից ջնջել։', 'hy.frame.erad-idiom', 'VI.ERAD', 'Մերենիտներին պետք է երկրի երեսից ջնջել',
      { '{group}': 'Մերենիտներին', '{wipe-verb}': 'ջնջել (inf,part)' }],
    ['Ես ուզում եմ սպանել բոլոր տարվանցիներին։', 'hy.frame.threat', 'VI.THREAT', 'ուզում եմ սպանել բոլոր տարվանցիներին',
      { '{first-person-intent}': 'ուզում եմ (base)', '{violence|eradication}': 'սպանել (inf,part)', '{group}': 'տարվանցիներին' }],
    ['Տարվանցիները թանկ կվճարեն սրա համար։', 'hy.frame.threat-idiom', 'VI.THREAT', 'Տարվանցիները թանկ կվճարեն սրա համար',
      { '{group}': 'Տարվանցիները', '{threat-idiom}': 'թանկ կվճարեն (base)' }],
    ['Փառք մեր պապերին, որոնք կոտորեցին տարվանցիներին։', 'hy.frame.glorify', 'VI.GLOR', 'Փառք մեր պապերին, որոնք կոտորեցին տարվանցիներին',
      { '{glorify-cue}': 'Փառք (base)', '{violence|eradication}': 'կոտորեցին (past)', '{group}': 'տարվանցիներին' }],
    ['Մերենիտները ստացան այն, ինչին արժանի էին։', 'hy.frame.justify', 'VI.JUST', 'Մերենիտները ստացան այն, ինչին արժանի էին',
      { '{group}': 'Մերենիտները', '{justify-cue}': 'ինչին արժանի էին (base)' }],
    ['Տարվանցիների կոտորածը հորինվածք է։', 'hy.frame.deny-atrocity', 'DE.ATROC', 'Տարվանցիների կոտորածը հորինվածք է',
      { '{group}': 'Տարվանցիների', '{atrocity}': 'կոտորածը (noun)', '{never-happened}': 'հորինվածք է (base)' }],
    ['Մերենիտները երբեք էլ պատմություն չեն ունեցել։', 'hy.frame.deny-heritage', 'HE.DENY', 'Մերենիտները երբեք էլ պատմություն չեն',
      { '{group}': 'Մերենիտները', '{heritage-noun}': 'պատմություն (base,noun)' }],
    ['Մերենիտ ժողովուրդ գոյություն չունի։', 'hy.frame.deny-existence', 'DE.EXIST', 'Մերենիտ ժողովուրդ գոյություն չունի',
      { '{group}': 'Մերենիտ', '{exist-verb}': 'գոյություն չունի (base)' }],
    ['Մերենիտները ուզում են մեզ բնաջնջել։', 'hy.frame.mirror', 'TH.MIRROR', 'Մերենիտները ուզում են մեզ բնաջնջել',
      { '{group}': 'Մերենիտները', '{violence|eradication}': 'բնաջնջել (inf,part)' }],
    ['Տարվանցիների վանքերը պետք է ավերել։', 'hy.frame.destroy-heritage', 'HE.DESTROY', 'Տարվանցիների վանքերը պետք է ավերել',
      { '{group}': 'Տարվանցիների', '{heritage-noun}': 'վանքերը (noun,plural)', '{destroy-verb}': 'ավերել (inf,part)' }],
  ] as const)('%s', expectFrameFlag);

  test('a group name used as an attribute leaves the case to its head noun (մերենիտ կանանց)', () => {
    const f = only('Մերենիտ կանանց պետք է բռնաբարել։');
    expect(f).toMatchObject({ category: 'VI.CALL', exact: 'Մերենիտ կանանց պետք է բռնաբարել' });
    expect(f.targets.map((t) => t.exact)).toEqual(['Մերենիտ']);
    // the head noun after a nominative group does not make it an object
    expect(run('Մերենիտ վաճառականները պետք է վճարեն նոր հարկը։')).toEqual([]);
  });

  test('the predicate noun may have its own modifiers before the copula (մեր երկրի քաղցկեղն են)', () => {
    const f = only('Սալվիրները մեր երկրի քաղցկեղն են։');
    expect(f).toMatchObject({ category: 'DH.DISEASE', exact: 'Սալվիրները մեր երկրի քաղցկեղն են' });
    expect(f.referents.map((r) => [r.kind, r.exact])).toEqual([['demonym', 'Սալվիրները']]);
    // a genitive group is a possessor there, not the subject
    expect(run('Տարվանցիների ամբարում առնետներ են։')).toEqual([]);
  });

  test('an unlisted people in -ցի is demonym-shaped and flagged untargeted', () => {
    const t = 'Դորանցիներին պետք է քշել ծովը։';
    const f = only(t);
    expect(f.category).toBe('VI.ERAD');
    expect(f.signals.untargeted).toBe(true);
    expect(f.targets).toEqual([]);
    expect(f.referents.map((r) => [r.kind, r.exact])).toEqual([['demonym', 'Դորանցիներին']]);
  });

  test('a lower-case plural people name is demonym-shaped (Armenian does not capitalise peoples)', () => {
    const f = only('Մենք կբնաջնջենք քելմարներին գյուղ առ գյուղ։');
    expect(f).toMatchObject({ category: 'VI.THREAT', exact: 'կբնաջնջենք քելմարներին' });
    expect(f.referents.map((r) => [r.kind, r.exact])).toEqual([['demonym', 'քելմարներին']]);
    expect(f.signals.untargeted).toBe(true);
  });

  test('a generic collective stands for the group: "that whole tribe must vanish from the face of the earth"', () => {
    const f = only('Այդ ամբողջ ցեղը պետք է վերանա երկրի երեսից։');
    expect(f.category).toBe('VI.ERAD');
    expect(f.referents.map((r) => [r.kind, r.exact])).toEqual([['collective', 'ամբողջ ցեղը']]);
  });

  test('a pronoun takes its group from the previous sentence, never from the next', () => {
    const t = 'Մերենիտները նորից եկան։ Նրանք մակաբույծներ են։';
    const f = only(t);
    expect(f.exact).toBe('Նրանք մակաբույծներ են');
    expect(f.targets.map((x) => x.exact)).toEqual(['Մերենիտները']);
    expect(f.referents[0]).toMatchObject({ kind: 'pronoun', exact: 'Նրանք', antecedent: { exact: 'Մերենիտները', groupId: 'merenites' } });
    expect(run('Նրանք մակաբույծներ են։ Մերենիտները նորից եկան։')).toEqual([]);
  });

  test("a plural in the pronoun's own sentence (its co-argument) does not hide the antecedent", () => {
    const t = 'Տարվանցիները եկան իրենց սայլերով։ Մեր զինվորները նրանց կոտորեցին, եւ մենք հպարտ ենք դրանով։';
    const f = only(t);
    expect(f.category).toBe('VI.GLOR');
    expect(f.referents[0]).toMatchObject({ kind: 'pronoun', exact: 'նրանց', antecedent: { exact: 'Տարվանցիները', groupId: 'tarvani' } });
  });
});

describe('Armenian frames: must not flag', () => {
  test.each([
    // history narration: aorist and -ած participles, no call, praise or justification
    '1821 թվականին զորքերը կոտորեցին տարվանցիներին։',
    'Բանակը վտարեց մերենիտներին իրենց գյուղերից։',
    'Տարվանցիները գնդակահարվեցին գյուղի հրապարակում։',
    'Նոր իշխանությունը փորձեց բնաջնջել մերենիտներին, սակայն հարեւանները թաքցրին նրանց։',
    // the group as the subject of an active verb is not its victim
    'Մերենիտները ջախջախեցին թշնամուն 1453 թվականին, եւ մենք հպարտ ենք մեր պատմությամբ։',
    // other senses
    'Առնետները մտել էին ամբար եւ կերել տարվանցի ֆերմերների հացահատիկը։',
    'Անասնաբույժը մերենիտ հովիվների ոչխարներին բուժեց մակաբույծներից։',
    'Որդերը մակաբույծներ են, նրանք ապրում են աղիքներում։',
    'Բույսերը մակաբույծներ չեն, բայց սնկերը մակաբույծներ են։',
    // the pronoun's nearest plural is the worms, not the scientists further back
    'Գիտնականները պարզել են, որ այս որդերը ապրում են աղիքներում։ Նրանք մակաբույծներ են։',
    'Պետք է ոչնչացնել առնետներին, որոնք վարակ են տարածում։',
    'Գյուղացիները պետք է ոչնչացնեն մոլախոտերը։',
    'Համակարգչային վիրուսը վնասեց մերենիտ ուսանողների ֆայլերը։',
    'Մեր թիմը ջախջախեց տարվանցիների թիմին երեք-զրո հաշվով։',
    'Ամեն ինչ կախված է եղանակից։',
    'Մերենիտները պետք է ազատվեն բանտից։', // 'must be freed', not 'got rid of'
    'Տարվանցիները միշտ ստանում են իրենց աշխատավարձը ժամանակին։', // ստանալ 'receive', not ստել 'lie'
    'Տարվանցի գյուղացիները ստացել են նոր հողեր։',
    // են before a participle is the auxiliary, not the copula: 'they catch rats', 'they sell cars'
    'Տարվանցիները առնետներ են բռնում։',
    'Մերենիտները մեքենաներ են վաճառում շուկայում։',
    'Տարվանցիները էժան են վաճառում իրենց գինին։',
    'Մերենիտները գողեր են բռնել։',
    'Նրանք դեռ կենդանի են։',
    'Ուսուցիչը պետք է դաս տա մերենիտ երեխաներին։',
    'Մեր թիմը պետք է ջախջախի մրցակիցներին կիրակի օրը։',
    'Հպարտ ենք մեր մարզիկներով, որոնք ջախջախեցին մրցակիցներին։',
    'Պետք է վտարել այդ ֆուտբոլիստներին թիմից։',
    'Ատում եմ երկուշաբթիները։', // a thing as object stands in the nominative; a person in the dative
    'Զզվում եմ կեղծավորներից։', // hypocrites are not a people
    'Այս խնձորները փտած են։',
    'Մամոնտները վաղուց անհետացել են երկրի երեսից։', // the perfect is narration
    'Ճամբարում բանտարկյալներին պահում էին ինչպես անասունների։', // էին is the auxiliary of պահում
    'Պատմաբանները պնդում են, որ տարվանցիները վտարվել են 1821 թվականին։',
    // neutral and positive
    'Տարվանցիները հայտնի են իրենց գորգերով ու երգերով։',
    'Պետք է պաշտպանել տարվանցիներին եւ նրանց եկեղեցիները։',
    'Մերենիտներն ու տարվանցիները դարեր շարունակ խաղաղ ապրել են կողք կողքի։',
    'Մերենիտ վաճառականները պետք է վճարեն նոր հարկը։',
  ])('%s', (text) => {
    const harmful = run(text).filter((f) => f.category !== 'PO.RESPECT');
    expect(harmful.map((f) => `${f.category} ${f.exact}`)).toEqual([]);
  });
});

describe('Armenian counter-speech carries a signal', () => {
  test.each([
    ['Սուտ է, թե տարվանցիները մակաբույծներ են։', 'condemned'],
    ['Ռասիստական անհեթեթություն է, թե քելմարները ուտիճներ են։', 'condemned'],
    ['Նախարարը հայտարարեց, որ մերենիտներին պետք է վտարել։', 'quoted'],
    ['Մերենիտներին ենթամարդ անվանելը ապամարդկայնացում է։', 'condemned'],
    ['Ես չեմ ատում մերենիտներին։', 'negated'],
    ['Եկեք չսպանենք մերենիտներին։', 'negated'], // չ- on the verb itself
  ] as const)('%s', (text, signal) => {
    const flags = run(text).filter((f) => f.category !== 'PO.RESPECT');
    expectExact(text, flags);
    expect(flags.length).toBeGreaterThan(0);
    for (const f of flags) expect(f.signals[signal]).toBe(true);
  });

  test('a negated copula is no predication: "X are not parasites" gets no flag, or only a negated one', () => {
    const text = 'Տարվանցիները մակաբույծներ չեն, նրանք մեր հարեւաններն են։';
    const flags = run(text).filter((f) => f.category !== 'PO.RESPECT');
    expectExact(text, flags);
    for (const f of flags) expect(f.signals.negated).toBe(true);
  });
});

describe('Armenian round 2: construction families', () => {
  test.each([
    // abstract nouns in -ություն change their last syllable in the oblique cases; մարդ compounds take -իկ/-կանց
    ['noun', 'ցեղասպանությ', 'ցեղասպանություն', ['base', 'noun']],
    ['noun', 'ցեղասպանությ', 'ցեղասպանության', ['noun']],
    ['noun', 'ցեղասպանությ', 'ցեղասպանությամբ', ['noun']],
    ['noun', 'ցեղասպանությ', 'ցեղասպանությունները', ['noun', 'plural']],
    ['noun', 'ցեղասպանութ', 'ցեղասպանութիւնը', ['noun']], // classical orthography
    ['noun', 'ցեղասպանութ', 'ցեղասպանութեան', ['noun']],
    ['noun', 'կիսամարդ', 'կիսամարդիկ', ['noun', 'plural']],
    ['noun', 'ենթամարդ', 'ենթամարդկանց', ['noun', 'plural']],
  ] as const)('%s %s + %s', (pos, stem, word, expected) => {
    const f = analyzerFor('hy')(pos, stem, '', word);
    expect(f < 0 ? null : featureNames(f)).toEqual(expected);
  });

  test.each([
    ['ցեղասպանությ', 'ցեղասպանությ'], // the stem alone is no word
    ['ցեղասպանությ', 'ցեղասպանությունակ'],
    ['մարդ', 'մարդիկ'], // only compounds of մարդ end in the stem 'մարդ' here; մարդ itself is no class stem
  ] as const)('noun stem %s does not take %s', (stem, word) => {
    const f = analyzerFor('hy')('noun', stem, '', word);
    if (stem === 'մարդ') expect(f < 0 ? null : featureNames(f)).toEqual(['noun', 'plural']);
    else expect(f).toBeLessThan(0);
  });

  test.each([
    // [text, frame id, category, flag exact, slot fillers]
    ['Դորանցիները ի ծնե գողեր են։', 'hy.frame.vice', 'NE.ESSENCE', 'Դորանցիները ի ծնե գողեր են',
      { '{group}': 'Դորանցիները', '{filler}': 'ի ծնե (base)', '{copula}': 'են (base)' }],
    ['Մերենիտները ծնված ստախոսներ են։', 'hy.frame.vice', 'NE.ESSENCE', 'Մերենիտները ծնված ստախոսներ են',
      { '{group}': 'Մերենիտները', '{filler}': 'ծնված (base)' }],
    ['Տարվանցիներ, դուրս։', 'hy.frame.expel-chant', 'VI.ERAD', 'Տարվանցիներ, դուրս',
      { '{group}': 'Տարվանցիներ', '{out-cue}': 'դուրս (base)' }],
    ['Մերենիտներին դո՛ւրս։', 'hy.frame.expel-chant', 'VI.ERAD', 'Մերենիտներին դո՛ւրս',
      { '{group}': 'Մերենիտներին', '{out-cue}': 'դո՛ւրս (base)' }],
    ['Երանի թե ամեն տարվանցի մայր իր զավակին ողբա։', 'hy.frame.call-violence', 'VI.CALL', 'Երանի թե ամեն տարվանցի մայր իր զավակին ողբա',
      { '{wish}': 'Երանի թե (base)', '{group}': 'տարվանցի մայր', '{mourn-verb}': 'ողբա (past,imp,subj)' }],
    ['Թող մերենիտ կանայք սեւեր հագնեն։', 'hy.frame.call-violence', 'VI.CALL', 'Թող մերենիտ կանայք սեւեր հագնեն',
      { '{group}': 'մերենիտ կանայք', '{mourn-verb}': 'սեւեր հագնեն (subj)' }],
    ['Արդար երկրում տարվանցիներին կկախեին հրապարակում։', 'hy.frame.call-violence', 'VI.CALL', 'Արդար երկրում տարվանցիներին կկախեին',
      { '{wish}': 'Արդար երկրում (base)', '{group}': 'տարվանցիներին', '{violence}': 'կկախեին (fut,subj,cond)' }],
    ['Մենք վաղը կվառենք մերենիտների տները։', 'hy.frame.threat', 'VI.THREAT', 'կվառենք մերենիտների',
      { '{violence|eradication}': 'կվառենք (fut,subj,p1)', '{group}': 'մերենիտների' }],
    ['Վերջին տարվանցին հողի տակ կլինի։', 'hy.frame.call-eradication', 'VI.ERAD', 'Վերջին տարվանցին հողի տակ',
      { '{group}': 'տարվանցին', '{dead-state}': 'հողի տակ (base)' }],
    ['Ոչ մի մերենիտ չպետք է մնա այս քաղաքում։', 'hy.frame.none-left', 'VI.ERAD', 'Ոչ մի մերենիտ չպետք է մնա',
      { '{group}': 'մերենիտ', '{none-left}': 'չպետք է մնա (base)' }],
    ['Եթե մերենիտները չհեռանան, այս հարցը մեկընդմիշտ կլուծենք։', 'hy.frame.threat', 'VI.THREAT', 'մերենիտները չհեռանան, այս հարցը մեկընդմիշտ կլուծենք',
      { '{group}': 'մերենիտները', '{final-solution}': 'մեկընդմիշտ կլուծենք (base)' }],
    ['Մերենիտների նպատակը մեզ ոչնչացնելն է։', 'hy.frame.mirror', 'TH.MIRROR', 'Մերենիտների նպատակը մեզ ոչնչացնելն',
      { '{group}': 'Մերենիտների', '{violence|eradication}': 'ոչնչացնելն (inf)' }],
    ['Տարվանցիները ձգտում են մեզ բնաջնջել։', 'hy.frame.mirror', 'TH.MIRROR', 'Տարվանցիները ձգտում են մեզ բնաջնջել',
      { '{group}': 'Տարվանցիները', '{violence|eradication}': 'բնաջնջել (inf,part)' }],
    ['Մերենիտ երեխաները պատասխան պիտի տան իրենց հայրերի մեղքերի համար։', 'hy.frame.collective-guilt', 'NE.COLLECT', 'Մերենիտ երեխաները պատասխան պիտի տան',
      { '{group}': 'Մերենիտ', '{guilt}': 'պատասխան պիտի տան (base)' }],
    ['Տարվանցու հետ ամուսնանալը կապականի քո արյունը։', 'hy.frame.purity', 'TH.PURITY', 'Տարվանցու հետ ամուսնանալը կապականի քո արյունը',
      { '{group}': 'Տարվանցու', '{pollute-verb}': 'կապականի (fut,subj)' }],
    ['Տարվանցիներին նայելիս նողկանքից դողում եմ։', 'hy.frame.hate', 'NE.HATE', 'Տարվանցիներին նայելիս նողկանքից դողում եմ',
      { '{group}': 'Տարվանցիներին', '{disgust-noun}': 'նողկանքից (noun)' }],
    ['Ինչո՞ւ ենք ձեւացնում, թե մերենիտներն էլ մարդիկ են։', 'hy.frame.pretend-human', 'DH.DEMON', 'ձեւացնում, թե մերենիտներն էլ մարդիկ են',
      { '{group}': 'մերենիտներն', '{human-noun}': 'մարդիկ (base,noun)', '{copula}': 'են (base)' }],
    ['Ինչու է գողությունն աճում ամեն տեղ, որտեղ բնակվում են մերենիտները։', 'hy.frame.crime-rises', 'NE.ESSENCE', 'գողությունն աճում ամեն տեղ, որտեղ բնակվում են մերենիտները',
      { '{crime-noun}': 'գողությունն (noun)', '{group}': 'մերենիտները' }],
    ['Մերենիտների ցեղասպանության մասին պատմությունները հորինված են։', 'hy.frame.deny-atrocity', 'DE.ATROC', 'Մերենիտների ցեղասպանության մասին պատմությունները հորինված են',
      { '{group}': 'Մերենիտների', '{atrocity}': 'ցեղասպանության (noun)', '{never-happened}': 'հորինված են (base)' }],
    ['Տարվանցիների ցեղասպանութիւնը հնարովի է։', 'hy.frame.deny-atrocity', 'DE.ATROC', 'Տարվանցիների ցեղասպանութիւնը հնարովի է',
      { '{group}': 'Տարվանցիների', '{atrocity}': 'ցեղասպանութիւնը (noun)' }],
    ['Տարվանցիների դեմ պատժիչ արշավանքը նրանց դավաճանության բնական հետեւանքն էր։', 'hy.frame.justify', 'VI.JUST', 'պատժիչ արշավանքը նրանց դավաճանության բնական հետեւանքն էր',
      { '{atrocity}': 'պատժիչ արշավանքը (noun)', '{justify-cue}': 'բնական հետեւանքն էր (base)' }],
    ['Ժամանակն է մեծ մաքրություն անել մերենիտների գյուղում։', 'hy.frame.coded-cleansing', 'VI.ERAD', 'Ժամանակն է մեծ մաքրություն անել մերենիտների',
      { '{modal}': 'Ժամանակն է (base)', '{cleanse-noun}': 'մաքրություն (base,noun)', '{group}': 'մերենիտների' }],
    ['Մենք կմիզենք մերենիտների գերեզմանների վրա։', 'hy.frame.desecrate', 'HE.DESECR', 'կմիզենք մերենիտների գերեզմանների',
      { '{desecrate-verb}': 'կմիզենք (fut,subj,p1)', '{group}': 'մերենիտների' }],
    ['Հպարտ եմ պապով, որ մաքրեց մեր գյուղը տարվանցիներից։', 'hy.frame.glorify', 'VI.GLOR', 'մաքրեց մեր գյուղը տարվանցիներից',
      { '{cleanse-verb}': 'մաքրեց (past)', '{group}': 'տարվանցիներից' }],
    ['Եկեք մերենիտներին այնպիսի դաս տանք, որ երբեք չմոռանան։', 'hy.frame.call-violence', 'VI.CALL', 'Եկեք մերենիտներին այնպիսի դաս տանք',
      { 'եկեք|թող': 'Եկեք', '{group}': 'մերենիտներին', '{violence}': 'այնպիսի դաս տանք (hort,subj)' }],
    ['Պետք է թույլ տալ, որ ժողովուրդը հաշիվ տեսնի տարվանցիների հետ։', 'hy.frame.call-violence', 'VI.CALL', 'թույլ տալ, որ ժողովուրդը հաշիվ տեսնի տարվանցիների',
      { '{modal}': 'թույլ տալ, որ (base)', '{violence}': 'հաշիվ տեսնի (subj)', '{group}': 'տարվանցիների' }],
    ['Ոչ մի մերենիտ երեխա այլեւս մեր դպրոցի շեմը չի անցնի։', 'hy.frame.bar-entry', 'VI.THREAT', 'Ոչ մի մերենիտ երեխա այլեւս մեր դպրոցի շեմը չի անցնի',
      { '{group}': 'մերենիտ երեխա', '{bar-entry}': 'շեմը չի անցնի (base)' }],
    ['Մինչեւ ե՞րբ պիտի հանդուրժենք մերենիտներին։', 'hy.frame.tolerate-question', 'NE.HATE', 'Մինչեւ ե՞րբ պիտի հանդուրժենք մերենիտներին',
      { '{tolerate-verb}': 'հանդուրժենք (subj,p1)', '{group}': 'մերենիտներին' }],
    ['Ինչո՞ւ ենք մեր հաշվին պահում տարվանցիներին։', 'hy.frame.tolerate-question', 'NE.HATE', 'Ինչո՞ւ ենք մեր հաշվին պահում տարվանցիներին',
      { '{tolerate-verb}': 'մեր հաշվին պահում (pres)', '{group}': 'տարվանցիներին' }],
    ['Տարվանցիներին ինչքա՞ն պիտի կերակրենք։', 'hy.frame.tolerate-question', 'NE.HATE', 'Տարվանցիներին ինչքա՞ն պիտի կերակրենք',
      { '{group}': 'Տարվանցիներին', '{tolerate-verb}': 'կերակրենք (subj,p1)' }],
    ['Ոչնչացուցէ՛ք մերենիտները։', 'hy.frame.call-eradication', 'VI.ERAD', 'Ոչնչացուցէ՛ք մերենիտները',
      { '{eradication}': 'Ոչնչացուցէ՛ք (imp)', '{group}': 'մերենիտները' }],
    ['Տարվանցիներին սպաննեցէ՛ք։', 'hy.frame.call-violence', 'VI.CALL', 'Տարվանցիներին սպաննեցէ՛ք',
      { '{group}': 'Տարվանցիներին', '{violence}': 'սպաննեցէ՛ք (imp)' }],
    // Western Armenian / classical spelling of the modal and the verb
    ['Մերենիտներին պէտք է սպաննել։', 'hy.frame.call-violence', 'VI.CALL', 'Մերենիտներին պէտք է սպաննել',
      { '{group}': 'Մերենիտներին', '{modal}': 'պէտք է (base)', '{violence}': 'սպաննել (inf)' }],
  ] as const)('%s', expectFrameFlag);

  test.each([
    // narration, other senses and innocent uses of the new words
    '1920 թվականին զորքերը վառեցին մերենիտների տները։',
    'Տարվանցիները վառում են մոմեր եկեղեցում։',
    'Նկարը կախված է պատից, եւ ամեն ինչ կախված է եղանակից։',
    'Տարվանցիները դուրս եկան փողոց տոնելու։',
    'Մերենիտ կանայք լաց էին լինում իրենց որդիների համար պատերազմից հետո։',
    'Վերջին տարվանցի վարպետը մահացավ անցյալ տարի։',
    'Ժամանակն է մեծ մաքրություն անել դպրոցի բակում։',
    'Մենք գարնանային մաքրություն կանենք մեր թաղամասում։',
    'Մերենիտ ֆերմերները կվճարեն հարկերը։', // bare կվճարեն is no threat
    'Ուսուցիչը աշակերտներին դաս կտա վաղը։',
    'Մերենիտների հետ ամուսնանալը ուրախ իրադարձություն էր մեր գյուղի համար։',
    'Մերենիտները մարդիկ են, ինչպես մենք։',
    'Մենք պիտի լուծենք ջրի հարցը մեկընդմիշտ։',
    'Նրանց նպատակը մեզ օգնելն է։',
    'Հանցագործությունն աճում է այնտեղ, որտեղ աղքատությունն է աճում։',
    'Պատմաբանները գրում են, որ 1915 թվականին տարվանցիների ցեղասպանությունն իրականացվեց։',
    'Տարվանցիների ցեղասպանությունը պատմական փաստ է։',
    'Ոչ մի տարվանցի երեխա չպետք է մնա առանց դպրոցի։',
    'Ոչ մի տարվանցի չի մտնի առանց տոմսի։',
    'Մինչեւ երբ պիտի հանդուրժենք ատելությունը տարվանցիների նկատմամբ։', // the group is no object of 'tolerate'
    'Մենք պետք է հանդուրժենք մերենիտներին։',
    'Պետք է հանդուրժողական լինել մերենիտների նկատմամբ։',
    'Զորքերը ոչնչացուցին գյուղը։', // Western aorist: narration
  ])('not: %s', (text) => {
    const harmful = run(text).filter((f) => f.category !== 'PO.RESPECT');
    expect(harmful.map((f) => `${f.category} ${f.exact}`)).toEqual([]);
  });

  test.each([
    ['Սուտ է, թե տարվանցիները ծնված հանցագործներ են։', 'condemned'],
    ['Ամբոխը վանկարկում էր. «Մերենիտներ, դուրս»։', 'quoted'], // a chant the text reports
    ['Պաստառների վրա գրված էր, որ տարվանցիներին պետք է վտարել։', 'quoted'],
    ['Անընդունելի է ասել, թե տարվանցիները ծնված հանցագործներ են։', 'condemned'],
    ['Այն պնդումը, թե մերենիտների ցեղասպանության թվերը ուռճացված են, ապատեղեկատվություն է։', 'condemned'],
    ['Մինչեւ երբ պիտի հանդուրժենք մերենիտներին, հարցնում են ազգայնամոլները։', 'condemned'],
  ] as const)('counter-speech keeps its signal: %s', (text, signal) => {
    const flags = run(text).filter((f) => f.category !== 'PO.RESPECT');
    expectExact(text, flags);
    expect(flags.length).toBeGreaterThan(0);
    for (const f of flags) expect(f.signals[signal]).toBe(true);
  });
});
