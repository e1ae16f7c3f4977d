/**
 * The English functional checklist (fixtures/functional-en.ts): short statements about groups
 * given to Lexwatch in a targets file, in every category of hateful phrasing and the statements
 * that must stay unflagged. Statements and comments are analysed with obfuscation repair on,
 * as the API does for them. Each category has a floor: the number of its statements that must
 * come out right. The floors are the current counts (every statement passes today); a category
 * that falls below its floor lists the statements it lost.
 */
import path from 'node:path';
import { analyzePage, compileLexicon, type AnalysisFlag } from '../../src/analyze';
import { loadLexicon, loadTargets, withTargets } from '../../src/lexicon';
import { FUNCTIONAL_EN, type FunctionalCase } from './fixtures/functional-en';

const lexicon = compileLexicon(withTargets(loadLexicon(), loadTargets(path.join(__dirname, 'fixtures/functional-en-targets.json'))));

function harmful(text: string): AnalysisFlag[] {
  const { flags } = analyzePage(text, lexicon, { obfuscation: true, lang: 'en' });
  for (const f of flags) expect(text.slice(f.start, f.end)).toBe(f.exact);
  return flags.filter((f) => f.category !== 'PO.RESPECT');
}

function passes(c: FunctionalCase): boolean {
  const flags = harmful(c.text);
  if (c.expect === 'flag') return flags.length > 0;
  if (c.expect === 'none') return flags.length === 0;
  return flags.every((f) => f.signals.quoted || f.signals.condemned || f.signals.negated);
}

/** Statements per category that must come out right (see the file comment). */
const FLOORS: Record<string, number> = {
  'hate-emotion': 28, 'negative-attribute': 24, 'dehumanisation': 27, 'implicit-derogation': 22, 'threat': 26,
  'normative-call': 27, 'opinion-question': 20, 'pronoun': 13, 'negated-positive': 16, 'profanity': 14, 'obfuscated': 22,
  'neutral-positive': 32, 'counter-speech': 25, 'not-protected': 22, 'other-sense': 16,
};

describe('English functional checklist', () => {
  const categories = [...new Set(FUNCTIONAL_EN.map((c) => c.category))];

  test('the checklist has 300+ statements in every category, and every category a floor', () => {
    expect(FUNCTIONAL_EN.length).toBeGreaterThanOrEqual(300);
    expect(categories.sort()).toEqual(Object.keys(FLOORS).sort());
    for (const cat of categories) expect(FUNCTIONAL_EN.filter((c) => c.category === cat).length).toBeGreaterThanOrEqual(FLOORS[cat]!);
  });

  test.each(Object.keys(FLOORS))('%s: at or above its floor', (cat) => {
    const cases = FUNCTIONAL_EN.filter((c) => c.category === cat);
    const lost = cases.filter((c) => !passes(c)).map((c) => c.text);
    // Below the floor the lost statements are the failure message.
    expect(cases.length - lost.length >= FLOORS[cat]! ? [] : lost).toEqual([]);
  });
});

describe('English functional checklist: what the flags say', () => {
  test.each([
    ["I can't stand river folk.", "I can't stand river folk", 'NE.HATE'],
    ['I cannot stand wendlemen.', 'I cannot stand wendlemen', 'NE.HATE'],
    ["Ostravelis can't be trusted.", "Ostravelis can't be trusted", 'NE.ESSENCE'],
    ['The world would be better without river folk.', 'better without river folk', 'TH.PURITY'],
    ["Aren't ostravelis just parasites?", 'ostravelis just parasites', 'DH.DISEASE'],
    ['Velmarists are no better than animals.', 'Velmarists are no better than animals', 'DH.ANIMAL'],
    ["Wendlemen don't belong here.", "Wendlemen don't belong here", 'TH.PURITY'],
  ])('a negation that is part of the hateful phrase does not mark "%s" negated', (text, exact, category) => {
    const flags = harmful(text);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ exact, category, signals: { negated: false, quoted: false, condemned: false } });
  });

  test('a real negation is still a denial: "nobody should tell X to go back" is no flag, or a negated or quoted one', () => {
    for (const f of harmful('Nobody should tell the river folk to go back where they came from.')) expect(f.signals.negated || f.signals.quoted).toBe(true);
    for (const f of harmful('Nobody should say that river folk are vermin.')) expect(f.signals.negated || f.signals.quoted).toBe(true);
  });

  test('a listed group of two words, lower-case, fills the group slot with its target id', () => {
    const [f] = harmful('The drift people are lesser beings.');
    expect(f!.targets.map((t) => [t.groupId, t.exact])).toEqual([['drift-people', 'drift people']]);
    expect(f!.signals.untargeted).toBe(false);
  });

  test('an irregular plural listed as a target is the group, and its pronoun too', () => {
    const flags = harmful('Wendlemen run that shop. I will cut their throats.');
    expect(flags).toHaveLength(1);
    expect(flags[0]!.category).toBe('VI.THREAT');
    expect(flags[0]!.targets.map((t) => t.groupId)).toEqual(['wendlemen']);
    expect(flags[0]!.referents[0]).toMatchObject({ kind: 'pronoun', exact: 'their', antecedent: { exact: 'Wendlemen' } });
  });
});
