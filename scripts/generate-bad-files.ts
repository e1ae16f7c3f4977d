/**
 * `npm run bad-files [DIR]`: generates a corpus of hostile and broken inputs (default
 * ./test-artifacts/hostile) with a manifest saying what Lexwatch must answer for each: a 4xx before storage,
 * or a `failed` document with a human-readable reason. test/ingest/hostile.test.ts uploads them all.
 * Everything is synthetic (invented groups and places).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { zip } from '../test/support/zip';

export interface HostileCase {
  file: string;
  /** What the client declares as its file name (may be hostile itself). */
  uploadName: string;
  description: string;
  /** `reject`: 4xx before storage; `failed`: stored, then failed with a reason; `done`: processed normally. */
  expect: 'reject' | 'failed' | 'done';
  status?: number;
  reason?: string;
  fields?: Record<string, string>;
}

/** A PDF from object bodies (object n = bodies[n-1]); object 1 is the catalog. */
export function rawPdf(bodies: Array<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(offset);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    offset += chunk.length;
  });
  const xref = [`xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

function stream(content: Buffer | string): string {
  const data = Buffer.isBuffer(content) ? content.toString('latin1') : content;
  return `<< /Length ${Buffer.byteLength(data, 'latin1')} >>\nstream\n${data}\nendstream`;
}

const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';

/** A small valid one-page text PDF. */
export function simplePdf(text = 'The Tarvani farmers of Kestrel Valley grow wheat near Lake Vessa.'): Buffer {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    stream(`BT /F1 12 Tf 72 700 Td (${text}) Tj ET`),
    FONT,
  ]);
}

function manyPages(count: number): Buffer {
  const kids = Array.from({ length: count }, (_, i) => `${i + 5} 0 R`).join(' ');
  const pages = Array.from({ length: count }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 3 0 R >>');
  return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`, stream('BT /F1 12 Tf 72 700 Td (Page of Ormund.) Tj ET'), FONT, ...pages]);
}

function enormousContentStream(): Buffer {
  const line = `BT /F1 10 Tf 10 700 Td (${'Ormund '.repeat(140)}) Tj ET\n`;
  const content = zlib.deflateSync(Buffer.from(line.repeat(4_000), 'latin1'));
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    Buffer.concat([Buffer.from(`<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`), content, Buffer.from('\nendstream')]),
    FONT,
  ]);
}

