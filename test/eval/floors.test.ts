/**
 * The evaluation set (eval/sets/*.jsonl) and its floors (eval/floors.json), checked in-process
 * as `npm run eval` checks them: no database, no child process. A change to the engine that
 * makes any recorded figure worse fails here, and so in `npm test` and CI. The set itself is
 * checked too: valid lines, the files the project expects, its size, the mix the spec asks for,
 * the dev/test split, and no real-world group named anywhere.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkFloors, readFloors, updatedFloors, type FloorsData } from '../../eval/floors';
import { REPORT_SPLITS, runEvaluation, type LangKey } from '../../eval/harness';
import { main } from '../../eval/run';
import { FILE_STEMS, FLAG_KINDS, LANGUAGE_FILE_LANGS, loadSet, type Passage } from '../../eval/passages';

/** The language files the set must have: every language and script the project serves. */
const EXPECTED_LANGUAGE_FILES: readonly string[] = ['en.jsonl', 'ru.jsonl', 'tr.jsonl', 'az-Latn.jsonl', 'az-Cyrl.jsonl', 'hy.jsonl'];

const MIN_PASSAGES = 600;

/**
 * Real-world group and country names that must never appear in a passage or its note: the set is
 * about invented groups only. Short on purpose; each pattern is matched as a whole word (the
 * tail after a stem is a word's remaining letters), case-insensitively.
 */
const REAL_GROUP_BLOCKLIST: readonly string[] = [
  // en
  'armenians?', 'azerbaijanis?', 'turks?', 'turkish', 'russians?', 'jews?', 'jewish', 'muslims?', 'christians?',
  'kurds?', 'kurdish', 'arabs?', 'roma', 'armenia', 'azerbaijan', 'russia',
  // ru
  'армян\\p{L}*', 'армени\\p{L}*', 'азербайджан\\p{L}*', 'турк\\p{L}*', 'турец\\p{L}*', 'турок', 'русск\\p{L}*',
  'росси\\p{L}*', 'евре\\p{L}*', 'мусульман\\p{L}*', 'христиан\\p{L}*', 'курд\\p{L}*', 'цыган\\p{L}*',
  // tr, az (Latin)
  'ermeni\\p{L}*', 'erməni\\p{L}*', 'azerbaycan\\p{L}*', 'azərbaycan\\p{L}*', 'azeri\\p{L}*', 'türk(?!ü)\\p{L}*',
  'kürt(?!aj)\\p{L}*', 'kürd\\p{L}*', 'yahudi\\p{L}*', 'yəhudi\\p{L}*', 'müslüman\\p{L}*', 'müsəlman\\p{L}*',
  'hristiyan\\p{L}*', 'xristian\\p{L}*', 'rus', 'ruslar\\p{L}*', 'rusya\\p{L}*', 'rusiya\\p{L}*',
  // az (Cyrillic)
  'ермәни\\p{L}*', 'азәрбајҹан\\p{L}*', 'түрк(?!ү)\\p{L}*', 'јәһуди\\p{L}*', 'мүсәлман\\p{L}*', 'руслар\\p{L}*',
  // hy
  'հայ', 'հայեր\\p{L}*', 'հայկական', 'հայաստան\\p{L}*', 'ադրբեջան\\p{L}*', 'թուրք\\p{L}*', 'ռուս', 'ռուսներ\\p{L}*',
  'ռուսաստան\\p{L}*', 'հրեա\\p{L}*', 'մուսուլման\\p{L}*', 'քրիստոնյա\\p{L}*', 'քուրդ\\p{L}*', 'քրդեր\\p{L}*',
];
const BLOCKLIST = new RegExp(`(?<![\\p{L}\\p{M}])(?:${REAL_GROUP_BLOCKLIST.join('|')})(?![\\p{L}\\p{M}])`, 'iu');

/** Letters of the script each file is written in (digits and punctuation are not letters). */
const SCRIPT_OF_FILE: Record<string, RegExp> = {
  en: /\p{Script=Latin}/u, 'az-Latn': /\p{Script=Latin}/u, tr: /\p{Script=Latin}/u,
  ru: /\p{Script=Cyrillic}/u, 'az-Cyrl': /\p{Script=Cyrillic}/u, hy: /\p{Script=Armenian}/u,
};

const set = loadSet();
const byFile = new Map<string, Passage[]>();
for (const p of set.passages) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
const files = [...byFile.keys()];

