/**
 * Evidence dossiers end to end on the real database and the real pipeline: upload the synthetic
 * fixtures as an analyst, confirm flags through the real review API (two different reviewers
 * each, the default), translate and have a second person check, request a dossier over HTTP,
 * download the package and check it with the real tools (pdftotext, pdftoppm, pdfimages) and
 * the verifier. The audit chain in the package is the one the real audit log wrote.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Types } from 'mongoose';
import request from 'supertest';
import yazl from 'yazl';
import { run } from '../../src/cli/main';
import { canonicalJson } from '../../src/audit/canonical';
import { sha256 } from '../../src/hash';
import { readZip, verifyDossierZip } from '../../src/export/dossier/verify';
import { textPdf } from '../support/scanned-pdf';
import { until } from '../support/until';
import { apiKeyHeaders, createTestUser, FIXTURES, loginAgent, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

const TEXTBOOK = path.join(FIXTURES, 'textbook-sample.pdf');
const STATEMENT = path.join(FIXTURES, 'statement-sample.txt');

let service: TestService;
let tmp: string;
let textbookId: string;
let statementId: string;
let leftNewFlagId: string;
let modifiedFlagId: string;
/** An analyst's API: uploads, speakers, dossiers. */
let analyst: ReturnType<typeof withHeaders>;
/** A viewer's API: reads and downloads. */
let viewer: ReturnType<typeof withHeaders>;
const REVIEWERS = ['amira.reviewer', 'bastian.reviewer'];
const CHECKER = 'celik.checker';
const TRANSLATOR = 'Translator A (synthetic)';
/** The two reviewers' sessions (signed in once, in beforeAll). */
let reviewers: Array<{ post: (url: string) => request.Test }>;

beforeAll(async () => {
  service = await startTestService();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-dossier-test-'));
  analyst = withHeaders(service.app, { ...(await apiKeyHeaders(service, ['analyst'])) });
  viewer = withHeaders(service.app, { ...(await apiKeyHeaders(service, ['viewer'])) });
  const tb = analyst.post('/api/documents');
  for (const [k, v] of Object.entries({ kind: 'textbook', title: 'History of the Valley, Grade 7 (synthetic)', publisher: 'Ormund State Press (fictional)', subject: 'history', grade: '7', edition: '2nd', year: '2021', languages: 'en,az,ru,hy' })) tb.field(k, v);
  textbookId = (await tb.attach('file', TEXTBOOK).expect(202)).body.document.id;
  const st = analyst.post('/api/documents');
  for (const [k, v] of Object.entries({ kind: 'statement', title: 'Harvest address (synthetic)', speaker: 'Ardel Voss', position: 'Minister of the Interior, Republic of Ormund (fictional)', date: '2023-05-04', venue: 'Ormund radio', sourceUrl: 'https://example.org/ormund/address' })) st.field(k, v);
  statementId = (await st.attach('file', STATEMENT).expect(202)).body.document.id;
  await waitForStatus(service, textbookId, ['done'], 240_000);
  await waitForStatus(service, statementId, ['done'], 240_000);

  const speaker = await analyst
    .post('/api/speakers')
    .send({
      name: 'Ардел Восс',
      transliterations: ['Ardel Voss'],
      aliases: ['Minister Voss'],
      positions: [{ title: 'Minister of the Interior', institution: 'Government of the Republic of Ormund (fictional)', from: '2021-03-01' }],
    })
    .expect(201);
  expect(speaker.body.speaker).toMatchObject({ name: 'Ардел Восс', aliases: ['Minister Voss'] });

  // The review workflow, through its API: two different reviewers confirm each flag (the
  // default of two confirmations); one flag is confirmed with a modified severity by both; one
  // is left "new". Non-English flags get a translation that a third person checks.
  const signIn = async (name: string) => {
    const user = await createTestUser(service, ['reviewer'], name);
    const agent = request.agent(service.app);
    const login = await agent.post('/api/auth/login').send({ username: user.username, password: user.password }).expect(200);
    return { post: (url: string) => agent.post(url).set('X-CSRF-Token', login.body.csrfToken as string) };
  };
  reviewers = [await signIn(REVIEWERS[0]!), await signIn(REVIEWERS[1]!)];
  const checker = await signIn(CHECKER);
  const flags = await service.db.models.Flag.find({}).sort({ document: 1, page: 1, start: 1 }).lean();
  expect(flags.length).toBeGreaterThanOrEqual(9);
  const leftNew = flags.find((f) => String(f.document) === textbookId && f.page === 1)!;
  leftNewFlagId = String(leftNew._id);
  const modified = flags.find((f) => String(f._id) !== leftNewFlagId && f.severity < 4)!;
  modifiedFlagId = String(modified._id);
  for (const flag of flags) {
    const id = String(flag._id);
    if (id === leftNewFlagId) continue;
    const decision = id === modifiedFlagId ? { decision: 'modify', modification: { severity: 4 }, note: 'severity understated' } : { decision: 'confirm' };
    for (const [round, r] of reviewers.entries()) {
      const res = await r.post(`/api/flags/${id}/reviews`).send(decision).expect(201);
      expect(res.body.flag.status).toBe(round === 0 ? 'awaiting_second' : 'confirmed');
    }
    if (flag.lang !== 'en') {
      const added = await reviewers[0]!
        .post(`/api/flags/${id}/translations`)
        .send({ text: `English rendering of: ${flag.sentence}`, language: 'en', translator: TRANSLATOR })
        .expect(201);
      await checker.post(`/api/flags/${id}/translations/${added.body.translation.id}/check`).send({ verdict: 'approved' }).expect(200);
    }
  }
  // A newer revision sent back by the checker does not displace the approved translation…
  const revised = flags.find((f) => f.lang === 'az')!;
  const revision = await reviewers[1]!.post(`/api/flags/${String(revised._id)}/translations`).send({ text: 'A worse rendering', language: 'en', translator: 'Translator Z (synthetic)' }).expect(201);
  await checker.post(`/api/flags/${String(revised._id)}/translations/${revision.body.translation.id}/check`).send({ verdict: 'needs_changes' }).expect(200);
  // …one nobody has checked yet is shown without a checker, and a newer one sent back is never printed.
  await reviewers[0]!.post(`/api/flags/${leftNewFlagId}/translations`).send({ text: 'Unapproved rendering', language: 'en', translator: TRANSLATOR }).expect(201);
  const sentBack = await reviewers[1]!.post(`/api/flags/${leftNewFlagId}/translations`).send({ text: 'Rendering sent back', language: 'en', translator: TRANSLATOR }).expect(201);
  await checker.post(`/api/flags/${leftNewFlagId}/translations/${sentBack.body.translation.id}/check`).send({ verdict: 'needs_changes' }).expect(200);
  // Uploads and processes the textbook and reviews every flag twice: minutes on a loaded machine.
}, 300_000);

