/**
 * Cancel mid-run: the document's running child processes (the pdf.js extraction child,
 * mutool, tesseract) are killed within seconds, not when they would have finished; the original
 * and the pages already stored stay. Real service, real tools; processes are read from /proc.
 */
import fs from 'node:fs';
import path from 'node:path';
import { apiKeyHeaders, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';
import { bookPage, scannedPdf, textPdf } from '../support/scanned-pdf';
import { childrenOf } from '../support/processes';
import { until } from '../support/until';

let service: TestService;
let api: ReturnType<typeof withHeaders>;

beforeAll(async () => {
  service = await startTestService({ runner: { pollMs: 100 }, OCR_CONCURRENCY: 2 });
  api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
});
afterAll(async () => {
  await service.dispose();
});

/** Live processes started by this test process (its service). */
const ourChildren = () => childrenOf(process.pid);

const isOcrTool = (p: { command: string }) => /(^|\/)(tesseract|pdftoppm|mutool)\b/.test(p.command);
// A child reading a document, not the spare that waits for the next one (src/extract/child.ts sets the titles).
const isExtractionChild = (p: { command: string }) => /^lexwatch-extract: reading/.test(p.command);

it('kills running tesseract and mutool processes of a scanned book within seconds; original and pages read so far stay', async () => {
  const pdf = await scannedPdf(Array.from({ length: 16 }, (_, k) => bookPage(k + 700)));
  const res = await api.post('/api/documents').field('kind', 'other').field('title', 'synthetic cancel-ocr').field('languages', 'en')
    .attach('file', pdf, 'cancel-ocr.pdf').expect(202);
  const id = res.body.document.id as string;
  const { Page } = service.db.models;
  // Mid-book: a page is stored and OCR tools of this document are running.
  await until('a page read and OCR running', async () => (await Page.countDocuments({ document: id })) >= 1 && ourChildren().some(isOcrTool), 90_000);
  const storedAtCancel = await Page.find({ document: id }, { _id: 1 }).lean();
  const cancelledAt = Date.now();
  expect((await api.post(`/api/documents/${id}/cancel`).expect(200)).body.document.status).toBe('cancelled');
  await until('no OCR process left', () => !ourChildren().some(isOcrTool), 5_000);
  const stoppedAfterMs = Date.now() - cancelledAt;
  expect(stoppedAfterMs).toBeLessThan(3_000);
  await service.runner.idle(10_000);
  const doc = (await api.get(`/api/documents/${id}`).expect(200)).body.document;
  expect(doc.status).toBe('cancelled');
  // Nothing stored is lost: the original byte for byte, the pages read before the cancel.
  expect(fs.readFileSync(path.join(service.uploadDir, doc.original.sha256.slice(0, 2), doc.original.sha256)).equals(pdf)).toBe(true);
  const after = await Page.find({ document: id }, { _id: 1 }).lean();
  for (const p of storedAtCancel) expect(after.some((q) => String(q._id) === String(p._id))).toBe(true);
  expect(after.length).toBeLessThan(16);
  // Still no OCR process a second later (none started after the cancel).
  await new Promise((r) => setTimeout(r, 1_000));
  expect(ourChildren().filter(isOcrTool)).toEqual([]);
}, 180_000);

/**
 * Uploads a 2,000-page text PDF (far more than pdf.js reads in the seconds allowed) and waits for
 * the child reading it. `name` goes into the text too: each test stores a file of its own.
 */
async function startLongExtraction(name: string): Promise<{ id: string; child: { pid: number } }> {
  const lines = Array.from({ length: 20 }, (_, k) => `Line ${k + 1} of a long synthetic page (${name}) about the fields and rivers of Kestrel Valley.`);
  const pdf = await textPdf(Array.from({ length: 2_000 }, () => lines));
  const res = await api.post('/api/documents').field('kind', 'other').field('title', `synthetic ${name}`).attach('file', pdf, `${name}.pdf`).expect(202);
  const child = await until('the extraction child', () => ourChildren().find(isExtractionChild), 60_000);
  return { id: res.body.document.id as string, child };
}

it('kills the extraction child of a long PDF within seconds instead of letting it finish', async () => {
  const { id, child } = await startLongExtraction('cancel-extract');
  // Let pdf.js get going on the pages (2,000 take far longer than the few seconds allowed below).
  await new Promise((r) => setTimeout(r, 500));
  expect(ourChildren().some((p) => p.pid === child.pid)).toBe(true);
  const cancelledAt = Date.now();
  await api.post(`/api/documents/${id}/cancel`).expect(200);
  await until('the extraction child gone', () => !ourChildren().some((p) => p.pid === child.pid), 10_000);
  expect(Date.now() - cancelledAt).toBeLessThan(3_000);
  await service.runner.idle(10_000);
  const doc = await waitForStatus(service, id, ['cancelled', 'failed', 'done'], 10_000);
  expect(doc.status).toBe('cancelled');
  // It did not read on to the end: pages stored before the cancel stay, the rest were never read.
  expect(await service.db.models.Page.countDocuments({ document: id })).toBeLessThan(2_000);
}, 180_000);

it('a cancel holds when a racing progress write puts the old status back (as on a stock FerretDB v1, which rewrites the whole document)', async () => {
  const { id, child } = await startLongExtraction('cancel-race');
  const cancelledAt = Date.now();
  expect((await api.post(`/api/documents/${id}/cancel`).expect(200)).body.document.status).toBe('cancelled');
  // What a progress update that read the document just before the cancel writes back.
  await service.db.models.Document.updateOne({ _id: id }, { $set: { status: 'extracting' }, $unset: { failure: 1 } });
  await until('the extraction child gone', () => !ourChildren().some((p) => p.pid === child.pid), 10_000);
  expect(Date.now() - cancelledAt).toBeLessThan(3_000);
  await service.runner.idle(10_000);
  const doc = (await api.get(`/api/documents/${id}`).expect(200)).body.document;
  expect(doc.status).toBe('cancelled');
  expect(doc.failure).toMatchObject({ stage: 'extracting', reason: 'cancelled on request' });
  expect(await service.db.models.Page.countDocuments({ document: id })).toBeLessThan(2_000);
}, 180_000);
