/**
 * Upload → extract → flag → store, end to end, on the real database and the real pipeline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { apiKeyHeaders, FIXTURES, startTestService, withHeaders, waitForStatus, type TestService } from '../support/service';

interface ExpectedFlag {
  exact: string;
  category: string;
  sentence: string;
}
interface ExpectedPage {
  index: number;
  label: string | null;
  hasTextLayer: boolean;
  requiresOcr: boolean;
  sentences: string[];
  flags: ExpectedFlag[];
  mustNotFlag: string[];
}
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as {
  files: Record<string, { pages: ExpectedPage[] }>;
};

const TEXTBOOK = path.join(FIXTURES, 'textbook-sample.pdf');
const STATEMENT = path.join(FIXTURES, 'statement-sample.txt');

let service: TestService;
let api: ReturnType<typeof withHeaders>;
beforeAll(async () => {
  service = await startTestService();
  api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst', 'viewer']));
});
afterAll(async () => {
  await service.dispose();
});

function uploadTextbook(file = TEXTBOOK, fields: Record<string, string> = {}) {
  const req = api.post('/api/documents');
  const all = { kind: 'textbook', title: 'History of the Valley, Grade 7 (synthetic)', publisher: 'Ormund State Press (fictional)', grade: '7', year: '2021', ...fields };
  for (const [k, v] of Object.entries(all)) req.field(k, v);
  return req.attach('file', file);
}

/** The entry matches and frame matches of a flag, each with its span text and category. */
function rulesOf(flag: Record<string, any>): Array<{ exact: string; category: string }> {
  return [...flag.matches, ...flag.frames];
}

async function allFlags(documentId: string) {
  const items: Array<Record<string, any>> = [];
  for (let offset = 0; ; offset += 200) {
    const res = await api.get(`/api/documents/${documentId}/flags?limit=200&offset=${offset}`).expect(200);
    items.push(...res.body.items);
    if (items.length >= res.body.total) return items;
  }
}

