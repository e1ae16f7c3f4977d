/** The real CLI in a child process: JSONL contract, clean stdout, exit codes. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENTRIES, TARGETS } from '../analyze/fixtures/lexicon';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'lexwatch.js');
let dir: string;
let lexiconFile: string;
let targetsFile: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-cli-'));
  lexiconFile = path.join(dir, 'entries.json');
  targetsFile = path.join(dir, 'targets.json');
  fs.writeFileSync(lexiconFile, JSON.stringify(ENTRIES));
  fs.writeFileSync(targetsFile, JSON.stringify(TARGETS));
  // A .env in the working directory must not leak banners to stdout (natural runs dotenv).
  fs.writeFileSync(path.join(dir, '.env'), 'LEXWATCH_TEST=1\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], input?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { input, cwd: dir, encoding: 'utf8', timeout: 60_000 });
}

it('--stdin writes exactly one JSON line per input line, errors included', () => {
  const input = [
    JSON.stringify({ id: 'p1', text: 'The Tarvanis are vermin.', lang: 'en' }),
    '{broken',
    JSON.stringify({ id: 'p2', text: 'Тарванцы — паразиты.' }),
    JSON.stringify({ id: 'p3', text: 42 }),
    JSON.stringify({ id: 'p4', text: 'A quiet day in Tarvania.' }),
  ].join('\n');
  const r = cli(['analyze', '--stdin', '--lexicon', lexiconFile, '--targets', targetsFile], `${input}\n`);
  expect(r.status).toBe(1);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toHaveLength(5);
  expect(lines[0]).toMatchObject({ id: 'p1', lang: 'en', flags: [{ exact: 'vermin', category: 'DH.ANIMAL' }] });
  expect(lines[1]).toMatchObject({ line: 2, error: expect.stringMatching(/invalid JSON/u) });
  expect(lines[2]).toMatchObject({ id: 'p2', lang: 'ru', flags: [{ exact: 'паразиты' }] });
  expect(lines[3]).toMatchObject({ id: 'p3', error: expect.stringMatching(/text/u) });
  expect(lines[4]).toEqual({ id: 'p4', lang: 'en', flags: [] });
});

it('exits 0 when every line is fine', () => {
  const r = cli(['analyze', '--stdin', '--lexicon', lexiconFile, '--targets', targetsFile, '--lang', 'en'], `${JSON.stringify({ id: 1, text: 'Merenites are a plague.' })}\n`);
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ id: 1, lang: 'en', flags: [{ exact: 'plague', targets: [{ groupId: 'merenites' }] }] });
});

it('analyses text files page by page as JSONL', () => {
  const file = path.join(dir, 'book.txt');
  fs.writeFileSync(file, 'Tarvanis are vermin.\fExterminate the Merenites!\n');
  const r = cli(['analyze', file, '--format', 'jsonl', '--lexicon', lexiconFile, '--targets', targetsFile]);
  expect(r.status).toBe(0);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { file: string; page: number; flag: { exact: string } });
  expect(lines.map((l) => [l.page, l.flag.exact])).toEqual([[0, 'vermin'], [1, 'Exterminate']]);
  expect(lines[0]!.file).toBe(file);
});

it('reports usage errors on stderr with exit code 2 and prints help on stdout', () => {
  const bad = cli(['analyze', '--format', 'xml', 'x.txt']);
  expect(bad.status).toBe(2);
  expect(bad.stdout).toBe('');
  expect(bad.stderr).toMatch(/--format must be table or jsonl/u);
  const help = cli(['--help']);
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/^Usage: lexwatch analyze/u);
  const lex = cli(['analyze', '--stdin', '--lexicon', path.join(dir, 'nope.json')], '');
  expect(lex.status).toBe(2);
  expect(lex.stderr).toMatch(/nope\.json/u);
});

it('reports an unreadable file on stderr, continues, and exits 1', () => {
  const file = path.join(dir, 'ok.txt');
  fs.writeFileSync(file, 'Tarvanis are vermin.');
  const r = cli(['analyze', path.join(dir, 'missing.txt'), file, '--format', 'jsonl', '--lexicon', lexiconFile, '--targets', targetsFile]);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/missing\.txt/u);
  expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
});

describe('lexicon import and export', () => {
  const FIXTURES = path.resolve(__dirname, '..', 'lexicon', 'fixtures');

  it('converts a HurtLex file to lexicon JSON that analyze --stdin can use with --targets', () => {
    const r = cli(['lexicon', 'import', path.join(FIXTURES, 'hurtlex-synthetic-en.tsv'), '--format', 'hurtlex', '--lang', 'en']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/hurtlex-synthetic-en\.tsv:5: skipped/u);
    const data = JSON.parse(r.stdout) as { entries: Array<{ id: string; status: string }> };
    expect(data.entries.map((e) => e.status)).toEqual(['draft', 'draft', 'draft']);
    const converted = path.join(dir, 'hurtlex.json');
    fs.writeFileSync(converted, r.stdout);
    const a = cli(['analyze', '--stdin', '--lexicon', converted, '--targets', targetsFile], `${JSON.stringify({ id: 'x', text: 'The Merenites are vermin.', lang: 'en' })}\n`);
    expect(a.status).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({ id: 'x', flags: [{ exact: 'vermin', matches: [{ entryId: 'hurtlex.en.EN9001' }] }] });
  });
  it('prints line-numbered errors for a bad file, nothing on stdout, exit 1', () => {
    const r = cli(['lexicon', 'import', path.join(FIXTURES, 'peacetech-bad.csv'), '--format', 'peacetech']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/peacetech-bad\.csv:3: .*term/u);
    expect(r.stderr).toMatch(/peacetech-bad\.csv:4: unterminated/u);
  });
  it('exports a lexicon as CSV that imports back, and rejects bad usage with exit 2', () => {
    const r = cli(['lexicon', 'export', lexiconFile, '--format', 'csv']);
    expect(r.status).toBe(0);
    const csvFile = path.join(dir, 'entries.csv');
    fs.writeFileSync(csvFile, r.stdout);
    const back = cli(['lexicon', 'import', csvFile, '--format', 'csv']);
    expect(back.status).toBe(0);
    expect((JSON.parse(back.stdout) as { entries: unknown[] }).entries).toEqual(ENTRIES);
    expect(cli(['lexicon', 'import', csvFile]).status).toBe(2);
    expect(cli(['lexicon', 'frobnicate']).status).toBe(2);
  });
});