function deepNesting(depth: number): Buffer {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /Deep ${'['.repeat(depth)}${']'.repeat(depth)} >> /Contents 4 0 R >>`,
    stream('BT /F1 12 Tf 72 700 Td (The Merenites of Ormund.) Tj ET'),
    FONT,
  ]);
}

function pngHeader(width: number, height: number): Buffer {
  const png = Buffer.alloc(64);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(png, 0);
  png.write('IHDR', 12, 'latin1');
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png[24] = 8;
  return png;
}

function jpegHeader(width: number, height: number): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), sof, Buffer.alloc(32)]);
}

/**
 * A zlib (FlateDecode) stream that inflates to `prefix` followed by `mb` MB of spaces, built
 * without inflating anything here: one 1 MB block deflated once, repeated (each is complete
 * after a full flush), and the Adler-32 checksum computed from the formula for a run of
 * one byte value.
 */
export function spaceBombStream(prefix: Buffer, mb: number): Buffer {
  const MOD = 65521n;
  let a = 1n;
  let b = 0n;
  for (const byte of prefix) {
    a = (a + BigInt(byte)) % MOD;
    b = (b + a) % MOD;
  }
  const n = BigInt(mb) * 1048576n;
  const c = 0x20n;
  b = (b + n * a + ((c * n * (n + 1n)) / 2n)) % MOD;
  a = (a + n * c) % MOD;
  const block = zlib.deflateRawSync(Buffer.alloc(1 << 20, 0x20), { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const head = zlib.deflateRawSync(prefix, { finishFlush: zlib.constants.Z_FULL_FLUSH });
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(Number((b << 16n) | a));
  return Buffer.concat([Buffer.from([0x78, 0x9c]), head, ...Array.from({ length: mb }, () => block), zlib.deflateRawSync(Buffer.alloc(0)), adler]);
}

/**
 * The giant pdf.js "bomb": one page whose content stream is deflated twice and inflates to
 * `mb` MB (3 GB by default) from a file of a few KB. pdf.js holds a decoded content stream whole
 * in memory; MuPDF reads it as a stream.
 */
export function pdfjsBombPdf(mb = 3_000): Buffer {
  const inner = spaceBombStream(Buffer.from('BT /F1 12 Tf 72 700 Td (The Ormund river bomb page.) Tj ET\n', 'latin1'), mb);
  const twice = zlib.deflateSync(inner, { level: 9 });
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    Buffer.concat([Buffer.from(`<< /Length ${twice.length} /Filter [/FlateDecode /FlateDecode] >>\nstream\n`, 'latin1'), twice, Buffer.from('\nendstream')]),
    FONT,
  ]);
}

/**
 * A page drawn with a Type3 font whose glyph draws text in a second Type3 font whose glyph draws
 * text in the first: the glyph content streams cycle. The page has no text layer of its own, so
 * it goes to OCR and MuPDF must draw it.
 */
export function type3CyclePdf(): Buffer {
  const type3 = (charProc: number, font: string, other: number) =>
    `<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << /a ${charProc} 0 R >> /Encoding << /Type /Encoding /Differences [97 /a] >> /FirstChar 97 /LastChar 97 /Widths [1000] /Resources << /Font << /${font} ${other} 0 R >> >> >>`;
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /A 5 0 R >> >> /Contents 4 0 R >>',
    stream('BT /A 48 Tf 72 600 Td (aaaa) Tj ET'),
    type3(7, 'B', 6),
    type3(8, 'A', 5),
    stream('1000 0 0 0 1000 1000 d1 BT /B 1 Tf 0 0 Td (aa) Tj ET'),
    stream('1000 0 0 0 1000 1000 d1 BT /A 1 Tf 0 0 Td (aa) Tj ET'),
  ]);
}

/**
 * `textPages` pages of text, then one page with no text (or only `lastPageText`, too little to
 * trust, so it goes to OCR) whose /UserUnit (75,000) makes it 14 km a side to MuPDF: pdf.js
 * reads the document, `mutool draw` cannot draw that page.
 */
export function pdfWithUndrawablePage(textPages: string[], lastPageText?: string): Buffer {
  const n = textPages.length + 1;
  const first = 4; // objects 1–3: catalog, pages, font
  const kids = Array.from({ length: n }, (_, k) => `${first + 2 * k} 0 R`).join(' ');
  const bodies: string[] = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${n} >>`, FONT];
  textPages.forEach((text, k) => {
    bodies.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${first + 2 * k + 1} 0 R >>`);
    bodies.push(stream(`BT /F1 12 Tf 72 700 Td (${text}) Tj ET`));
  });
  bodies.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /UserUnit 75000 /Resources << /Font << /F1 3 0 R >> >> /Contents ${first + 2 * textPages.length + 1} 0 R >>`);
  bodies.push(stream(`0.5 g 10 10 100 100 re f${lastPageText ? ` BT /F1 12 Tf 72 700 Td (${lastPageText}) Tj ET` : ''}`));
  return rawPdf(bodies);
}

