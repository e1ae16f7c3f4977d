/**
 * Decompression bombs (issue 17, V5), generated here: a DOCX whose central directory declares
 * 4 KB for an entry that inflates to 1.5 GB, and a 4 KB TIFF whose second frame is 20000×20000.
 * Both are refused before storage with a 400 naming the problem, and the service does not
 * inflate them (its memory, read from /proc, stays flat; no child process reads them).
 */
import zlib from 'node:zlib';
import { apiKeyHeaders, startTestService, withHeaders, type TestService } from '../support/service';
import { watchProcessTree } from '../support/processes';
import { docx } from '../support/zip';

let service: TestService;
let api: ReturnType<typeof withHeaders>;
beforeAll(async () => {
  service = await startTestService();
  api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
}, 60_000);
afterAll(() => service.dispose());

/** Raw deflate data inflating to `mb` MB of zeros: one 1 MB block, complete after a full flush, repeated. */
function zeroBomb(mb: number): Buffer {
  const block = zlib.deflateRawSync(Buffer.alloc(1 << 20), { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  return Buffer.concat([...Array.from({ length: mb }, () => block), zlib.deflateRawSync(Buffer.alloc(0))]);
}

/** A little-endian TIFF with one 8-bit grey frame per size, each IFD pointing to the next. */
function multiFrameTiff(frames: Array<{ width: number; height: number }>): Buffer {
  const out = Buffer.alloc(4096);
  out.write('II', 0, 'latin1');
  out.writeUInt16LE(42, 2);
  let at = 8;
  out.writeUInt32LE(at, 4);
  const pixels = 3000; // a few bytes of image data, shared by the frames
  frames.forEach((frame, k) => {
    const tags: Array<[number, number, number]> = [
      [256, 4, frame.width], [257, 4, frame.height], [258, 3, 8], [259, 3, 1], [262, 3, 1], [273, 4, pixels], [277, 3, 1], [278, 4, frame.height], [279, 4, 100],
    ];
    out.writeUInt16LE(tags.length, at);
    tags.forEach(([tag, type, value], i) => {
      const e = at + 2 + i * 12;
      out.writeUInt16LE(tag, e);
      out.writeUInt16LE(type, e + 2);
      out.writeUInt32LE(1, e + 4);
      if (type === 3) out.writeUInt16LE(value, e + 8);
      else out.writeUInt32LE(value, e + 8);
    });
    const next = k + 1 < frames.length ? at + 2 + tags.length * 12 + 4 : 0;
    out.writeUInt32LE(next, at + 2 + tags.length * 12);
    at = next;
  });
  return out;
}

it('refuses a 1.5 MB DOCX whose entry declares 4 KB but inflates to 1.5 GB, without inflating it', async () => {
  const packed = zeroBomb(1_536);
  const bomb = docx(['A report on Kestrel Valley (synthetic).'], [{ name: 'word/media/blob.bin', data: '', packed, declaredSize: 4096, crc: 0 }]);
  expect(bomb.length).toBeGreaterThan(1.4e6);
  expect(bomb.length).toBeLessThan(1.7e6);
  const watch = watchProcessTree();
  const res = await api.post('/api/documents').field('kind', 'other').field('title', 'docx bomb').attach('file', bomb, 'report.docx');
  const { treePeakRssMb, rootBaselineRssMb } = watch.stop();
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('unsafe_archive');
  expect(res.body.error.message).toMatch(/refused before storage: an entry expands to more than the archive says/);
  // Nothing was inflated into memory, and nothing was kept.
  expect(treePeakRssMb - rootBaselineRssMb).toBeLessThan(256);
  expect(await service.db.models.Document.countDocuments()).toBe(0);
});

it('refuses a DOCX whose directory admits 400 MB, before inflating anything', async () => {
  const big = zeroBomb(200);
  const crc = zlib.crc32(Buffer.alloc(200 << 20));
  const res = await api.post('/api/documents').field('kind', 'other').field('title', 'docx large').attach('file', docx(['x'], [
    { name: 'word/media/a.bin', data: '', packed: big, declaredSize: 200 << 20, crc },
    { name: 'word/media/b.bin', data: '', packed: big, declaredSize: 200 << 20, crc },
  ]), 'large.docx');
  expect(res.status).toBe(400);
  expect(res.body.error.message).toMatch(/would expand to 400 MB/);
});

it('still accepts an ordinary DOCX', async () => {
  const res = await api.post('/api/documents').field('kind', 'other').field('title', 'docx ok').attach('file', docx(['The Merenites of Ormund keep bees (synthetic).']), 'ok.docx');
  expect(res.status).toBe(202);
});

it('refuses a 4 KB TIFF whose second frame is 20000×20000, naming the frame', async () => {
  const tiff = multiFrameTiff([{ width: 10, height: 10 }, { width: 20_000, height: 20_000 }]);
  expect(tiff.length).toBe(4096);
  const res = await api.post('/api/documents').field('kind', 'other').field('title', 'tiff bomb').attach('file', tiff, 'scan.tif');
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('image_too_large');
  expect(res.body.error.message).toBe('the image is 20000×20000 pixels (frame 2 of 2); at most 40 megapixels a frame are read (refused before storage)');
});

it('refuses a TIFF whose frames loop back on themselves', async () => {
  const tiff = multiFrameTiff([{ width: 10, height: 10 }, { width: 10, height: 10 }]);
  // Point the second frame's "next" back to the first.
  const second = 8 + 2 + 9 * 12 + 4;
  tiff.writeUInt32LE(8, second + 2 + 9 * 12);
  const res = await api.post('/api/documents').field('kind', 'other').field('title', 'tiff loop').attach('file', tiff, 'loop.tif');
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('corrupt_image');
});

