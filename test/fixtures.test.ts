/**
 * Checks the generated SYNTHETIC fixtures (fixtures/, built by scripts/generate-fixtures.ts)
 * against fixtures/expected.json, using poppler-utils and qpdf (installed by the setup script).
 * No database needed: run with `npx jest --globalSetup='' --globalTeardown='' test/fixtures.test.ts`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');
const fx = (rel: string): string => path.join(FIXTURES, rel);

interface ExpectedFlag { exact: string; category: string; target: string; lang: string; sentence: string }
interface ExpectedPage {
  index: number;
  label: string | null;
  hasTextLayer: boolean;
  requiresOcr: boolean;
  langs: string[];
  sentences: string[];
  flags: ExpectedFlag[];
  mustNotFlag: string[];
}
interface ExpectedFile {
  kind: 'pdf' | 'text' | 'bad';
  problem?: string;
  pageCount?: number;
  pageLabels?: Array<{ startIndex: number; style: string; start: number }>;
  pages?: ExpectedPage[];
  header?: string;
  paragraphs?: string[];
  sourceBytes?: number;
  userPassword?: string;
}
interface Expected { synthetic: boolean; files: Record<string, ExpectedFile> }

const expected = JSON.parse(fs.readFileSync(fx('expected.json'), 'utf8')) as Expected;
const textbook = expected.files['textbook-sample.pdf']!;
const statement = expected.files['statement-sample.txt']!;

function tool(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const norm = (text: string): string => text.replace(/\s+/gu, ' ').trim();

function pageText(file: string, pageIndex: number): string {
  const n = String(pageIndex + 1);
  const r = tool('pdftotext', ['-enc', 'UTF-8', '-f', n, '-l', n, fx(file), '-']);
  expect(r.status).toBe(0);
  return norm(r.stdout);
}

function toRoman(n: number): string {
  const table: Array<[number, string]> = [[10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];
  let out = '';
  for (const [v, r] of table) while (n >= v) { out += r; n -= v; }
  return out;
}

/** Computed labels from the catalog's /PageLabels number tree, read through `qpdf --json`. */
function pdfPageLabels(file: string, pageCount: number): string[] {
  const r = tool('qpdf', ['--json', '--json-key=pagelabels', fx(file)]);
  expect(r.status).toBe(0);
  const ranges = (JSON.parse(r.stdout) as { pagelabels: Array<{ index: number; label: Record<string, unknown> }> }).pagelabels;
  const labels: string[] = [];
  for (let i = 0; i < pageCount; i++) {
    const range = [...ranges].reverse().find((x) => x.index <= i);
    if (!range) { labels.push(String(i + 1)); continue; }
    const n = (typeof range.label['/St'] === 'number' ? range.label['/St'] : 1) + (i - range.index);
    const style = range.label['/S'];
    labels.push(style === '/r' ? toRoman(n) : style === '/D' ? String(n) : `?${String(style)}`);
  }
  return labels;
}

describe('fixtures/expected.json', () => {
  it('is marked synthetic and lists only files that exist', () => {
    expect(expected.synthetic).toBe(true);
    for (const rel of Object.keys(expected.files)) expect(fs.existsSync(fx(rel))).toBe(true);
  });

  it('has self-consistent flags (exact and target inside the sentence, sentence on the page)', () => {
    for (const file of [textbook, statement]) {
      for (const page of file.pages!) {
        for (const f of page.flags) {
          expect(f.sentence).toContain(f.exact);
          expect(f.sentence).toContain(f.target);
          expect(page.sentences).toContain(f.sentence);
          expect(page.mustNotFlag).not.toContain(f.sentence);
        }
        for (const m of page.mustNotFlag) expect(page.sentences).toContain(m);
      }
    }
  });

  it('covers every language and the predicate kinds the brief asks for', () => {
    const flags = textbook.pages!.flatMap((p) => p.flags);
    expect(new Set(flags.map((f) => f.lang))).toEqual(new Set(['en', 'az', 'ru', 'hy', 'tr']));
    expect(flags.map((f) => f.exact)).toEqual(expect.arrayContaining([
      'vermin', 'exterminate', 'wipe the Merenites off the face of the earth', 'plague',
      'həşəratdır', 'паразиты', 'միջատներ', 'haşeredir',
    ]));
    expect(textbook.pages![0]!.flags).toHaveLength(0);
  });
});

