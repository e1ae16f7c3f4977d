/**
 * Our char-loop tokenizer (src/analyze/tokenize.ts) replaced Intl.Segmenter for speed. This
 * checks that it finds the same words as Intl.Segmenter (granularity 'word', isWordLike) on
 * English, Russian, Turkish, Azerbaijani (Latin and Cyrillic) and Armenian text, and pins down
 * every deliberate difference, so the deviation from "use Intl.Segmenter" stays checkable.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { tokenize } from '../../src/analyze/tokenize';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

function segmenterWords(text: string): string[] {
  return [...segmenter.segment(text)].filter((s) => s.isWordLike === true).map((s) => `${s.index}:${s.segment}`);
}

function ourWords(text: string): string[] {
  const t = tokenize(text);
  return Array.from({ length: t.count }, (_, i) => `${t.start[i]!}:${text.slice(t.start[i]!, t.end[i]!)}`);
}

const PASSAGES: Record<string, string[]> = {
  en: [
    readFileSync(path.join(__dirname, '../../fixtures/statement-sample.txt'), 'utf8'),
    'The Tarvani built the Sorel Monastery and traded with Merenia. Tarvanian poets are admired across Merenia.',
    "They don't say \"vermin\"; they say Tarvania's neighbours — and 'guests' (allegedly) in 1921!",
  ],
  ru: [
    'Тарванцы живут в горах и выращивают виноград. «Тарванцы — паразиты», — якобы сказал он.',
    'Ёлки, ПАРАЗИ́ТЫ и уничтожить: не было никаких «Мерени́тов» в 1915 году?',
  ],
  tr: [
    "Tarvanlar dağlarda yaşar ve üzüm yetiştirir. Tarvanlar'ın köyleri İstanbul'dan uzaktır!",
    'HAŞEREDİR değil; ıslak ılık İĞNE, “alıntı” ve ‘tırnak’ işaretleri.',
  ],
  az: [
    'Tarvanlar dağlarda yaşayır və üzüm becərirlər. Həşəratlarımızdır, məhv etmədilər.',
    'Тарванлар дағларда јашајыр вә үзүм бечәрирләр. Һәшәратдыр, мәһв етмәлијик!',
  ],
  hy: [
    'Տարվանցիները եկան։ Միջատները կերան բերքը։ Նրանք չեն «միջա՛տներ», ո՞վ ասաց։',
    'Եվ ևրո, Տարվանցիների գյուղերը լեռներում են, 1918 թվականին։ Ինչո՞ւ։',
  ],
};

describe('our tokenizer and Intl.Segmenter find the same words', () => {
  it.each(Object.entries(PASSAGES))('%s passages', (_lang, passages) => {
    for (const p of passages) expect(ourWords(p)).toEqual(segmenterWords(p));
  });

  const LETTERS: Record<string, string> = {
    en: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
    ru: 'абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ',
    tr: 'abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ',
    az: 'abcçdeəfgğhxıijkqlmnoöprsştuüvyzƏĞİÖÜŞÇәғҝјҹһөүӘҒҜЈҸҺӨҮ',
    hy: 'աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆևԱԲԳԴԵԶԷԸԹԺԻԼԽԾԿՀՁՂՃՄՅՆՇՈՉՊՋՌՍՎՏՐՑՒՓՔՕՖ',
  };
  // Separators whose handling both agree on (the deliberate differences are tested below).
  const SEPARATORS = [' ', ' ', ' ', ', ', '. ', '! ', '? ', '; ', ': ', ' — ', ' - ', '\n', '\n\n', ' «', '» ', ' "', '" ', ' (', ') ', '։ ', '… ', '\t', '\u00a0'];
  // Inside a word: combining acute (Russian stress), Armenian emphasis/question marks, apostrophes.
  const INFIXES = ['\u0301', '՛', '՞', '՜', "'", '’'];

  const word = (letters: string): fc.Arbitrary<string> => fc.tuple(
    fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 8 }),
    fc.option(fc.tuple(fc.constantFrom(...INFIXES), fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 4 })), { freq: 4 }),
    fc.option(fc.integer({ min: 0, max: 99999 }), { freq: 8 }),
  ).map(([head, infix, digits]) => head.join('') + (infix ? infix[0] + infix[1].join('') : '') + (digits === null ? '' : String(digits)));

  it.each(Object.keys(LETTERS))('random %s text (and mixed with the other scripts)', (lang) => {
    const letters = LETTERS[lang]!;
    const anyLetters = Object.values(LETTERS).join('');
    const text = fc.array(fc.tuple(fc.oneof({ weight: 4, arbitrary: word(letters) }, { weight: 1, arbitrary: word(anyLetters) }), fc.constantFrom(...SEPARATORS)), { maxLength: 60 })
      .map((parts) => parts.map(([w, s]) => w + s).join('').normalize('NFC'));
    fc.assert(fc.property(text, (t) => { expect(ourWords(t)).toEqual(segmenterWords(t)); }), { numRuns: 300 });
  });
});

describe('deliberate differences from Intl.Segmenter', () => {
  // [text, Intl.Segmenter's words, ours, why]
  const DIFFERENCES: Array<[string, string[], string[], string]> = [
    ['exter-\nminate', ['0:exter', '7:minate'], ['0:exter-\nminate'],
      'a word hyphenated across a line break is one word (matching skips the hyphen and break)'],
    ['e.g. the', ['0:e.g', '5:the'], ['0:e', '2:g', '5:the'],
      'full stop, colon and middle dot between letters split words (no lexicon term contains them; "end.Next" is two words)'],
    ['a:b x·y', ['0:a:b', '4:x·y'], ['0:a', '2:b', '4:x', '6:y'], 'as above'],
    ['3.14 1,000', ['0:3.14', '5:1,000'], ['0:3', '2:14', '5:1', '7:000'],
      'decimal and thousands separators split numbers (numbers are never lexicon terms)'],
    ['a_b', ['0:a_b'], ['0:a', '2:b'], 'underscore is not a word character'],
    ['գյուղերը՝ լեռներում', ['0:գյուղերը', '10:լեռներում'], ['0:գյուղերը՝', '10:լեռներում'],
      'the Armenian comma ՝ stays with its word like the other Armenian marks ՛ ՜ ՞ (matching drops all four)'],
    ['😀a', ['2:a'], ['0:😀a'], 'astral characters (surrogate pairs) count as word characters, so no pair is ever split'],
  ];
  it.each(DIFFERENCES)('%j', (text, theirs, mine) => {
    expect(segmenterWords(text)).toEqual(theirs);
    expect(ourWords(text)).toEqual(mine);
  });
});
