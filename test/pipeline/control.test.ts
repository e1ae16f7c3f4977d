/** Progress events, cancel, re-OCR with other languages, retries with backoff — through the HTTP API, real runner. */
import fs from 'node:fs';
import path from 'node:path';
import { apiKeyHeaders, FIXTURES, startTestService, withHeaders, waitForStatus, type TestService } from '../support/service';
import { bookPage, scannedPdf } from '../support/scanned-pdf';
import { readZip, verifyDossierZip } from '../../src/export/dossier/verify';

let service: TestService;

let api: ReturnType<typeof withHeaders> & { userId: string };
beforeAll(async () => {
  service = await startTestService({ runner: { pollMs: 100 }, OCR_CONCURRENCY: 1, pipeline: { retry: { maxAttempts: 2, baseDelayMs: 200 } } });
  // Uploads and processing controls are an analyst's: every call authenticates.
  const auth = await apiKeyHeaders(service, ['analyst']);
  api = Object.assign(withHeaders(service.app, auth), { userId: auth.userId });
});
afterAll(async () => {
  await service.dispose();
});

function upload(file: Buffer | string, name: string, fields: Record<string, string> = {}) {
  const req = api.post('/api/documents').field('kind', 'other').field('title', `synthetic ${name}`);
  for (const [k, v] of Object.entries(fields)) req.field(k, v);
  return req.attach('file', file, name);
}

type StreamEvent = { event: string; data: Record<string, unknown> };

/** The document's event stream until it ends; `onEvent` sees each event as it arrives. */
function readEvents(id: string, onEvent: (event: StreamEvent) => void = () => {}): Promise<StreamEvent[]> {
  return new Promise((resolve, reject) => {
    const events: StreamEvent[] = [];
    api
      .get(`/api/documents/${id}/events`)
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          // Complete blocks only; a comment (keep-alive) is no event.
          for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
            const block = text.slice(0, end);
            text = text.slice(end + 2);
            if (!block.startsWith('event:')) continue;
            const [eventLine, dataLine] = block.split('\n');
            const event = { event: eventLine!.slice(7), data: JSON.parse(dataLine!.slice(6)) as Record<string, unknown> };
            events.push(event);
            onEvent(event);
          }
        });
        res.on('end', () => cb(null, ''));
      })
      .end((error, res) => {
        if (error) return reject(error);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        resolve(events);
      });
  });
}

describe('progress', () => {
  it('streams stage and pages done / total as Server-Sent Events until the document is done', async () => {
    const pdf = await scannedPdf(Array.from({ length: 3 }, (_, k) => bookPage(k)));
    // The stream reads the database twice a second, so a state that lasts less than that may
    // never be shown: on a loaded machine the OCR pages once came in too fast for any
    // intermediate event (CI, twice). So the test holds the pipeline in the state it expects to
    // see: right after the first page read by OCR is recorded, the write does not return until
    // the stream has shown "ocr, 1 of 3 pages, with an estimate". It waits for a state, not a moment.
    const { Document } = service.db.models;
    const updateOne = Document.updateOne.bind(Document);
    let releasePipeline!: () => void;
    const shown = new Promise<void>((resolve) => (releasePipeline = resolve));
    let held = false;
    const firstPageRecorded = (update: unknown) => {
      const set = (update as { $set?: Record<string, unknown> } | undefined)?.$set;
      return !!set && Object.keys(set).join() === 'progress.pagesDone' && set['progress.pagesDone'] === 1;
    };
    const spy = jest.spyOn(Document, 'updateOne').mockImplementation(((filter: never, update: never, options?: never) => {
      const query = updateOne(filter, update, options);
      if (held || !firstPageRecorded(update)) return query;
      held = true;
      return query.then(async (result) => {
        await shown;
        return result;
      });
    }) as never);
    type Progress = { stage: string; pagesDone: number; pagesTotal: number; etaSeconds: number | null };
    const isHeldState = (p: Progress) => p.stage === 'ocr' && p.pagesDone === 1 && p.pagesTotal === 3 && typeof p.etaSeconds === 'number';
    // Should the stream never show it, let the document finish so the assertions below say so.
    const giveUp = setTimeout(releasePipeline, 45_000);
    try {
      // No languages named: a first page read in English decides them, then the other two are read.
      const res = await upload(pdf, 'sse.pdf').expect(202);
      const events = await readEvents(res.body.document.id, (event) => {
        if (event.event === 'progress' && isHeldState(event.data.progress as Progress)) releasePipeline();
      });
      expect(held).toBe(true);
      const progress = events.filter((e) => e.event === 'progress');
      expect(events[events.length - 1]).toEqual({ event: 'end', data: { status: 'done' } });
      const stages = progress.map((e) => (e.data.progress as Progress).stage);
      expect(stages).toContain('ocr');
      expect(stages[stages.length - 1]).toBe('done');
      // During OCR the stream counts pages read; a time estimate appears once a page is done.
      const ocr = progress.filter((e) => (e.data.progress as Progress).stage === 'ocr').map((e) => e.data.progress as Progress);
      expect(ocr.every((p) => p.pagesTotal === 3)).toBe(true);
      expect(ocr.some(isHeldState)).toBe(true);
    } finally {
      clearTimeout(giveUp);
      releasePipeline();
      spy.mockRestore();
    }
  }, 90_000);

  it('answers 404 for the events of an unknown document', async () => {
    await api.get('/api/documents/0123456789abcdef01234567/events').expect(404);
  });
});

