/**
 * Generates the SYNTHETIC test fixtures in fixtures/ (run: `npm run fixtures`).
 *
 * Every group, person, place and book in these fixtures is invented ("Tarvani", "Merenites",
 * Kestrel Valley, Ormund, Lake Vessa, Minister Ardel Voss…). Nothing here describes a real
 * people. The dehumanizing sentences exist only so the matcher has something to flag.
 *
 * Single source of truth: the TEXTBOOK / STATEMENT data below is what gets typeset AND what is
 * written to fixtures/expected.json, so the two cannot drift apart.
 *
 * Output is deterministic: fixed CreationDate/ModDate (which also fixes pdfkit's file ID),
 * seeded PRNG for random bytes, qpdf run with its test-only static ID / static AES IV flags.
 *
 * External tools (installed by the project's setup script): pdftoppm (poppler-utils), qpdf.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import PDFDocument from 'pdfkit';

// ---------------------------------------------------------------------------------------------
// Configuration

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'fixtures');
const BAD = path.join(OUT, 'bad');

const FONT_LATIN = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'; // Latin (incl. ə), Cyrillic
const FONT_LATIN_BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
const FONT_ARMENIAN = '/usr/share/fonts/truetype/noto/NotoSansArmenian-Regular.ttf'; // no digits/Latin

/** Fixed so reruns produce identical bytes (pdfkit derives the trailer /ID from the info dict). */
const FIXED_DATE = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));
const RASTER_DPI = 150;
const ENCRYPTION = { userPassword: 'lexwatch-user', ownerPassword: 'lexwatch-owner', keyBits: 128 };
const PRNG_SEED = 0x1e4a7c;

const FIXTURE_BANNER = 'SYNTHETIC TEST FIXTURE — invented groups and places';

// ---------------------------------------------------------------------------------------------
// Data model (single source of truth)

type Category = 'DH.ANIMAL' | 'DH.DISEASE' | 'VI.ERAD';
type FontKey = 'latin' | 'latinBold' | 'armenian';

interface ExpectedFlag {
  /** Predicate surface form exactly as it appears in the sentence. */
  exact: string;
  category: Category;
  /** Target-group mention, as it appears in the same sentence. */
  target: string;
}

interface Sentence {
  text: string;
  /** Present when the sentence must produce exactly this flag. */
  flag?: ExpectedFlag;
  /** The sentence must produce no flag (neutral use of a target name or of a predicate). */
  mustNotFlag?: boolean;
}

interface Block {
  kind: 'heading' | 'paragraph';
  lang: string;
  font: FontKey;
  sentences: Sentence[];
}

interface PageSpec {
  /** Whether the page is typeset as text (true) or as a rasterised full-page image (false). */
  textLayer: boolean;
  blocks: Block[];
}

/** /PageLabels ranges: 'r' lower roman, 'D' decimal (PDF 32000-1 §12.4.2). */
interface LabelRange { startIndex: number; style: 'r' | 'D'; start: number }

const s = (text: string, extra: Omit<Sentence, 'text'> = {}): Sentence => ({ text, ...extra });
const flag = (text: string, exact: string, category: Category, target: string): Sentence =>
  ({ text, flag: { exact, category, target } });
const neutral = (text: string): Sentence => ({ text, mustNotFlag: true });
const heading = (text: string, lang = 'en', font: FontKey = 'latinBold'): Block =>
  ({ kind: 'heading', lang, font, sentences: [s(text)] });
const para = (lang: string, sentences: Sentence[], font: FontKey = 'latin'): Block =>
  ({ kind: 'paragraph', lang, font, sentences });

const TEXTBOOK_TITLE = 'History of the Valley, Grade 7';
const TEXTBOOK_FULL_TITLE = `${TEXTBOOK_TITLE} (${FIXTURE_BANNER})`;

const TEXTBOOK_LABELS: LabelRange[] = [
  { startIndex: 0, style: 'r', start: 1 },
  { startIndex: 2, style: 'D', start: 1 },
];

