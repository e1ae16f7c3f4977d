/**
 * Resource limits of child processes, and a bad page failing itself rather than its document
 * (issue 17): the files are generated here. Every child process is watched from /proc while it
 * runs; none may write more memory than its cap (RLIMIT_DATA, set by prlimit), and the whole
 * process tree must stay under 2 GB more than it started with.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pdfjsBombPdf, pdfWithUndrawablePage, type3CyclePdf } from '../../scripts/generate-bad-files';
import { DEFAULT_CHILD_LIMITS, type ChildLimits } from '../../src/limited-process';
import { apiKeyHeaders, FIXTURES, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';
import { childrenOf, watchProcessTree, type ProcessPeak } from '../support/processes';

/** The cap each kind of process runs under, by its command line. */
function capOf(p: ProcessPeak, limits: ChildLimits): number | null {
  if (/lexwatch-extract/.test(p.command)) return limits.extract.memoryMb;
  if (/^(\S*\/)?(mutool|pdftoppm|pdftotext|tiff2pdf)\b/.test(p.command)) return limits.render.memoryMb;
  if (/^(\S*\/)?tesseract\b/.test(p.command)) return limits.ocr.memoryMb;
  return null;
}

function expectWithinCaps(processes: ProcessPeak[], limits: ChildLimits): ProcessPeak[] {
  const tools = processes.filter((p) => capOf(p, limits) !== null);
  for (const p of tools) expect({ command: p.command.slice(0, 60), overCap: p.dataMb > capOf(p, limits)! }).toEqual({ command: p.command.slice(0, 60), overCap: false });
  return tools;
}

async function upload(api: ReturnType<typeof withHeaders>, bytes: Buffer, name: string): Promise<string> {
  const res = await api.post('/api/documents').field('kind', 'other').field('title', `limits: ${name}`).attach('file', bytes, name);
  expect(res.status).toBe(202);
  return res.body.document.id as string;
}

