/** Behaviour of the analysis core per language and rule, on fictional groups only. */
import { analyzePage, compileLexicon, type AnalysisFlag, type LexiconEntryData } from '../../src/analyze';
import { entry, lexiconData } from './fixtures/lexicon';

const lexicon = compileLexicon(lexiconData());
const run = (text: string, lang?: string) => analyzePage(text, lexicon, lang === undefined ? {} : { lang });

function expectExact(text: string, flags: AnalysisFlag[]): void {
  for (const f of flags) {
    expect(text.slice(f.start, f.end)).toBe(f.exact);
    expect(text.slice(f.sentenceStart, f.sentenceEnd)).toBe(f.sentence);
    for (const m of f.matches) expect(text.slice(m.start, m.end)).toBe(m.exact);
    for (const t of f.targets) expect(text.slice(t.start, t.end)).toBe(t.exact);
    expect(text.slice(f.start - f.prefix.length, f.start)).toBe(f.prefix);
    expect(text.slice(f.end, f.end + f.suffix.length)).toBe(f.suffix);
  }
}

function only(text: string, lang?: string): AnalysisFlag {
  const { flags } = run(text, lang);
  expectExact(text, flags);
  expect(flags).toHaveLength(1);
  return flags[0]!;
}

describe('English', () => {
  it('flags a predicate near a target and lists the target', () => {
    const f = only('The Tarvanis are vermin.');
    expect(f).toMatchObject({ exact: 'vermin', category: 'DH.ANIMAL', severity: 3, lang: 'en' });
    expect(f.targets.map((t) => t.exact)).toEqual(['Tarvanis']);
    expect(f.signals).toEqual({ negated: false, quoted: false, condemned: false, fuzzy: false, untargeted: false });
  });
  it('matches inflections through the Porter stemmer', () => {
    expect(only('They are exterminating the Merenites.').exact).toBe('exterminating');
    expect(only('Merenia is exterminating its Tarvanian neighbours.').exact).toBe('exterminating');
    expect(only('They exterminate the Merenites.').exact).toBe('exterminate');
  });
  it('reads a past form of a call or threat entry as narration, not a call', () => {
    expect(run('They exterminated the Merenites.').flags).toEqual([]);
    expect(run('In 1804 the army exterminated the Merenites of the valley.').flags).toEqual([]);
    // A call cue before the participle keeps it a call.
    expect(only('The Merenites must be exterminated.').category).toBe('VI.ERAD');
  });
  it('does not flag neutral or positive mentions of a group', () => {
    expect(run('The Tarvani built the Sorel Monastery and traded with Merenia.').flags).toEqual([]);
    expect(run('Tarvanian poets are admired across Merenia.').flags).toEqual([]);
  });
  it('does not flag a predicate without a target mention', () => {
    expect(run('Farmers fought vermin and the plague.').flags).toEqual([]);
  });
  it('requires the target in the same sentence by default', () => {
    expect(run('The Tarvanis came. Vermin ate the grain.').flags).toEqual([]);
  });
  it('matches a phrase with a gap', () => {
    const f = only('Wipe these Tarvanis off the face of the earth!');
    expect(f).toMatchObject({ exact: 'Wipe these Tarvanis off the face of the earth', category: 'VI.ERAD' });
    expect(run('Wipe the table off, said the Tarvani cook.').flags).toEqual([]);
  });
  it('joins a word hyphenated across a line break', () => {
    const text = 'We must exter-\nminate the Merenites.';
    expect(only(text).exact).toBe('exter-\nminate');
  });
  it('folds line breaks inside phrases', () => {
    expect(only('wipe the Tarvani\noff the face\n of the earth').category).toBe('VI.ERAD');
  });
  it('cancels a hit an exception pattern covers', () => {
    expect(run('Tarvani farmers paid for vermin control.').flags).toEqual([]);
    expect(only('Tarvani farmers are vermin, not vermin control experts.').matches).toHaveLength(1);
  });
  it('merges nearby hits of one sentence and keeps the most severe category', () => {
    const f = only('The Tarvanis are vermin and a plague; exterminate them.');
    expect(f.matches.map((m) => m.entryId)).toEqual(['en.vermin', 'en.plague', 'en.exterminate']);
    expect(f).toMatchObject({ category: 'VI.ERAD', severity: 4, exact: 'vermin and a plague; exterminate' });
  });
  it('keeps hits of different sentences apart', () => {
    const { flags } = run('Tarvanis are vermin. Merenites are a plague.');
    expect(flags.map((f) => f.exact)).toEqual(['vermin', 'plague']);
  });
  it('marks quotation and reported speech, and condemnation nearby', () => {
    const q = only('He wrote: “the Tarvanis are vermin”.');
    expect(q.signals.quoted).toBe(true);
    const r = only('The minister said Tarvanis are vermin.');
    expect(r.signals.quoted).toBe(true);
    const c = only('Old posters called the Tarvanis vermin. Such propaganda was wrong.');
    // "called" reports what the posters said; the next sentence condemns it.
    expect(c.signals).toMatchObject({ condemned: true, quoted: true });
    expect(c.priority).toBeLessThan(only('Old posters called the Tarvanis vermin.').priority);
  });
  it('applies a token window when the entry has one', () => {
    const near = entry({ id: 'en.rats', lang: 'en', terms: ['rats'], category: 'DH.ANIMAL', severity: 2, context: { window: { unit: 'token', n: 2 } } });
    const lex = compileLexicon(lexiconData([near], true));
    expect(analyzePage('Tarvanis are rats.', lex).flags).toHaveLength(1);
    expect(analyzePage('Tarvanis live by the river where there are rats.', lex).flags).toHaveLength(0);
  });
  it('flags standalone entries without a target', () => {
    const slur = entry({ id: 'en.slur', lang: 'en', role: 'standalone', terms: ['zorbleck*'], category: 'NE.SLUR', severity: 4 });
    const lex = compileLexicon(lexiconData([slur]));
    expect(analyzePage('Those zorblecks again.', lex).flags[0]).toMatchObject({ exact: 'zorblecks', category: 'NE.SLUR', targets: [] });
  });
  it('skips retired entries and too-short lone stems, with a warning', () => {
    const retired = entry({ id: 'en.old', lang: 'en', status: 'retired', terms: ['grubs'], category: 'DH.ANIMAL', severity: 2 });
    const short = entry({ id: 'en.short', lang: 'en', terms: ['ra*'], category: 'DH.ANIMAL', severity: 2 });
    const lex = compileLexicon(lexiconData([retired, short]));
    expect(analyzePage('Tarvanis are grubs and rats.', lex).flags).toEqual([]);
    expect(lex.warnings.join('\n')).toMatch(/en\.short.*minStemLen/u);
    expect(lex.entryCount).toBe(10);
  });
});

