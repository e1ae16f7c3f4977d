/**
 * GET /api/documents/:id/originals and /originals/:role: the stored files by role, downloaded
 * byte for byte as attachments, their hash checked on every read, every download audited.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { sha256 } from '../../src/hash';
import { apiKeyHeaders, FIXTURES, startTestService, withHeaders, type TestService } from '../support/service';

const STATEMENT = path.join(FIXTURES, 'statement-sample.txt');
const HTML_BODY = '<!doctype html><html><body><p>Synthetic page: the Merenites held a fair.</p><script>document.title = "ran"</script></body></html>';

let service: TestService;
let analyst: ReturnType<typeof withHeaders>;
let viewer: ReturnType<typeof withHeaders>;
let viewerId: string;

beforeAll(async () => {
  service = await startTestService({ runner: { enabled: false } });
  analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  const viewerHeaders = await apiKeyHeaders(service, ['viewer']);
  viewerId = viewerHeaders.userId;
  viewer = withHeaders(service.app, viewerHeaders);
});
afterAll(async () => {
  await service.dispose();
});

async function upload(file: string | Buffer, name: string, kind = 'statement'): Promise<string> {
  const res = await analyst.post('/api/documents').field('kind', kind).field('title', 'Synthetic statement (fictional)').attach('file', file, name).expect(202);
  return res.body.document.id as string;
}

function binary(res: request.Response, callback: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('originals of an upload', () => {
  it('lists the upload as role "upload" and any role downloads it byte for byte, audited', async () => {
    const id = await upload(STATEMENT, 'statement-sample.txt');
    const bytes = fs.readFileSync(STATEMENT);
    const list = await viewer.get(`/api/documents/${id}/originals`).expect(200);
    expect(list.body.items).toEqual([{ role: 'upload', sha256: sha256(bytes), bytes: bytes.length, mediaType: 'text/plain; charset=utf-8', links: { download: `/api/documents/${id}/originals/upload` } }]);

    const res = await viewer.get(`/api/documents/${id}/originals/upload`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
    expect(res.headers['x-content-sha256']).toBe(sha256(bytes));
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${id}-upload.txt"`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');

    const events = await service.db.models.AuditEvent.find({ action: 'document.original.download', 'entity.id': id }).lean();
    expect(events).toHaveLength(1);
    expect(events[0]!.actor).toBe(viewerId);
    expect(events[0]!.change).toMatchObject({ role: 'upload', sha256: sha256(bytes) });
  });

  it('serves an HTML original as an attachment in a sandbox, never as a page of our origin', async () => {
    const id = await upload(Buffer.from(HTML_BODY), 'page.html', 'article');
    const res = await viewer.get(`/api/documents/${id}/originals/upload`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    expect(res.headers['content-security-policy']).toContain('sandbox');
    expect((res.body as Buffer).toString()).toBe(HTML_BODY);
  });

  it('refuses a file altered on disk (409 original_altered) and records no download', async () => {
    const id = await upload(Buffer.from('Synthetic notes on the Merenites, altered later.\n'), 'notes.txt', 'other');
    const doc = await service.db.models.Document.findById(id).lean();
    const file = service.originals.resolve(doc!.original.storedPath);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, 'Synthetic notes on the Merenites, ALTERED later.\n');
    const res = await viewer.get(`/api/documents/${id}/originals/upload`).expect(409);
    expect(res.body.error.code).toBe('original_altered');
    expect(res.body.error.message).toContain('no longer matches its SHA-256');
    expect(await service.db.models.AuditEvent.countDocuments({ action: 'document.original.download', 'entity.id': id })).toBe(0);
  });

  it('answers 404 for a role the document lacks, an unknown role, and an unknown document', async () => {
    const id = await upload(Buffer.from('Synthetic remark about the fair (fictional).\n'), 'remark.txt', 'other');
    expect((await viewer.get(`/api/documents/${id}/originals/warc`).expect(404)).body.error.message).toBe('this document has no "warc" file');
    expect((await viewer.get(`/api/documents/${id}/originals/..%2F..%2Fetc`).expect(404)).body.error.code).toBe('not_found');
    await viewer.get('/api/documents/0123456789abcdef01234567/originals').expect(404);
    await request(service.app).get(`/api/documents/${id}/originals/upload`).expect(401);
  });
});
