/**
 * Property: whatever surrounds the terms and whichever normalisation applied (case folding,
 * Turkic I, stress marks, Armenian marks and ligature, Azerbaijani Cyrillic, hyphenation
 * across a line break, soft hyphens, astral characters), every offset slices back to `exact`.
 */
import fc from 'fast-check';
import { analyzePage, compileLexicon, type AnalysisFlag } from '../../src/analyze';
import { lexiconData } from './fixtures/lexicon';

const lexicon = compileLexicon(lexiconData());

const PIECES = [
  'The Tarvanis are vermin', 'TARVANIAN', 'exter-\nminate', 'exter-  \n  minated', 'plagues', 'wipe them off the face of the earth',
  'Тарва́нцы', 'ПАРАЗИ́ТЫ', 'паразиты', 'уничтожить', 'не', 'якобы',
  'TARVANLAR', 'HAŞEREDİR', 'haşere', 'değil', 'İ', 'ı', 'I',
  'Tarvanlar', 'həşəratlarımızdır', 'məhv etmədilər', 'Тарванлар', 'һәшәратдыр', 'мәһв етмәлијик',
  'Տարվանցիները', 'միջա՛տներ', 'ևրո', 'չեն', '։',
  '«', '»', '„', '“', '”', '"', "'", '’', '.', '!', '?', ',', ' ', '\n', '\n\n', '\u00ad', '-', '😀', 'e\u0301',
];

const text = fc.array(
  fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })),
  { maxLength: 40 },
).map((parts) => parts.join('').normalize('NFC'));

function checkOffsets(page: string, flags: AnalysisFlag[]): void {
  for (const f of flags) {
    expect(page.slice(f.start, f.end)).toBe(f.exact);
    expect(page.slice(f.sentenceStart, f.sentenceEnd)).toBe(f.sentence);
    expect(f.start).toBeGreaterThanOrEqual(f.sentenceStart);
    expect(f.end).toBeLessThanOrEqual(f.sentenceEnd);
    expect(page.slice(f.start - f.prefix.length, f.start)).toBe(f.prefix);
    expect(page.slice(f.end, f.end + f.suffix.length)).toBe(f.suffix);
    for (const m of f.matches) expect(page.slice(m.start, m.end)).toBe(m.exact);
    for (const t of f.targets) expect(page.slice(t.start, t.end)).toBe(t.exact);
  }
}

describe('offsets', () => {
  it.each([undefined, null, 'en', 'ru', 'tr', 'az', 'hy'])('slice(start, end) === exact for lang %s', (lang) => {
    fc.assert(fc.property(text, (page) => {
      checkOffsets(page, analyzePage(page, lexicon, lang === undefined ? {} : { lang }).flags);
    }), { numRuns: 300 });
  });

  it('finds a known flag at its exact place whatever surrounds it', () => {
    const known = 'The Tarvanis are ver-\nmin.';
    fc.assert(fc.property(text, text, (before, after) => {
      const page = `${before}\n\n${known}\n\n${after}`;
      const at = before.length + 2 + known.indexOf('ver-');
      const { flags } = analyzePage(page, lexicon, { lang: null });
      checkOffsets(page, flags);
      const hit = flags.find((f) => f.start === at);
      expect(hit?.exact).toBe('ver-\nmin');
      expect(hit?.signals.negated).toBe(false);
    }), { numRuns: 300 });
  });
});