export function generateHostileCorpus(dir: string): HostileCase[] {
  fs.mkdirSync(dir, { recursive: true });
  const cases: HostileCase[] = [];
  const add = (file: string, content: Buffer, c: Omit<HostileCase, 'file'>) => {
    fs.writeFileSync(path.join(dir, file), content);
    cases.push({ file, ...c });
  };
  const good = simplePdf();

  const plain = path.join(dir, 'plain.tmp.pdf');
  fs.writeFileSync(plain, good);
  execFileSync('qpdf', ['--encrypt', 'user-secret', 'owner-secret', '256', '--', plain, path.join(dir, 'encrypted.pdf')]);
  fs.rmSync(plain);
  cases.push({ file: 'encrypted.pdf', uploadName: 'encrypted.pdf', description: 'password-protected PDF (AES-256)', expect: 'failed', reason: 'encrypted' });

  add('truncated.pdf', good.subarray(0, Math.floor(good.length / 3)), { uploadName: 'truncated.pdf', description: 'first third of a PDF', expect: 'failed', reason: 'corrupt|truncated|no pages|could not be read|no text|no pages' });
  const corrupt = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251))]);
  add('corrupt.pdf', corrupt, { uploadName: 'corrupt.pdf', description: 'PDF header followed by garbage', expect: 'failed', reason: 'corrupt|could not be read|no pages' });
  add('thousands-of-pages.pdf', manyPages(6_000), { uploadName: 'thousands-of-pages.pdf', description: '6,000 pages (over the 5,000-page cap)', expect: 'failed', reason: '6000 pages' });
  add('enormous-content-stream.pdf', enormousContentStream(), { uploadName: 'enormous-content-stream.pdf', description: 'one page whose content stream inflates to ~4 MB of text operators', expect: 'failed', reason: 'characters of text' });
  add('deep-nesting.pdf', deepNesting(100_000), { uploadName: 'deep-nesting.pdf', description: 'an array nested 100,000 deep in the page resources', expect: 'failed', reason: '.{12,}' });
  add('zip-bomb.docx', zip([
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'word/document.xml', data: Buffer.alloc(300 * 1024 * 1024, 0x20) },
  ]), { uploadName: 'zip-bomb.docx', description: 'DOCX whose document.xml inflates to 300 MB', expect: 'reject', status: 400, reason: 'refused before storage' });
  add('polyglot.pdf', Buffer.concat([Buffer.from('%PDF-1.4\n<html><body><script>alert(1)</script>'), good]), { uploadName: 'polyglot.html', description: 'both a PDF and an HTML page', expect: 'reject', status: 415, reason: 'both PDF and HTML' });
  add('late-polyglot.pdf', Buffer.concat([good.subarray(0, good.indexOf('1 0 obj')), Buffer.from(`%${' '.repeat(2000)}\n% <html><body><script>alert(1)</script></body></html>\n`), good.subarray(good.indexOf('1 0 obj'))]), { uploadName: 'late-polyglot.pdf', description: 'a PDF with an HTML page after its first 1 KB', expect: 'reject', status: 415, reason: 'both PDF and HTML' });
  add('absurd.png', pngHeader(1_000_000, 1_000_000), { uploadName: 'absurd.png', description: 'PNG header claiming 10¹² pixels', expect: 'reject', status: 400, reason: 'pixels' });
  add('absurd.jpg', jpegHeader(65_000, 65_000), { uploadName: 'absurd.jpg', description: 'JPEG frame claiming 65,000 × 65,000 pixels', expect: 'reject', status: 400, reason: 'pixels' });
  add('name-traversal.pdf', simplePdf('Kestrel Valley report one.'), { uploadName: '../../../etc/passwd.pdf', description: 'file name with ../', expect: 'done' });
  add('name-bidi.pdf', simplePdf('Kestrel Valley report two.'), { uploadName: 'report\u202egnp.pdf', description: 'file name with a right-to-left override character', expect: 'done' });
  // Raw control characters in a multipart header make it malformed: refused as such by the parser.
  add('name-controls.pdf', simplePdf('Kestrel Valley report four.'), { uploadName: 'report\u0007\u0000.pdf', description: 'file name with BEL and NUL bytes', expect: 'reject', status: 400, reason: 'malformed multipart' });
  add('operator-metadata.pdf', simplePdf('Kestrel Valley report three.'), {
    uploadName: 'operators.pdf',
    description: 'metadata with MongoDB operators as keys',
    expect: 'reject',
    status: 400,
    reason: 'invalid metadata: .*\\$where',
    fields: { $where: 'sleep(1000)', 'title[$ne]': 'x' },
  });
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(cases, null, 2));
  return cases;
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'test-artifacts', 'hostile'));
  const cases = generateHostileCorpus(dir);
  process.stderr.write(`${cases.length} hostile files in ${dir} (manifest.json says what to expect)\n`);
}
