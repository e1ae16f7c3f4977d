/**
 * Standard verification of a dossier package (issue 15, item 6), on a package built by the real
 * service: the Library of Congress `bagit` tool validates it (and fails after a one-byte edit);
 * the package's own verify.html says OK and then BROKEN in Debian's Chromium, offline; and a
 * package signed with a key from `lexwatch keys create` verifies in both verifiers, while a
 * changed signature or a re-signed manifest is caught or shows another key.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Types } from 'mongoose';
import request from 'supertest';
import yazl from 'yazl';
import type { Browser } from 'playwright-core';
import { run } from '../../src/cli/main';
import { readZip, verifyDossierZip } from '../../src/export/dossier/verify';
import { createSigningKeyPair, keyFingerprint, signBytes } from '../../src/export/dossier/signing';
import { createTestUser, startTestService, waitForStatus, type TestService } from '../support/service';
import { until } from '../support/until';
import { launchChromium } from '../support/browser';

const BAGIT = path.resolve(__dirname, '..', '..', '.cache', 'bagit-venv', 'bin', 'bagit.py');

let service: TestService;
let tmp: string;
let zipFile: string;
let root: string;
let fingerprint: string;
let chromium: { browser: Browser; close(): Promise<void> };

function capture() {
  const chunks: string[] = [];
  return { stream: new Writable({ write(c, _e, cb) { chunks.push(String(c)); cb(); } }), text: () => chunks.join('') };
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await run(args, { stdin: process.stdin, stdout: out.stream, stderr: err.stream });
  return { code, out: out.text(), err: err.text() };
}

/** Rewrites a package with `mutate` applied to the named entries' bytes (others unchanged). */
async function rezip(file: string, out: string, mutate: Record<string, (b: Buffer) => Buffer>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of await readZip(file)) zip.addBuffer(mutate[name] ? mutate[name]!(Buffer.from(data)) : data, name);
  zip.end();
  await new Promise<void>((resolve, reject) => zip.outputStream.pipe(fs.createWriteStream(out)).on('finish', resolve).on('error', reject));
}

const flipMiddleByte = (b: Buffer): Buffer => {
  const at = Math.floor(b.length / 2);
  b[at] = b[at]! ^ 0x01;
  return b;
};

async function unzipTo(file: string, dir: string): Promise<string> {
  for (const [name, data] of await readZip(file)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), data);
  }
  return path.join(dir, root);
}

const bagit = (folder: string) => spawnSync(BAGIT, ['--validate', folder], { encoding: 'utf8', timeout: 120_000 });

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-bag-'));
  // The organisation's key, made as a user would.
  const made = await cli(['keys', 'create', '--out', path.join(tmp, 'keys')]);
  expect(made.code).toBe(0);
  const keyFile = path.join(tmp, 'keys', 'lexwatch-signing.key');
  expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
  fingerprint = keyFingerprint(fs.readFileSync(path.join(tmp, 'keys', 'lexwatch-signing.pub'), 'utf8'));
  expect(made.out).toContain(`fingerprint: SHA-256 ${fingerprint}`);
  service = await startTestService({ DOSSIER_SIGNING_KEY: keyFile });

  const user = await createTestUser(service, ['analyst', 'reviewer'], 'fern.analyst');
  const second = await createTestUser(service, ['reviewer'], 'gale.reviewer');
  const session = async (u: { username: string; password: string }) => {
    const agent = request.agent(service.app);
    const login = await agent.post('/api/auth/login').send({ username: u.username, password: u.password }).expect(200);
    return { agent, post: (url: string) => agent.post(url).set('X-CSRF-Token', login.body.csrfToken as string) };
  };
  const [a, b] = [await session(user), await session(second)];
  const statement = path.join(tmp, 'statement.txt');
  fs.writeFileSync(statement, 'SYNTHETIC TEST FIXTURE. An invented statement: the Merenites are vermin, said the fictional minister.\n');
  const up = await a.post('/api/documents').field('kind', 'statement').field('title', 'Bag test statement (synthetic)').attach('file', statement).expect(202);
  await waitForStatus(service, up.body.document.id, ['done'], 120_000);
  const flag = (await service.db.models.Flag.findOne({ document: new Types.ObjectId(up.body.document.id as string) }).lean())!;
  for (const r of [a, b]) await r.post(`/api/flags/${String(flag._id)}/reviews`).send({ decision: 'confirm' }).expect(201);
  const requested = await a.post('/api/dossiers').send({ title: 'Bag test (synthetic)', submitter: 'S', addressee: 'A' }).expect(202);
  const id = requested.body.dossier.id as string;
  await until('the dossier', async () => ['done', 'failed'].includes((await a.agent.get(`/api/dossiers/${id}`).expect(200)).body.dossier.status), 120_000);
  const zip = await a.agent.get(`/api/dossiers/${id}/download`).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  }).expect(200);
  zipFile = path.join(tmp, 'dossier.zip');
  fs.writeFileSync(zipFile, zip.body as Buffer);
  root = `dossier-${id}/`;
  chromium = await launchChromium();
}, 300_000);

