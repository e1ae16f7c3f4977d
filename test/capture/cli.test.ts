/**
 * `lexwatch capture` as a user runs it: the real CLI (bin/lexwatch.js) in a child process,
 * against a real service listening on loopback, capturing the loopback test site's statement
 * page. It waits for the document's state, prints id, status URL and flag count, and turns
 * every 4xx answer into a clear message and exit code 1.
 */
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startCaptureSite, type CaptureSite } from '../support/capture-site';
import { apiKeyHeaders, startTestService, withHeaders, type TestService } from '../support/service';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'lexwatch.js');
let service: TestService;
let server: Server;
let base: string;
let site: CaptureSite;
let other: CaptureSite;
let analystKey: string;
let viewerKey: string;
let viewer: ReturnType<typeof withHeaders>;

beforeAll(async () => {
  site = await startCaptureSite('127.0.0.1');
  other = await startCaptureSite('127.0.0.2');
  service = await startTestService({ capture: { allowHosts: ['127.0.0.1'] } });
  server = await new Promise<Server>((resolve) => {
    const s = service.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  analystKey = (await apiKeyHeaders(service, ['analyst'])).Authorization.replace('Bearer ', '');
  const viewerHeaders = await apiKeyHeaders(service, ['viewer']);
  viewerKey = viewerHeaders.Authorization.replace('Bearer ', '');
  viewer = withHeaders(service.app, viewerHeaders);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await service.dispose();
  await site.close();
  await other.close();
});

/** Runs the CLI without blocking this process, which serves the API it calls. */
function lexwatch(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'capture', ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('captures a page, waits until it is done, and prints id, status URL and flag count', async () => {
  const r = await lexwatch(
    [`${site.base}/statements/latest`, '--speaker', 'Aldo Venn (fictional)', '--venue', 'Ormund Harbour Forum', '--date', '2026-03-14', '--languages', 'en', '--server', base],
    { LEXWATCH_API_KEY: analystKey },
  );
  expect(r.stderr).not.toMatch(/Error|at .*\.ts/);
  expect(r.code).toBe(0);
  const out = Object.fromEntries(r.stdout.trim().split('\n').map((line) => line.split('\t') as [string, string]));
  expect(out.status).toBe('done');
  expect(out.statusUrl).toBe(`${base}/api/documents/${out.document}`);
  const { document } = (await viewer.get(`/api/documents/${out.document}`).expect(200)).body;
  expect(document).toMatchObject({ kind: 'statement', status: 'done', statement: { speaker: 'Aldo Venn (fictional)', venue: 'Ormund Harbour Forum' }, capture: { requestedUrl: `${site.base}/statements/latest` } });
  const flags = (await viewer.get(`/api/documents/${out.document}/flags`).expect(200)).body;
  expect(flags.total).toBeGreaterThan(0);
  expect(Number(out.flags)).toBe(flags.total);
}, 180_000);

it('reads the server from LEXWATCH_SERVER and answers JSON with --format json', async () => {
  const r = await lexwatch([`${site.base}/statements/2026-03-14-harbour`, '--kind', 'article', '--format', 'json'], { LEXWATCH_API_KEY: analystKey, LEXWATCH_SERVER: base });
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as { document: string; status: string; statusUrl: string; flags: number };
  expect(out).toMatchObject({ status: 'done', statusUrl: `${base}/api/documents/${out.document}` });
  expect(out.flags).toBeGreaterThan(0);
}, 180_000);

it('says why the service refused: an address outside CAPTURE_ALLOW_HOSTS, with no request made', async () => {
  const r = await lexwatch([`${other.base}/statements/latest`, '--server', base], { LEXWATCH_API_KEY: analystKey });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/POST \/api\/captures answered 400 capture_refused: refused: 127\.0\.0\.2 is a loopback address .*\(rule: loopback; host: 127\.0\.0\.2; address: 127\.0\.0\.2\)/);
  expect(other.hits).toEqual([]);
});

it('names bad metadata, a rejected key and a missing role', async () => {
  const bad = await lexwatch([`${site.base}/statements/latest`, '--date', 'last spring', '--server', base], { LEXWATCH_API_KEY: analystKey });
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/answered 400 invalid_request: .*date/);
  const unknown = await lexwatch([`${site.base}/statements/latest`, '--server', base], { LEXWATCH_API_KEY: 'lw_not-a-key' });
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/answered 401 unauthorized: .*check LEXWATCH_API_KEY/);
  const forbidden = await lexwatch([`${site.base}/statements/latest`, '--server', base], { LEXWATCH_API_KEY: viewerKey });
  expect(forbidden.code).toBe(1);
  expect(forbidden.stderr).toMatch(/answered 403 forbidden: .*analyst or admin key/);
});

it('refuses to start without a key, with a bad kind, or without a URL (usage, exit 2)', async () => {
  const noKey = await lexwatch([`${site.base}/x`, '--server', base]);
  expect(noKey.code).toBe(2);
  expect(noKey.stderr).toMatch(/no API key: set LEXWATCH_API_KEY/);
  expect((await lexwatch([`${site.base}/x`, '--kind', 'textbook'], { LEXWATCH_API_KEY: analystKey })).stderr).toMatch(/--kind must be one of statement, article, other/);
  expect((await lexwatch([], { LEXWATCH_API_KEY: analystKey })).code).toBe(2);
});

it('says so when no service listens there', async () => {
  const closed = await new Promise<number>((resolve) => {
    const s = service.app.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
  const r = await lexwatch([`${site.base}/x`, '--server', `http://127.0.0.1:${closed}`], { LEXWATCH_API_KEY: analystKey });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/cannot reach the service at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
});
