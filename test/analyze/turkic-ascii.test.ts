/**
 * Turkish and Azerbaijani typed without their letters (ı ş ç ğ ö ü ə written i s c g o u e): a
 * page with none of these letters is matched with them folded on both sides, so listed words,
 * groups and class members match their folded spellings; short members that fold onto another
 * word (öl- 'die' → ol- 'be', dölü → dolu 'full') are left out there. Also the Turkish -la/-le
 * verbs, which drop their vowel before the progressive (temizle- → temizliyor). Invented groups only.
 */
import { analyzePage, compileLexicon, type AnalysisFlag } from '../../src/analyze';
import { loadLexicon } from '../../src/lexicon';

const lexicon = compileLexicon(loadLexicon());

function flagsOf(text: string): AnalysisFlag[] {
  const { flags } = analyzePage(text, lexicon, { obfuscation: true });
  for (const f of flags) {
    expect(text.slice(f.start, f.end)).toBe(f.exact);
    for (const fr of f.frames) for (const s of fr.slots) expect(text.slice(s.start, s.end)).toBe(s.exact);
  }
  return flags.filter((f) => f.category !== 'PO.RESPECT');
}

describe('Turkic typed without its letters', () => {
  test.each([
    ['Zelvanlar hasere, hepsini oldurmeliyiz.', 'tr', 'oldurmeliyiz'],
    ['Tarvanlari bu topraklardan temizlemek lazim.', 'tr', 'temizlemek'],
    ['Velkarlar hep yalan soyluyor.', 'tr', 'soyluyor'],
    ['Zelvanlari bu torpaqlardan qovmaq lazimdir.', 'az', 'qovmaq'],
  ])('%s', (text, lang, verb) => {
    expect(analyzePage(text, lexicon).lang).toBe(lang);
    const flags = flagsOf(text);
    expect(flags).toHaveLength(1);
    const words = flags[0]!.frames.flatMap((fr) => fr.slots.map((s) => s.exact));
    expect(words.some((w) => w.endsWith(verb))).toBe(true);
  });

  test.each([
    'Bankalarin kredi muessesesi olsun.',
    'Gozleri dolu dolu olan antrenor havlu atti.',
    'Ciftciler tarlada hasere ilaci kullaniyor.',
    'Tarvan koylerinde hasat bu yil iyi gecti.',
  ])('quiet: %s', (text) => {
    expect(flagsOf(text)).toEqual([]);
  });

  test('a page that has its letters is not folded: ol- stays "be", öl- stays "die"', () => {
    expect(flagsOf('Bankaların kredi müessesesi olsun.')).toEqual([]);
    expect(flagsOf('Tarvanlar ölsün!').map((f) => f.category)).toEqual(['VI.CALL']);
  });
});

describe('Turkish -la/-le verbs in the progressive', () => {
  test.each([
    ['Merenitler bizi bıçaklıyor.', 'bıçaklıyor', 'TH.MIRROR'],
    ['Velkarlar hep yalan söylüyor.', 'söylüyor', 'NE.ESSENCE'],
  ])('%s', (text, verb, category) => {
    const flags = flagsOf(text);
    expect(flags.map((f) => f.category)).toEqual([category]);
    const slot = flags[0]!.frames[0]!.slots.find((s) => s.exact.endsWith(verb))!;
    expect(slot.features).toContain('prog');
  });

  test.each(['Annem her sabah yalan söylemiyor.', 'Çiftçi tarlada domates doğruyor.', 'Belediye bu hafta sokakları temizliyor.'])('quiet: %s', (text) => {
    expect(flagsOf(text)).toEqual([]);
  });
});
