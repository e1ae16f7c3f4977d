/**
 * Obfuscated spellings in every shipped language: look-alike letters of another script, digits
 * and signs for letters (read in the word's own script), censored, spaced-apart and repeated
 * letters, Latin-typed Russian, English misspellings. What a reviewer relies on: the flag is
 * found, carries `fuzzy`, and every offset is an exact slice of the stored text; clean text is
 * read exactly as without the repair. Invented groups only (Tarvani, Merenites, Velkars).
 */
import path from 'node:path';
import { analyzePage, compileLexicon, type AnalysisFlag } from '../../src/analyze';
import { deobfuscate } from '../../src/analyze/obfuscation';
import { tokenize } from '../../src/analyze/tokenize';
import { loadLexicon, loadTargets, withTargets } from '../../src/lexicon';

const lexicon = compileLexicon(withTargets(loadLexicon(), loadTargets(path.join(__dirname, '../../eval/targets.json'))));

function flagsOf(text: string, obfuscation: boolean): AnalysisFlag[] {
  const { flags } = analyzePage(text, lexicon, { obfuscation });
  for (const f of flags) {
    expect(text.slice(f.start, f.end)).toBe(f.exact);
    for (const fr of f.frames) {
      expect(text.slice(fr.start, fr.end)).toBe(fr.exact);
      for (const s of fr.slots) expect(text.slice(s.start, s.end)).toBe(s.exact);
    }
    for (const m of f.matches) expect(text.slice(m.start, m.end)).toBe(m.exact);
    for (const t of f.targets) expect(text.slice(t.start, t.end)).toBe(t.exact);
  }
  return flags.filter((f) => f.category !== 'PO.RESPECT');
}

/** Written words of a page as the matcher reads them after the repair ("written→key"). */
function readAs(text: string, lang: string): string[] {
  const tokens = tokenize(text, lang, true);
  const d = deobfuscate(text, tokens, lexicon.matcherFor(lang));
  if (d === null) return [];
  const out: string[] = [];
  for (let i = 0; i < d.tokens.count; i++) {
    const written = text.slice(d.tokens.start[i], d.tokens.end[i]);
    out.push(d.overrides.has(i) ? `${written}→${d.overrides.get(i)}` : written);
  }
  return out;
}

