/**
 * Bad input gets a clear 4xx with a JSON body naming the problem and loses nothing; broken PDFs
 * end as `failed` with a human-readable reason while the original stays stored.
 */
import fs from 'node:fs';
import path from 'node:path';
import { apiKeyHeaders, FIXTURES, startTestService, withHeaders, waitForStatus, type TestService } from '../support/service';

let service: TestService;
let api: ReturnType<typeof withHeaders>;
beforeAll(async () => {
  service = await startTestService({ MAX_UPLOAD_BYTES: 90 * 1024 });
  api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst', 'viewer']));
});
afterAll(async () => {
  await service.dispose();
});

function upload(file: string | Buffer, fields: Record<string, string> = { kind: 'textbook', title: 'Synthetic test upload' }, filename?: string) {
  const req = api.post('/api/documents');
  for (const [k, v] of Object.entries(fields)) req.field(k, v);
  return typeof file === 'string' ? req.attach('file', file) : req.attach('file', file, filename ?? 'upload.bin');
}

function storedOriginals(): string[] {
  const root = service.uploadDir;
  return fs
    .readdirSync(root)
    .filter((d) => /^[0-9a-f]{2}$/.test(d))
    .flatMap((d) => fs.readdirSync(path.join(root, d)));
}

describe('413: over the upload limit', () => {
  it('refuses the file and keeps nothing', async () => {
    const before = storedOriginals().length;
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200 * 1024, 0x41)]);
    const res = await upload(big, undefined, 'big.pdf').expect(413);
    expect(res.body.error).toMatchObject({ code: 'payload_too_large' });
    expect(res.body.error.message).toMatch(/92160 bytes/);
    expect(storedOriginals().length).toBe(before);
    expect(fs.readdirSync(path.join(service.uploadDir, 'incoming'))).toEqual([]);
  });
});