function share(of: Passage[], pred: (p: Passage) => boolean): number {
  return of.length === 0 ? 0 : of.filter(pred).length / of.length;
}

describe('evaluation set', () => {
  test('every line is a valid passage with a unique id', () => {
    expect(set.problems).toEqual([]);
  });

  test.each(EXPECTED_LANGUAGE_FILES)('eval/sets/%s is present', (name) => {
    expect(set.files.map((f) => `${f.file}.jsonl`)).toContain(name);
  });

  test('the expected files are all known set files', () => {
    for (const name of EXPECTED_LANGUAGE_FILES) expect(FILE_STEMS.map((s) => `${s}.jsonl`)).toContain(name);
  });

  test(`at least ${MIN_PASSAGES} passages in all files together`, () => {
    expect(set.passages.length).toBeGreaterThanOrEqual(MIN_PASSAGES);
  });

  test.each(files)('%s: about 55% dev / 45% test, overall and within each kind', (file) => {
    const of = byFile.get(file)!;
    const test = share(of, (p) => p.split === 'test');
    expect(test).toBeGreaterThanOrEqual(0.35);
    expect(test).toBeLessThanOrEqual(0.55);
    // Within a kind of 4 or more, both splits, and neither far from the file's share.
    const uneven = [...new Set(of.map((p) => p.kind))].filter((kind) => {
      const ofKind = of.filter((p) => p.kind === kind);
      const testShare = share(ofKind, (p) => p.split === 'test');
      return ofKind.length >= 4 && (testShare < 0.2 || testShare > 0.65);
    });
    expect(uneven).toEqual([]);
  });

  test.each(files)('%s: the mix the specification asks for', (file) => {
    const of = byFile.get(file)!;
    const flag = of.filter((p) => p.expect === 'flag');
    const isEn = file === 'en';
    const problems: string[] = [];
    const atLeast = (what: string, value: number, min: number): void => {
      if (value < min) problems.push(`${what}: ${value.toFixed(3)} < ${min}`);
    };
    atLeast('share expect=flag', share(of, (p) => p.expect === 'flag'), 0.55);
    atLeast('share expect=none', share(of, (p) => p.expect === 'none'), 0.25);
    atLeast('share history', share(of, (p) => p.kind === 'history'), 0.1);
    for (const kind of ['neutral', 'positive', 'other-sense']) atLeast(`share ${kind}`, share(of, (p) => p.kind === kind), 0.05);
    atLeast('share counter-speech', share(of, (p) => p.kind === 'counter-speech'), 0.1);
    atLeast('unlisted share of flag items', share(flag, (p) => p.group === 'unlisted'), 0.1);
    atLeast('pronoun share of flag items', share(flag, (p) => p.group === 'pronoun'), 0.05);
    const core = ['threat', 'call', 'eradication', 'dehumanization', 'glorification', 'justification', 'denial', 'hate-emotion', 'negative-attribute'];
    for (const kind of core) atLeast(`${kind} passages`, flag.filter((p) => p.kind === kind).length, isEn ? 6 : 4);
    atLeast('obfuscated passages', flag.filter((p) => p.kind === 'obfuscated').length, isEn ? 10 : 3);
    expect(problems).toEqual([]);
  });

  test('obfuscated passages are statements, as the specification says', () => {
    expect(set.passages.filter((p) => p.kind === 'obfuscated' && p.source !== 'statement').map((p) => p.id)).toEqual([]);
  });

  test('every flag kind the set uses is a flag kind', () => {
    for (const p of set.passages.filter((x) => x.expect === 'flag')) expect(FLAG_KINDS).toContain(p.kind);
  });

  test('no passage or note names a real-world group', () => {
    const named = set.passages.flatMap((p) => {
      const hits = [p.text, p.note ?? ''].map((s) => BLOCKLIST.exec(s.normalize('NFC'))?.[0]).filter(Boolean);
      return hits.length ? [`${p.id}: ${hits.join(', ')}`] : [];
    });
    expect(named).toEqual([]);
  });

  test('the blocklist catches a real group name in each script and spares invented ones', () => {
    for (const s of ['The Armenians', 'армяне', 'Türkler', 'azərbaycanlılar', 'Ермәниләр', 'հայերը']) expect(BLOCKLIST.test(s)).toBe(true);
    for (const s of ['The Tarvanis', 'Zelvans', 'türkü söylediler', 'հայտնի է', 'русло реки']) expect(BLOCKLIST.test(s)).toBe(false);
  });

  test.each(files)('%s: each passage is written in the file\'s script', (file) => {
    const script = SCRIPT_OF_FILE[file]!;
    const wrong = byFile.get(file)!.filter((p) => {
      const letters = [...p.text].filter((ch) => /\p{L}/u.test(ch));
      return letters.filter((ch) => script.test(ch)).length < 0.8 * letters.length;
    });
    expect(wrong.map((p) => p.id)).toEqual([]);
  });

  test('Armenian passages write եւ, never the ligature և', () => {
    expect(set.passages.filter((p) => p.lang === 'hy' && p.text.includes('\u0587')).map((p) => p.id)).toEqual([]);
  });

  test('each line carries its file\'s language', () => {
    for (const p of set.passages) expect(p.lang).toBe(LANGUAGE_FILE_LANGS[p.file]);
  });
});

