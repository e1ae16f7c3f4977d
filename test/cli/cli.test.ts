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