afterAll(async () => {
  await service.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function waitForDossier(id: string): Promise<Record<string, any>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await viewer.get(`/api/dossiers/${id}`).expect(200);
    if (['done', 'failed'].includes(res.body.dossier.status)) return res.body.dossier;
    if (Date.now() > deadline) throw new Error(`dossier ${id} still ${res.body.dossier.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function download(id: string, name: string): Promise<string> {
  const res = await viewer.get(`/api/dossiers/${id}/download`).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  }).expect(200);
  expect(res.headers['content-type']).toMatch(/application\/zip/);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, res.body as Buffer);
  expect(sha256(res.body as Buffer)).toBe(res.headers['x-content-sha256']);
  return file;
}

/** Rewrites a package with `mutate` applied to the named entry's bytes. */
async function rezip(file: string, entry: string, mutate: (b: Buffer) => Buffer, out: string): Promise<void> {
  const entries = await readZip(file);
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(name === entry ? mutate(Buffer.from(data)) : data, name);
  zip.end();
  await new Promise<void>((resolve, reject) => zip.outputStream.pipe(fs.createWriteStream(out)).on('finish', resolve).on('error', reject));
}

const squash = (s: string) => s.replace(/\s+/gu, '');

describe('a dossier over the fixtures (confirmed flags)', () => {
  let dossier: Record<string, any>;
  let zipFile: string;
  let entries: Map<string, Buffer>;
  let root: string;
  let data: Record<string, any>;
  let pdfText: string;
  let requester: Awaited<ReturnType<typeof loginAgent>>;
  let auditLines: Array<Record<string, any>>;

  beforeAll(async () => {
    // Requested from a browser session (cookie + CSRF token), as an analyst.
    requester = await loginAgent(service, ['analyst']);
    await requester.agent.post('/api/dossiers').send({ title: 't', submitter: 's', addressee: 'a' }).expect(403);
    const res = await requester.agent
      .post('/api/dossiers')
      .set('X-CSRF-Token', requester.csrfToken)
      .send({ title: 'Dehumanizing language in Ormund school books (synthetic)', submitter: 'Kestrel Valley Monitor (fictional)', addressee: 'UN CERD (test)', reviewers: 'named', includeNotes: true })
      .expect(202);
    expect(res.body.dossier.status).toBe('queued');
    expect(res.body.dossier.filters.states).toEqual(['confirmed']);
    dossier = await waitForDossier(res.body.dossier.id);
    expect(dossier.failure).toBeUndefined();
    expect(dossier.status).toBe('done');
    zipFile = await download(dossier.id, 'dossier.zip');
    entries = await readZip(zipFile);
    root = `dossier-${dossier.id}/`;
    data = JSON.parse(entries.get(`${root}data/dossier.json`)!.toString('utf8'));
    const pdfFile = path.join(tmp, 'dossier.pdf');
    fs.writeFileSync(pdfFile, entries.get(`${root}data/dossier.pdf`)!);
    pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-']).toString('utf8');
    auditLines = entries.get(`${root}data/audit-events.jsonl`)!.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
  }, 180_000);

  it('reports progress and the result', () => {
    expect(dossier.progress.itemsTotal).toBe(dossier.result.items);
    expect(dossier.progress.itemsDone).toBe(dossier.progress.itemsTotal);
    expect(dossier.result.pdfPages).toBeGreaterThan(3);
    expect(dossier.links.download).toBe(`/api/dossiers/${dossier.id}/download`);
  });

  it('holds exactly the confirmed flags (a flag left "new" is not in it)', async () => {
    const confirmed = await service.db.models.Flag.countDocuments({ status: 'confirmed' });
    expect(data.items).toHaveLength(confirmed);
    expect(data.items.map((i: any) => i.flagId)).not.toContain(leftNewFlagId);
    expect(data.states).toEqual(['confirmed']);
    expect(pdfText).toContain('Review states included: confirmed');
  });

  it('has the BagIt layout with the PDF, dossier.json, excerpts.csv, originals and audit events', () => {
    const names = [...entries.keys()].map((n) => n.slice(root.length));
    for (const name of ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt', 'data/dossier.pdf', 'data/dossier.json', 'data/excerpts.csv', 'data/audit-events.jsonl']) {
      expect(names).toContain(name);
    }
    const tbSha = sha256(fs.readFileSync(TEXTBOOK));
    expect(entries.get(`${root}data/originals/${tbSha}.pdf`)!.equals(fs.readFileSync(TEXTBOOK))).toBe(true);
    expect(entries.get(`${root}data/originals/${sha256(fs.readFileSync(STATEMENT))}.txt`)).toBeDefined();
    const csv = entries.get(`${root}data/excerpts.csv`)!.toString('utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(data.items.length + 1);
  });

  it('carries the real audit log’s events for its flags, documents and its own request', async () => {
    const ids = [...data.items.map((i: any) => i.flagId), ...data.sources.map((s: any) => s.documentId), dossier.id];
    const stored = await service.db.models.AuditEvent.find({ 'entity.id': { $in: ids }, seq: { $lte: data.audit.lastSeq } }).sort({ seq: 1 }).lean();
    expect(auditLines.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
    expect(data.audit).toMatchObject({ events: stored.length, firstSeq: stored[0]!.seq, lastSeq: stored.at(-1)!.seq });
    for (const line of auditLines) {
      expect(Object.keys(line)).not.toContain('_id');
      expect(Object.keys(line).sort()).toEqual(['action', 'actor', 'at', 'change', 'entity', 'hash', 'payloadSha256', 'prevHash', 'reason', 'role', 'seq']);
    }
    for (const item of data.items) {
      expect(auditLines.filter((e) => e.entity.id === item.flagId && e.action === 'review.decide')).toHaveLength(2);
    }
    // One approval per non-English excerpt, plus the revision that was sent back.
    expect(auditLines.filter((e) => e.action === 'translation.check')).toHaveLength(data.items.filter((i: any) => i.lang !== 'en').length + 1);
    const requested = auditLines.find((e) => e.action === 'dossier.request')!;
    expect(requested).toMatchObject({ actor: requester.userId, role: 'analyst', entity: { type: 'dossier', id: dossier.id } });

    // The export itself is recorded after the package is written, with the package's hash.
    const own = await service.audit.list({ entityType: 'dossier', entityId: dossier.id }, 10);
    expect(own.map((e) => e.action)).toEqual(['dossier.request', 'dossier.export']);
    expect(own[1]!.change).toMatchObject({ sha256: dossier.result.sha256, items: data.items.length, lastSeq: data.audit.lastSeq });
    expect((await service.audit.verify()).ok).toBe(true);
  });

  it('renders Azerbaijani, Cyrillic and Armenian as the same characters', () => {
    for (const letter of ['ə', 'ğ', 'ı', 'ş', 'İ', 'Т', 'а', 'р', 'в', 'н', 'Տ', 'ա', 'ր', 'վ', 'ն', 'մ', 'ի', 'ջ']) {
      const inQuotes = data.items.some((i: any) => i.quote.includes(letter) || i.contextBefore.includes(letter) || i.contextAfter.includes(letter));
      if (inQuotes) expect(pdfText).toContain(letter);
    }
    for (const lang of ['az', 'ru', 'hy']) {
      const items = data.items.filter((i: any) => i.lang === lang);
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) expect(squash(pdfText)).toContain(squash(item.quote));
    }
    expect(pdfText).toContain('Tarvanlılar həşəratdır.');
    expect(pdfText).toContain('Тарваны — паразиты на нашей земле.');
    expect(pdfText).toContain('Տարվանցիները միջատներ են։');
  });

  it('prints every excerpt’s citation, hash, page and confirmation', () => {
    const flat = squash(pdfText);
    for (const item of data.items) {
      expect(flat).toContain(squash(`Citation: ${item.citation}`));
      expect(flat).toContain(squash(`Source SHA-256: ${item.sourceSha256}`));
      expect(flat).toContain(squash(`PDF page ${item.pdfPage}`));
      expect(item.confirmedBy).toBe(REVIEWERS.join(', '));
      expect(item.reviews.map((r: any) => [r.round, r.reviewer])).toEqual([[1, REVIEWERS[0]], [2, REVIEWERS[1]]]);
      expect(item.confirmedAt).toBe(item.reviews[1].at);
      expect(flat).toContain(squash(`Confirmed by ${REVIEWERS.join(', ')} on ${item.confirmedAt}`));
      expect(flat).toContain(squash(`Review round 2: ${item.reviews[1].decision}`));
    }
    const az = data.items.find((i: any) => i.lang === 'az');
    expect(az.translation).toEqual({ text: expect.stringContaining('English rendering of'), language: 'en', translator: TRANSLATOR, checkedBy: CHECKER, checkedAt: expect.any(String) });
    expect(flat).toContain(squash(`Translated by ${TRANSLATOR}; checked by ${CHECKER} on ${az.translation.checkedAt}`));
    for (const item of data.items.filter((i: any) => i.lang === 'en')) expect(item.translation).toBeNull();
    // Every non-English excerpt shows its approved translation, even where a newer revision was sent back.
    for (const item of data.items.filter((i: any) => i.lang !== 'en')) expect(item.translation).toMatchObject({ text: expect.stringContaining('English rendering of'), checkedBy: CHECKER });
    expect(data.methodology.agreement).toMatchObject({ flagsWithTwoRounds: data.items.length, agreed: data.items.length, percent: 100, kappa: null });
    expect(data.methodology.requiredConfirmations).toBe(2);
    expect(flat).toContain(squash('Confirmations required: 2.'));
    expect(flat).toContain(squash('2 different people review each candidate independently'));
  });

  it('shows a modified confirmation with the agreed reading', () => {
    const item = data.items.find((i: any) => i.flagId === modifiedFlagId);
    expect(item.severity).toBe(4);
    expect(item.reviews.map((r: any) => r.decision)).toEqual(['modify', 'modify']);
    expect(item.reviews[0]).toMatchObject({ modification: { category: null, severity: 4, target: null }, note: 'severity understated' });
    expect(item.confirmedBy).toBe(REVIEWERS.join(', '));
  });

  it("has a page image for every excerpt from a PDF source, located by the flag's own box", async () => {
    const pdfItems = data.items.filter((i: any) => i.documentId === textbookId);
    expect(pdfItems.length).toBeGreaterThanOrEqual(6);
    for (const item of pdfItems) {
      // The pipeline stores each text-layer flag's box (its words' union), so no text search is needed.
      const flag = (await service.db.models.Flag.findById(item.flagId).lean())!;
      expect(flag.box).toBeTruthy();
      expect(item.crop).toEqual({ file: expect.stringMatching(/^data\/pages\/.+\.png$/), boxSource: 'flag', box: { x0: flag.box!.x0, y0: flag.box!.y0, x1: flag.box!.x1, y1: flag.box!.y1 } });
      const png = entries.get(`${root}${item.crop.file}`)!;
      expect(png.readUInt32BE(0)).toBe(0x89504e47);
      expect(item.crop.box.x1).toBeGreaterThan(item.crop.box.x0);
      expect(item.crop.box.y1).toBeGreaterThan(item.crop.box.y0);
    }
    for (const item of data.items.filter((i: any) => i.documentId === statementId)) expect(item.crop).toBeNull();
    const images = execFileSync('pdfimages', ['-list', path.join(tmp, 'dossier.pdf')]).toString().trim().split('\n').slice(2);
    expect(images.length).toBe(pdfItems.length);
    // Each page region is printed on the same dossier page as its item's heading (issue 15: one fell onto the next page).
    const pages = pdfText.split('\f');
    const imagePages = images.map((line) => Number(line.trim().split(/\s+/)[0]));
    const headingPages = pdfItems.map((item: any) => pages.findIndex((p) => p.includes(`${item.itemId} ·`)) + 1);
    for (const at of new Set(headingPages)) expect({ page: at, images: imagePages.filter((p: number) => p === at).length }).toEqual({ page: at, images: headingPages.filter((p: number) => p === at).length });
    const page = execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '30', '-png', path.join(tmp, 'dossier.pdf')]);
    expect(page.readUInt32BE(0)).toBe(0x89504e47);
  });

  it('has the per-speaker section: registered names, positions and dated statements', () => {
    expect(data.speakers).toEqual([
      expect.objectContaining({
        name: 'Ардел Восс',
        transliterations: ['Ardel Voss'],
        aliases: ['Minister Voss'],
        registered: true,
        positions: [{ title: 'Minister of the Interior', institution: 'Government of the Republic of Ormund (fictional)', from: '2021-03-01', to: null }],
      }),
    ]);
    const statements = data.items.filter((i: any) => i.documentId === statementId);
    expect(data.speakers[0].statements).toHaveLength(statements.length);
    expect(data.speakers[0].statements[0]).toMatchObject({ date: '2023-05-04', venue: 'Ormund radio', sourceUrl: 'https://example.org/ormund/address', sha256: sha256(fs.readFileSync(STATEMENT)) });
    expect(pdfText).toContain('Findings by speaker');
    expect(pdfText).toContain('Ардел Восс');
    expect(pdfText).toContain('Transliterations: Ardel Voss');
    expect(squash(pdfText)).toContain(squash('Minister of the Interior, Government of the Republic of Ormund (fictional) (2021-03-01 – ?)'));
  });

  it('verifies, in code and through `lexwatch verify-dossier`', async () => {
    const result = await verifyDossierZip(zipFile);
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.auditEventsChecked).toBe(auditLines.length);
    const out = capture();
    const err = capture();
    expect(await run(['verify-dossier', zipFile], { stdin: process.stdin, stdout: out.stream, stderr: err.stream })).toBe(0);
    expect(out.text()).toMatch(/^OK .* files and \d+ audit events verified/);
    // And as a real process through the package's bin, as a recipient would run it.
    const bin = path.resolve(__dirname, '..', '..', 'bin', 'lexwatch.js');
    const ok = spawnSync(process.execPath, [bin, 'verify-dossier', zipFile], { encoding: 'utf8', timeout: 60_000 });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^OK /);
    const usage = spawnSync(process.execPath, [bin, 'verify-dossier'], { encoding: 'utf8', timeout: 60_000 });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('Usage: lexwatch verify-dossier FILE.zip');
  });

  it.each([
    'data/dossier.pdf', 'data/dossier.json', 'data/excerpts.csv', 'data/audit-events.jsonl', 'bag-info.txt', 'ORIGINAL', 'PAGE',
  ])('fails verification naming the file when one byte of %s changes', async (which) => {
    let name = which;
    if (which === 'ORIGINAL') name = `data/originals/${sha256(fs.readFileSync(TEXTBOOK))}.pdf`;
    if (which === 'PAGE') name = data.items.find((i: any) => i.crop).crop.file;
    const bad = path.join(tmp, `bad-${which.replace(/\W/g, '_')}.zip`);
    await rezip(zipFile, root + name, (b) => {
      const at = Math.floor(b.length / 2);
      b[at] = b[at]! ^ 0x01;
      return b;
    }, bad);
    const result = await verifyDossierZip(bad);
    expect(result.ok).toBe(false);
    expect(result.failures.some((f) => f.startsWith(`${name}: SHA-256 mismatch`))).toBe(true);
    const out = capture();
    const err = capture();
    expect(await run(['verify-dossier', bad], { stdin: process.stdin, stdout: out.stream, stderr: err.stream })).toBe(1);
    expect(err.text()).toContain(`FAIL ${name}: SHA-256 mismatch`);
  });

  it('fails when an audit event is edited, even if the manifest is rewritten to match', async () => {
    const auditName = `${root}data/audit-events.jsonl`;
    const lines = entries.get(auditName)!.toString('utf8').trim().split('\n');
    const event = JSON.parse(lines[2]!);
    event.actor = 'someone-else';
    lines[2] = canonicalJson(event);
    const edited = Buffer.from(`${lines.join('\n')}\n`);
    const step = path.join(tmp, 'audit-step.zip');
    const bad = path.join(tmp, 'audit-edited.zip');
    await rezip(zipFile, auditName, () => edited, step);
    const manifestName = `${root}manifest-sha256.txt`;
    await rezip(step, manifestName, (m) => Buffer.from(m.toString('utf8').replace(/^[0-9a-f]{64}( {2}data\/audit-events\.jsonl)$/m, `${sha256(edited)}$1`)), bad);
    const result = await verifyDossierZip(bad);
    expect(result.failures).toEqual(expect.arrayContaining([`data/audit-events.jsonl: event seq ${event.seq} (line 3): hash does not match its content`]));
    // The rewritten manifest itself no longer matches the tag manifest.
    expect(result.failures.some((f) => f.startsWith('manifest-sha256.txt: SHA-256 mismatch'))).toBe(true);
  });

  it('fails on an added file that no manifest lists', async () => {
    const entriesWithExtra = await readZip(zipFile);
    const zip = new yazl.ZipFile();
    for (const [n, d] of entriesWithExtra) zip.addBuffer(d, n);
    zip.addBuffer(Buffer.from('planted'), `${root}data/extra.txt`);
    zip.end();
    const bad = path.join(tmp, 'extra.zip');
    await new Promise<void>((resolve) => zip.outputStream.pipe(fs.createWriteStream(bad)).on('finish', resolve));
    expect((await verifyDossierZip(bad)).failures).toContain('data/extra.txt: not listed in manifest-sha256.txt');
  });
});

describe('filters and bad requests', () => {
  it('selects by category, severity, speaker and state', async () => {
    const res = await analyst
      .post('/api/dossiers')
      .send({ title: 'Statements only', submitter: 'S', addressee: 'A', filters: { speakers: ['Minister Voss'], states: ['confirmed'] } })
      .expect(202);
    const d = await waitForDossier(res.body.dossier.id);
    expect(d.status).toBe('done');
    const n = await service.db.models.Flag.countDocuments({ document: new Types.ObjectId(statementId), status: 'confirmed' });
    expect(d.result.items).toBe(n);

    // The flag left "new" is rejected by both reviewers: a dossier asking for rejected flags
    // (as transparency) holds it alone. A flag that carries its own box (issue 4) is cropped
    // from it, not from a text search.
    for (const r of reviewers) await r.post(`/api/flags/${leftNewFlagId}/reviews`).send({ decision: 'reject' }).expect(201);
    const box = { x0: 0.1, y0: 0.2, x1: 0.5, y1: 0.25 };
    await service.db.models.Flag.collection.updateOne({ _id: new Types.ObjectId(leftNewFlagId) }, { $set: { box } });
    const tr = await analyst
      .post('/api/dossiers')
      .send({ title: 'Including rejected', submitter: 'S', addressee: 'A', filters: { documents: [textbookId], states: ['rejected'] } })
      .expect(202);
    const t = await waitForDossier(tr.body.dossier.id);
    expect(t.result.items).toBe(1);
    const file = await download(t.id, 'new.zip');
    expect((await verifyDossierZip(file)).ok).toBe(true);
    const entries = await readZip(file);
    const json = JSON.parse([...entries].find(([n]) => n.endsWith('data/dossier.json'))![1].toString('utf8'));
    expect(json.states).toEqual(['rejected']);
    expect(json.items[0]).toMatchObject({ flagId: leftNewFlagId, status: 'rejected', evidence: 'transparency', crop: { boxSource: 'flag', box }, confirmedBy: null });
    expect(json.items[0].reviews.map((r: any) => r.decision)).toEqual(['reject', 'reject']);
    expect(json.items[0].translation).toEqual({ text: 'Unapproved rendering', language: 'en', translator: TRANSLATOR, checkedBy: null, checkedAt: null });
    const pdf = path.join(tmp, 'new.pdf');
    fs.writeFileSync(pdf, [...entries].find(([n]) => n.endsWith('data/dossier.pdf'))![1]);
    const text = squash(execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-']).toString('utf8'));
    expect(text).toContain(squash(`Translated by ${TRANSLATOR}; not approved by a second person`));
    expect(text).toContain(squash('Confirmation: no confirming review'));
  });

  it('crops the page region of an excerpt found by OCR in an image original (PNG and TIFF)', async () => {
    const pdf = path.join(tmp, 'leaflet.pdf');
    fs.writeFileSync(pdf, await textPdf([['Second notice (synthetic).', '', 'The Merenites spread like a plague across Ormund.']]));
    execFileSync('pdftoppm', ['-r', '150', '-gray', '-png', '-singlefile', pdf, path.join(tmp, 'leaflet')]);
    execFileSync('pdftoppm', ['-r', '150', '-gray', '-tiff', '-tiffcompression', 'lzw', '-singlefile', pdf, path.join(tmp, 'leaflet')]);
    for (const [name, file] of [['leaflet.png', path.join(tmp, 'leaflet.png')], ['leaflet.tiff', path.join(tmp, 'leaflet.tif')]] as const) {
      const up = await analyst.post('/api/documents').field('kind', 'other').field('title', `Leaflet scan ${name} (synthetic)`).attach('file', file, name).expect(202);
      const docId = up.body.document.id as string;
      await waitForStatus(service, docId, ['done']);
      const flag = await service.db.models.Flag.findOne({ document: new Types.ObjectId(docId), exact: /plague/i }).lean();
      expect(flag?.box).toBeTruthy();
      for (const r of reviewers) await r.post(`/api/flags/${String(flag!._id)}/reviews`).send({ decision: 'confirm' }).expect(201);
      const res = await analyst.post('/api/dossiers').send({ title: `Scan ${name}`, submitter: 'S', addressee: 'A', filters: { documents: [docId] } }).expect(202);
      const d = await waitForDossier(res.body.dossier.id);
      expect(d.status).toBe('done');
      const zip = await download(d.id, `${name}.zip`);
      expect((await verifyDossierZip(zip)).ok).toBe(true);
      const entries = await readZip(zip);
      const json = JSON.parse([...entries].find(([n]) => n.endsWith('data/dossier.json'))![1].toString('utf8'));
      const item = json.items.find((i: any) => i.flagId === String(flag!._id));
      expect(item.crop).toMatchObject({ boxSource: 'flag', box: { x0: flag!.box!.x0, y0: flag!.box!.y0 } });
      const png = [...entries].find(([n]) => n.endsWith(item.crop.file))![1];
      expect(png.readUInt32BE(0)).toBe(0x89504e47);
      // A band of the page around the excerpt: as wide as the page, far shorter than it.
      const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
      expect(w).toBeGreaterThan(500);
      expect(h).toBeLessThan(w);
      // The package carries the image original itself, byte for byte, named for what it is.
      const original = [...entries].find(([n]) => n.includes('data/originals/'))!;
      expect(original[0]).toMatch(name.endsWith('.png') ? /\.png$/ : /\.tif$/);
      expect(original[1].equals(fs.readFileSync(file))).toBe(true);
    }
  }, 300_000);

  it('refuses invalid requests with a 400 naming the field', async () => {
    const missing = await analyst.post('/api/dossiers').send({ title: 'x', submitter: 'y' }).expect(400);
    expect(missing.body.error).toMatchObject({ code: 'invalid_request' });
    expect(missing.body.error.message).toContain('addressee');
    const state = await analyst.post('/api/dossiers').send({ title: 'x', submitter: 'y', addressee: 'z', filters: { states: ['approved'] } }).expect(400);
    expect(state.body.error.message).toContain('filters.states.0');
    const unknown = await analyst.post('/api/dossiers').send({ title: 'x', submitter: 'y', addressee: 'z', filters: { states: ['confirmed'], $where: '1' } }).expect(400);
    expect(JSON.stringify(unknown.body.error.details)).toContain('$where');
    const range = await analyst.post('/api/dossiers').send({ title: 'x', submitter: 'y', addressee: 'z', filters: { severityMin: 4, severityMax: 2 } }).expect(400);
    expect(range.body.error.message).toContain('filters.severityMin');
    await analyst.post('/api/dossiers').set('content-type', 'text/plain').send('title=x').expect(415);
    await viewer.get('/api/dossiers/000000000000000000000000').expect(404);
    await viewer.get('/api/dossiers/not-an-id/download').expect(404);
    // Who may: analysts and admins request dossiers; every role reads and downloads; nobody anonymous.
    await viewer.post('/api/dossiers').send({ title: 'x', submitter: 'y', addressee: 'z' }).expect(403);
    await request(service.app).post('/api/dossiers').send({ title: 'x', submitter: 'y', addressee: 'z' }).expect(401);
    await request(service.app).get('/api/dossiers/000000000000000000000000').expect(401);
  });

  it('registers speakers: 409 on a duplicate name, 400 naming the field, lists and reads', async () => {
    await analyst.post('/api/speakers').send({ name: 'Ардел Восс' }).expect(409);
    const bad = await analyst.post('/api/speakers').send({ name: 'X', positions: [{ title: 'T', from: 'last year' }] }).expect(400);
    expect(bad.body.error.message).toContain('positions.0.from');
    const list = await viewer.get('/api/speakers').expect(200);
    expect(list.body.total).toBe(1);
    await viewer.get(list.body.items[0].links.self).expect(200);
    await viewer.get('/api/speakers/000000000000000000000000').expect(404);
    await viewer.post('/api/speakers').send({ name: 'Y' }).expect(403);
    await request(service.app).get('/api/speakers').expect(401);
  });

  it('resumes a job left "building" by a builder that died (its lease expired)', async () => {
    const { Dossier, Lease } = service.db.models;
    const now = new Date();
    const _id = new Types.ObjectId();
    const id = String(_id);
    // The dead builder's lease first, so our runner never sees the job without it.
    await Lease.create({ _id: `dossier:${id}`, holder: 'dead-host:1:0000', expiresAt: new Date(Date.now() - 1000) });
    await Dossier.collection.insertOne({
      _id, title: 'Orphaned job', submitter: 's', addressee: 'a', filters: { states: ['confirmed'], documents: [statementId] },
      status: 'building', progress: { itemsDone: 1, itemsTotal: 2 }, createdAt: now, updatedAt: now,
    });
    service.dossiers.poke();
    const d = await waitForDossier(id);
    expect(d.status).toBe('done');
    expect(d.result.items).toBe(await service.db.models.Flag.countDocuments({ document: new Types.ObjectId(statementId), status: 'confirmed' }));
    // The lease is released just after the job is marked done.
    await until('the lease released', async () => (await Lease.countDocuments({ _id: `dossier:${id}` })) === 0);
  });

  it('answers 409 for a download before the package is built', async () => {
    const queued = await service.db.models.Dossier.collection.insertOne({ title: 't', submitter: 's', addressee: 'a', filters: { states: ['confirmed'] }, status: 'failed', progress: { itemsDone: 0, itemsTotal: 0 }, failure: { reason: 'test', at: new Date() }, createdAt: new Date(), updatedAt: new Date() });
    const res = await viewer.get(`/api/dossiers/${String(queued.insertedId)}/download`).expect(409);
    expect(res.body.error.message).toContain('failed');
  });
});

function capture() {
  const chunks: string[] = [];
  return {
    stream: new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } }),
    text: () => chunks.join(''),
  };
}
