/** Formats beyond PDF and text: HTML, DOCX, images (OCR) — sniffed from the bytes, through the real pipeline. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { htmlToText } from '../../src/extract/html';
import { apiKeyHeaders, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';
import { textPdf } from '../support/scanned-pdf';
import { docx, zip } from '../support/zip';

describe('htmlToText', () => {
  it('keeps visible text with paragraphs and drops scripts, styles and hidden elements', () => {
    const text = htmlToText(`<!doctype html><html><head><title>T</title><style>p{}</style></head><body>
      <h1>Kestrel Valley</h1><p>The Tarvani live near <b>Lake Vessa</b>.<br>They farm wheat.</p>
      <script>var secret = "The Merenites are vermin";</script>
      <div hidden>hidden one</div><p style="display: none">hidden two</p><span aria-hidden="true">hidden three</span>
      <ul><li>First &amp; second</li><li>Third</li></ul></body></html>`);
    expect(text).toBe('Kestrel Valley\n\nThe Tarvani live near Lake Vessa.\nThey farm wheat.\n\nFirst & second\n\nThird');
  });

  it('survives deep nesting without recursion', () => {
    const deep = '<div>'.repeat(20_000) + 'deep text' + '</div>'.repeat(20_000);
    const started = Date.now();
    expect(htmlToText(deep)).toBe('deep text');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('uploads', () => {
  let service: TestService;
  let api: ReturnType<typeof withHeaders>;
  beforeAll(async () => {
    service = await startTestService();
    // Uploads and processing controls are an analyst's: every call authenticates.
    api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  });
  afterAll(async () => {
    await service.dispose();
  });

  async function process(file: Buffer, name: string, contentType?: string) {
    const res = await api
      .post('/api/documents')
      .field('kind', 'statement')
      .field('title', `synthetic ${name}`)
      .attach('file', file, { filename: name, ...(contentType ? { contentType } : {}) })
      .expect(202);
    const doc = await waitForStatus(service, res.body.document.id, ['done', 'failed'], 60_000);
    const flags = await api.get(`/api/documents/${res.body.document.id}/flags`).expect(200);
    return { upload: res.body.document, doc, flags: flags.body.items as Array<Record<string, unknown>> };
  }

  it('HTML: visible text only, flagged; the hidden script text is not', async () => {
    const html = '<html><body><p>The official said the Merenites spread like a plague across Ormund.</p><script>document.write("the Tarvani are vermin")</script></body></html>';
    const { upload, doc, flags } = await process(Buffer.from(html), 'speech.html');
    expect(upload.original.type).toBe('html');
    expect(doc.status).toBe('done');
    expect(flags.some((f) => String(f.exact).includes('plague'))).toBe(true);
    expect(flags.some((f) => String(f.exact).includes('vermin'))).toBe(false);
  });

  it('DOCX: paragraphs read through mammoth, sniffed from the ZIP directory (name and MIME ignored)', async () => {
    const file = docx(['Statement by the district office (synthetic).', 'The Merenites spread like a plague across Ormund.']);
    const { upload, doc, flags } = await process(file, 'statement.bin', 'application/octet-stream');
    expect(upload.original.type).toBe('docx');
    expect(doc.status).toBe('done');
    expect(flags.some((f) => String(f.exact).includes('plague'))).toBe(true);
  });

  it('PNG: read by OCR, flags carry the OCR source and a box on the image', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-png-'));
    try {
      fs.writeFileSync(path.join(tmp, 'p.pdf'), await textPdf([['A leaflet from the archive of Ormund (synthetic).', 'The Merenites spread like a plague across Ormund.']]));
      execFileSync('pdftoppm', ['-r', '120', '-png', '-singlefile', path.join(tmp, 'p.pdf'), path.join(tmp, 'p')]);
      const { upload, doc, flags } = await process(fs.readFileSync(path.join(tmp, 'p.png')), 'leaflet.png');
      expect(upload.original.type).toBe('png');
      expect(doc.status).toBe('done');
      const hit = flags.find((f) => String(f.exact).includes('plague')) as { source: { method: string; engine: string; confidence: number }; box: Record<string, number> };
      expect(hit.source.method).toBe('ocr');
      expect(hit.source.engine).toMatch(/^tesseract@/);
      // The sentence is in the upper part of the page, right of the margin.
      expect(hit.box.y0).toBeLessThan(0.5);
      expect(hit.box.x0).toBeGreaterThan(0.05);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a DOCX zip bomb before storage, naming the reason', async () => {
    const bomb = docx(['x'], [{ name: 'word/media/zeros.bin', data: Buffer.alloc(20 * 1024 * 1024) }]);
    const res = await api.post('/api/documents').field('kind', 'other').field('title', 'bomb').attach('file', bomb, 'bomb.docx').expect(400);
    expect(res.body.error.message).toMatch(/refused before storage: the archive expands \d+×/);
    const sha = createHash('sha256').update(bomb).digest('hex');
    expect(fs.existsSync(path.join(service.uploadDir, sha.slice(0, 2), sha))).toBe(false);
    expect(fs.readdirSync(path.join(service.uploadDir, 'incoming'))).toEqual([]);
  });

  it('refuses an image with absurd dimensions before storage', async () => {
    const png = Buffer.alloc(64);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(png, 0);
    png.write('IHDR', 12, 'latin1');
    png.writeUInt32BE(100_000, 16);
    png.writeUInt32BE(100_000, 20);
    const res = await api.post('/api/documents').field('kind', 'other').field('title', 'huge').attach('file', png, 'huge.png').expect(400);
    expect(res.body.error.message).toMatch(/100000×100000 pixels/);
  });

  it('a ZIP that is not a DOCX is refused as ZIP', async () => {
    const res = await api.post('/api/documents').field('kind', 'other').field('title', 'zip').attach('file', zip([{ name: 'a.txt', data: 'hello' }]), 'a.zip').expect(415);
    expect(res.body.error.details).toEqual({ detected: 'zip' });
  });
});
