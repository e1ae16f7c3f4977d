/** Loading lexicons from a directory or a file, with validation errors naming the culprit. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzePage, compileLexicon } from '../../src/analyze';
import { DEFAULT_LEXICON_DIR, loadLexicon, loadTargets, LexiconLoadError } from '../../src/lexicon';
import { ENTRIES, TARGETS, entry } from './fixtures/lexicon';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-lex-'));
  fs.mkdirSync(path.join(dir, 'predicates'));
  fs.mkdirSync(path.join(dir, 'targets'));
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ id: 'fx', version: '2.1.0', name: 'Fixture' }));
  fs.writeFileSync(path.join(dir, 'predicates', 'en.json'), JSON.stringify(ENTRIES.filter((e) => e.lang === 'en')));
  fs.writeFileSync(path.join(dir, 'predicates', 'other.json'), JSON.stringify(ENTRIES.filter((e) => e.lang !== 'en')));
  fs.writeFileSync(path.join(dir, 'targets', 'fictional.json'), JSON.stringify(TARGETS));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('loads the directory layout and analyses with it', () => {
  const data = loadLexicon(dir);
  expect(data).toMatchObject({ id: 'fx', version: '2.1.0', name: 'Fixture' });
  expect(data.entries).toHaveLength(ENTRIES.length);
  expect(data.targets.map((t) => t.id)).toEqual(['tarvani', 'merenites']);
  const f = analyzePage('The Tarvanis are vermin.', compileLexicon(data)).flags[0]!;
  expect(f).toMatchObject({ lexiconId: 'fx', lexiconVersion: '2.1.0' });
});

it('loads a single-file lexicon and a bare array of entries', () => {
  const file = path.join(dir, 'single.json');
  fs.writeFileSync(file, JSON.stringify({ id: 'one', version: '1', name: 'One', entries: ENTRIES, targets: TARGETS }));
  expect(loadLexicon(file).entries).toHaveLength(ENTRIES.length);
  const arr = path.join(dir, 'array.json');
  fs.writeFileSync(arr, JSON.stringify(ENTRIES.slice(0, 2)));
  expect(loadLexicon(arr)).toMatchObject({ id: 'array', targets: [] });
  expect(loadTargets(path.join(dir, 'targets', 'fictional.json'))).toHaveLength(2);
});

it('names the file and the entry in validation errors', () => {
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify([ENTRIES[0], { ...entry({ id: 'en.broken', lang: 'en', terms: ['x'], category: 'DH.ANIMAL', severity: 3 }), severity: 7 }]));
  expect(() => loadLexicon(bad)).toThrow(LexiconLoadError);
  expect(() => loadLexicon(bad)).toThrow(/bad\.json: entry "en\.broken" \(index 1\): severity/u);
  fs.writeFileSync(bad, '{ not json');
  expect(() => loadLexicon(bad)).toThrow(/bad\.json: invalid JSON/u);
  expect(() => loadLexicon(path.join(dir, 'missing'))).toThrow(/no such lexicon/u);
});

it('rejects duplicate entry ids', () => {
  const dup = path.join(dir, 'dup.json');
  fs.writeFileSync(dup, JSON.stringify([ENTRIES[0], ENTRIES[0]]));
  expect(() => loadLexicon(dup)).toThrow(/duplicate entry id "en\.vermin"/u);
});

it('points DEFAULT_LEXICON_DIR at <repo>/lexicons/starter', () => {
  expect(DEFAULT_LEXICON_DIR).toBe(path.resolve(__dirname, '..', '..', 'lexicons', 'starter'));
});