afterAll(async () => {
  await chromium?.close();
  await service?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the Library of Congress bagit tool', () => {
  it('validates a fresh package, and fails after a one-byte edit of a payload or a tag file', async () => {
    const good = bagit(await unzipTo(zipFile, path.join(tmp, 'good')));
    expect(good.stderr).toContain('is valid');
    expect(good.status).toBe(0);
    for (const [which, name] of [['payload', 'data/dossier.json'], ['tag', 'verify.html']] as const) {
      const folder = await unzipTo(zipFile, path.join(tmp, `bad-${which}`));
      fs.writeFileSync(path.join(folder, name), flipMiddleByte(fs.readFileSync(path.join(folder, name))));
      const bad = bagit(folder);
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toContain(name);
    }
  });
});

describe('verify.html in Chromium, offline', () => {
  it('says OK for the package and BROKEN, naming the file, after a one-byte edit', async () => {
    const folder = await unzipTo(zipFile, path.join(tmp, 'page'));
    const context = await chromium.browser.newContext();
    const requests: string[] = [];
    const errors: string[] = [];
    const page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${path.join(folder, 'verify.html')}`);
    const status = page.locator('#status');

    await page.setInputFiles('#zip', zipFile);
    await until('a verdict', async () => ((await status.getAttribute('data-state')) === 'ok' || (await status.getAttribute('data-state')) === 'broken'));
    expect(await status.textContent()).toMatch(/^OK: \d+ files match their SHA-256$/);
    expect(await page.locator('#details').textContent()).toContain(`Ed25519 signature of tagmanifest-sha256.txt: valid; key fingerprint SHA-256 ${fingerprint}`);

    const bad = path.join(tmp, 'page-bad.zip');
    await rezip(zipFile, bad, { [`${root}data/dossier.json`]: flipMiddleByte });
    await page.setInputFiles('#zip', bad);
    await until('BROKEN', async () => (await status.getAttribute('data-state')) === 'broken');
    expect(await status.textContent()).toBe('BROKEN: 1 problem(s)');
    expect(await page.locator('#failures').textContent()).toContain('data/dossier.json: SHA-256 mismatch');

    // The unzipped folder, chosen as a folder, verifies too.
    await page.setInputFiles('#folder', folder);
    await until('OK for the folder', async () => (await status.getAttribute('data-state')) === 'ok');

    // Nothing but the page itself was loaded, and its CSP let its own script and style run.
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('signatures', () => {
  it('verify-dossier reports the signing key; a changed signature fails in both verifiers', async () => {
    const good = await cli(['verify-dossier', zipFile]);
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/^OK /);
    expect(good.out).toContain(`SIGNED Ed25519, key fingerprint SHA-256 ${fingerprint}`);

    const bad = path.join(tmp, 'bad-signature.zip');
    await rezip(zipFile, bad, { [`${root}tagmanifest-sha256.txt.sig`]: flipMiddleByte });
    const result = await verifyDossierZip(bad);
    expect(result.failures).toEqual(['tagmanifest-sha256.txt.sig: the Ed25519 signature does not match tagmanifest-sha256.txt']);
    expect((await cli(['verify-dossier', bad])).code).toBe(1);

    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await page.goto(`file://${path.join(await unzipTo(zipFile, path.join(tmp, 'sigpage')), 'verify.html')}`);
    await page.setInputFiles('#zip', bad);
    await until('BROKEN', async () => (await page.locator('#status').getAttribute('data-state')) === 'broken');
    expect(await page.locator('#failures').textContent()).toContain('tagmanifest-sha256.txt.sig: the Ed25519 signature does not match');
    await context.close();
  });

  it('a package re-signed by someone else verifies only as signed by their key', async () => {
    const other = createSigningKeyPair();
    const entries = await readZip(zipFile);
    const tagManifest = entries.get(`${root}tagmanifest-sha256.txt`)!;
    const edited = path.join(tmp, 'resigned.zip');
    // Replace the key (listed in the tag manifest) and re-sign: the manifest must change too.
    const newKey = Buffer.from(other.publicPem);
    const { sha256 } = await import('../../src/hash');
    const newManifest = Buffer.from(tagManifest.toString('utf8').replace(/^[0-9a-f]{64}( {2}signing-key\.pem)$/m, `${sha256(newKey)}$1`));
    await rezip(zipFile, edited, {
      [`${root}signing-key.pem`]: () => newKey,
      [`${root}tagmanifest-sha256.txt`]: () => newManifest,
      [`${root}tagmanifest-sha256.txt.sig`]: () => signBytes(newManifest, other.privatePem),
    });
    const result = await verifyDossierZip(edited);
    expect(result.ok).toBe(true);
    expect(result.signedBy).toBe(keyFingerprint(other.publicPem));
    expect(result.signedBy).not.toBe(fingerprint);
  });

  it('keys create never overwrites a key pair and refuses bad usage', async () => {
    const again = await cli(['keys', 'create', '--out', path.join(tmp, 'keys')]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('cannot write the key pair');
    expect((await cli(['keys', 'make'])).code).toBe(2);
    expect((await cli(['keys', 'create', '--name', '../escape'])).code).toBe(2);
  });
});