describe('cancel', () => {
  it('stops a running document between pages and keeps it cancelled', async () => {
    const pdf = await scannedPdf(Array.from({ length: 12 }, (_, k) => bookPage(k + 100)));
    const res = await upload(pdf, 'cancel.pdf', { languages: 'en' }).expect(202);
    const id = res.body.document.id as string;
    const { Page, Document } = service.db.models;
    const deadline = Date.now() + 60_000;
    while ((await Page.countDocuments({ document: id })) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const cancelled = await api.post(`/api/documents/${id}/cancel`).expect(200);
    expect(cancelled.body.document.status).toBe('cancelled');
    await service.runner.idle(30_000);
    await new Promise((r) => setTimeout(r, 1500));
    const doc = await Document.findById(id).lean();
    expect(doc!.status).toBe('cancelled');
    expect(await Page.countDocuments({ document: id })).toBeLessThan(12);
    const again = await api.post(`/api/documents/${id}/cancel`).expect(409);
    expect(again.body.error.message).toMatch(/already cancelled/);
    const events = await service.audit.list({ entityType: 'document', entityId: id }, 100);
    const cancel = events.filter((e) => e.action === 'document.cancel');
    expect(cancel).toHaveLength(1);
    expect(cancel[0]!.actor).toBe(api.userId);
  }, 90_000);
});

describe('re-OCR', () => {
  let id: string;
  beforeAll(async () => {
    const res = await upload(path.join(FIXTURES, 'textbook-sample.pdf'), 'textbook-sample.pdf', { languages: 'en' });
    id = res.body.document.id;
    await waitForStatus(service, id, ['done', 'failed'], 60_000);
  }, 90_000);

  it('refuses bad languages and unknown fields with 400 naming the field', async () => {
    const bad = await api.post(`/api/documents/${id}/ocr`).send({ languages: ['xx'] }).expect(400);
    expect(bad.body.error.details[0].field).toBe('languages.0');
    const unknown = await api.post(`/api/documents/${id}/ocr`).send({ languages: ['en'], dpi: 600 }).expect(400);
    expect(unknown.body.error.message).toMatch(/dpi/);
    await api.post('/api/documents/0123456789abcdef01234567/ocr').send({ languages: ['en'] }).expect(404);
  });

  it('reads the OCR pages again with the chosen languages; old flags become obsolete, text-layer pages stay', async () => {
    const { Page, Flag } = service.db.models;
    const textPageBefore = await Page.findOne({ document: id, index: 0 }).lean();
    const oldFlags = await Flag.find({ document: id, page: 3 }).lean();
    expect(oldFlags.length).toBeGreaterThan(0);
    // A flag someone is reviewing keeps its state whatever the new text says.
    const reviewed = oldFlags[0]!;
    await Flag.updateOne({ _id: reviewed._id }, { $set: { status: 'in_review' } });
    const res = await api.post(`/api/documents/${id}/ocr`).send({ languages: ['en', 'az'] }).expect(202);
    const requested = (await service.audit.list({ entityType: 'document', entityId: id }, 100)).filter((e) => e.action === 'document.reocr');
    expect(requested).toHaveLength(1);
    expect(requested[0]!.change).toEqual({ languages: ['en', 'az'], force: false });
    expect(res.body.document.status).toBe('queued');
    await waitForStatus(service, id, ['done', 'failed'], 60_000);
    const page = await api.get(`/api/documents/${id}/pages/3`).expect(200);
    expect(page.body.page.method).toBe('ocr');
    expect(page.body.page.ocr.langs).toEqual(['eng', 'aze', 'aze_cyrl']);
    const textPageAfter = await Page.findOne({ document: id, index: 0 }).lean();
    expect(String(textPageAfter!._id)).toBe(String(textPageBefore!._id));
    // Flags follow the new text: one per span of it, the old ones either the same (same text) or obsolete.
    const fresh = await Flag.find({ document: id, page: 3, status: 'new' }).lean();
    const current = await Flag.find({ document: id, page: 3, status: { $in: ['new', 'in_review'] } }).lean();
    expect(current.some((f) => f.exact.includes('plague'))).toBe(true);
    for (const f of fresh) expect(page.body.page.text.slice(f.start, f.end)).toBe(f.exact);
    // The flag under review is never obsoleted: it keeps its state, and says so when its text is gone.
    const [v1, v2] = page.body.page.versions as Array<{ version: number; textSha256: string }>;
    const textChanged = { cause: 'text', pageVersion: v2!.version, note: `text changed in page version ${v2!.version}` };
    const reviewedNow = (await Flag.findById(reviewed._id).lean())!;
    expect(reviewedNow.status).toBe('in_review');
    if (v1!.textSha256 !== v2!.textSha256) expect(reviewedNow.unmatched).toMatchObject(textChanged);
    for (const f of oldFlags.slice(1)) {
      const now = (await Flag.findById(f._id).lean())!;
      const foundAgain = fresh.some((g) => String(g._id) === String(f._id));
      expect(now.status).toBe(foundAgain ? 'new' : 'obsolete');
      if (!foundAgain) expect(now.unmatched).toMatchObject(textChanged);
    }
  }, 90_000);

  it('keeps the old page version: a confirmed flag still quotes and indexes its own text after a forced re-OCR, and a dossier quotes it', async () => {
    const reviewer1 = withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']));
    const reviewer2 = withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']));
    // A flag on a text-layer page: a forced re-OCR certainly reads that page differently.
    const flags = (await api.get(`/api/documents/${id}/flags?limit=200`).expect(200)).body.items as Array<{ id: string; page: number; pageVersion: number; start: number; end: number; exact: string; status: string }>;
    const methods = new Map<number, string>();
    for (const f of flags) if (!methods.has(f.page)) methods.set(f.page, (await api.get(`/api/documents/${id}/pages/${f.page}`).expect(200)).body.page.method);
    const flag = flags.find((f) => f.status === 'new' && methods.get(f.page) === 'text-layer')!;
    expect(flag).toBeDefined();
    const before = (await api.get(`/api/documents/${id}/pages/${flag.page}`).expect(200)).body.page;
    expect(before.version).toBe(flag.pageVersion);
    expect(before.text.slice(flag.start, flag.end)).toBe(flag.exact);
    await reviewer1.post(`/api/flags/${flag.id}/reviews`).send({ decision: 'confirm' }).expect(201);
    await reviewer2.post(`/api/flags/${flag.id}/reviews`).send({ decision: 'confirm' }).expect(201);

    await api.post(`/api/documents/${id}/ocr`).send({ languages: ['en'], force: true }).expect(202);
    await waitForStatus(service, id, ['done', 'failed'], 90_000);
    expect((await api.get(`/api/documents/${id}`).expect(200)).body.document.status).toBe('done');

    // The page now has a new current version read by OCR; the old one is still there, unchanged.
    const after = (await api.get(`/api/documents/${id}/pages/${flag.page}`).expect(200)).body.page;
    expect(after.version).toBe(before.version + 1);
    expect(after.current).toBe(true);
    expect(after.method).toBe('ocr');
    expect(after.text).not.toBe(before.text);
    expect(after.versions.map((v: { version: number }) => v.version)).toEqual([...Array(after.version).keys()].map((k) => k + 1));
    const old = (await api.get(`/api/documents/${id}/pages/${flag.page}?version=${before.version}`).expect(200)).body.page;
    expect(old.current).toBe(false);
    expect(old.text).toBe(before.text);
    expect(old.textSha256).toBe(before.textSha256);
    await api.get(`/api/documents/${id}/pages/${flag.page}?version=99`).expect(404);
    expect((await api.get(`/api/documents/${id}/pages/${flag.page}?version=zero`).expect(400)).body.error.details[0].field).toBe('version');

    // The confirmed flag keeps its state, its reviews and its offsets into its own text version.
    const kept = (await api.get(`/api/documents/${id}/flags?limit=200`).expect(200)).body.items.find((f: { id: string }) => f.id === flag.id);
    expect(kept).toMatchObject({ status: 'confirmed', pageVersion: before.version, start: flag.start, end: flag.end, exact: flag.exact });
    // …and the flags API says its text is no longer the page's.
    expect(kept.unmatched).toMatchObject({ cause: 'text', pageVersion: after.version, note: `text changed in page version ${after.version}`, lexicon: null });
    expect(old.text.slice(kept.start, kept.end)).toBe(kept.exact);
    expect((await reviewer1.get(`/api/flags/${flag.id}/reviews`).expect(200)).body.items).toHaveLength(2);
    // Flags of the new reading index into the new text; no page has two current versions.
    const fresh = (await api.get(`/api/documents/${id}/flags?limit=200`).expect(200)).body.items.filter((f: { page: number; pageVersion: number }) => f.page === flag.page && f.pageVersion === after.version);
    for (const f of fresh) expect(after.text.slice(f.start, f.end)).toBe(f.exact);
    const { Page } = service.db.models;
    const currentPages = await Page.find({ document: id, current: true }, { index: 1 }).lean();
    expect(new Set(currentPages.map((p) => p.index)).size).toBe(currentPages.length);
    expect(currentPages.length).toBe((await api.get(`/api/documents/${id}`).expect(200)).body.document.progress.pagesTotal);

    // A dossier of the confirmed flag quotes the text it was confirmed on.
    const requested = await api.post('/api/dossiers').send({ title: 'synthetic', submitter: 'test', addressee: 'test', filters: { documents: [id] } }).expect(202);
    const dossierId = requested.body.dossier.id as string;
    const deadline = Date.now() + 60_000;
    let status = '';
    while (Date.now() < deadline && !['done', 'failed'].includes(status)) {
      status = (await api.get(`/api/dossiers/${dossierId}`).expect(200)).body.dossier.status;
      if (!['done', 'failed'].includes(status)) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe('done');
    const zip = await api.get(`/api/dossiers/${dossierId}/download`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const file = path.join(service.uploadDir, 'versions-dossier.zip');
    fs.writeFileSync(file, zip.body as Buffer);
    const entries = await readZip(file);
    const json = JSON.parse([...entries].find(([n]) => n.endsWith('data/dossier.json'))![1].toString('utf8'));
    const item = json.items.find((i: { flagId: string }) => i.flagId === flag.id);
    expect(item).toMatchObject({ exact: flag.exact, pageVersion: before.version, pageIndex: flag.page });
    expect(old.text).toContain(item.quote);
    expect((await verifyDossierZip(file)).ok).toBe(true);
  }, 180_000);

  it('is refused (409) while a document is still running', async () => {
    const pdf = await scannedPdf([bookPage(500), bookPage(501), bookPage(502)]);
    const res = await upload(pdf, 'busy.pdf', { languages: 'en' }).expect(202);
    const conflict = await api.post(`/api/documents/${res.body.document.id}/ocr`).send({ languages: ['en'] }).expect(409);
    expect(conflict.body.error.message).toMatch(/cancel it or wait/);
    await waitForStatus(service, res.body.document.id, ['done', 'failed'], 60_000);
  }, 90_000);
});

describe('retries', () => {
  it('retries an internal error with backoff, then fails the document with the reason', async () => {
    await service.runner.stop();
    const res = await upload(Buffer.from('The Tarvani farmers of Kestrel Valley.\n', 'utf8'), 'retry.txt');
    const id = res.body.document.id as string;
    // The stored original vanishes (a lost volume): not the input's fault, so it is retried.
    const stored = path.join(service.uploadDir, res.body.document.original.sha256.slice(0, 2), res.body.document.original.sha256);
    expect(fs.existsSync(stored)).toBe(true);
    fs.rmSync(stored);
    service.runner.start();
    const doc = await waitForStatus(service, id, ['failed', 'done'], 30_000);
    expect(doc.status).toBe('failed');
    expect(doc.attempts).toBe(2);
    expect((doc.failure as { reason: string }).reason).toMatch(/gave up after 2 attempts/);
  }, 60_000);
});