describe('floors (eval/floors.json)', () => {
  const run = runEvaluation();
  const everyColumn: LangKey[] = ['all', ...run.files.map((f) => f.file)];

  test.each(REPORT_SPLITS)('split %s: no figure is worse than its floor', (split) => {
    expect(checkFloors(run, readFloors(), { splits: [split], langKeys: everyColumn })).toEqual([]);
  });

  // The check above can fail: floors one step above today's figures are reported by name.
  test('a floor above today\'s figure, or a ceiling below it, is reported by name', () => {
    const today = updatedFloors(run, null, false).floors;
    expect(checkFloors(run, today, { splits: REPORT_SPLITS, langKeys: everyColumn })).toEqual([]);
    const raised: FloorsData = JSON.parse(JSON.stringify(today)) as FloorsData;
    raised.floors.all!.all!.recall = { min: run.metrics.all.all!.recall.value! + 0.01 };
    raised.floors.test!.hy!.historyFlagged = { max: Math.max(0, run.metrics.test.hy!.rates.history.value! - 0.01) };
    const failures = checkFloors(run, raised, { splits: REPORT_SPLITS, langKeys: everyColumn });
    expect(failures).toEqual([
      ...(run.metrics.test.hy!.rates.history.value! > 0 ? [expect.stringMatching(/^test\/hy historyFlagged .* is above its ceiling/)] : []),
      expect.stringMatching(/^all\/all recall .* is below its floor/),
    ]);
  });

  test('floors recorded on another version of a set file are not trusted', () => {
    const today = updatedFloors(run, null, false).floors;
    const stale: FloorsData = { ...today, sets: { ...today.sets, en: '0'.repeat(64) } };
    expect(checkFloors(run, stale, { splits: ['all'], langKeys: ['en'] })).toEqual([
      expect.stringContaining('eval/sets/en.jsonl changed since its floors were recorded'),
    ]);
    expect(checkFloors(run, stale, { splits: ['all'], langKeys: ['hy'] })).toEqual([]);
  });

  test('--update-floors refuses to lower a floor on an unchanged set unless allowed', () => {
    const today = updatedFloors(run, null, false).floors;
    const higher: FloorsData = JSON.parse(JSON.stringify(today)) as FloorsData;
    higher.floors.dev!.en!.recall = { min: 0.999 };
    expect(updatedFloors(run, higher, false).refused).toEqual([expect.stringMatching(/^dev\/en recall .* is below its floor 0\.9990/)]);
    expect(updatedFloors(run, higher, true).refused).toEqual([]);
    const otherSet: FloorsData = { ...higher, sets: { ...higher.sets, en: 'f'.repeat(64) } };
    expect(updatedFloors(run, otherSet, false).refused).toEqual([]);
  });

  test('the harness measures every passage of the set in one run', () => {
    expect(run.outcomes).toHaveLength(set.passages.length);
    expect(run.files.map((f) => f.file)).toEqual(files);
  });

  // What CI relies on: `npm run eval` exits 0 on the committed set and floors.
  test('npm run eval exits 0 when the floors hold, and writes the JSON report where asked', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-eval-report-'));
    try {
      const report = path.join(dir, 'r.json');
      expect(main(['--quiet', '--json', report], () => undefined, () => undefined)).toBe(0);
      const json = JSON.parse(fs.readFileSync(report, 'utf8')) as { passages: unknown[]; metrics: { all: { all: { recall: unknown } } } };
      expect(json.passages.length).toBeGreaterThan(0);
      expect(json.metrics.all.all.recall).toHaveProperty('value');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