describe('textbook-sample.pdf', () => {
  const file = 'textbook-sample.pdf';

  it('has the expected page count and a synthetic title', () => {
    const r = tool('pdfinfo', [fx(file)]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Pages:\\s+${textbook.pageCount}$`, 'mu'));
    expect(r.stdout).toMatch(/^Title:.*SYNTHETIC TEST FIXTURE/mu);
    expect(r.stdout).toMatch(/^Encrypted:\s+no$/mu);
  });

  it('carries /PageLabels that differ from page indices (i, ii, 1, 2, …)', () => {
    const labels = pdfPageLabels(file, textbook.pageCount!);
    expect(labels).toEqual(textbook.pages!.map((p) => p.label));
    expect(labels.slice(0, 3)).toEqual(['i', 'ii', '1']);
  });

  describe.each(textbook.pages!.map((p) => [p.index, p] as const))('page index %i', (_index, page) => {
    if (page.hasTextLayer) {
      it('extracts every sentence, and prints its label', () => {
        const text = pageText(file, page.index);
        for (const sentence of page.sentences) expect(text).toContain(norm(sentence));
        for (const f of page.flags) expect(text).toContain(f.exact);
        expect(text.endsWith(` ${page.label!}`)).toBe(true);
      });
    } else {
      it('has no text layer (only a full-page image) until OCR exists', () => {
        expect(page.requiresOcr).toBe(true);
        expect(pageText(file, page.index)).toBe('');
        const n = String(page.index + 1);
        const images = tool('pdfimages', ['-list', '-f', n, '-l', n, fx(file)]);
        expect(images.status).toBe(0);
        const rows = images.stdout.split('\n').slice(2).filter((l) => l.trim() !== '');
        expect(rows).toHaveLength(1);
        expect(page.flags.length).toBeGreaterThan(0); // flags expected once OCR runs
      });
    }
  });
});

describe('statement-sample.txt', () => {
  const raw = fs.readFileSync(fx('statement-sample.txt'));
  const text = raw.toString('utf8');

  it('is valid UTF-8 with a synthetic header naming the fictional speaker', () => {
    expect(Buffer.from(text, 'utf8').equals(raw)).toBe(true);
    const first = text.split('\n')[0]!;
    expect(first).toBe(statement.header);
    expect(first).toMatch(/SYNTHETIC TEST FIXTURE/u);
    expect(first).toContain('Minister Ardel Voss of the fictional Republic of Ormund');
  });

  it('has the expected paragraphs and sentences', () => {
    const paragraphs = text.trim().split(/\n\s*\n/u).slice(1);
    expect(paragraphs).toEqual(statement.paragraphs);
    const page = statement.pages![0]!;
    for (const sentence of page.sentences) expect(text).toContain(sentence);
    expect(page.flags.length).toBeGreaterThanOrEqual(2);
    expect(page.mustNotFlag.length).toBeGreaterThanOrEqual(1);
  });
});

describe('bad files', () => {
  const read = (rel: string): Buffer => fs.readFileSync(fx(rel));
  const pdfinfoFails = (rel: string): string => {
    const r = tool('pdfinfo', [fx(rel)]);
    expect(r.status).not.toBe(0);
    return r.stderr;
  };

  it('every bad file is listed in expected.json', () => {
    const listed = Object.keys(expected.files).filter((k) => expected.files[k]!.kind === 'bad').sort();
    const onDisk = fs.readdirSync(fx('bad')).map((f) => `bad/${f}`).sort();
    expect(onDisk).toEqual(listed);
  });

  it('empty.pdf is 0 bytes', () => {
    expect(fs.statSync(fx('bad/empty.pdf')).size).toBe(0);
    expect(pdfinfoFails('bad/empty.pdf')).toMatch(/empty/iu);
  });

  it('corrupt.pdf has a PDF header but is unreadable', () => {
    expect(read('bad/corrupt.pdf').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfinfoFails('bad/corrupt.pdf')).toMatch(/xref|trailer/iu);
  });

  it('truncated.pdf is the first half of textbook-sample.pdf and unreadable', () => {
    const whole = read('textbook-sample.pdf');
    const cut = read('bad/truncated.pdf');
    expect(expected.files['bad/truncated.pdf']!.sourceBytes).toBe(whole.length);
    expect(cut.length).toBe(Math.floor(whole.length / 2));
    expect(whole.subarray(0, cut.length).equals(cut)).toBe(true);
    expect(cut.includes('%%EOF')).toBe(false);
    pdfinfoFails('bad/truncated.pdf');
  });

  it('encrypted.pdf needs a user password, and opens with it', () => {
    const rel = 'bad/encrypted.pdf';
    expect(tool('qpdf', ['--requires-password', fx(rel)]).status).toBe(0); // 0 = password required
    expect(tool('qpdf', ['--requires-password', fx('textbook-sample.pdf')]).status).toBe(2); // 2 = not encrypted
    expect(pdfinfoFails(rel)).toMatch(/password/iu);
    const ok = tool('pdfinfo', ['-upw', expected.files[rel]!.userPassword!, fx(rel)]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^Encrypted:\s+yes/mu);
    expect(ok.stdout).toMatch(new RegExp(`^Pages:\\s+${textbook.pageCount}$`, 'mu'));
  });

  it('not-a-pdf.bin is binary without a PDF header', () => {
    const bytes = read('bad/not-a-pdf.bin');
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.subarray(0, 5).toString('latin1')).not.toBe('%PDF-');
    pdfinfoFails('bad/not-a-pdf.bin');
  });

  it('fake.pdf is really a PNG', () => {
    const bytes = read('bad/fake.pdf');
    expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    pdfinfoFails('bad/fake.pdf');
  });
});

describe('fixtures directory', () => {
  it('stays small (< 1 MB in total)', () => {
    const walk = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true })
      .reduce((sum, e) => sum + (e.isDirectory() ? walk(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size), 0);
    expect(walk(FIXTURES)).toBeLessThan(1024 * 1024);
  });
});