describe('negation settings', () => {
  const withNegation = (negation: 'suppress' | 'downgrade' | 'keep') => compileLexicon(lexiconData([
    entry({ id: 'en.pests', lang: 'en', terms: ['pests'], category: 'DH.ANIMAL', severity: 3, context: { negation } }),
  ], true));
  const text = 'The Tarvanis are not pests.';
  it('downgrade (default) keeps the flag with signal negated and lower priority', () => {
    const f = analyzePage(text, withNegation('downgrade')).flags[0]!;
    expect(f.signals.negated).toBe(true);
    expect(f.priority).toBeLessThan(analyzePage('The Tarvanis are pests.', withNegation('downgrade')).flags[0]!.priority);
  });
  it('suppress hides the flag', () => {
    expect(analyzePage(text, withNegation('suppress')).flags).toEqual([]);
    expect(analyzePage('The Tarvanis are pests.', withNegation('suppress')).flags).toHaveLength(1);
  });
  it('keep ignores the negation ("they are not human" dehumanizes because of it)', () => {
    const f = analyzePage(text, withNegation('keep')).flags[0]!;
    expect(f.signals.negated).toBe(false);
  });
  it("recognises n't and post-posed cues only in the same sentence", () => {
    expect(only("Tarvanis aren't vermin.").signals.negated).toBe(true);
    expect(only('No. Tarvanis are vermin.').signals.negated).toBe(false);
  });
});

describe('Russian', () => {
  it('matches stems with inflection, ё folding and stress marks', () => {
    expect(only('Тарванцы — паразиты.').exact).toBe('паразиты');
    const stressed = 'Тарва́нцы — парази́ты.';
    const f = only(stressed);
    expect(f.exact).toBe('парази́ты');
    expect(f.targets[0]!.exact).toBe('Тарва́нцы');
  });
  it('marks negation, якобы and по словам', () => {
    expect(only('Тарванцы не паразиты.').signals.negated).toBe(true);
    expect(only('Тарванцы якобы паразиты.').signals.quoted).toBe(true);
    expect(only('По словам министра, тарванцы паразиты.').signals.quoted).toBe(true);
    expect(only('«Тарванцы — паразиты», — писала газета. Это была ложь.').signals).toMatchObject({ quoted: true, condemned: true });
  });
  it('matches plain entries through the stemmer even where it collapses нн', () => {
    // Porter turns каннибалы into канибал: the stem is not a prefix of the word.
    const e = entry({ id: 'ru.cannibal', lang: 'ru', terms: ['каннибалы'], category: 'DH.DISGUST', severity: 3 });
    const lex = compileLexicon(lexiconData([e], true));
    const text = 'Тарванцев называли каннибалами.';
    const f = analyzePage(text, lex, { lang: 'ru' }).flags[0]!;
    expect(f.exact).toBe('каннибалами');
    expect(text.slice(f.start, f.end)).toBe(f.exact);
  });
  it('does not flag neutral text', () => {
    expect(run('Тарванцы живут в горах и выращивают виноград.').flags).toEqual([]);
  });
});