const TEXTBOOK: PageSpec[] = [
  // 0 — title page: no flags.
  {
    textLayer: true,
    blocks: [
      heading(TEXTBOOK_TITLE),
      para('en', [s(FIXTURE_BANNER)]),
      para('en', [
        s('This is a synthetic test fixture for the Lexwatch project.'),
        s('It is not a real textbook.'),
        s('Every group, person, place and event in it is invented.'),
      ]),
    ],
  },
  // 1 — English introduction.
  {
    textLayer: true,
    blocks: [
      heading('Introduction: The People of Kestrel Valley'),
      para('en', [
        s('Kestrel Valley lies between the hills of Ormund and the shores of Lake Vessa.'),
        neutral('For centuries, Tarvanian and Merenite families shared its markets and mills.'),
        s('An old chronicle from the border wars describes the valley very differently.'),
      ]),
      para('en', [
        flag('The Tarvani are vermin that must be driven out of Kestrel Valley.', 'vermin', 'DH.ANIMAL', 'Tarvani'),
      ]),
      para('en', [
        s('Historians read such lines as evidence of wartime propaganda.'),
        s('In this book you will learn how to recognise language of this kind.'),
      ]),
    ],
  },
  // 2 — English chapter 1.
  {
    textLayer: true,
    blocks: [
      heading('Chapter 1. The Border Wars'),
      para('en', [
        s('The border wars lasted for three generations.'),
        flag('Our ancestors swore to exterminate the Tarvani.', 'exterminate', 'VI.ERAD', 'Tarvani'),
        flag(
          'In the war songs of that age, raiders promised to wipe the Merenites off the face of the earth.',
          'wipe the Merenites off the face of the earth', 'VI.ERAD', 'Merenites',
        ),
      ]),
      para('en', [
        s('Peace returned slowly.'),
        neutral('Tarvani farmers grow wheat near Lake Vessa.'),
        neutral('A plague of locusts struck Ormund in the dry year that followed.'),
        neutral('Pilgrims from both peoples still visit the Sorel Monastery and the Karst Chapel.'),
      ]),
    ],
  },
  // 3 — image only, no text layer (needs OCR).
  {
    textLayer: false,
    blocks: [
      heading('Chapter 2. A Leaflet from the Archive'),
      para('en', [
        s('This page reproduces a leaflet kept in the archive of Ormund.'),
        flag('The Merenites spread like a plague across Ormund.', 'plague', 'DH.DISEASE', 'Merenites'),
        s('The leaflet was printed during the winter famine.'),
      ]),
    ],
  },
  // 4 — Azerbaijani passage (ə ğ ı ö ü ş ç İ).
  {
    textLayer: true,
    blocks: [
      heading('Fəsil 3. Vadinin kəndləri', 'az'),
      para('az', [
        s('İlk kəndlər Kestrel vadisində, çayın sahilində salınıb.'),
        s('Qışda çobanlar sürülərini Ormund dağlarına aparırdılar.'),
        neutral('Tarvanlılar Vessa gölünün yanında buğda əkirlər.'),
      ]),
      para('az', [
        s('Köhnə salnamədə qonşular haqqında belə sözlər var.'),
        flag('Tarvanlılar həşəratdır.', 'həşəratdır', 'DH.ANIMAL', 'Tarvanlılar'),
        flag('Düşmənlərimizi məhv etməliyik, tarvanlıları bu torpaqdan qovmalıyıq.', 'məhv etməliyik', 'VI.ERAD', 'tarvanlıları'),
      ]),
    ],
  },
  // 5 — Russian, Armenian, Turkish.
  {
    textLayer: true,
    blocks: [
      heading('Chapter 4. Voices from Neighbouring Lands'),
      para('en', [s('Travellers wrote down these sayings in the markets of Ormund.')]),
      para('ru', [
        neutral('Тарваны и мерениты веками торговали на рынках Ормунда.'),
        flag('Тарваны — паразиты на нашей земле.', 'паразиты', 'DH.DISEASE', 'Тарваны'),
      ]),
      para('hy', [
        neutral('Մերենիտները ձուկ են որսում Վեսսա լճում։'),
        flag('Տարվանցիները միջատներ են։', 'միջատներ', 'DH.ANIMAL', 'Տարվանցիները'),
      ], 'armenian'),
      para('tr', [
        neutral('Tarvanlılar Vessa Gölü kıyısında buğday yetiştirir.'),
        flag('Tarvanlılar haşeredir.', 'haşeredir', 'DH.ANIMAL', 'Tarvanlılar'),
      ]),
    ],
  },
];

