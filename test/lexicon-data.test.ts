/**
 * Data checks for the starter lexicon in lexicons/starter: every file parses, every entry has the
 * contract's fields (src/analyze/types.ts), ids are unique, categories are known, terms follow the
 * pattern syntax and the per-language orthography rules, and the example target groups are
 * fictional. No database is needed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compileLexicon } from '../src/analyze';
import { CATEGORY_CODES, type FrameData, type LexiconEntryData, type TargetGroupData, type WordClassData } from '../src/analyze/types';
import { loadLexicon } from '../src/lexicon';

const ROOT = path.join(__dirname, '..', 'lexicons', 'starter');
const LANGS = ['en', 'ru', 'tr', 'az', 'hy'] as const;
const MIN_PREDICATES = 40;

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as unknown;
}

const byLang = new Map<string, LexiconEntryData[]>();
for (const lang of LANGS) byLang.set(lang, readJson(`predicates/${lang}.json`) as LexiconEntryData[]);
const allEntries: LexiconEntryData[] = LANGS.flatMap((l) => byLang.get(l) ?? []);
const targets = readJson('targets/example-groups.json') as TargetGroupData[];
const jsonIn = (dir: string): string[] => (fs.existsSync(path.join(ROOT, dir)) ? fs.readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.json')) : []);
const classes: WordClassData[] = jsonIn('classes').flatMap((f) => readJson(`classes/${f}`) as WordClassData[]);
const frames: FrameData[] = jsonIn('frames').flatMap((f) => readJson(`frames/${f}`) as FrameData[]);
const memberTerm = (m: WordClassData['members'][number]): string => (typeof m === 'string' ? m : m.term);

/** Categories a language's entries, frames and (through frames) classes can give. */
function categoriesOf(lang: string): Set<string> {
  const cats = new Set<string>((byLang.get(lang) ?? []).filter((e) => e.status !== 'retired').map((e) => e.category));
  for (const f of frames) {
    if (f.lang !== lang || f.status === 'retired') continue;
    if (f.category !== 'class') cats.add(f.category);
    else for (const c of classes) if (c.lang === lang && c.category) cats.add(c.category);
  }
  return cats;
}

/** Letters of a token, counting base letters only (combining marks belong to their letter). */
function letterCount(s: string): number {
  return [...s.normalize('NFC')].filter((ch) => /\p{L}/u.test(ch)).length;
}

function lower(term: string, lang: string): string {
  return lang === 'tr' || lang === 'az' ? term.toLocaleLowerCase(lang) : term.toLowerCase();
}

const TOKEN = /^[\p{L}\p{M}\p{N}]+\*?$/u;
const GAP = /^~([1-9])$/;

/** Problems with one pattern, as messages (empty = fine). */
function patternProblems(term: string, lang: string, minStemLen: number): string[] {
  const problems: string[] = [];
  if (term !== term.trim() || /\s{2,}/.test(term)) problems.push('stray whitespace');
  if (term.normalize('NFC') !== term) problems.push('not NFC');
  if (lower(term, lang) !== term) problems.push('not lower-case');
  const tokens = term.split(' ');
  if (tokens.length === 0 || tokens.every((t) => GAP.test(t))) problems.push('no word token');
  if (GAP.test(tokens[0] ?? '') || GAP.test(tokens[tokens.length - 1] ?? '')) problems.push('starts or ends with a gap');
  const words = tokens.filter((t) => !GAP.test(t));
  for (const tok of tokens) {
    if (GAP.test(tok)) continue;
    if (!TOKEN.test(tok)) {
      problems.push(`bad token "${tok}"`);
      continue;
    }
    if (tok.endsWith('*')) {
      const stem = tok.slice(0, -1);
      const n = letterCount(stem);
      if (n < minStemLen) problems.push(`stem "${stem}" shorter than ${minStemLen}`);
      // A stem under 4 letters is tolerated only when anchored by another word in the phrase.
      if (n < 4 && words.length < 2) problems.push(`short stem "${stem}" in a one-word term`);
    }
  }
  if (lang === 'ru' && /ё/.test(term)) problems.push('ё in a Russian term (write е)');
  if (lang === 'hy') {
    if (/[\u055B-\u055E]/u.test(term)) problems.push('Armenian emphasis/question mark in a term');
    if (/\u0587/u.test(term)) problems.push('ligature և in a term (write եւ)');
  }
  if (lang === 'az' && /[\u0400-\u04FF]/u.test(term)) problems.push('Cyrillic in an az term (write Latin)');
  if (lang === 'en' && /[^a-z0-9 ~*]/.test(term)) problems.push('en terms use only a-z, digits, spaces, ~ and *');
  return problems;
}

