/**
 * Text the PDF engine used to miss (issue 17), on files generated here (and two from qpdf's test
 * suite, test/corpus/qpdf): form-field values in their page's text, Arabic and Hebrew in logical
 * order as pdftotext gives them, and encryption that leaves the pages readable.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rawPdf } from '../../scripts/generate-bad-files';
import { extractPagesIsolated } from '../../src/extract/isolated';
import { ExtractionError, type ExtractedPage } from '../../src/extract/types';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CORPUS = path.resolve(__dirname, '..', 'corpus');
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-pdf-text-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let made = 0;
/** The pages as the extraction child reads them (pdf.js does not run inside jest's module system). */
async function extractPdfPages(pdf: Buffer | string): Promise<ExtractedPage[]> {
  let file = pdf as string;
  if (Buffer.isBuffer(pdf)) fs.writeFileSync((file = path.join(tmp, `in-${(made += 1)}.pdf`)), pdf);
  return extractPagesIsolated(file, 'pdf');
}

/** pdftotext's text without its bidi embedding marks, whitespace collapsed. */
function pdftotext(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/[\u202a-\u202e]/g, '').replace(/\s+/g, ' ').trim();
}

/** A PDF printed by Chromium (it shapes Arabic and lays right-to-left lines out as browsers do). */
function printed(name: string, body: string): string {
  const html = path.join(tmp, `${name}.html`);
  const pdf = path.join(tmp, `${name}.pdf`);
  fs.writeFileSync(html, `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:'DejaVu Sans',sans-serif;font-size:16pt}</style></head><body>${body}</body></html>`);
  execFileSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${html}`], { stdio: 'ignore', timeout: 60_000 });
  return pdf;
}

describe('right-to-left scripts', () => {
  it.each([
    ['arabic', 'ar', ['يعيش المزارعون في وادي كيستريل قرب بحيرة فيسا ويزرعون القمح.', 'يسكن التارفانيون على ضفاف نهر أورموند منذ زمن طويل.']],
    ['hebrew', 'he', ['החקלאים של עמק קסטרל מגדלים חיטה ליד אגם וסה.', 'המרניטים גרים על גדות נהר אורמונד.']],
  ])('%s comes out in logical order, as pdftotext reads it', async (name, lang, lines) => {
    const file = printed(name, lines.map((l) => `<p dir="rtl" lang="${lang}">${l}</p>`).join(''));
    const [page] = await extractPdfPages(file);
    const ours = page!.text.replace(/\s+/g, ' ').trim();
    expect(ours).toBe(pdftotext(file));
    expect(ours).toBe(lines.join(' '));
    // Every word still has a box.
    expect(page!.words!.length).toBeGreaterThanOrEqual(lines.join(' ').split(' ').length);
  }, 90_000);

  it('leaves a left-to-right line with an Arabic word in it readable', async () => {
    const file = printed('mixed', '<p>The Tarvani word <span lang="ar">المزارعون</span> means farmers.</p>');
    const [page] = await extractPdfPages(file);
    expect(page!.text.replace(/\s+/g, ' ').trim()).toBe('The Tarvani word المزارعون means farmers.');
  }, 90_000);
});

describe('form fields', () => {
  /** A page with a label, a filled text field beside it, a filled choice field, and a line below. */
  function formPdf(): Buffer {
    const ap = 'BT /F1 10 Tf 2 5 Td (Kestrel Valley cooperative) Tj ET';
    return rawPdf([
      '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R 8 0 R] /DA (/F1 10 Tf 0 g) /DR << /Font << /F1 5 0 R >> >> >> >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [6 0 R 8 0 R] >>',
      `<< /Length 200 >>\nstream\nBT /F1 12 Tf 72 700 Td (Name of the farm:) Tj ET\nBT /F1 12 Tf 72 660 Td (Crop grown:) Tj ET\nBT /F1 12 Tf 72 600 Td (Signed in Lake Vessa, synthetic form.) Tj ET\n${' '.repeat(40)}\nendstream`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      '<< /Type /Annot /Subtype /Widget /FT /Tx /T (farm) /V (Kestrel Valley cooperative) /Rect [200 695 450 715] /F 4 /P 3 0 R /DA (/F1 10 Tf 0 g) /AP << /N 7 0 R >> >>',
      `<< /Type /XObject /Subtype /Form /BBox [0 0 250 20] /Resources << /Font << /F1 5 0 R >> >> /Length ${ap.length} >>\nstream\n${ap}\nendstream`,
      '<< /Type /Annot /Subtype /Widget /FT /Ch /T (crop) /V (wh) /Opt [[(wh) (Winter wheat)] [(ba) (Barley)]] /Rect [200 655 450 675] /F 4 /P 3 0 R /DA (/F1 10 Tf 0 g) >>',
    ]);
  }

  it('puts the values of filled fields into the page text where they sit, with boxes', async () => {
    const [page] = await extractPdfPages(formPdf());
    const text = page!.text.replace(/[ \t]+/g, ' ');
    expect(text).toMatch(/Name of the farm: ?\n?Kestrel Valley cooperative\s+Crop grown: ?\n?Winter wheat\s+Signed in Lake Vessa/);
    const at = page!.text.indexOf('Kestrel');
    const word = page!.words!.find((w) => w.start === at)!;
    // The field's rectangle, as fractions of the page (origin top left).
    expect(word.x0).toBeGreaterThanOrEqual(200 / 612 - 0.01);
    expect(word.x1).toBeLessThanOrEqual(450 / 612 + 0.01);
    expect(word.y0).toBeGreaterThan((792 - 715) / 792 - 0.02);
    expect(word.y1).toBeLessThan((792 - 695) / 792 + 0.02);
  });

  it('reads the filled PDFBox and qpdf test forms as pdftotext does (the field values are there)', async () => {
    for (const [file, value] of [['pdfbox/AcroFormsBasicFields.pdf', 'Fomatted Text'], ['qpdf/form-filled-by-acrobat.pdf', 'abc potato']] as const) {
      const pages = await extractPdfPages(path.join(CORPUS, file));
      expect(pages.map((p) => p.text).join('\n')).toContain(value);
      expect(pdftotext(path.join(CORPUS, file))).toContain(value);
    }
  });
});

describe('encryption', () => {
  it('reads a PDF whose user password is empty', async () => {
    const plain = path.join(tmp, 'plain.pdf');
    const locked = path.join(tmp, 'owner-only.pdf');
    fs.writeFileSync(plain, rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>', '<< /Length 66 >>\nstream\nBT /F1 12 Tf 72 700 Td (The Merenites of Ormund keep bees.) Tj ET\nendstream', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>']));
    execFileSync('qpdf', ['--encrypt', '', 'owner-secret', '256', '--', plain, locked]);
    const [page] = await extractPdfPages(locked);
    expect(page!.text).toContain('The Merenites of Ormund keep bees.');
  });

  it('reads a PDF that encrypts only its attachments (pdf.js refuses it; poppler reads the pages)', async () => {
    const file = path.join(CORPUS, 'qpdf', 'enc-XI-R6,V5,U=attachment,encrypted-attachments.pdf');
    const pages = await extractPdfPages(file);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]!.text).toBe('Potato 0');
    expect(pages[0]!.words!.length).toBe(2);
  });

  it('still refuses a PDF whose pages need a password', async () => {
    const file = path.join(CORPUS, 'qpdf', 'enc-XI-R6,V5,U=view,attachments,cleartext-metadata.pdf');
    await expect(extractPdfPages(file)).rejects.toThrow(new ExtractionError('the PDF is encrypted (password-protected); upload an unencrypted copy'));
  });
});

describe('files pdf.js refuses as a whole', () => {
  it('reads a damaged file pdf.js refuses but poppler rebuilds (qpdf bad18.pdf: "Illegal character" to pdf.js)', async () => {
    const file = path.join(CORPUS, 'qpdf', 'bad18.pdf');
    const pages = await extractPdfPages(file);
    expect(pages.map((p) => p.text)).toEqual([pdftotext(file)]);
    expect(pages[0]!.text).toBe('Potato');
  });

  it('names a structure nested too deeply in words, not as a stack overflow (qpdf issue-146.pdf)', async () => {
    await expect(extractPdfPages(path.join(CORPUS, 'qpdf', 'issue-146.pdf'))).rejects.toThrow(new ExtractionError('the PDF could not be read: its structure is nested too deeply'));
  });
});

describe('pages pdf.js reads empty while pdftotext reads text', () => {
  const page = (mediaBox: string, text: string) => rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox ${mediaBox} /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>`,
    `<< /Length ${text.length + 30} >>\nstream\nBT /F1 12 Tf 72 700 Td (${text}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 7 0 R >>',
    '<< /Length 60 >>\nstream\nBT /F1 12 Tf 72 700 Td (A second page that both readers read.) Tj ET\nendstream',
  ]);

  it('takes poppler\'s reading of a page whose media box pdf.js will not lay text out in, page for page', async () => {
    const file = path.join(tmp, 'negative-box.pdf');
    fs.writeFileSync(file, page('[0 0 612 -1e30]', 'The Tarvani farmers of Kestrel Valley grow wheat.'));
    const pages = await extractPdfPages(file);
    expect(pages.map((p) => p.text)).toEqual(['The Tarvani farmers of Kestrel Valley grow wheat.', 'A second page that both readers read.']);
    expect(pages[0]!.needsOcr).toBe(false);
    expect(pages[0]!.failed).toBeUndefined();
    // Word boxes come with poppler's reading, as with pdf.js's: offsets into the page text.
    const tarvani = pages[0]!.words!.find((w) => pages[0]!.text.slice(w.start, w.end) === 'Tarvani');
    expect(tarvani!.x1).toBeGreaterThan(tarvani!.x0);
  });

  it('keeps a damaged page\'s few words (qpdf bad24.pdf) for OCR to confirm, instead of an empty failed page', async () => {
    const file = path.join(CORPUS, 'qpdf', 'bad24.pdf');
    const pages = await extractPdfPages(file);
    expect(pages.map((p) => p.text)).toEqual([pdftotext(file)]);
    expect(pages[0]).toMatchObject({ text: 'Potato', needsOcr: true });
    expect(pages[0]!.failed).toBeUndefined();
  });
});
