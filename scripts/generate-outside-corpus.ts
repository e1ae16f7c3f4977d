/**
 * `npx tsx scripts/generate-outside-corpus.ts [DIR]`: the generated half of the outside corpus
 * (the other half is committed: test/corpus/). Damage done to real PDFs and to generated ones,
 * deterministically (a seeded generator): truncations, bit flips, absurd page sizes, cycles in the
 * page tree, the cross-reference chain and the resources, and the bombs of issue 17.
 * test/ingest/outside-corpus.test.ts uploads them all with the committed files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pdfjsBombPdf, pdfWithUndrawablePage, rawPdf, simplePdf, type3CyclePdf } from './generate-bad-files';

const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';

function stream(content: string): string {
  return `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
}

/** A small deterministic generator (mulberry32), so the same files come out every time. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function flipBits(bytes: Buffer, flips: number, seed: number): Buffer {
  const out = Buffer.from(bytes);
  const next = random(seed);
  for (let k = 0; k < flips; k++) {
    // Past the header, so that the file is still sniffed as a PDF.
    const at = 16 + Math.floor(next() * (out.length - 16));
    out[at] = out[at]! ^ (1 << Math.floor(next() * 8));
  }
  return out;
}

function pageWith(box: string, extra = ''): Buffer {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox ${box} ${extra} /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>`,
    stream('BT /F1 12 Tf 72 700 Td (The Tarvani farmers of Kestrel Valley grow wheat near Lake Vessa.) Tj ET'),
    FONT,
  ]);
}

/** Cases built from scratch, each a way a PDF can loop or lie. */
function structuralCases(): Array<[string, Buffer]> {
  const text = (s: string) => stream(`BT /F1 12 Tf 72 700 Td (${s}) Tj ET`);
  return [
    ['page-tree-cycle.pdf', rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>', text('A page whose tree contains itself (Ormund).'), FONT])],
    ['parent-cycle.pdf', rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 6 0 R >>', '<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>', text('Inherited box from a looping parent chain (Ormund).'), FONT, '<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>'])],
    ['form-xobject-cycle.pdf', rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >> /Contents 4 0 R >>', stream('BT /F1 12 Tf 72 700 Td (A form that draws itself, Kestrel Valley.) Tj ET /X Do'), FONT, '<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X 6 0 R >> >> /Length 9 >>\nstream\n/X Do /X Do\nendstream'])],
    ['count-lies.pdf', rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 400 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>', text('One page, four hundred claimed (Lake Vessa).'), FONT])],
    ['contents-missing.pdf', rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>', text('The first page is fine (Kestrel Valley).'), FONT, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 99 0 R >>'])],
    ['huge-mediabox.pdf', pageWith('[0 0 1e9 1e9]')],
    ['negative-mediabox.pdf', pageWith('[0 0 612 -1e30]')],
    ['nan-mediabox.pdf', pageWith('[0 0 (a) (b)]')],
    ['user-unit.pdf', pageWith('[0 0 14400 14400]', '/UserUnit 75000')],
    ['undrawable-last-page.pdf', pdfWithUndrawablePage(['Page 1 of the Kestrel Valley minutes.', 'Page 2 of the Kestrel Valley minutes.', 'Page 3 of the Kestrel Valley minutes.'])],
    ['type3-cycle.pdf', type3CyclePdf()],
    ['pdfjs-bomb-1gb.pdf', pdfjsBombPdf(1_024)],
  ];
}

export interface GeneratedCase {
  file: string;
  description: string;
}

/** Writes the generated cases into `dir`; `seeds` are real PDFs (e.g. the sample textbook) to damage. */
export function generateOutsideCorpus(dir: string, seeds: string[]): GeneratedCase[] {
  fs.mkdirSync(dir, { recursive: true });
  const cases: GeneratedCase[] = [];
  const add = (file: string, bytes: Buffer, description: string) => {
    fs.writeFileSync(path.join(dir, file), bytes);
    cases.push({ file, description });
  };
  const sources: Array<[string, Buffer]> = [['simple', simplePdf()], ...seeds.map((s): [string, Buffer] => [path.basename(s, '.pdf'), fs.readFileSync(s)])];
  for (const [name, bytes] of sources) {
    for (const share of [0.1, 0.5, 0.9, 0.99]) add(`${name}-truncated-${Math.round(share * 100)}.pdf`, bytes.subarray(0, Math.max(16, Math.floor(bytes.length * share))), `${name}, cut at ${share * 100}%`);
    for (const [k, flips] of [[1, 10], [2, 100], [3, 1000]] as const) add(`${name}-bitflips-${flips}.pdf`, flipBits(bytes, flips, 17 * k), `${name}, ${flips} bits flipped`);
  }
  for (const [file, bytes] of structuralCases()) add(file, bytes, file.replace(/\.pdf$/, '').replace(/-/g, ' '));
  return cases;
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'test-artifacts', 'outside-corpus'));
  const cases = generateOutsideCorpus(dir, [path.join(__dirname, '..', 'fixtures', 'textbook-sample.pdf')]);
  process.stderr.write(`${cases.length} generated files in ${dir}\n`);
}
