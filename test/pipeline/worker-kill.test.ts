/**
 * Durability: a real `npm run worker` process is killed with SIGKILL in the middle of a scanned
 * book; a second worker takes over once the lease expires and resumes at the first unfinished
 * page — no page read twice, no duplicate pages or flags, nothing lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { apiKeyHeaders, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';
import { bookPage, scannedPdf } from '../support/scanned-pdf';
import { until } from '../support/until';

const PAGES = 8;
const REPO = path.resolve(__dirname, '..', '..');
let service: TestService;
let api: ReturnType<typeof withHeaders>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // The service accepts uploads but runs no pipeline: only the worker processes do.
  service = await startTestService({ runner: { enabled: false } });
  // Uploads and processing controls are an analyst's: every call authenticates.
  api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await service.dispose();
});

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(REPO, 'src', 'worker.ts')], {
    cwd: REPO,
    env: {
      ...process.env,
      MONGODB_DB: service.dbName,
      UPLOAD_DIR: service.uploadDir,
      LEASE_MS: '2000',
      OCR_CONCURRENCY: '1',
      WORKER_CONCURRENCY: '1',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return child;
}

let bookId = '';

it('resumes a book at the first unfinished page after kill -9, with no duplicates', async () => {
  const pdf = await scannedPdf(Array.from({ length: PAGES }, (_, k) => bookPage(k)));
  const upload = await api
    .post('/api/documents')
    .field('kind', 'other')
    .field('title', 'Ormund leaflets (synthetic scans)')
    .field('languages', 'en')
    .attach('file', pdf, { filename: 'leaflets.pdf', contentType: 'application/pdf' })
    .expect(202);
  const id = upload.body.document.id as string;
  bookId = id;
  const { Page, Flag, Lease } = service.db.models;

  const first = startWorker();
  const exited = new Promise((r) => first.once('exit', r));
  await until('two pages read by OCR', async () => (await Page.countDocuments({ document: id, method: 'ocr' })) >= 2);
  first.kill('SIGKILL');
  await exited;

  const before = await Page.find({ document: id }).lean();
  expect(before.length).toBeGreaterThanOrEqual(2);
  expect(before.length).toBeLessThan(PAGES); // really killed mid-book
  // The dead worker's lease is still there; nobody else may take the book until it expires.
  expect(await Lease.countDocuments({ _id: `document:${id}` })).toBe(1);

  startWorker();
  const done = await waitForStatus(service, id, ['done', 'failed'], 90_000);
  expect(done.status).toBe('done');

  const pages = await Page.find({ document: id }).sort({ index: 1 }).lean();
  expect(pages.map((p) => p.index)).toEqual(Array.from({ length: PAGES }, (_, k) => k));
  // Pages read before the kill were kept, not read again.
  for (const old of before) {
    const now = pages.find((p) => p.index === old.index)!;
    expect(String(now._id)).toBe(String(old._id));
  }
  for (const page of pages) {
    expect(page.method).toBe('ocr');
    expect(page.text).toContain(`Page ${page.index + 1} of the Ormund`);
  }
  const flags = await Flag.find({ document: id }).lean();
  expect(new Set(flags.map((f) => f.fingerprint)).size).toBe(flags.length);
  const perPage = flags.filter((f) => f.exact.includes('plague')).map((f) => f.page).sort((a, b) => a - b);
  expect(perPage).toEqual(Array.from({ length: PAGES }, (_, k) => k));
  for (const f of flags) expect(f.source?.method).toBe('ocr');
  const res = await api.get(`/api/documents/${id}`).expect(200);
  expect(res.body.document.progress).toMatchObject({ pagesDone: PAGES, pagesTotal: PAGES, stage: 'done' });
}, 180_000);

it('resumes a re-OCR killed mid-book without writing any page version twice; old versions stay', async () => {
  expect(bookId).not.toBe('');
  const id = bookId;
  const { Page } = service.db.models;
  const v1 = await Page.find({ document: id }).sort({ index: 1 }).lean();
  expect(v1.map((p) => p.version)).toEqual(Array(PAGES).fill(1));
  await api.post(`/api/documents/${id}/ocr`).send({ languages: ['en', 'tr'] }).expect(202);

  const first = startWorker();
  const exited = new Promise((r) => first.once('exit', r));
  await until('two pages read again', async () => (await Page.countDocuments({ document: id, version: 2 })) >= 2);
  first.kill('SIGKILL');
  await exited;
  const before = await Page.find({ document: id, version: 2 }).lean();
  expect(before.length).toBeLessThan(PAGES); // really killed mid-way

  startWorker();
  const done = await waitForStatus(service, id, ['done', 'failed'], 120_000);
  expect(done.status).toBe('done');
  const pages = await Page.find({ document: id }).sort({ index: 1, version: 1 }).lean();
  // Exactly two versions of every page: the first reading, untouched, and the new one, current.
  expect(pages.map((p) => `${p.index}@${p.version}`)).toEqual(Array.from({ length: PAGES }, (_, k) => [`${k}@1`, `${k}@2`]).flat());
  for (const p of pages) expect(p.current).toBe(p.version === 2);
  for (const old of v1) {
    const kept = pages.find((p) => String(p._id) === String(old._id))!;
    expect(kept.text).toBe(old.text);
  }
  // Versions read before the kill were kept, not read again.
  for (const old of before) expect(pages.some((p) => String(p._id) === String(old._id))).toBe(true);
  for (const p of pages.filter((q) => q.version === 2)) expect(p.ocr?.langs).toEqual(['eng', 'tur']);
}, 240_000);