describe('happy path: a textbook PDF', () => {
  let id: string;
  let body: Record<string, any>;

  beforeAll(async () => {
    const res = await uploadTextbook().expect(202);
    body = res.body;
    id = res.body.document.id;
    await waitForStatus(service, id, ['done', 'failed']);
  });

  it('answers 202 with the document, its hash and a status URL', () => {
    const sha = require('node:crypto').createHash('sha256').update(fs.readFileSync(TEXTBOOK)).digest('hex');
    expect(body.document.original).toMatchObject({ sha256: sha, bytes: fs.statSync(TEXTBOOK).size, type: 'pdf', mime: 'application/pdf', filename: 'textbook-sample.pdf' });
    expect(body.statusUrl).toBe(`/api/documents/${id}`);
    expect(body.document.textbook).toMatchObject({ publisher: 'Ormund State Press (fictional)', grade: '7', year: 2021 });
  });

  it('keeps the original byte for byte under its hash', () => {
    const stored = path.join(service.uploadDir, body.document.original.sha256.slice(0, 2), body.document.original.sha256);
    expect(fs.readFileSync(stored).equals(fs.readFileSync(TEXTBOOK))).toBe(true);
  });

  it('ends done with progress pages done / total', async () => {
    const res = await api.get(`/api/documents/${id}`).expect(200);
    expect({ status: res.body.document.status, failure: res.body.document.failure }).toEqual({ status: 'done', failure: null });
    const pages = expected.files['textbook-sample.pdf']!.pages;
    expect(res.body.document.progress).toEqual({ pagesDone: pages.length, pagesTotal: pages.length, stage: 'done', etaSeconds: 0 });
    expect(res.body.document.lexicon).toEqual({ id: service.lexicon.id, version: service.lexicon.version });
  });

  it('stores every page with its index, printed label and NFC text', async () => {
    for (const page of expected.files['textbook-sample.pdf']!.pages) {
      const res = await api.get(`/api/documents/${id}/pages/${page.index}`).expect(200);
      expect(res.body.page.index).toBe(page.index);
      expect(res.body.page.label).toBe(page.label);
      expect(res.body.page.text).toBe(res.body.page.text.normalize('NFC'));
      // A page without a text layer is read by OCR, and says so.
      expect(res.body.page.method).toBe(page.hasTextLayer ? 'text-layer' : 'ocr');
      if (!page.hasTextLayer) {
        expect(res.body.page.ocr).toMatchObject({ engine: expect.stringMatching(/^tesseract@\d/), langs: expect.arrayContaining(['eng']) });
        expect(res.body.page.ocr.confidence).toBeGreaterThan(50);
        for (const sentence of page.sentences) expect(normalizeSpace(res.body.page.text)).toContain(sentence);
      }
      expect(res.body.page.words.length).toBeGreaterThan(5);
      for (const w of res.body.page.words) {
        expect(res.body.page.text.slice(w.start, w.end).trim()).not.toBe('');
        expect(0 <= w.x0 && w.x0 < w.x1 && w.x1 <= 1 && 0 <= w.y0 && w.y0 < w.y1 && w.y1 <= 1).toBe(true);
      }
    }
    await api.get(`/api/documents/${id}/pages/99`).expect(404);
  });

  it('flags every expected passage on its page, with offsets that equal the matched text', async () => {
    const flags = await allFlags(id);
    const pageTexts = new Map<number, string>();
    for (const flag of flags) {
      if (!pageTexts.has(flag.page)) {
        pageTexts.set(flag.page, (await api.get(`/api/documents/${id}/pages/${flag.page}`)).body.page.text);
      }
      const text = pageTexts.get(flag.page)!;
      expect(text.slice(flag.start, flag.end)).toBe(flag.exact);
      expect(flag.status).toBe('new');
      expect(flag.lexicon).toEqual({ id: service.lexicon.id, version: service.lexicon.version });
      for (const m of [...flag.matches, ...flag.frames]) expect(text.slice(m.start, m.end)).toBe(m.exact);
      expect(text.slice(Math.max(0, flag.start - flag.prefix.length), flag.start)).toBe(flag.prefix);
      expect(text.slice(flag.end, flag.end + flag.suffix.length)).toBe(flag.suffix);
    }
    for (const page of expected.files['textbook-sample.pdf']!.pages) {
      const onPage = flags.filter((f) => f.page === page.index);
      for (const want of page.flags) {
        // Found by an entry or by a frame (whose span runs from the group to the predicate word).
        const hit = onPage.find((f) => rulesOf(f).some((m) => want.exact.includes(m.exact) || m.exact.includes(want.exact)));
        expect({ page: page.index, want: want.exact, found: !!hit }).toEqual({ page: page.index, want: want.exact, found: true });
        expect(rulesOf(hit!).map((m) => m.category)).toContain(want.category);
        expect(hit!.pageLabel).toBe(page.label);
        expect(hit!.source.method).toBe(page.requiresOcr ? 'ocr' : 'text-layer');
        // The flag's box lies on the page, where its words are.
        expect(hit!.box.x0).toBeLessThan(hit!.box.x1);
        expect(hit!.box.y0).toBeLessThan(hit!.box.y1);
      }
      for (const neutral of page.mustNotFlag) {
        const wrong = onPage.filter((f) => normalizeSpace(f.sentence).includes(normalizeSpace(neutral)));
        expect({ page: page.index, neutral, flagged: wrong.map((f) => f.exact) }).toEqual({ page: page.index, neutral, flagged: [] });
      }
    }
  });

  it('lists flags across documents with filters and a stable order', async () => {
    const first = await api.get(`/api/flags?document=${id}&limit=2`).expect(200);
    const second = await api.get(`/api/flags?document=${id}&limit=2&offset=2`).expect(200);
    expect(first.body.items).toHaveLength(2);
    const ids = [...first.body.items, ...second.body.items].map((f: { id: string }) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    const byCategory = await api.get(`/api/flags?category=VI.ERAD&document=${id}`).expect(200);
    expect(byCategory.body.total).toBeGreaterThan(0);
    expect(byCategory.body.items.every((f: { category: string; matches: Array<{ category: string }> }) => f.category === 'VI.ERAD')).toBe(true);
  });

  it('lists documents, filtered by kind and status', async () => {
    const res = await api.get('/api/documents?kind=textbook&status=done').expect(200);
    expect(res.body.items.map((d: { id: string }) => d.id)).toContain(id);
    const none = await api.get('/api/documents?kind=statement').expect(200);
    expect(none.body.items.map((d: { id: string }) => d.id)).not.toContain(id);
  });

  it('the same bytes uploaded again return the existing document (200), not a copy', async () => {
    const res = await uploadTextbook(TEXTBOOK, { title: 'Another title' }).expect(200);
    expect(res.body.document.id).toBe(id);
    expect(res.body.duplicate).toBe(true);
    const count = await service.db.models.Document.countDocuments({ 'original.sha256': res.body.document.original.sha256 });
    expect(count).toBe(1);
    const dir = path.join(service.uploadDir, res.body.document.original.sha256.slice(0, 2));
    expect(fs.readdirSync(dir)).toEqual([res.body.document.original.sha256]);
    expect(fs.readdirSync(path.join(service.uploadDir, 'incoming'))).toEqual([]);
  });

  it('exports flags as CSV and JSON with a citation and the source hash', async () => {
    const json = await api.get(`/api/flags/export?format=json&document=${id}`).expect(200);
    expect(json.headers['content-type']).toMatch(/application\/json/);
    const total = (await api.get(`/api/flags?document=${id}`)).body.total;
    expect(json.body.items).toHaveLength(total);
    const row = json.body.items.find((r: { exact: string }) => r.exact.includes('vermin'));
    expect(row.citation).toContain('History of the Valley');
    expect(row.citation).toContain('p. ii (PDF page 2)');
    expect(row.sourceSha256).toBe(body.document.original.sha256);

    const csv = await api.get(`/api/flags/export?format=csv&document=${id}`).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^flagId,documentId,documentTitle,citation,/);
    expect(lines.length).toBeGreaterThanOrEqual(total + 1);
    expect(csv.text).toContain(body.document.original.sha256);
  });
});

