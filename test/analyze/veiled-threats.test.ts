/**
 * Veiled threats and eradication euphemisms, as families in every language: "we know where the X
 * live" (and its Russian, Turkish, Azerbaijani, Armenian forms), "time to clean house in the X
 * quarter". History, third persons and factual uses of the same words stay quiet. Invented groups only.
 */
import { analyzePage, compileLexicon, type AnalysisFlag } from '../../src/analyze';
import { loadLexicon } from '../../src/lexicon';

const lexicon = compileLexicon(loadLexicon());

function flagsOf(text: string): AnalysisFlag[] {
  const { flags } = analyzePage(text, lexicon, { obfuscation: true });
  for (const f of flags) {
    expect(text.slice(f.start, f.end)).toBe(f.exact);
    for (const fr of f.frames) for (const s of fr.slots) expect(text.slice(s.start, s.end)).toBe(s.exact);
    for (const t of f.targets) expect(text.slice(t.start, t.end)).toBe(t.exact);
  }
  return flags.filter((f) => f.category !== 'PO.RESPECT');
}

describe('veiled threats: we know where you live', () => {
  test.each([
    ['We know which street the Osmirans live on. We\'ll be there Saturday.', 'We know which street the Osmirans live', 'en.frame.veiled-threat'],
    ['We know where the Zelvans sleep at night.', 'We know where the Zelvans sleep', 'en.frame.veiled-threat'],
    ['I know where every Tarvani in this town works.', 'I know where every Tarvani in this town works', 'en.frame.veiled-threat'],
    ['Меренитам передайте: знаем где они живут.', 'Меренитам передайте: знаем где они живут', 'ru.frame.threat-idiom'],
    ['Zelvanlar, nerede oturduğunuzu biliyoruz.', 'Zelvanlar, nerede oturduğunuzu biliyoruz', 'tr.frame.threat'],
    ['Zelvanlar, harada yaşadığınızı bilirik, bu sizə son xəbərdarlıqdır.', 'Zelvanlar, harada yaşadığınızı bilirik', 'az.frame.threat'],
    ['Զելվանցիներ, գիտենք որտեղ եք ապրում։', 'Զելվանցիներ, գիտենք որտեղ եք ապրում', 'hy.frame.threat-idiom'],
  ])('%s', (text, exact, frameId) => {
    const flags = flagsOf(text);
    expect(flags.map((f) => [f.category, f.exact])).toEqual([['VI.THREAT', exact]]);
    expect(flags[0]!.frames.map((f) => f.frameId)).toContain(frameId);
  });

  test.each([
    'Historians know where the Merenites lived in the 12th century.',
    'We know where the Merenite poets lived, and the museum shows it.',
    'Hotels near where the Tarvanis live are cheap.',
    'The census shows where the Zelvans live and work.',
  ])('quiet: %s', (text) => {
    expect(flagsOf(text)).toEqual([]);
  });
});

describe('eradication euphemisms of a group\'s place', () => {
  test.each([
    ['Time to clean house in the Tarvani quarter.', 'Tarvani'],
    ['High time for cleaning house in the Zelvan quarter.', 'Zelvan'],
  ])('%s', (text, group) => {
    const flags = flagsOf(text);
    expect(flags.map((f) => f.category)).toEqual(['CODE']);
    expect([...flags[0]!.targets.map((t) => t.exact), ...flags[0]!.referents.map((r) => r.exact)]).toContain(group);
  });

  test.each(['We clean house every Saturday.', 'The Tarvani farmers called pest control about the rats.', 'A big cleanup in the Merenite district followed the flood.'])('quiet: %s', (text) => {
    expect(flagsOf(text)).toEqual([]);
  });
});
