/**
 * The Docker image runs the compiled JavaScript (`node dist/server.js`), not tsx. This builds
 * dist/ exactly as the image's build stage does (`npm run build`), starts the compiled server on
 * the test database with no TypeScript loader, and checks it serves the API, its description and
 * the web interface's files (copied beside the compiled modules), and refuses a common password
 * (its list is copied too). It also checks the Dockerfile runs that build and that entry point.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseName } from '../support/service';
import { until } from '../support/until';

const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(600_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

let server: ChildProcess | undefined;
let output = '';
let base = '';
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-compiled-'));

beforeAll(async () => {
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  const port = await freePort();
  server = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js')], {
    cwd: workDir, // not the checkout: nothing may be found through the working directory
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      MONGODB_URI: process.env.MONGODB_URI,
      MONGODB_DB: testDatabaseName('compiled'),
      PORT: String(port),
      HOST: '127.0.0.1',
      UPLOAD_DIR: path.join(workDir, 'uploads'),
      DATA_DIR: path.join(workDir, 'data'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (chunk) => (output += String(chunk)));
  server.stderr!.on('data', (chunk) => (output += String(chunk)));
  await until('the compiled server to listen', () => output.includes('Lexwatch listening') || server!.exitCode !== null, 120_000);
  if (!output.includes('Lexwatch listening')) throw new Error(`the compiled server did not start:\n${output}`);
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await until('the compiled server to stop', () => server!.exitCode !== null || server!.signalCode !== null, 30_000);
  }
  fs.rmSync(workDir, { recursive: true, force: true });
});

it('builds dist/ with the compiled entry points and the files they read beside them', () => {
  for (const file of ['server.js', 'worker.js', 'cli/main.js', 'extract/child.js', 'web/public/index.html', 'auth/common-passwords/10-million-password-list-top-100000.txt']) {
    expect({ file, exists: fs.existsSync(path.join(ROOT, 'dist', file)) }).toEqual({ file, exists: true });
  }
  expect(fs.readdirSync(path.join(ROOT, 'dist'), { recursive: true }).filter((f) => String(f).endsWith('.ts'))).toEqual([]);
});

it('starts from dist/ and answers the API, its description and the web interface', async () => {
  const health = await fetch(`${base}/api/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ ok: true, lexicon: { id: 'lexwatch-starter', version: expect.any(String) } });
  const description = await fetch(`${base}/api/openapi.json`);
  expect(description.status).toBe(200);
  expect(((await description.json()) as { openapi: string }).openapi).toBe('3.1.0');
  const shell = await fetch(`${base}/`);
  expect(shell.status).toBe(200);
  expect(await shell.text()).toContain('<!doctype html>');
  const script = await fetch(`${base}/assets/js/app.js`);
  expect(script.status).toBe(200);
  expect(await script.text()).toMatch(/import|export/);
  expect(output).not.toMatch(/tsx/);
});

it('refuses a common password in the compiled code (the list is in dist/)', () => {
  const check = spawnSync(process.execPath, ['-e', `const p = require(${JSON.stringify(path.join(ROOT, 'dist', 'auth', 'passwords.js'))}); process.stdout.write(String(p.passwordProblem('qwertyuiop123', 'someone')))`], { encoding: 'utf8', cwd: workDir });
  expect(check.status).toBe(0);
  expect(check.stdout).toMatch(/common/);
});

it('is what the Docker image runs: a build stage, then node dist/server.js on production dependencies', () => {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  expect(stages).toHaveLength(2);
  expect(stages[0]).toMatch(/^RUN npm run build$/m);
  expect(stages[1]).toMatch(/^RUN npm ci --omit=dev\b/m);
  expect(stages[1]).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
  expect(stages[1]).toMatch(/^CMD \["node", "dist\/server\.js"\]$/m);
  expect(stages[1]).not.toMatch(/tsx|COPY src/);
  // Captures need Debian's Chromium in the running image, where capture/browser.ts looks for it.
  expect(stages[1]).toMatch(/apt-get install [^\n]*(\\\n[^\n]*)*\bchromium\b/);
  expect(stages[1]).toMatch(/CHROMIUM_PATH=\/usr\/bin\/chromium/);
});