describe('with the default limits', () => {
  let service: TestService;
  let api: ReturnType<typeof withHeaders>;
  beforeAll(async () => {
    service = await startTestService();
    api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  }, 60_000);
  afterAll(() => service.dispose());

  it('a 15-page PDF whose last page MuPDF cannot draw ends done: 14 pages read, page 15 failed with a reason for people', async () => {
    const pdf = pdfWithUndrawablePage(Array.from({ length: 14 }, (_, k) => `Page ${k + 1}: the Tarvani farmers of Kestrel Valley grow wheat near Lake Vessa.`));
    const watch = watchProcessTree();
    const id = await upload(api, pdf, 'fifteen-pages.pdf');
    const doc = await waitForStatus(service, id, ['done', 'failed'], 120_000);
    const { processes } = watch.stop();
    expect(doc.status).toBe('done');

    const view = (await api.get(`/api/documents/${id}`).expect(200)).body.document;
    expect(view.pagesFailed).toBe(1);
    expect(view.progress.pagesTotal).toBe(15);
    const pages = await Promise.all(Array.from({ length: 15 }, async (_, k) => (await api.get(`/api/documents/${id}/pages/${k}`).expect(200)).body.page));
    expect(pages.filter((p) => p.state === 'read' && /Kestrel Valley/.test(p.text))).toHaveLength(14);
    const failed = pages[14];
    expect(failed.state).toBe('failed');
    expect(failed.text).toBe('');
    // A sentence that names the page and the setting; no tool output, no server path.
    expect(failed.failure.reason).toMatch(/^page 15 needs more than 2 GB to render; raise RENDER_MEMORY_MB or skip the page/);
    expect(failed.failure.reason).not.toMatch(/error:|malloc|mutool|\/tmp|\//);
    expect(failed.failure.reason).not.toContain(service.uploadDir);
    // The reason above comes from mutool stopped at its memory cap. Every child seen (sampled
    // every 25 ms: a mutool that fails fast may not be seen, so its sighting is not required)
    // stayed within its cap; nothing is left running.
    expectWithinCaps(processes, DEFAULT_CHILD_LIMITS);
    expect(childrenOf(process.pid).filter((p) => /mutool|tesseract|lexwatch-extract: reading/.test(p.command))).toEqual([]);
  }, 180_000);

  it('a page with a thin text layer that MuPDF cannot draw keeps its text layer instead of failing', async () => {
    const pdf = pdfWithUndrawablePage(['Page 1: the Merenites of Ormund keep bees near Lake Vessa.'], 'Note 2.');
    const id = await upload(api, pdf, 'thin-last-page.pdf');
    const doc = await waitForStatus(service, id, ['done', 'failed'], 120_000);
    expect({ status: doc.status, pagesFailed: doc.pagesFailed }).toEqual({ status: 'done', pagesFailed: 0 });
    const page = (await api.get(`/api/documents/${id}/pages/1`).expect(200)).body.page;
    expect({ state: page.state, method: page.method, text: page.text.trim() }).toEqual({ state: 'read', method: 'text-layer', text: 'Note 2.' });
  }, 120_000);

  it('the giant pdf.js bomb (3 GB from 8 KB) fails with a reason, the extraction child stays under its cap and the tree under 2 GB', async () => {
    const bomb = pdfjsBombPdf();
    expect(bomb.length).toBeLessThan(16 * 1024);
    const watch = watchProcessTree();
    const started = watch.stop().treePeakRssMb;
    const watching = watchProcessTree();
    const id = await upload(api, bomb, 'bomb.pdf');
    const doc = await waitForStatus(service, id, ['done', 'failed'], 180_000);
    const { processes, treePeakRssMb } = watching.stop();
    expect(doc.status).toBe('failed');
    const reason = (doc.failure as { reason: string }).reason;
    expect(reason).toMatch(/^page 1 needs more than 2 GB to read its text layer; raise EXTRACT_MEMORY_MB or ask for a re-OCR of the page/);
    const tools = expectWithinCaps(processes, DEFAULT_CHILD_LIMITS);
    expect(tools.some((p) => /lexwatch-extract/.test(p.command) && p.dataMb > 256)).toBe(true);
    expect(treePeakRssMb - started).toBeLessThan(2048);
    if (process.env.LEXWATCH_SHOW_OUTCOMES) process.stderr.write(`bomb: extraction child peak ${JSON.stringify(tools.map((p) => [p.command.slice(0, 30), Math.round(p.dataMb), Math.round(p.rssMb)]))}; tree +${Math.round(treePeakRssMb - started)} MB\n`);
  }, 240_000);

  it('a Type3 font whose glyphs cycle is drawn within the render cap: the document ends done or its page fails with a reason', async () => {
    const watch = watchProcessTree();
    const id = await upload(api, type3CyclePdf(), 'type3-cycle.pdf');
    const doc = await waitForStatus(service, id, ['done', 'failed'], 120_000);
    const { processes } = watch.stop();
    if (doc.status === 'failed') expect((doc.failure as { reason: string }).reason).toMatch(/^page 1 /);
    else expect(doc.status).toBe('done');
    expect(expectWithinCaps(processes, DEFAULT_CHILD_LIMITS).some((p) => /mutool/.test(p.command))).toBe(true);
  }, 180_000);
});

it('a page over RENDER_MEMORY_MB fails with the setting named, and is read by a re-OCR once the cap is raised', async () => {
  const low: ChildLimits = { ...DEFAULT_CHILD_LIMITS, render: { ...DEFAULT_CHILD_LIMITS.render, memoryMb: 40 } };
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-limits-'));
  const first = await startTestService({ uploadDir, pipeline: { limits: low } });
  const api = withHeaders(first.app, await apiKeyHeaders(first, ['analyst']));
  // The sample textbook: five text pages and page 4, a scan.
  const id = await upload(api, fs.readFileSync(path.join(FIXTURES, 'textbook-sample.pdf')), 'textbook.pdf');
  const watch = watchProcessTree();
  await waitForStatus(first, id, ['done', 'failed'], 120_000);
  expectWithinCaps(watch.stop().processes, low);
  const view = (await api.get(`/api/documents/${id}`).expect(200)).body.document;
  expect({ status: view.status, pagesFailed: view.pagesFailed }).toEqual({ status: 'done', pagesFailed: 1 });
  const page = (await api.get(`/api/documents/${id}/pages/3`).expect(200)).body.page;
  expect(page.state).toBe('failed');
  expect(page.failure.reason).toMatch(/^page 4 needs more than 40 MB to render; raise RENDER_MEMORY_MB or skip the page/);
  await first.dispose({ dropDatabase: false });

  // The operator raises the cap (a restart with the default) and asks for the page to be read again.
  const second = await startTestService({ dbName: first.dbName, uploadDir });
  try {
    const again = withHeaders(second.app, await apiKeyHeaders(second, ['analyst']));
    await again.post(`/api/documents/${id}/ocr`).send({ languages: ['en'] }).expect(202);
    await waitForStatus(second, id, ['done', 'failed'], 120_000);
    const reread = (await again.get(`/api/documents/${id}`).expect(200)).body.document;
    expect({ status: reread.status, pagesFailed: reread.pagesFailed }).toEqual({ status: 'done', pagesFailed: 0 });
    const page4 = (await again.get(`/api/documents/${id}/pages/3`).expect(200)).body.page;
    expect({ state: page4.state, version: page4.version, method: page4.method }).toEqual({ state: 'read', version: 2, method: 'ocr' });
    expect(page4.text.length).toBeGreaterThan(100);
    // The failed reading stays, as version 1.
    expect(page4.versions.map((v: { version: number; state: string }) => [v.version, v.state])).toEqual([[1, 'failed'], [2, 'read']]);
  } finally {
    await second.dispose();
    fs.rmSync(uploadDir, { recursive: true, force: true });
  }
}, 300_000);