describe('Turkish and Azerbaijani', () => {
  it('folds Turkic dotted and dotless I', () => {
    const f = only('TARVANLAR HAŞEREDİR.');
    expect(f).toMatchObject({ exact: 'HAŞEREDİR', lang: 'tr' });
    expect(only('Tarvanlar haşeredir.').exact).toBe('haşeredir');
  });
  it('folds I/ı/İ/i into one class when the language is unknown', () => {
    const lex = compileLexicon(lexiconData([
      entry({ id: 'tr.irk', lang: 'tr', role: 'standalone', terms: ['ırkdaşlık*'], category: 'CODE', severity: 1 }),
    ], true));
    expect(analyzePage('IRKDAŞLIK', lex, { lang: null }).flags).toHaveLength(1);
    expect(analyzePage('irkdaşlık', lex, { lang: null }).flags).toHaveLength(1);
    expect(analyzePage('IRKDAŞLIK', lex, { lang: 'tr' }).flags).toHaveLength(1);
    expect(analyzePage('İRKDAŞLIK', lex, { lang: 'tr' }).flags).toHaveLength(0); // İ is i, not ı, in Turkish
  });
  it('matches agglutinated forms by stem + suffix', () => {
    expect(only('Tarvanlar həşəratlarımızdır.').exact).toBe('həşəratlarımızdır');
    expect(only('Tarvanları məhv etməliyik.').exact).toBe('məhv etməliyik');
  });
  it('matches Cyrillic-era Azerbaijani with the Latin entry', () => {
    const text = 'Тарванлар һәшәратдыр. Тарванлары мәһв етмәлијик.';
    const { lang, flags } = run(text);
    expect(lang).toBe('az');
    expectExact(text, flags);
    expect(flags.map((f) => [f.exact, f.category])).toEqual([['һәшәратдыр', 'DH.ANIMAL'], ['мәһв етмәлијик', 'VI.ERAD']]);
  });
  it('marks the verb negation infix and deyil/değil', () => {
    // A negated past (etmədilər) is narration and is dropped by the narration rule; a negated
    // first-person future is a (negated) promise.
    expect(only('Tarvanları məhv etməyəcəyik.').signals.negated).toBe(true);
    expect(only('Tarvanları məhv etməyin!').signals.negated).toBe(true);
    expect(only('Tarvanları məhv etmək lazımdır.').signals.negated).toBe(false);
    expect(only('Tarvanlar həşərat deyil.').signals.negated).toBe(true);
    expect(only('Tarvanlar haşere değildir.').signals.negated).toBe(true);
  });
  it('marks reported speech: dedi ki, iddia etdi', () => {
    expect(only('Nazir dedi ki tarvanlar həşəratdır.').signals.quoted).toBe(true);
    expect(only('Gazete tarvanların haşere olduğunu iddia etti.').signals.quoted).toBe(true);
  });
  it('does not flag neutral text', () => {
    expect(run('Tarvanlar dağlarda yaşayır və üzüm becərirlər.').flags).toEqual([]);
  });
});

describe('Armenian', () => {
  it('strips in-word marks and flags near a target', () => {
    const text = 'Տարվանցիները միջա՛տներ են։';
    expect(only(text)).toMatchObject({ exact: 'միջա՛տներ', lang: 'hy' });
  });
  it('expands the ligature և so an entry written with եւ matches', () => {
    const lex = compileLexicon(lexiconData([
      entry({ id: 'hy.test', lang: 'hy', terms: ['եւրոմիջատ*'], category: 'DH.ANIMAL', severity: 2 }),
    ], true));
    const text = 'Տարվանցիները ևրոմիջատներ են։';
    const f = analyzePage(text, lex).flags[0]!;
    expect(f.exact).toBe('ևրոմիջատներ');
  });
  it('ends sentences at ։ and marks negation and ասաց', () => {
    expect(run('Տարվանցիները եկան։ Միջատները կերան բերքը։').flags).toEqual([]);
    expect(only('Տարվանցիները միջատներ չեն։').signals.negated).toBe(true);
    expect(only('Նա ասաց, որ տարվանցիները միջատներ են։').signals.quoted).toBe(true);
  });
});