describe('obfuscated spellings flag, with `fuzzy` and exact offsets', () => {
  test.each([
    // [text, exact flag span, the written word that was repaired, category]
    ['вeлкaры — паразиты', 'вeлкaры — паразиты', 'вeлкaры', 'DH.DISEASE'], // Latin e, a in a Cyrillic name
    ['м3рениты — п@р@зиты', 'м3рениты — п@р@зиты', 'п@р@зиты', 'DH.DISEASE'], // 3 = е, @ = а
    ['велкаров y6ивать надо', 'велкаров y6ивать', 'y6ивать', 'VI.CALL'], // Latin y, 6 = б
    ['тарванов надо уб**ать', 'тарванов надо уб**ать', 'уб**ать', 'VI.CALL'], // two censored letters
    ['тарванов надо у б и т ь', 'тарванов надо у б и т ь', 'у б и т ь', 'VI.CALL'], // spaced apart
    ['тарванов надо убиииить', 'тарванов надо убиииить', 'убиииить', 'VI.CALL'], // repeated letter
    ["меренитов надо rezat', я серьёзно", "меренитов надо rezat'", "rezat'", 'VI.CALL'], // Latin-typed Russian
    ['Տարվանցիներին պետք է uպանել', 'Տարվանցիներին պետք է uպանել', 'uպանել', 'VI.CALL'], // Latin u for ս
    ['Տարվանցիներին պետք է սպ*անել', 'Տարվանցիներին պետք է սպ*անել', 'սպ*անել', 'VI.CALL'], // a censor sign put in
    ['Tarvanlar h@şəratdır, hamısı 0lməlidir', 'Tarvanlar h@şəratdır, hamısı 0lməlidir', '0lməlidir', 'DH.ANIMAL'], // 0 = ö
    ['tarvanları 0ldürün hepsini', 'tarvanları 0ldürün hepsini', '0ldürün', 'VI.ERAD'],
    ['k1ll the Merenites', 'k1ll the Merenites', 'k1ll', 'VI.CALL'],
    ['k i l l the Merenites', 'k i l l the Merenites', 'k i l l', 'VI.CALL'],
    ['k.i.l.l the Merenites', 'k.i.l.l the Merenites', 'k.i.l.l', 'VI.CALL'],
    ['kiiill the Merenites', 'kiiill the Merenites', 'kiiill', 'VI.CALL'],
    ['the Merenites are vremin', 'Merenites are vremin', 'vremin', 'DH.ANIMAL'], // swapped letters
    ['kіll the Merenites, all of them', 'kіll the Merenites', 'kіll', 'VI.CALL'], // Cyrillic і
  ])('%s', (text, exact, repaired, category) => {
    const flags = flagsOf(text, true);
    expect(flags.map((f) => f.exact)).toEqual([exact]);
    expect(flags[0]!.category).toBe(category);
    expect(flags[0]!.signals.fuzzy).toBe(true);
    // The repaired word is one token of the flag, at its written offsets.
    const at = text.indexOf(repaired);
    const slots = flags[0]!.frames.flatMap((fr) => fr.slots);
    expect(slots.some((s) => s.start === at && s.end === at + repaired.length && s.exact === repaired)).toBe(true);
    // Without the repair the same text is not flagged: the obfuscation is what hid it.
    expect(flagsOf(text, false)).toEqual([]);
  });

  test('words run together split into pieces at their own offsets', () => {
    const [f] = flagsOf('killallmerenites', true);
    expect(f!.exact).toBe('killallmerenites');
    expect(f!.signals.fuzzy).toBe(true);
    expect(f!.targets).toEqual([{ groupId: 'merenites', start: 7, end: 16, exact: 'merenites' }]);
  });
});

describe('clean words pass through the repair untouched', () => {
  test('a clean word is never joined to a one-letter word of its language', () => {
    // These were read as "тарвановв", "меренитовс": the group and the frame after it were lost.
    expect(readAs('Жадность у тарванов в крови.', 'ru')).toEqual([]);
    expect(readAs('Надо стереть меренитов с лица земли.', 'ru')).toEqual([]);
    expect(flagsOf('Надо стереть меренитов с лица земли.', true).map((f) => [f.exact, f.signals.fuzzy]))
      .toEqual([['Надо стереть меренитов с лица земли', false]]);
  });

  test('two real words are not merged into a one-word spelling of a multi-word member', () => {
    expect(readAs('Tarvanlar insan deyil, iki ayaqlı heyvandır.', 'az')).toEqual([]);
  });

  test('outside English, a sign-free word one letter away from a lexicon form is left as written', () => {
    expect(readAs('Велкары — твари нечистые.', 'ru')).toEqual([]);
    expect(readAs('Տարվանցիները խաղաղ ժողովուրդ են։', 'hy')).toEqual([]);
  });

  test('clean text: the repair changes no token, and ordinary digits and Latin names stay as written', () => {
    for (const [text, lang] of [
      ['В 1840 году тарваны построили 3 школы и читали Tolstoy.', 'ru'],
      ['1990-cı ildə merenitlər 2 kənd saldılar.', 'az'],
      ['Տարվանցիները 1915 թվականին 3 դպրոց բացեցին։', 'hy'],
      ['In the 1840s the 3rd army left at dawn with 10 Merenite guides.', 'en'],
    ] as const) {
      expect(readAs(text, lang)).toEqual([]);
      expect(flagsOf(text, true)).toEqual(flagsOf(text, false));
    }
  });
});