describe('415: type sniffed from the bytes', () => {
  it.each([
    ['random bytes', path.join(FIXTURES, 'bad', 'not-a-pdf.bin')],
    ['a PNG named .pdf', path.join(FIXTURES, 'bad', 'fake.pdf')],
  ])('refuses %s', async (_label, file) => {
    const res = await upload(file).expect(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    expect(res.body.error.message).toMatch(/content is/);
  });

  it.each([
    ['named .rtf', 'statement.rtf'],
    ['named .txt', 'statement.txt'],
    ['with no extension', 'statement'],
  ])('refuses RTF %s, naming the type, rather than reading its markup as text', async (_label, filename) => {
    const before = storedOriginals().length;
    const rtf = Buffer.from("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Arial;}}\\f0 The Tarvani of Ormund (synthetic) \\u601? \\'e7\\par}\n");
    const res = await upload(rtf, undefined, filename).expect(415);
    expect(res.body.error).toMatchObject({ code: 'unsupported_media_type', details: { detected: 'rtf' } });
    expect(res.body.error.message).toMatch(/RTF \(Rich Text Format/);
    expect(storedOriginals().length).toBe(before);
  });

  it('refuses text that claims to be a PDF', async () => {
    const res = await upload(Buffer.from('The Tarvani are neighbours.\n'), undefined, 'statement.pdf').expect(415);
    expect(res.body.error.message).toMatch(/(declared as application\/pdf|named \.pdf) but the content is plain text/);
  });

  it('refuses a file that is both PDF and HTML', async () => {
    const res = await upload(Buffer.from('%PDF-1.4\n<html><script>alert(1)</script></html>'), undefined, 'poly.bin').expect(415);
    expect(res.body.error.details).toEqual({ detected: 'html' });
  });
});

describe('400: invalid metadata names the field', () => {
  const pdf = path.join(FIXTURES, 'statement-sample.txt');
  it.each([
    [{ title: 'no kind' }, 'kind'],
    [{ kind: 'pamphlet', title: 'x' }, 'kind'],
    [{ kind: 'textbook' }, 'title'],
    [{ kind: 'textbook', title: 'x', year: 'last year' }, 'year'],
    [{ kind: 'textbook', title: 'x', isbn: '978-0-00-000000-1' }, 'isbn'],
    [{ kind: 'statement', title: 'x', sourceUrl: 'javascript:alert(1)' }, 'sourceUrl'],
    [{ kind: 'statement', title: 'x', publisher: 'p' }, 'publisher'],
    [{ kind: 'textbook', title: 'x', status: 'done' }, 'status'],
    [{ kind: 'textbook', title: 'x', 'original[sha256]': 'f'.repeat(64) }, 'original'],
    [{ kind: 'textbook', 'title[$gt]': '' }, 'title'],
  ])('%j → names %s', async (fields, field) => {
    const res = await upload(pdf, fields as Record<string, string>).expect(400);
    expect(res.body.error.code).toBe('invalid_metadata');
    expect(res.body.error.details.map((d: { field: string }) => d.field).join(' ')).toContain(field);
  });

  it('needs a file', async () => {
    const res = await api.post('/api/documents').field('kind', 'textbook').field('title', 'x').expect(400);
    expect(res.body.error.code).toBe('missing_file');
  });

  it('refuses an empty file', async () => {
    const res = await upload(path.join(FIXTURES, 'bad', 'empty.pdf')).expect(400);
    expect(res.body.error.code).toBe('empty_file');
    expect(res.body.error.message).toMatch(/empty/);
  });

  it('names a bad JSON body invalid_request, not a query or metadata problem', async () => {
    const ocr = await api.post('/api/documents/0123456789abcdef01234567/ocr').send({ languages: ['xx'] }).expect(400);
    expect(ocr.body.error).toMatchObject({ code: 'invalid_request', details: [{ field: 'languages.0' }] });
  });
});

describe('broken PDFs end failed with a reason; the original stays', () => {
  it.each([
    ['corrupt.pdf', /corrupt|not a PDF/],
    ['encrypted.pdf', /encrypted/],
  ])('%s', async (name, reason) => {
    const file = path.join(FIXTURES, 'bad', name);
    const res = await upload(file).expect(202);
    const doc = await waitForStatus(service, res.body.document.id, ['done', 'failed']);
    expect(doc.status).toBe('failed');
    const shown = await api.get(`/api/documents/${res.body.document.id}`).expect(200);
    expect(shown.body.document.failure.reason).toMatch(reason);
    expect(shown.body.document.failure.stage).toBe('extracting');
    const sha = res.body.document.original.sha256;
    expect(fs.readFileSync(path.join(service.uploadDir, sha.slice(0, 2), sha)).equals(fs.readFileSync(file))).toBe(true);
    // The server keeps serving.
    await api.get('/api/health').expect(200);
  });
});

describe('queries are validated, limits capped', () => {
  it.each([
    '/api/flags?limit=500',
    '/api/flags?status[$ne]=new',
    '/api/flags?document[$gt]=',
    '/api/flags?document=not-an-id',
    '/api/flags?category=EVIL',
    '/api/documents?status=bogus',
    '/api/documents?$where=1',
  ])('%s → 400 JSON', async (url) => {
    const res = await api.get(url).expect(400);
    expect(res.body.error.code).toBe('invalid_query');
  });

  it('unknown ids and routes are 404 JSON', async () => {
    expect((await api.get('/api/documents/000000000000000000000000').expect(404)).body.error.code).toBe('not_found');
    expect((await api.get('/api/documents/..%2F..%2Fetc').expect(404)).body.error.code).toBe('not_found');
    expect((await api.get('/api/nope').expect(404)).body.error.code).toBe('not_found');
  });

  it('malformed JSON bodies are 400 JSON', async () => {
    const res = await api.post('/api/documents').set('content-type', 'application/json').send('{"kind":').expect(400);
    expect(res.body.error.code).toBe('bad_request');
  });
});