describe('matching options', () => {
  it('diacritic-insensitive entries match text without diacritics and vice versa', () => {
    const e: LexiconEntryData = entry({ id: 'tr.pest2', lang: 'tr', terms: ['haşarat*'], category: 'DH.ANIMAL', severity: 2, match: { diacritics: 'insensitive' } });
    const lex = compileLexicon(lexiconData([e], true));
    expect(analyzePage('Tarvanlar hasarattir.', lex, { lang: 'tr' }).flags[0]!.exact).toBe('hasarattir');
    const strict = compileLexicon(lexiconData([{ ...e, match: {} }], true));
    // A page that writes its Turkish letters elsewhere: a strict entry wants them here too.
    expect(analyzePage('Çiftçiler diyor ki Tarvanlar hasarattir.', strict, { lang: 'tr' }).flags).toEqual([]);
    // A page typed without any Turkish letter is matched folded, strict entries included.
    expect(analyzePage('Tarvanlar hasarattir.', strict, { lang: 'tr' }).flags[0]!.exact).toBe('hasarattir');
  });
  it('fuzzy entries tolerate one edit on long terms of OCR pages and say so', () => {
    const e = entry({ id: 'en.ext2', lang: 'en', terms: ['exterminate'], category: 'VI.ERAD', severity: 4, match: { fuzzy: true, stem: false } });
    const lex = compileLexicon(lexiconData([e], true));
    const ocr = { fuzzy: true };
    const f = analyzePage('Externinate the Tarvanis.', lex, ocr).flags[0]!;
    expect(f.signals.fuzzy).toBe(true);
    expect(f.matches[0]!.fuzzy).toBe(true);
    expect(analyzePage('Exterminate the Tarvanis.', lex, ocr).flags[0]!.signals.fuzzy).toBe(false);
    expect(analyzePage('Exterrninate the Tarvanis.', lex, ocr).flags).toEqual([]); // rn for m: two edits
  });
  it('fuzzy matching is off for pages that did not come from OCR', () => {
    const e = entry({ id: 'en.ext2', lang: 'en', terms: ['exterminate', 'cleanse ~3 from the homeland'], category: 'VI.ERAD', severity: 4, match: { fuzzy: true, stem: false } });
    const lex = compileLexicon(lexiconData([e], true));
    expect(analyzePage('Externinate the Tarvanis.', lex).flags).toEqual([]);
    // A later phrase token within one edit ("homelaud") matches on an OCR page only.
    const text = 'Cleanse the Tarvanis from the homelaud.';
    expect(analyzePage(text, lex).flags).toEqual([]);
    const f = analyzePage(text, lex, { fuzzy: true }).flags[0]!;
    expect(f.exact).toBe('Cleanse the Tarvanis from the homelaud');
    expect(f.signals.fuzzy).toBe(true);
  });
  it('match.stem false turns the stemmer off', () => {
    const e = entry({ id: 'en.ext3', lang: 'en', terms: ['exterminate'], category: 'VI.ERAD', severity: 4, match: { stem: false } });
    const lex = compileLexicon(lexiconData([e], true));
    expect(analyzePage('They exterminated the Tarvanis.', lex).flags).toEqual([]);
  });
  it('options.lang overrides detection and limits entries to that language', () => {
    expect(run('Tarvanis are vermin.', 'ru').flags).toEqual([]);
    expect(run('Tarvanis are vermin.', 'en').lang).toBe('en');
  });
  it('matches a name followed by an apostrophe suffix', () => {
    expect(only("Tarvania's people are vermin.").targets[0]!.exact).toBe("Tarvania's");
  });
});

describe('reused buffers', () => {
  it('results do not depend on what was analysed before', () => {
    const long = `${'Tarvania is a quiet land with many rivers and old bridges. '.repeat(400)}The Tarvanis are vermin.`;
    const short = 'Тарванцы не паразиты. The Merenites are a plague.';
    const first = run(short);
    run(long);
    expect(run(short)).toEqual(first);
    const longFlags = run(long).flags;
    expect(longFlags.map((f) => f.exact)).toEqual(['vermin']);
    expect(long.slice(longFlags[0]!.start, longFlags[0]!.end)).toBe('vermin');
  });
});

describe('mixed-language pages', () => {
  it('applies each language\'s entries to the sentences written in it', () => {
    const text = 'Bu kitapta Tarvanlar hakkında çok şey öğrendik ve onları ziyaret ettik. Tarvanlar haşeredir diye yazdılar. '
      + 'The leaflet said: the Tarvanis are vermin and they are a plague.';
    const { flags } = run(text);
    expectExact(text, flags);
    expect(flags.map((f) => [f.exact, f.lang])).toEqual([['haşeredir', 'tr'], ['vermin and they are a plague', 'en']]);
  });
  it('a Turkish page without English sentences is not read as English', () => {
    const text = 'Tarvanlar haşeredir diye yazdılar. Of course değil, bu bir alıntıdır ve onlar bunu bilir.';
    expect(run(text).flags.map((f) => f.lang)).toEqual(['tr']);
  });
});
