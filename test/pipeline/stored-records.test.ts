/**
 * Pages and flags are written lean (no mongoose hydration, for ingest speed): what is stored must
 * still be exactly what the schemas describe — every default, timestamp and version key present,
 * nothing extra — and the run's audit event must count the document's flags exactly, whether the
 * run counted them itself (a first run) or asked the database (a resumed run).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Types } from 'mongoose';
import { apiKeyHeaders, FIXTURES, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

const TEXTBOOK = path.join(FIXTURES, 'textbook-sample.pdf');
let service: TestService;
let api: ReturnType<typeof withHeaders>;

beforeAll(async () => {
  service = await startTestService({ runner: { enabled: false } });
  api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
});
afterAll(async () => {
  await service.dispose();
});

/** The fixture with a trailing comment, so each upload is a new original (not a duplicate). */
async function upload(title: string, copy: number): Promise<string> {
  const bytes = Buffer.concat([fs.readFileSync(TEXTBOOK), Buffer.from(`\n% copy ${copy}\n`)]);
  const res = await api.post('/api/documents').field('kind', 'textbook').field('title', title).field('languages', 'en').attach('file', bytes, `copy-${copy}.pdf`).expect(202);
  return res.body.document.id as string;
}

async function runEvent(id: string) {
  const events = await service.db.models.AuditEvent.find({ action: 'analysis.run', 'entity.id': id }).lean();
  expect(events).toHaveLength(1);
  return events[0]!.change as { flags: number };
}

/** A stored record compared with the same record hydrated by its model (defaults filled, unknown fields refused). */
function asHydrated(model: typeof service.db.models.Page | typeof service.db.models.Flag, stored: Record<string, unknown>) {
  const doc = new model(stored);
  expect(doc.validateSync()).toBeUndefined();
  const { words: _w, ...hydrated } = doc.toObject() as unknown as Record<string, unknown>;
  const { words: _s, ...plain } = stored;
  return { hydrated, plain };
}

it('stores pages and flags exactly as the schemas describe, and counts the flags of a first run', async () => {
  const id = await upload('stored records (synthetic)', 1);
  service.runner.start();
  await waitForStatus(service, id, ['done', 'failed']);
  await service.runner.stop();
  expect((await service.db.models.Document.findById(id).lean())!.status).toBe('done');

  const pages = await service.db.models.Page.find({ document: id }).lean<Array<Record<string, unknown>>>();
  expect(pages.length).toBeGreaterThan(0);
  for (const page of pages) {
    const { hydrated, plain } = asHydrated(service.db.models.Page, page);
    expect(plain).toEqual(hydrated);
    expect(page).toMatchObject({ __v: 0, version: 1, current: true, analyzedWith: service.lexicon.version });
    expect(page.createdAt).toBeInstanceOf(Date);
  }
  expect(pages.some((p) => p.words && (p.words as { length(): number }).length() > 0)).toBe(true);

  const flags = await service.db.models.Flag.find({ document: id }).lean<Array<Record<string, unknown>>>();
  expect(flags.length).toBeGreaterThan(0);
  for (const flag of flags) {
    const { hydrated, plain } = asHydrated(service.db.models.Flag, flag);
    expect(plain).toEqual(hydrated);
    expect(flag).toMatchObject({ __v: 0, version: 1, status: 'new', outcome: null, history: [] });
    expect(flag.createdAt).toBeInstanceOf(Date);
    expect(flag.updatedAt).toBeInstanceOf(Date);
  }
  expect((await runEvent(id)).flags).toBe(flags.length);
});

it('a resumed run counts the flags in the database, including those of an earlier run', async () => {
  const id = await upload('stored records, resumed (synthetic)', 2);
  // As if a run had started, written a flag (of an earlier lexicon version) and died.
  await service.db.models.Document.updateOne({ _id: id }, { $set: { status: 'extracting' } });
  const stray = await service.db.models.Flag.create({
    document: new Types.ObjectId(id), page: 0, pageVersion: 1, start: 0, end: 4, exact: 'stray', category: 'DH.ANIMAL', severity: 2,
    lexicon: { id: 'earlier', version: '0' }, fingerprint: `stray-${id}`,
  });
  service.runner.start();
  await waitForStatus(service, id, ['done', 'failed']);
  await service.runner.stop();
  const flags = await service.db.models.Flag.countDocuments({ document: id });
  expect(flags).toBeGreaterThan(1);
  expect(await service.db.models.Flag.exists({ _id: stray._id })).toBeTruthy();
  expect((await runEvent(id)).flags).toBe(flags);
});