describe('plain-text statements', () => {
  it('become pages and are flagged', async () => {
    const res = await api
      .post('/api/documents')
      .field('kind', 'statement')
      .field('title', 'Address to the fictional Ormund assembly (synthetic)')
      .field('speaker', 'Ardel Voss (fictional)')
      .field('date', '2024-05-09')
      .field('sourceUrl', 'https://example.org/ormund/address')
      .attach('file', STATEMENT)
      .expect(202);
    const id = res.body.document.id;
    const doc = await waitForStatus(service, id, ['done', 'failed']);
    expect(doc.status).toBe('done');
    const flags = await allFlags(id);
    const page = (await api.get(`/api/documents/${id}/pages/0`).expect(200)).body.page;
    expect(page.method).toBe('plain-text');
    const want = expected.files['statement-sample.txt']!.pages.flatMap((p) => p.flags);
    for (const w of want) expect(flags.some((f) => rulesOf(f).some((m) => w.exact.includes(m.exact) || m.exact.includes(w.exact)))).toBe(true);
    for (const f of flags) expect(page.text.slice(f.start, f.end)).toBe(f.exact);
  });
});

function normalizeSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

describe('metadata edits', () => {
  it('correct fields, keep the original, and record who changed what and why', async () => {
    const up = await api
      .post('/api/documents')
      .field('kind', 'textbook')
      .field('title', 'Geography of Ormund (synthetic)')
      .field('publisher', 'Wrong Press (fictional)')
      .attach('file', Buffer.from('The Tarvani farm near Lake Vessa.\n'), 'geography.txt')
      .expect(202);
    const id = up.body.document.id;
    const res = await api.patch(`/api/documents/${id}`).send({ publisher: 'Ormund State Press (fictional)', grade: '5', reason: 'publisher misread from the cover' }).expect(200);
    expect(res.body.document.textbook).toMatchObject({ publisher: 'Ormund State Press (fictional)', grade: '5' });
    expect(res.body.document.original.sha256).toBe(up.body.document.original.sha256);

    const events = await service.db.models.AuditEvent.find({ 'entity.id': id, action: 'document.metadata.update' }).lean();
    expect(events).toHaveLength(1);
    expect(events[0]!.change).toEqual({ publisher: { from: 'Wrong Press (fictional)', to: 'Ormund State Press (fictional)' }, grade: { from: null, to: '5' } });
    expect(events[0]!.reason).toBe('publisher misread from the cover');
    expect(events[0]!.actor).not.toBe('anonymous');
  });

  it('refuses fields that are not metadata, or do not fit the kind, by name', async () => {
    // A finished one: the pipeline must not change its status while the refusals are checked.
    const { _id } = (await service.db.models.Document.findOne({ kind: 'textbook' }).lean())!;
    const doc = await waitForStatus(service, String(_id), ['done', 'failed']);
    const id = String(doc!._id);
    for (const [body, field] of [
      [{ status: 'done' }, 'status'],
      [{ kind: 'statement' }, 'kind'],
      [{ 'original.sha256': 'f'.repeat(64) }, 'original.sha256'],
      [{ speaker: 'Ardel Voss (fictional)' }, 'speaker'],
      [{ year: 'last year' }, 'year'],
      [{ title: { $gt: '' } }, 'title'],
      [{ reason: 'nothing else' }, '(root)'],
    ] as const) {
      const res = await api.patch(`/api/documents/${id}`).send(body).expect(400);
      expect(res.body.error.code).toBe('invalid_metadata');
      expect(JSON.stringify(res.body.error.details)).toContain(field);
    }
    const after = await service.db.models.Document.findById(id).lean();
    expect(after!.status).toBe(doc!.status);
    expect(after!.kind).toBe('textbook');
  });
});
