/**
 * POST /api/captures end to end, on loopback only: the real service, real Chromium and a test
 * site this test starts. The page's words are inserted by a script after load, so only a capture
 * that runs the page finds (and flags) them. The WARC is read by warcio, an independent reader.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCaptureSite, type CaptureSite } from '../support/capture-site';
import { apiKeyHeaders, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

const WARCIO = path.resolve(__dirname, '..', '..', '.cache', 'warcio', 'bin', 'warcio');

let service: TestService;
let site: CaptureSite;
let other: CaptureSite;
let analyst: ReturnType<typeof withHeaders>;
let viewer: ReturnType<typeof withHeaders>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-capture-'));

beforeAll(async () => {
  site = await startCaptureSite('127.0.0.1');
  // A second loopback address, not named in the allow list: it must never be reached.
  other = await startCaptureSite('127.0.0.2');
  service = await startTestService({ capture: { allowHosts: ['127.0.0.1'] } });
  analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  viewer = withHeaders(service.app, await apiKeyHeaders(service, ['viewer']));
});
afterAll(async () => {
  await service.dispose();
  await site.close();
  await other.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function download(id: string, role: string): Promise<Buffer> {
  const res = await viewer
    .get(`/api/documents/${id}/originals/${role}`)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(200);
  return res.body as Buffer;
}

describe('capturing a statement page', () => {
  let id: string;

  beforeAll(async () => {
    const res = await analyst
      .post('/api/captures')
      .send({ url: `${site.base}/statements/latest`, kind: 'statement', speaker: 'Aldo Venn (fictional)', venue: 'Ormund Harbour Forum', date: '2026-03-14', languages: ['en'] })
      .expect(202);
    expect(res.body.document.status).toBe('capturing');
    expect(res.body.statusUrl).toBe(`/api/documents/${res.body.document.id}`);
    id = res.body.document.id;
    await waitForStatus(service, id, ['done', 'failed'], 150_000);
  }, 180_000);

  it('keeps the capture record: URLs, status, headers, times, browser', async () => {
    const { document } = (await viewer.get(`/api/documents/${id}`).expect(200)).body;
    expect(document.status).toBe('done');
    expect(document.statement).toMatchObject({ speaker: 'Aldo Venn (fictional)', sourceUrl: `${site.base}/statements/latest` });
    const capture = document.capture;
    expect(capture.requestedUrl).toBe(`${site.base}/statements/latest`);
    expect(capture.finalUrl).toBe(`${site.base}/statements/2026-03-14-harbour`);
    expect(capture.status).toBe(200);
    expect(capture.headers).toContainEqual({ name: 'x-site', value: 'synthetic-test-site' });
    expect(new Date(capture.startedAt).getTime()).toBeLessThanOrEqual(new Date(capture.endedAt).getTime());
    expect(capture.browserVersion).toMatch(/^\d+\.\d+/);
    expect(capture.userAgent).toMatch(/Chrome\//);
    expect(capture.tls).toBeNull();
    expect(capture.requests).toBeGreaterThanOrEqual(5);
    expect(capture.mainTextFrom).toBe('readability');
  });

  it('stores the WARC, PDF and PNG as originals, and warcio reads the WARC', async () => {
    const { items } = (await viewer.get(`/api/documents/${id}/originals`).expect(200)).body;
    expect(items.map((o: { role: string }) => o.role)).toEqual(['warc', 'pdf', 'png']);
    const warc = await download(id, 'warc');
    expect((await download(id, 'pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await download(id, 'png')).subarray(1, 4).toString()).toBe('PNG');
    const file = path.join(tmp, 'capture.warc.gz');
    fs.writeFileSync(file, warc);
    const index = execFileSync(WARCIO, ['index', '-f', 'warc-type,warc-target-uri,http:status', file], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
    const responses = index.filter((r) => r['warc-type'] === 'response').map((r) => `${r['http:status']} ${r['warc-target-uri']!.replace(site.base, '')}`);
    expect(responses).toEqual(expect.arrayContaining(['302 /statements/latest', '200 /statements/2026-03-14-harbour', '200 /static/site.css', '200 /static/seal.png', '200 /static/statement.js']));
    expect(index[0]!['warc-type']).toBe('warcinfo');
    expect(index.filter((r) => r['warc-type'] === 'request')).toHaveLength(responses.length);
    expect(index.at(-1)!['warc-type']).toBe('metadata');
    // warcio check recomputes every record's block digest.
    expect(() => execFileSync(WARCIO, ['check', file], { encoding: 'utf8' })).not.toThrow();
  });

  it('reads the script-inserted statement and flags it, with a box on the rendered page', async () => {
    const page = (await viewer.get(`/api/documents/${id}/pages/0`).expect(200)).body.page;
    expect(page.text.replace(/\s+/g, ' ')).toContain('Tarvanis are vermin');
    const flags = (await viewer.get(`/api/documents/${id}/flags`).expect(200)).body.items as Array<{ exact: string; box: unknown }>;
    const vermin = flags.find((f) => /vermin/i.test(f.exact));
    expect(vermin).toBeDefined();
    expect(vermin!.box).not.toBeNull();
  });

  it('records the capture in the audit trail', async () => {
    const events = await service.db.models.AuditEvent.find({ action: 'document.capture', 'entity.id': id }).lean();
    expect(events).toHaveLength(1);
    expect(events[0]!.change).toMatchObject({ url: `${site.base}/statements/latest` });
  });
});

describe('main text and re-capture', () => {
  it('keeps the page text and the main text apart from menus and footers', async () => {
    const first = (await viewer.get('/api/documents?kind=statement').expect(200)).body.items.find((d: { capture: unknown }) => d.capture);
    const res = (await viewer.get(`/api/documents/${first.id}/capture`).expect(200)).body;
    expect(res.pageText).toContain('Privacy · Accessibility');
    expect(res.mainText).toContain('Tarvanis are vermin');
    expect(res.mainText).not.toContain('Privacy · Accessibility');
    expect(res.previous).toBeNull();
  });

  it('links a re-capture of the same URL to the earlier one and shows what changed', async () => {
    const url = `${site.base}/statements/latest`;
    const first = (await viewer.get('/api/documents?kind=statement').expect(200)).body.items.find((d: { capture: { requestedUrl: string } | null }) => d.capture?.requestedUrl === url);
    site.statement.text = 'The Tarvani families of the harbour towns are welcome at the forum.';
    const res = await analyst.post('/api/captures').send({ url, kind: 'statement' }).expect(202);
    expect(res.body.document.capture.previous).toBe(first.id);
    await waitForStatus(service, res.body.document.id, ['done', 'failed'], 150_000);
    const details = (await viewer.get(`/api/documents/${res.body.document.id}/capture`).expect(200)).body;
    expect(details.previous).toMatchObject({ id: first.id, httpStatus: 200 });
    expect(details.diff).toEqual(
      expect.arrayContaining([
        { op: 'removed', text: 'Tarvanis are vermin and must be driven out of the harbour towns.' },
        { op: 'added', text: 'The Tarvani families of the harbour towns are welcome at the forum.' },
        { op: 'same', text: expect.stringContaining('harbour tariffs') },
      ]),
    );
    const earlier = (await viewer.get(`/api/documents/${first.id}/capture`).expect(200)).body;
    expect(earlier.later.map((d: { id: string }) => d.id)).toEqual([res.body.document.id]);
    await viewer.get(`/api/documents/${first.id}/capture`).expect(200);
  }, 180_000);

  it('answers 404 for a document that is not a capture', async () => {
    const up = await analyst.post('/api/documents').field('kind', 'other').field('title', 'Synthetic note').attach('file', Buffer.from('A synthetic note about the fair.\n'), 'note.txt').expect(202);
    expect((await viewer.get(`/api/documents/${up.body.document.id}/capture`).expect(404)).body.error.message).toBe('this document is not a web capture');
  });
});

describe('refusals', () => {
  it('refuses an address not in CAPTURE_ALLOW_HOSTS with 400 naming the rule, making no request', async () => {
    const before = await service.db.models.Document.countDocuments();
    const res = await analyst.post('/api/captures').send({ url: `${other.base}/statements/latest`, kind: 'statement' }).expect(400);
    expect(res.body.error.code).toBe('capture_refused');
    expect(res.body.error.details).toMatchObject({ rule: 'loopback', address: '127.0.0.2' });
    expect(other.hits).toEqual([]);
    expect(await service.db.models.Document.countDocuments()).toBe(before);
  });

  it.each([
    ['file:///etc/passwd', 'scheme'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://10.0.0.1/', 'private'],
    ['http://[::ffff:192.168.0.1]/', 'private'],
  ])('refuses %s (%s) without connecting', async (url, rule) => {
    const res = await analyst.post('/api/captures').send({ url, kind: 'other' }).expect(400);
    expect(res.body.error.details.rule).toBe(rule);
  });

  it('fails a capture whose page redirects to a refused address, naming the rule; that address is never reached', async () => {
    site.elsewhere.url = `${other.base}/statements/latest`;
    const res = await analyst.post('/api/captures').send({ url: `${site.base}/elsewhere`, kind: 'other' }).expect(202);
    const doc = await waitForStatus(service, res.body.document.id, ['failed', 'done'], 120_000);
    expect(doc.status).toBe('failed');
    expect((doc.failure as { reason: string }).reason).toMatch(/^the page was not loaded: refused: 127\.0\.0\.2 is a loopback address/);
    expect(other.hits).toEqual([]);
  }, 150_000);

  it('is for analysts: a viewer gets 403 and a form post 415', async () => {
    await viewer.post('/api/captures').send({ url: `${site.base}/statements/latest`, kind: 'statement' }).expect(403);
    await analyst.post('/api/captures').type('form').send({ url: `${site.base}/statements/latest`, kind: 'statement' }).expect(415);
    const bad = await analyst.post('/api/captures').send({ url: `${site.base}/x`, kind: 'textbook' }).expect(400);
    expect(bad.body.error.code).toBe('invalid_request');
  });
});