describe('starter lexicon files', () => {
  test('manifest parses and names the lexicon', () => {
    const m = readJson('manifest.json') as Record<string, unknown>;
    expect(m.id).toBe('lexwatch-starter');
    expect(m.version).toBe('2026.11.0');
    expect(typeof m.name).toBe('string');
    expect(typeof m.description).toBe('string');
  });

  test.each(LANGS)('predicates/%s.json is a non-empty array', (lang) => {
    const entries = byLang.get(lang);
    expect(Array.isArray(entries)).toBe(true);
    expect(entries?.length ?? 0).toBeGreaterThan(0);
  });

  test.each(LANGS)(`%s has at least ${MIN_PREDICATES} predicate entries`, (lang) => {
    const n = (byLang.get(lang) ?? []).filter((e) => e.role === 'predicate' && e.status !== 'retired').length;
    expect(n).toBeGreaterThanOrEqual(MIN_PREDICATES);
  });

  test('ids are unique across all languages', () => {
    const seen = new Set<string>();
    const dups: string[] = [];
    for (const e of allEntries) {
      if (seen.has(e.id)) dups.push(e.id);
      seen.add(e.id);
    }
    expect(dups).toEqual([]);
  });
});

describe('every predicate entry', () => {
  const cases = allEntries.map((e) => [e.id, e] as const);

  test.each(cases)('%s has the required fields', (_id, e) => {
    const problems: string[] = [];
    if (typeof e.id !== 'string' || !e.id.startsWith(`${e.lang}.`)) problems.push('id must start with its lang');
    if (!/^[a-z]{2}(\.[a-z0-9-]+)+$/.test(e.id)) problems.push('id shape');
    if (!Number.isInteger(e.version) || e.version < 1) problems.push('version');
    if (!['draft', 'reviewed', 'retired'].includes(e.status)) problems.push('status');
    if (!['predicate', 'standalone'].includes(e.role)) problems.push('role');
    if (!(CATEGORY_CODES as readonly string[]).includes(e.category)) problems.push(`category ${e.category}`);
    if (![1, 2, 3, 4].includes(e.severity)) problems.push('severity');
    if (!Array.isArray(e.terms) || e.terms.length === 0) problems.push('terms');
    if (typeof e.meaning !== 'string' || e.meaning.trim().length < 5) problems.push('meaning');
    if (typeof e.whyHarmful !== 'string' || e.whyHarmful.trim().length < 10) problems.push('whyHarmful');
    if (!e.source || !['literature', 'usage', 'curator', 'import'].includes(e.source.type)) problems.push('source.type');
    if (!e.source || typeof e.source.ref !== 'string' || e.source.ref.trim() === '') problems.push('source.ref');
    const neg = e.context?.negation;
    if (neg !== undefined && !['suppress', 'downgrade', 'keep'].includes(neg)) problems.push('context.negation');
    const q = e.context?.quotation;
    if (q !== undefined && !['flag', 'downgrade'].includes(q)) problems.push('context.quotation');
    const w = e.context?.window;
    if (w !== undefined && (!['token', 'sentence'].includes(w.unit) || !Number.isInteger(w.n) || w.n < 1)) problems.push('context.window');
    const msl = e.match?.minStemLen;
    if (msl !== undefined && (!Number.isInteger(msl) || msl < 2)) problems.push('match.minStemLen');
    expect(problems).toEqual([]);
  });

  test.each(cases)('%s terms and exceptions follow the pattern syntax and orthography', (_id, e) => {
    const minStemLen = e.match?.minStemLen ?? 4;
    const problems: string[] = [];
    for (const t of [...e.terms, ...(e.exceptions ?? [])]) {
      for (const p of patternProblems(t, e.lang, minStemLen)) problems.push(`${t}: ${p}`);
    }
    const dupTerms = e.terms.filter((t, i) => e.terms.indexOf(t) !== i);
    for (const d of dupTerms) problems.push(`${d}: duplicate term`);
    expect(problems).toEqual([]);
  });

  test('counter-evidence entries are severity 1 and never standalone', () => {
    const bad = allEntries.filter((e) => e.category === 'PO.RESPECT' && (e.severity !== 1 || e.role !== 'predicate')).map((e) => e.id);
    expect(bad).toEqual([]);
  });

  test('standalone entries are few and limited to explicit calls', () => {
    const standalone = allEntries.filter((e) => e.role === 'standalone');
    for (const e of standalone) expect(['VI.ERAD', 'VI.THREAT', 'NE.SLUR']).toContain(e.category);
    for (const lang of LANGS) {
      const n = standalone.filter((e) => e.lang === lang).length;
      expect(n).toBeLessThanOrEqual(5);
    }
  });
});

