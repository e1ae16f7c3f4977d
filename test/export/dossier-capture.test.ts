/**
 * Issue 18, item 4: a dossier item from a web page captured by Lexwatch cites the URL, the
 * capture time and the SHA-256 of the capture's WARC, and the package carries that WARC, listed
 * in the BagIt manifest, so the recipient can replay it. On loopback only: the test site of the
 * capture tests, the real service, real Chromium, the real review API and the Library of
 * Congress bagit tool.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import request from 'supertest';
import { sha256 } from '../../src/hash';
import { readZip, verifyDossierZip } from '../../src/export/dossier/verify';
import { startCaptureSite, type CaptureSite } from '../support/capture-site';
import { builtDossier } from '../support/dossiers';
import { apiKeyHeaders, createTestUser, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

const BAGIT = path.resolve(__dirname, '..', '..', '.cache', 'bagit-venv', 'bin', 'bagit.py');
const WARCIO = path.resolve(__dirname, '..', '..', '.cache', 'warcio', 'bin', 'warcio');

let service: TestService;
let site: CaptureSite;
let analyst: ReturnType<typeof withHeaders>;
let tmp: string;
let documentId: string;
let data: Record<string, any>;
let entries: Map<string, Buffer>;
let root: string;
let zipFile: string;

async function signIn(name: string): Promise<{ post: (url: string) => request.Test }> {
  const user = await createTestUser(service, ['reviewer'], name);
  const agent = request.agent(service.app);
  const login = await agent.post('/api/auth/login').send({ username: user.username, password: user.password }).expect(200);
  return { post: (url) => agent.post(url).set('X-CSRF-Token', login.body.csrfToken as string) };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-dossier-capture-'));
  site = await startCaptureSite('127.0.0.1');
  service = await startTestService({ capture: { allowHosts: ['127.0.0.1'] } });
  analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  const res = await analyst
    .post('/api/captures')
    .send({ url: `${site.base}/statements/latest`, kind: 'statement', speaker: 'Aldo Venn (fictional)', venue: 'Ormund Harbour Forum', date: '2026-03-14', languages: ['en'] })
    .expect(202);
  documentId = res.body.document.id;
  await waitForStatus(service, documentId, ['done'], 150_000);

  // Two reviewers confirm the script-inserted statement's flag, reading it as the speaker's own words.
  const flag = (await service.db.models.Flag.findOne({ document: new Types.ObjectId(documentId), exact: /vermin/i }).lean())!;
  expect(flag).toBeTruthy();
  for (const name of ['amira.reviewer', 'bastian.reviewer']) {
    await (await signIn(name)).post(`/api/flags/${String(flag._id)}/reviews`).send({ decision: 'confirm', stance: 'endorses' }).expect(201);
  }
  zipFile = path.join(tmp, 'capture-dossier.zip');
  const dossier = await builtDossier(analyst, { title: 'Captured statement (synthetic)', submitter: 'S (fictional)', addressee: 'A (fictional)', filters: { documents: [documentId] } }, zipFile);
  entries = await readZip(zipFile);
  root = `dossier-${String(dossier.id)}/`;
  data = JSON.parse(entries.get(`${root}data/dossier.json`)!.toString('utf8'));
}, 400_000);

afterAll(async () => {
  await service.dispose();
  await site.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a dossier item from a captured page', () => {
  it('cites the URL, the capture time and the WARC’s SHA-256', async () => {
    const { document } = (await analyst.get(`/api/documents/${documentId}`).expect(200)).body;
    const originals = (await analyst.get(`/api/documents/${documentId}/originals`).expect(200)).body.items as Array<{ role: string; sha256: string }>;
    const warcSha = originals.find((o) => o.role === 'warc')!.sha256;
    expect(data.items).toHaveLength(1);
    const item = data.items[0];
    expect(item.evidence).toBe('finding');
    expect(item.capture).toEqual({
      url: `${site.base}/statements/latest`,
      finalUrl: `${site.base}/statements/2026-03-14-harbour`,
      capturedAt: new Date(document.capture.startedAt).toISOString(),
      warcSha256: warcSha,
      warcFile: `data/originals/${warcSha}.warc.gz`,
    });
    expect(data.sources[0].capture).toMatchObject({
      requestedUrl: `${site.base}/statements/latest`,
      status: 200,
      startedAt: item.capture.capturedAt,
      endedAt: new Date(document.capture.endedAt).toISOString(),
      warc: { sha256: warcSha, file: item.capture.warcFile },
    });
    const pdf = path.join(tmp, 'capture.pdf');
    fs.writeFileSync(pdf, entries.get(`${root}data/dossier.pdf`)!);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-']).toString('utf8')
      .split('\n')
      .filter((line) => !/ — page \d+ of \d+ — dossier [0-9a-f]{24}\s*$/.test(line))
      .join('')
      .replace(/\s+/gu, '');
    // (pdftotext drops a hyphen that ends a line, as in the final URL's date: that part is checked in dossier.json above.)
    expect(text).toContain(`Capturedfrom${item.capture.url}(finalURL`);
    expect(text).toContain(`at${item.capture.capturedAt}(UTC);webarchiveSHA-256${warcSha}(${item.capture.warcFile})`);
    expect(data.methodology.limitations.find((l: string) => l.includes('captured'))).toContain(item.itemId);
  });

  it('carries the WARC: its bytes hash to the cited SHA-256, it is in the manifest, and warcio reads it', async () => {
    const item = data.items[0];
    const warc = entries.get(`${root}${item.capture.warcFile}`)!;
    expect(warc).toBeDefined();
    expect(sha256(warc)).toBe(item.capture.warcSha256);
    const stored = await analyst.get(`/api/documents/${documentId}/originals/warc`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(warc.equals(stored.body as Buffer)).toBe(true);
    const manifest = entries.get(`${root}manifest-sha256.txt`)!.toString('utf8');
    expect(manifest.split('\n')).toContain(`${item.capture.warcSha256}  ${item.capture.warcFile}`);
    const file = path.join(tmp, 'replay.warc.gz');
    fs.writeFileSync(file, warc);
    expect(execFileSync(WARCIO, ['index', '-f', 'warc-target-uri', file], { encoding: 'utf8' })).toContain(`${site.base}/statements/2026-03-14-harbour`);
  });

  it('validates with bagit.py and our verifier, and both fail when one byte of the WARC changes', async () => {
    expect((await verifyDossierZip(zipFile)).failures).toEqual([]);
    const folder = path.join(tmp, 'bag');
    for (const [name, bytes] of entries) {
      fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
      fs.writeFileSync(path.join(folder, name), bytes);
    }
    const good = spawnSync(BAGIT, ['--validate', path.join(folder, root)], { encoding: 'utf8', timeout: 120_000 });
    expect({ status: good.status, stderr: good.stderr }).toMatchObject({ status: 0 });
    const warcPath = path.join(folder, root, data.items[0].capture.warcFile);
    const bytes = fs.readFileSync(warcPath);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0x01;
    fs.writeFileSync(warcPath, bytes);
    const bad = spawnSync(BAGIT, ['--validate', path.join(folder, root)], { encoding: 'utf8', timeout: 120_000 });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain(data.items[0].capture.warcFile);
  });
});
