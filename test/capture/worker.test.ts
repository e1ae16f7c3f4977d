/**
 * A deployment whose service only serves (WORKER_CONCURRENCY=0, or here no runner at all)
 * captures on its workers: a real `npm run worker` process takes the capture, stores the WARC,
 * PDF and PNG, and runs the pipeline on it to the flags.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCaptureSite, type CaptureSite } from '../support/capture-site';
import { apiKeyHeaders, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

const REPO = path.resolve(__dirname, '..', '..');
let service: TestService;
let site: CaptureSite;
let analyst: ReturnType<typeof withHeaders>;
let worker: ChildProcess | null = null;
let workerErr = '';

beforeAll(async () => {
  site = await startCaptureSite('127.0.0.1');
  service = await startTestService({ runner: { enabled: false }, capture: { allowHosts: ['127.0.0.1'] } });
  analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
});
afterAll(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) {
    const exited = new Promise((r) => worker!.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
  }
  await service.dispose();
  await site.close();
});

it('captures a page in `npm run worker` and analyses it there', async () => {
  const res = await analyst.post('/api/captures').send({ url: `${site.base}/statements/latest`, kind: 'statement', speaker: 'Aldo Venn (fictional)' }).expect(202);
  const id = res.body.document.id as string;
  expect(res.body.document.status).toBe('capturing');
  // The service itself runs no jobs: nothing fetched the page yet.
  expect(site.hits).toEqual([]);

  worker = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(REPO, 'src', 'worker.ts')], {
    cwd: REPO,
    env: { ...process.env, MONGODB_DB: service.dbName, UPLOAD_DIR: service.uploadDir, CAPTURE_ALLOW_HOSTS: '127.0.0.1', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  worker.stderr!.on('data', (chunk: Buffer) => (workerErr += chunk.toString()));

  const doc = await waitForStatus(service, id, ['done', 'failed', 'cancelled'], 150_000).catch((error: Error) => {
    throw new Error(`${error.message}; worker stderr: ${workerErr}`);
  });
  expect(doc.status).toBe('done');
  expect(site.hits).toEqual(expect.arrayContaining(['/statements/latest', '/statements/2026-03-14-harbour', '/static/statement.js']));
  expect((doc.originals as Array<{ role: string }>).map((o) => o.role)).toEqual(['warc', 'pdf', 'png']);
  expect((doc.capture as { finalUrl: string }).finalUrl).toBe(`${site.base}/statements/2026-03-14-harbour`);
  const flags = await service.db.models.Flag.find({ document: id }).lean();
  expect(flags.map((f) => f.exact).join(' | ')).toMatch(/vermin/i);
}, 180_000);