describe('category coverage', () => {
  test.each(LANGS)('%s covers every taxonomy category with entries or frames', (lang) => {
    const cats = categoriesOf(lang);
    expect(CATEGORY_CODES.filter((c) => !cats.has(c))).toEqual([]);
  });
});

describe('word classes and frames', () => {
  test('the starter lexicon compiles without a warning (every class member and frame pattern is usable)', () => {
    expect(compileLexicon(loadLexicon()).warnings).toEqual([]);
  });

  test('class ids are unique per language and members are lower-case NFC without gaps', () => {
    const seen = new Set<string>();
    for (const c of classes) {
      const key = `${c.lang}/${c.id}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      for (const m of c.members) {
        const term = memberTerm(m);
        expect({ key, term, nfc: term.normalize('NFC') === term, lower: lower(term, c.lang) === term, gap: /~/u.test(term) })
          .toEqual({ key, term, nfc: true, lower: true, gap: false });
      }
    }
  });

  test('frame ids are unique and name their language', () => {
    const ids = frames.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of frames) expect(f.id.startsWith(`${f.lang}.frame.`)).toBe(true);
  });

  test.each(LANGS.filter((l) => classes.some((c) => c.lang === l)))('%s: the content classes are full', (lang) => {
    // Every language has at least 40 violence verbs, eradication verbs and words of vice; the
    // dehumanizing nouns by kind and the verbs of hatred are fewer in some languages (each class's
    // description says so), but never a token list. Function-word classes (modals, copulas,
    // pronouns, cues) are as long as the language makes them.
    const floors: Record<string, number> = {
      violence: 40, eradication: 40, 'vice-adjective': 40, 'vice-noun': 40,
      'dh-animal': 25, 'dh-disease': 25, 'dh-filth': 25, 'dh-object': 25, 'dh-monster': 25, 'hate-emotion': 15,
    };
    for (const [id, floor] of Object.entries(floors)) {
      const c = classes.find((x) => x.lang === lang && x.id === id);
      expect({ id, present: c !== undefined }).toEqual({ id, present: true });
      expect({ id, n: c!.members.length >= floor }).toEqual({ id, n: true });
    }
  });
});

describe('entries other fixtures depend on', () => {
  function find(lang: string, term: string): LexiconEntryData | undefined {
    return (byLang.get(lang) ?? []).find((e) => e.terms.includes(term) && e.status !== 'retired');
  }

  /** Dehumanizing nouns moved from co-occurrence entries into the classes frames use. */
  test.each([
    ['en', 'vermin', 'DH.ANIMAL', 3],
    ['en', 'plague', 'DH.DISEASE', 3],
    ['ru', 'паразит*', 'DH.DISEASE', undefined],
    ['hy', 'միջատ*', 'DH.ANIMAL', undefined],
    ['tr', 'haşere*', 'DH.ANIMAL', 3],
    ['az', 'həşərat*', 'DH.ANIMAL', 3],
  ] as const)('%s "%s" is a %s class member', (lang, term, category, severity) => {
    const c = classes.find((x) => x.lang === lang && x.category === category && x.members.some((m) => memberTerm(m) === term));
    expect(c).toBeDefined();
    if (severity !== undefined) expect(c?.severity).toBe(severity);
  });

  test.each([
    ['en', 'exterminate', 'VI.ERAD', 4],
    ['en', 'wipe ~3 off the face of the earth', 'VI.ERAD', 4],
    ['az', 'məhv et*', 'VI.ERAD', undefined],
    ['ru', 'уничтож*', 'VI.ERAD', undefined],
  ] as const)('%s "%s" is %s', (lang, term, category, severity) => {
    const e = find(lang, term);
    expect(e).toBeDefined();
    expect(e?.category).toBe(category);
    if (severity !== undefined) expect(e?.severity).toBe(severity);
  });

  test('en "exterminate" is a predicate', () => {
    expect(find('en', 'exterminate')?.role).toBe('predicate');
  });

  test('en "not human" is existence denial that keeps its negation', () => {
    const e = find('en', 'not human') ?? find('en', 'are not ~1 human');
    expect(e?.category).toBe('DE.EXIST');
    expect(e?.context?.negation).toBe('keep');
  });

  test.each([
    ['tr', 'insan değil*'],
    ['az', 'insan deyil*'],
    ['ru', 'не люди'],
    ['hy', 'մարդ չեն'],
  ] as const)('%s "%s" keeps its negation', (lang, term) => {
    expect(find(lang, term)?.context?.negation).toBe('keep');
  });
});

describe('example target groups', () => {
  test('file parses into exactly the two invented groups, all fictional', () => {
    expect(Array.isArray(targets)).toBe(true);
    expect(targets.map((g) => g.id).sort()).toEqual(['merenites', 'tarvani']);
    for (const g of targets) {
      expect(g.fictional).toBe(true);
      expect(g.name).toMatch(/\(fictional\)$/);
    }
  });

  test.each(targets.map((g) => [g.id, g] as const))('%s has well-formed terms in every language', (_id, g) => {
    const problems: string[] = [];
    const langs = new Set<string>();
    for (const block of g.terms) {
      langs.add(block.lang);
      if (!['name', 'demonym', 'toponym', 'heritage'].includes(block.kind)) problems.push(`kind ${block.kind}`);
      for (const t of block.terms) for (const p of patternProblems(t, block.lang, 4)) problems.push(`${block.lang} ${t}: ${p}`);
    }
    expect(problems).toEqual([]);
    expect([...langs].sort()).toEqual([...LANGS].sort());
    expect(g.terms.some((b) => b.kind === 'heritage')).toBe(true);
  });

  function termsOf(id: string, lang: string): string[] {
    return (targets.find((g) => g.id === id)?.terms ?? []).filter((b) => b.lang === lang).flatMap((b) => b.terms);
  }

  test('required fixture terms are present', () => {
    expect(termsOf('tarvani', 'en')).toEqual(expect.arrayContaining(['tarvani', 'tarvanis', 'tarvanian*', 'tarvania', 'sorel monastery']));
    expect(termsOf('tarvani', 'ru')).toEqual(expect.arrayContaining(['тарван*', 'тарвани*']));
    expect(termsOf('tarvani', 'az')).toContain('tarvan*');
    expect(termsOf('tarvani', 'tr')).toContain('tarvan*');
    expect(termsOf('tarvani', 'hy')).toContain('տարվան*');
    expect(termsOf('merenites', 'en')).toEqual(expect.arrayContaining(['merenite*', 'merenia', 'karst chapel']));
    expect(termsOf('merenites', 'ru')).toEqual(expect.arrayContaining(['меренит*', 'мерени*']));
    expect(termsOf('merenites', 'az')).toEqual(expect.arrayContaining(['merenit*', 'mereni*']));
    expect(termsOf('merenites', 'tr')).toContain('merenit*');
    expect(termsOf('merenites', 'hy')).toEqual(expect.arrayContaining(['մերենիտ*', 'մերենի*']));
  });
});