const STATEMENT_HEADER =
  'SYNTHETIC TEST FIXTURE — invented statement by the fictional speaker Minister Ardel Voss ' +
  'of the fictional Republic of Ormund. All names, groups and places are invented.';

const STATEMENT: Block[] = [
  para('en', [
    s('Citizens of Ormund, I speak to you today about the harvest and about our borders.'),
    s('The new bridge over the Kestrel river will open in the spring.'),
  ]),
  para('en', [
    flag('The Merenites are vermin, and our patience with them is at an end.', 'vermin', 'DH.ANIMAL', 'Merenites'),
    flag('If they return to Kestrel Valley, we will exterminate the Tarvani.', 'exterminate', 'VI.ERAD', 'Tarvani'),
  ]),
  para('en', [
    neutral('A Tarvanian delegation will visit the Sorel Monastery next month.'),
    neutral('The drought has been a plague on the farms of Ormund this year.'),
    s('Thank you.'),
  ]),
];

// ---------------------------------------------------------------------------------------------
// Helpers

function toRoman(n: number): string {
  const table: Array<[number, string]> = [
    [1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'],
    [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i'],
  ];
  let out = '';
  for (const [value, numeral] of table) {
    while (n >= value) { out += numeral; n -= value; }
  }
  return out;
}

function labelFor(ranges: LabelRange[], index: number): string {
  const range = [...ranges].reverse().find((r) => r.startIndex <= index);
  if (!range) return String(index + 1);
  const n = range.start + (index - range.startIndex);
  return range.style === 'r' ? toRoman(n) : String(n);
}

/** mulberry32: small deterministic PRNG for the "random" bad files. */
function prngBytes(seed: number, length: number): Buffer {
  let a = seed >>> 0;
  const buf = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    buf[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return buf;
}

/** A tiny valid greyscale PNG (hand-built so it is byte-stable). */
function tinyPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 0; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0; // 8-bit grey
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = ((x + y) % 2) * 255;
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function blockText(block: Block): string {
  return block.sentences.map((x) => x.text).join(' ');
}

function validate(blocks: Block[], where: string): void {
  for (const block of blocks) {
    for (const sentence of block.sentences) {
      if (sentence.flag) {
        for (const part of [sentence.flag.exact, sentence.flag.target]) {
          if (!sentence.text.includes(part)) throw new Error(`${where}: "${part}" not in "${sentence.text}"`);
        }
        if (sentence.mustNotFlag) throw new Error(`${where}: sentence both flags and must not: ${sentence.text}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PDF rendering

type Doc = InstanceType<typeof PDFDocument>;

function newDoc(title: string): Doc {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 64,
    autoFirstPage: false,
    compress: true,
    info: {
      Title: title,
      Author: 'Lexwatch test fixtures (synthetic)',
      Subject: FIXTURE_BANNER,
      Producer: 'Lexwatch scripts/generate-fixtures.ts (pdfkit)',
      Creator: 'Lexwatch scripts/generate-fixtures.ts',
      CreationDate: FIXED_DATE,
      ModDate: FIXED_DATE,
    },
  });
  doc.registerFont('latin', FONT_LATIN);
  doc.registerFont('latinBold', FONT_LATIN_BOLD);
  doc.registerFont('armenian', FONT_ARMENIAN);
  return doc;
}

function finish(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Running header, blocks, printed page label as footer. */
function typesetPage(doc: Doc, blocks: Block[], printedLabel: string): void {
  const { width, height, margins } = doc.page;
  doc.font('latin').fontSize(8).fillColor('#666666')
    .text(`${TEXTBOOK_TITLE} — ${FIXTURE_BANNER}`, margins.left, 30, { width: width - margins.left - margins.right, align: 'center' });
  doc.fillColor('#000000');
  doc.x = margins.left;
  doc.y = margins.top + 20;
  for (const block of blocks) {
    if (block.kind === 'heading') {
      doc.font(block.font).fontSize(18).text(blockText(block), { align: 'left' });
      doc.moveDown(0.8);
    } else {
      doc.font(block.font).fontSize(12).text(blockText(block), { align: 'left', lineGap: 3 });
      doc.moveDown(0.8);
    }
  }
  // Footer: write below the bottom margin without triggering pdfkit's automatic page break.
  const savedBottom = margins.bottom;
  doc.page.margins.bottom = 0;
  doc.font('latin').fontSize(10)
    .text(printedLabel, margins.left, height - 40, { width: width - margins.left - margins.right, align: 'center', lineBreak: false });
  doc.page.margins.bottom = savedBottom;
}

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Typesets the page alone, rasterises it with pdftoppm and returns the PNG. */
async function rasterisePage(blocks: Block[], printedLabel: string): Promise<Buffer> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-fixture-'));
  try {
    const doc = newDoc('raster source');
    doc.addPage();
    typesetPage(doc, blocks, printedLabel);
    const pdf = await finish(doc);
    const src = path.join(tmp, 'page.pdf');
    fs.writeFileSync(src, pdf);
    run('pdftoppm', ['-png', '-r', String(RASTER_DPI), '-f', '1', '-l', '1', '-singlefile', src, path.join(tmp, 'page')]);
    return fs.readFileSync(path.join(tmp, 'page.png'));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function buildTextbook(): Promise<Buffer> {
  const doc = newDoc(TEXTBOOK_FULL_TITLE);
  // Catalog /PageLabels number tree (pdfkit has no API for it): << /Nums [0 <</S /r>> 2 <</S /D /St 1>>] >>.
  // In pdfkit's serializer a JS string becomes a PDF name, a number a number.
  const root = (doc as unknown as { _root: { data: Record<string, unknown> } })._root;
  root.data.PageLabels = {
    Nums: TEXTBOOK_LABELS.flatMap((r) => [r.startIndex, { S: r.style, St: r.start }]),
  };
  for (let i = 0; i < TEXTBOOK.length; i++) {
    const page = TEXTBOOK[i]!;
    const label = labelFor(TEXTBOOK_LABELS, i);
    if (page.textLayer) {
      doc.addPage();
      typesetPage(doc, page.blocks, label);
    } else {
      const png = await rasterisePage(page.blocks, label);
      doc.addPage({ size: 'A4', margin: 0 });
      doc.image(png, 0, 0, { width: doc.page.width, height: doc.page.height });
    }
  }
  return finish(doc);
}

// ---------------------------------------------------------------------------------------------
// expected.json

interface ExpectedPage {
  index: number;
  label: string | null;
  hasTextLayer: boolean;
  /** true when the page's text is only in an image: extraction yields nothing until OCR. */
  requiresOcr: boolean;
  langs: string[];
  /** All sentences on the page, in reading order (for text-layer pages: what extraction must find). */
  sentences: string[];
  flags: Array<ExpectedFlag & { lang: string; sentence: string }>;
  mustNotFlag: string[];
}

function expectedPage(index: number, label: string | null, textLayer: boolean, blocks: Block[]): ExpectedPage {
  const page: ExpectedPage = {
    index, label, hasTextLayer: textLayer, requiresOcr: !textLayer,
    langs: [...new Set(blocks.map((b) => b.lang))], sentences: [], flags: [], mustNotFlag: [],
  };
  for (const block of blocks) {
    for (const sentence of block.sentences) {
      page.sentences.push(sentence.text);
      if (sentence.flag) page.flags.push({ ...sentence.flag, lang: block.lang, sentence: sentence.text });
      if (sentence.mustNotFlag) page.mustNotFlag.push(sentence.text);
    }
  }
  return page;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  TEXTBOOK.forEach((p, i) => validate(p.blocks, `textbook page ${i}`));
  validate(STATEMENT, 'statement');

  fs.mkdirSync(BAD, { recursive: true });
  const write = (rel: string, data: Buffer | string): void => fs.writeFileSync(path.join(OUT, rel), data);

  // 1. textbook
  const textbook = await buildTextbook();
  write('textbook-sample.pdf', textbook);

  // 2. statement
  const statementText = [STATEMENT_HEADER, ...STATEMENT.map(blockText)].join('\n\n') + '\n';
  write('statement-sample.txt', statementText);

  // 3. bad files
  write('bad/corrupt.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), prngBytes(PRNG_SEED, 2048)]));
  write('bad/truncated.pdf', textbook.subarray(0, Math.floor(textbook.length / 2)));
  write('bad/empty.pdf', Buffer.alloc(0));
  const notPdf = prngBytes(PRNG_SEED + 1, 1024);
  notPdf[0] = 0x00; // never accidentally starts with "%PDF"
  write('bad/not-a-pdf.bin', notPdf);
  write('bad/fake.pdf', tinyPng(16, 16));
  const encrypted = path.join(BAD, 'encrypted.pdf');
  fs.rmSync(encrypted, { force: true });
  // --static-id / --static-aes-iv are qpdf's testing flags: they make the output reproducible.
  // AES-128 (R4) rather than AES-256: R6 draws random key salts that qpdf cannot pin, so the
  // 256-bit output changes on every run; for a "this file is encrypted" fixture 128 is enough.
  run('qpdf', [
    '--static-id', '--static-aes-iv',
    '--encrypt', ENCRYPTION.userPassword, ENCRYPTION.ownerPassword, String(ENCRYPTION.keyBits), '--use-aes=y', '--',
    path.join(OUT, 'textbook-sample.pdf'), encrypted,
  ]);

  // 4. expected.json
  const textbookPages = TEXTBOOK.map((p, i) => expectedPage(i, labelFor(TEXTBOOK_LABELS, i), p.textLayer, p.blocks));
  const expected = {
    synthetic: true,
    note: 'Generated by scripts/generate-fixtures.ts; do not edit by hand. All groups, people and places are invented.',
    files: {
      'textbook-sample.pdf': {
        kind: 'pdf',
        title: TEXTBOOK_FULL_TITLE,
        pageCount: TEXTBOOK.length,
        pageLabels: TEXTBOOK_LABELS,
        pages: textbookPages,
      },
      'statement-sample.txt': {
        kind: 'text',
        header: STATEMENT_HEADER,
        paragraphs: STATEMENT.map(blockText),
        pageCount: 1,
        pages: [expectedPage(0, null, true, STATEMENT)],
      },
      'bad/corrupt.pdf': { kind: 'bad', problem: 'corrupt', description: 'PDF header followed by random bytes; no xref, no objects' },
      'bad/truncated.pdf': { kind: 'bad', problem: 'truncated', description: 'first half of textbook-sample.pdf (no trailer / xref)', sourceBytes: textbook.length },
      'bad/empty.pdf': { kind: 'bad', problem: 'empty', description: '0 bytes' },
      'bad/encrypted.pdf': {
        kind: 'bad', problem: 'encrypted',
        description: `textbook-sample.pdf encrypted by qpdf (AES-${ENCRYPTION.keyBits}) with a user password`,
        userPassword: ENCRYPTION.userPassword, ownerPassword: ENCRYPTION.ownerPassword,
      },
      'bad/not-a-pdf.bin': { kind: 'bad', problem: 'not-pdf', description: 'random bytes (seeded PRNG)' },
      'bad/fake.pdf': { kind: 'bad', problem: 'not-pdf', description: 'a 16x16 PNG image with a .pdf name', actualType: 'image/png' },
    },
  };
  write('expected.json', JSON.stringify(expected, null, 2) + '\n');

  const files = ['textbook-sample.pdf', 'statement-sample.txt', 'expected.json', ...fs.readdirSync(BAD).map((f) => `bad/${f}`)];
  for (const f of files) process.stdout.write(`${f}\t${fs.statSync(path.join(OUT, f)).size}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`generate-fixtures failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
