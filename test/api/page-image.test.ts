/**
 * GET /api/documents/:id/pages/:n/image on the real service: a PDF page (its crop box) rendered
 * by the real pdftoppm and cached on disk under a path derived from the original's hash; a PNG original is
 * served as it is; documents without page images answer 404 saying why.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { imageDimensions } from '../../src/extract/image';
import { PAGE_IMAGE_SIDE } from '../../src/extract/page-image';
import { apiKeyHeaders, FIXTURES, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';
import { decodePng, inkShareOfBox } from '../support/png';
import { CROPPED_PAGE, croppedTextPdf, scannedPdf, textPdf } from '../support/scanned-pdf';

jest.setTimeout(120_000);

let service: TestService;
let api: ReturnType<typeof withHeaders>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-page-image-'));

beforeAll(async () => {
  service = await startTestService();
  api = withHeaders(service.app, { ...(await apiKeyHeaders(service, ['analyst'])) });
});
afterAll(async () => {
  await service.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function uploadDone(file: Buffer | string, name: string): Promise<{ id: string; sha256: string }> {
  const res = await api.post('/api/documents').field('kind', 'other').field('title', `${name} (synthetic)`).attach('file', file, name).expect(202);
  await waitForStatus(service, res.body.document.id, ['done'], 90_000);
  return { id: res.body.document.id, sha256: res.body.document.original.sha256 };
}

/** supertest: the body as a Buffer, whatever the type. */
const binary = (r: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  (r as unknown as NodeJS.ReadableStream).on('data', (d: Buffer) => chunks.push(d));
  (r as unknown as NodeJS.ReadableStream).on('end', () => cb(null, Buffer.concat(chunks)));
};
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('page images', () => {
  it('renders a scanned PDF page once, caches it by hash, and answers conditional requests with 304', async () => {
    const { id, sha256 } = await uploadDone(await scannedPdf([['The Merenites spread like a plague across Ormund.'], ['Second page of the leaflet (synthetic).']]), 'scan.pdf');
    const res = await api.get(`/api/documents/${id}/pages/1/image`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toContain('immutable');
    const png = res.body as Buffer;
    expect(png.readUInt32BE(0)).toBe(0x89504e47);
    const { width, height } = pngSize(png);
    expect(Math.max(width, height)).toBe(PAGE_IMAGE_SIDE);
    expect(height / width).toBeCloseTo(842 / 595, 1); // A4, portrait
    const cached = path.join(service.originals.root, 'cache', 'page-images', sha256.slice(0, 2), `${sha256}-p1-cropbox-${PAGE_IMAGE_SIDE}.png`);
    expect(fs.readFileSync(cached).equals(png)).toBe(true);
    // Served from the cache: the file is not rendered again.
    const mtime = fs.statSync(cached).mtimeMs;
    await api.get(`/api/documents/${id}/pages/1/image`).expect(200);
    expect(fs.statSync(cached).mtimeMs).toBe(mtime);
    await api.get(`/api/documents/${id}/pages/1/image`).set('If-None-Match', res.headers.etag!).expect(304);

    expect((await api.get(`/api/documents/${id}/pages/2/image`).expect(404)).body.error.message).toMatch(/page 2/);
    await api.get(`/api/documents/${id}/pages/-1/image`).expect(404);
    await api.get(`/api/documents/${id}/pages/..%2F..%2Fetc/image`).expect(404);
    await api.get('/api/documents/0123456789abcdef01234567/pages/0/image').expect(404);
  });

  it("renders a PDF page's crop box, so the text layer's word boxes fall on the words", async () => {
    const file = path.join(tmp, 'cropped.pdf');
    fs.writeFileSync(file, await croppedTextPdf(['Notes on the valley (synthetic).', 'The Merenites spread like a plague across Ormund.']));
    const { id } = await uploadDone(file, 'cropped.pdf');
    const flags = (await api.get(`/api/documents/${id}/flags`).expect(200)).body.items as Array<{ exact: string; box: { x0: number; y0: number; x1: number; y1: number } | null }>;
    const flag = flags.find((f) => /plague/i.test(f.exact));
    expect(flag?.box).toBeTruthy();
    const box = flag!.box!;

    const res = await api.get(`/api/documents/${id}/pages/0/image`).buffer(true).parse(binary).expect(200);
    const image = decodePng(res.body as Buffer);
    // The crop box's shape (540×360 pt), its longest side PAGE_IMAGE_SIDE; the MediaBox is 600×800.
    expect(image.width).toBe(PAGE_IMAGE_SIDE);
    expect(image.width / image.height).toBeCloseTo(CROPPED_PAGE.crop.width / CROPPED_PAGE.crop.height, 2);
    // The flag's box (fractions of the page as pdf.js sees it) is on the printed phrase…
    expect(inkShareOfBox(image, box)).toBeGreaterThan(0.08);
    // …while the lower half of the crop box, where nothing is printed, is blank paper.
    expect(inkShareOfBox(image, { x0: 0, y0: 0.5, x1: 1, y1: 1 })).toBe(0);

    // The whole MediaBox (what pdftoppm draws without -cropbox): the same fractions fall on blank paper.
    execFileSync('pdftoppm', ['-singlefile', '-scale-to', String(PAGE_IMAGE_SIDE), '-png', file, path.join(tmp, 'cropped-media')]);
    const media = decodePng(fs.readFileSync(path.join(tmp, 'cropped-media.png')));
    expect(media.height / media.width).toBeCloseTo(CROPPED_PAGE.media.height / CROPPED_PAGE.media.width, 2);
    expect(inkShareOfBox(media, box)).toBe(0);

    // Read again by OCR (forced): MuPDF rasterises the crop box too, so the OCR'd flag's box lands
    // on the same words of the same image, close to the text layer's box.
    await api.post(`/api/documents/${id}/ocr`).send({ languages: ['en'], force: true }).expect(202);
    await waitForStatus(service, id, ['done'], 90_000);
    const ocrFlags = (await api.get(`/api/documents/${id}/flags`).expect(200)).body.items as Array<{ exact: string; pageVersion: number; source: { method: string }; box: typeof box | null }>;
    const ocrFlag = ocrFlags.find((f) => /plague/i.test(f.exact) && f.source.method === 'ocr');
    expect(ocrFlag).toMatchObject({ pageVersion: 2 });
    expect(inkShareOfBox(image, ocrFlag!.box!)).toBeGreaterThan(0.08);
    for (const side of ['x0', 'y0', 'x1', 'y1'] as const) expect(Math.abs(ocrFlag!.box![side] - box[side])).toBeLessThan(0.03);
  });

  it('serves a PNG original as its own page image', async () => {
    const pdf = path.join(tmp, 'p.pdf');
    fs.writeFileSync(pdf, await textPdf([['The Merenites spread like a plague across Ormund.']]));
    execFileSync('pdftoppm', ['-r', '80', '-png', '-singlefile', pdf, path.join(tmp, 'p')]);
    const bytes = fs.readFileSync(path.join(tmp, 'p.png'));
    const { id } = await uploadDone(bytes, 'leaflet.png');
    const res = await api.get(`/api/documents/${id}/pages/0/image`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect((res.body as Buffer).equals(bytes)).toBe(true);
  });

  it('renders each frame of a TIFF original (converted once with tiff2pdf) as a PNG page', async () => {
    const pdf = path.join(tmp, 't.pdf');
    fs.writeFileSync(pdf, await textPdf([['The Merenites spread like a plague across Ormund.'], ['Second frame of the synthetic scan.']]));
    // poppler writes one TIFF a page; libtiff's tiffcp joins them into one two-frame TIFF.
    execFileSync('pdftoppm', ['-r', '90', '-gray', '-tiff', '-tiffcompression', 'lzw', pdf, path.join(tmp, 't')]);
    const frames = fs.readdirSync(tmp).filter((f) => /^t-\d+\.tif$/.test(f)).sort().map((f) => path.join(tmp, f));
    expect(frames).toHaveLength(2);
    execFileSync('tiffcp', [...frames, path.join(tmp, 'both.tif')]);
    const bytes = fs.readFileSync(path.join(tmp, 'both.tif'));
    const frame = imageDimensions(bytes)!;
    const { id, sha256 } = await uploadDone(bytes, 'leaflet.tiff');
    for (const index of [0, 1]) {
      const res = await api.get(`/api/documents/${id}/pages/${index}/image`).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toBe('image/png');
      const png = res.body as Buffer;
      expect(png.readUInt32BE(0)).toBe(0x89504e47);
      expect(Math.max(pngSize(png).width, pngSize(png).height)).toBe(PAGE_IMAGE_SIDE);
      expect(pngSize(png).height / pngSize(png).width).toBeCloseTo(frame.height / frame.width, 1);
    }
    expect(fs.existsSync(path.join(service.originals.root, 'cache', 'page-images', sha256.slice(0, 2), `${sha256}.tiff.pdf`))).toBe(true);
    await api.get(`/api/documents/${id}/pages/2/image`).expect(404);
  });

  it('a TIFF that cannot be converted answers 404 with a sentence, never a server path or tool output (issue 17)', async () => {
    const pdf = path.join(tmp, 'damaged.pdf');
    fs.writeFileSync(pdf, await textPdf([['The Merenites spread like a plague across Ormund (damaged copy).']]));
    execFileSync('pdftoppm', ['-r', '80', '-gray', '-tiff', '-singlefile', pdf, path.join(tmp, 'damaged')]);
    const { id, sha256 } = await uploadDone(fs.readFileSync(path.join(tmp, 'damaged.tif')), 'damaged.tiff');
    // The stored original is damaged afterwards (a disk fault): its header stays, its image data goes.
    const stored = path.join(service.originals.root, sha256.slice(0, 2), sha256);
    fs.chmodSync(stored, 0o644);
    fs.writeFileSync(stored, fs.readFileSync(stored).subarray(0, 16));
    const res = await api.get(`/api/documents/${id}/pages/0/image`).expect(404);
    expect(res.body.error.message).toMatch(/^no image of page 0: the TIFF could not be converted for display/);
    expect(res.body.error.message).not.toContain(service.originals.root);
    expect(res.body.error.message).not.toMatch(/\/|tiff2pdf|Command failed/);
  });

  it('answers 404 with the reason for a document without page images', async () => {
    const { id } = await uploadDone(path.join(FIXTURES, 'statement-sample.txt'), 'statement.txt');
    const res = await api.get(`/api/documents/${id}/pages/0/image`).expect(404);
    expect(res.body.error.message).toMatch(/text original has no page images/);
  });
});
