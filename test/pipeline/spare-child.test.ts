/**
 * The spare extraction child (src/extract/isolated.ts): while a runner runs, one child waits,
 * started, for the next document; the document is read by it (it exits afterwards, as every
 * extraction child does) and a new one takes its place. It goes when the runner stops, and when
 * its parent dies. Real processes, read from /proc.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { apiKeyHeaders, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';
import { textPdf } from '../support/scanned-pdf';
import { childrenOf, isAlive } from '../support/processes';
import { loadConfig } from '../../src/config';
import { runnerSettings } from '../../src/service';
import { until } from '../support/until';

const REPO = path.resolve(__dirname, '..', '..');

const waitingSpares = (parent: number) => childrenOf(parent).filter((p) => p.command === 'lexwatch-extract: waiting');

let service: TestService | null = null;
afterEach(async () => {
  await service?.dispose();
  service = null;
});

it('keeps one started child waiting; the next document is read by it and a new one waits; none is left after the runner stops', async () => {
  service = await startTestService({ runner: { pollMs: 100 } });
  const api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  const [spare] = await until('a waiting spare', () => (waitingSpares(process.pid).length > 0 ? waitingSpares(process.pid) : null));
  expect(waitingSpares(process.pid)).toHaveLength(1);

  const pdf = await textPdf([['The Tarvani farmers of Kestrel Valley grow wheat near Lake Vessa (synthetic).']]);
  const res = await api.post('/api/documents').field('kind', 'other').field('title', 'synthetic spare-child').attach('file', pdf, 'spare.pdf').expect(202);
  const doc = await waitForStatus(service, res.body.document.id as string, ['done', 'failed'], 30_000);
  expect(doc.status).toBe('done');
  // A spare never exits on its own: gone means it read the document (one document a child).
  await until('the spare to have read the document and gone', () => !isAlive(spare!.pid));
  const [next] = await until('a new spare', () => (waitingSpares(process.pid).length > 0 ? waitingSpares(process.pid) : null));
  expect(next!.pid).not.toBe(spare!.pid);
  expect(waitingSpares(process.pid)).toHaveLength(1);

  await service.dispose();
  service = null;
  await until('no extraction child left', () => !isAlive(next!.pid), 5_000);
  expect(childrenOf(process.pid).filter((p) => p.command.startsWith('lexwatch-extract'))).toEqual([]);
}, 120_000);

it('a child in the middle of a long PDF (the worker\'s spare, taken) goes when its worker is killed', async () => {
  service = await startTestService({ runner: { enabled: false } });
  const api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  const worker = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(REPO, 'src', 'worker.ts')], {
    cwd: REPO,
    env: { ...process.env, MONGODB_DB: service.dbName, UPLOAD_DIR: service.uploadDir, LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  try {
    const [spare] = await until("the worker's spare", () => (waitingSpares(worker.pid!).length > 0 ? waitingSpares(worker.pid!) : null), 60_000);
    const lines = Array.from({ length: 20 }, (_, k) => `Line ${k + 1} of a long synthetic page about the fields and rivers of Kestrel Valley.`);
    await api.post('/api/documents').field('kind', 'other').field('title', 'synthetic orphan').attach('file', await textPdf(Array.from({ length: 2_000 }, () => lines)), 'long.pdf').expect(202);
    const reader = await until('the spare reading the long PDF', () => childrenOf(worker.pid!).find((p) => p.pid === spare!.pid && p.command === 'lexwatch-extract: reading'), 60_000);
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGKILL');
    await exited;
    // 2,000 pages take pdf.js far longer: the child stops because nobody is left to answer.
    const killedAt = Date.now();
    await until('the orphaned child to exit', () => !isAlive(reader.pid), 10_000);
    expect(Date.now() - killedAt).toBeLessThan(3_000);
  } finally {
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  }
}, 180_000);

it('SPARE_EXTRACTION_CHILD=false: no child waits; documents are read by a child started for them', async () => {
  expect(runnerSettings({ config: loadConfig({ SPARE_EXTRACTION_CHILD: 'false' }) }).runner.spareExtractionChild).toBe(false);
  expect(runnerSettings({ config: loadConfig({}) }).runner.spareExtractionChild).toBe(true);
  expect(() => loadConfig({ SPARE_EXTRACTION_CHILD: 'no' })).toThrow(/SPARE_EXTRACTION_CHILD/);

  service = await startTestService({ runner: { pollMs: 100, spareExtractionChild: false } });
  const api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  const pdf = await textPdf([['The traders of the Merenite towns brought salt and copper (synthetic).']]);
  const res = await api.post('/api/documents').field('kind', 'other').field('title', 'synthetic no-spare').attach('file', pdf, 'no-spare.pdf').expect(202);
  expect((await waitForStatus(service, res.body.document.id as string, ['done', 'failed'], 30_000)).status).toBe('done');
  await new Promise((r) => setTimeout(r, 1_500));
  expect(childrenOf(process.pid).filter((p) => p.command.startsWith('lexwatch-extract'))).toEqual([]);
}, 120_000);
