/**
 * The lexicon as versioned data on the real database: seeding, editing the working copy,
 * publishing versions, re-analysis (new flags added, vanished ones obsolete, nothing deleted),
 * import and export through the API; who may change it (admins only) and the audit trail of
 * every change and re-analysis.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { loadLexicon } from '../../src/lexicon';
import { apiKeyHeaders, FIXTURES, loginAgent, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

const STATEMENT = path.join(FIXTURES, 'statement-sample.txt');
const starter = loadLexicon();

let service: TestService;
let admin: ReturnType<typeof withHeaders>;
let adminId: string;
beforeAll(async () => {
  service = await startTestService();
  const headers = await apiKeyHeaders(service, ['admin']);
  adminId = headers.userId;
  admin = withHeaders(service.app, { ...headers });
});
afterAll(async () => {
  await service.dispose();
});

const api = () => admin;

/** The audit events of one entity, oldest first, as the admin API shows them. */
async function auditOf(entityType: string, entityId: string): Promise<Array<Record<string, any>>> {
  const query = new URLSearchParams({ entityType, entityId }).toString();
  return (await api().get(`/api/audit?${query}`).expect(200)).body.items;
}

function newEntry(id: string, terms: string[], extra: Record<string, unknown> = {}) {
  return {
    id, lang: 'en', role: 'predicate', terms, category: 'VI.THREAT', severity: 2,
    meaning: 'test entry', whyHarmful: 'test entry', source: { type: 'curator', ref: 'test' }, ...extra,
  };
}

/** Requests a re-analysis (202 with the job) and waits until the job has finished. */
async function reanalyze(id: string, body?: Record<string, unknown>): Promise<Record<string, any>> {
  const req = api().post(`/api/documents/${id}/reanalyze`);
  const queued = await (body ? req.send(body) : req).expect(202);
  expect(queued.body.reanalysis).toMatchObject({ document: id, status: 'queued' });
  expect(queued.headers.location).toBe(queued.body.statusUrl);
  return waitForJob(queued.body.statusUrl);
}

async function waitForJob(url: string, timeoutMs = 30_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await api().get(url).expect(200)).body.reanalysis;
    if (job.status === 'done' || job.status === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`re-analysis still ${job.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function flagsOf(id: string): Promise<Array<Record<string, any>>> {
  return (await api().get(`/api/documents/${id}/flags?limit=200`).expect(200)).body.items;
}

describe('seeding and reading', () => {
  it('seeds the empty database from the lexicon files as version 1', async () => {
    const res = await api().get('/api/lexicon').expect(200);
    expect(res.body.active).toMatchObject({ id: starter.id, version: starter.version, number: 1 });
    expect((await api().get('/api/health').expect(200)).body.lexicon).toEqual({ id: starter.id, version: starter.version });
    const en = await api().get('/api/lexicon/entries?lang=en&limit=200').expect(200);
    expect(en.body.total).toBe(starter.entries.filter((e) => e.lang === 'en').length);
    const one = await api().get('/api/lexicon/entries/en.dh.animal.vermin').expect(200);
    expect(one.body).toMatchObject({ id: 'en.dh.animal.vermin', terms: ['vermin'] });
  });
  it('rejects bad queries and unknown ids with clear errors', async () => {
    expect((await api().get('/api/lexicon/entries?category=DH.NOPE').expect(400)).body.error.code).toBe('invalid_query');
    expect((await api().get('/api/lexicon/entries?lang[$ne]=en').expect(400)).body.error.code).toBe('invalid_query');
    expect((await api().get('/api/lexicon/entries/no.such.entry').expect(404)).body.error.code).toBe('not_found');
    await api().get('/api/lexicon/versions/nope').expect(404);
  });
});

describe('editing the working copy', () => {
  it('creates, updates and retires entries, with versions counted per entry', async () => {
    const created = await api().post('/api/lexicon/entries').send(newEntry('en.test.siege', ['besiege*'])).expect(201);
    expect(created.body).toMatchObject({ id: 'en.test.siege', version: 1, status: 'draft' });
    expect((await api().post('/api/lexicon/entries').send(newEntry('en.test.siege', ['siege'])).expect(409)).body.error.code).toBe('already_exists');

    const updated = await api().patch('/api/lexicon/entries/en.test.siege').send({ severity: 3, status: 'reviewed' }).expect(200);
    expect(updated.body).toMatchObject({ version: 2, severity: 3, status: 'reviewed', terms: ['besiege*'] });
    const retired = await api().post('/api/lexicon/entries/en.test.siege/retire').expect(200);
    expect(retired.body).toMatchObject({ version: 3, status: 'retired' });
  });
  it('names the fields of an invalid entry and refuses unusable terms', async () => {
    const bad = await api().post('/api/lexicon/entries').send({ ...newEntry('en.test.bad', ['x']), category: 'DH.NOPE', severity: 7 }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['category', 'severity']);
    const short = await api().post('/api/lexicon/entries').send(newEntry('en.test.short', ['ra*'])).expect(400);
    expect(short.body.error.message).toMatch(/unusable terms/u);
    const renamed = await api().patch('/api/lexicon/entries/en.dh.animal.vermin').send({ id: 'other' }).expect(400);
    expect(renamed.body.error.details[0].message).toMatch(/unknown field/u);
    await api().patch('/api/lexicon/entries/no.such.entry').send({ severity: 2 }).expect(404);
    const operator = await api().post('/api/lexicon/entries').send({ ...newEntry('en.test.op', ['siege']), notes: { $where: 'sleep(1000)' } }).expect(400);
    expect(operator.body.error.details[0].field).toBe('notes.$where');
    await api().get('/api/lexicon/entries/en.test.op').expect(404);
  });
  it('refuses ids that are not plain tokens, and fields the schema does not know', async () => {
    for (const id of ['../../etc/passwd', '..', 'a/b', 'with space', 'x'.repeat(5_000), '.hidden', '']) {
      const res = await api().post('/api/lexicon/entries').send(newEntry(id, ['siege'])).expect(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['id']);
    }
    const extra = await api().post('/api/lexicon/entries').send({ ...newEntry('en.test.extra', ['siege']), curatorComment: 'kept?' }).expect(400);
    expect(extra.body.error.details[0].message).toMatch(/unknown field.*curatorComment/u);
    await api().post('/api/lexicon/entries').send({ ...newEntry('en.test.extra', ['siege']), match: { fuzzy: true, typo: 1 } }).expect(400);
    await api().get('/api/lexicon/entries/en.test.extra').expect(404);
    // Notes by name are the place for a curator's remarks.
    const noted = await api().post('/api/lexicon/entries').send({ ...newEntry('en.test.noted', ['siege']), notes: { curator: 'seen in grade 7 books' } }).expect(201);
    expect(noted.body.notes).toEqual({ curator: 'seen in grade 7 books' });
    await api().post('/api/lexicon/targets').send({ id: '../vessans', name: 'Vessans (fictional)', terms: [{ lang: 'en', kind: 'demonym', terms: ['vessan*'] }] }).expect(400);
    await api().post('/api/lexicon/targets').send({ id: 'vessans-x', name: 'Vessans (fictional)', terms: [{ lang: 'en', kind: 'demonym', terms: ['vessan*'], note: 'x' }] }).expect(400);
    const imported = await api().post('/api/lexicon/import?format=json').type('application/json').send(JSON.stringify([{ ...newEntry('../../escape', ['siege']), version: 1 }])).expect(400);
    expect(imported.body.error.code).toBe('invalid_import');
    expect(imported.body.error.details[0].message).toMatch(/id/u);
  });
  it('manages target groups; retired groups leave the next version', async () => {
    const group = { id: 'vessans', name: 'Vessans (fictional)', fictional: true, terms: [{ lang: 'en', kind: 'demonym', terms: ['vessan*'] }] };
    await api().post('/api/lexicon/targets').send(group).expect(201);
    await api().post('/api/lexicon/targets').send(group).expect(409);
    const patched = await api().patch('/api/lexicon/targets/vessans').send({ terms: [{ lang: 'en', kind: 'toponym', terms: ['lake vessa'] }] }).expect(200);
    expect(patched.body.terms[0].kind).toBe('toponym');
    // The audit names what the update changed, and only that (the `retired` mark is not part of it).
    const updated = await service.db.models.AuditEvent.findOne({ action: 'lexicon.target.update', 'entity.id': 'vessans' }).lean();
    expect(Object.keys(updated!.change as object)).toEqual(['terms']);
    await api().post('/api/lexicon/targets/vessans/retire').expect(200);
    const active = (await api().get('/api/lexicon/targets').expect(200)).body.items.map((t: { id: string }) => t.id);
    expect(active).not.toContain('vessans');
    const all = (await api().get('/api/lexicon/targets?retired=true').expect(200)).body.items.map((t: { id: string }) => t.id);
    expect(all).toContain('vessans');
  });
});

describe('publishing and re-analysis', () => {
  it('adds new flags, marks vanished ones obsolete, keeps confirmed ones, deletes nothing', async () => {
    const upload = await api().post('/api/documents').field('kind', 'statement').field('title', 'Ormund address (synthetic)')
      .attach('file', STATEMENT).expect(202);
    const id = upload.body.document.id as string;
    expect((await waitForStatus(service, id, ['done', 'failed'])).status).toBe('done');
    const before = await flagsOf(id);
    const vermin = before.find((f) => f.matches.some((m: { entryId: string }) => m.entryId === 'en.dh.animal.vermin'));
    const exterminate = before.find((f) => f.exact.toLowerCase().includes('exterminate'));
    expect(vermin).toBeDefined();
    expect(exterminate).toBeDefined();

    // Version 2: vermin retired, a new threat entry on "patience … at an end".
    await api().post('/api/lexicon/entries/en.dh.animal.vermin/retire').expect(200);
    await api().post('/api/lexicon/entries').send(newEntry('en.test.patience', ['patience ~3 at an end'], { status: 'reviewed' })).expect(201);
    const published = await api().post('/api/lexicon/versions').send({ note: 'retire vermin, add patience' }).expect(201);
    const v2 = published.body.version.version as string;
    expect(v2).toBe(`${starter.version}+2`);
    expect((await api().get('/api/lexicon').expect(200)).body.active.version).toBe(v2);
    const versions = (await api().get('/api/lexicon/versions').expect(200)).body.items;
    expect(versions.map((v: { number: number }) => v.number)).toEqual([2, 1]);

    const job = await reanalyze(id, { reason: 'vermin retired, patience added' });
    expect(job).toMatchObject({
      status: 'done', lexicon: { id: starter.id, version: v2 }, requestedBy: adminId, reason: 'vermin retired, patience added',
      counts: { added: 1, kept: before.length - 1, obsoleted: 1 },
    });
    expect(job.progress.pagesDone).toBe(job.progress.pagesTotal);
    expect(job.progress.pagesTotal).toBeGreaterThan(0);

    const after = await flagsOf(id);
    expect(after).toHaveLength(before.length + 1); // nothing deleted
    const oldVermin = after.find((f) => f.id === vermin!.id)!;
    expect(oldVermin.status).toBe('obsolete');
    const kept = after.find((f) => f.id === exterminate!.id)!;
    expect(kept).toMatchObject({ status: 'new', lexicon: { version: starter.version } });
    const added = after.find((f) => f.matches.some((m: { entryId: string }) => m.entryId === 'en.test.patience'))!;
    expect(added).toMatchObject({ status: 'new', lexicon: { version: v2 }, exact: 'patience with them is at an end' });
    expect((await api().get(`/api/documents/${id}`).expect(200)).body.document.lexicon).toEqual({ id: starter.id, version: v2 });

    const events = await auditOf('document', id);
    const requests = events.filter((e) => e.action === 'analysis.reanalyze.request');
    expect(requests).toEqual([expect.objectContaining({ actor: adminId, role: 'admin', reason: 'vermin retired, patience added', change: { job: job.id, lexicon: { id: starter.id, version: v2 } } })]);
    const runs = events.filter((e) => e.action === 'analysis.reanalyze');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ actor: adminId, role: 'admin', change: { job: job.id, lexicon: { version: v2 }, added: 1, obsoleted: 1 } });
    expect(runs[0]!.seq).toBeGreaterThan(requests[0]!.seq);
    const publishEvents = await auditOf('lexicon_version', v2);
    expect(publishEvents).toEqual([expect.objectContaining({ action: 'lexicon.publish', actor: adminId, change: expect.objectContaining({ number: 2, note: 'retire vermin, add patience' }) })]);

    // Idempotent: a second run changes nothing.
    const again = await reanalyze(id);
    expect(again).toMatchObject({ status: 'done', reason: null, counts: { added: 0, obsoleted: 0, kept: before.length } });
    expect(await flagsOf(id)).toHaveLength(before.length + 1);

    // New uploads are analysed with the active version.
    const text = fs.readFileSync(STATEMENT, 'utf8') + '\nA second, later copy.\n';
    const second = await api().post('/api/documents').field('kind', 'statement').field('title', 'Ormund address, copy (synthetic)')
      .attach('file', Buffer.from(text), 'copy.txt').expect(202);
    const secondId = second.body.document.id as string;
    expect((await waitForStatus(service, secondId, ['done', 'failed'])).status).toBe('done');
    const secondFlags = await flagsOf(secondId);
    expect(secondFlags.every((f) => f.lexicon.version === v2)).toBe(true);
    expect(secondFlags.some((f) => f.matches.some((m: { entryId: string }) => m.entryId === 'en.dh.animal.vermin'))).toBe(false);
  });
  it('refuses unknown documents, bad requests and unknown jobs', async () => {
    await api().post('/api/documents/0123456789abcdef01234567/reanalyze').expect(404);
    await api().post('/api/documents/not-an-id/reanalyze').expect(404);
    await api().get('/api/reanalyses/0123456789abcdef01234567').expect(404);
    await api().get('/api/reanalyses/nope').expect(404);
    const upload = await api().post('/api/documents').field('kind', 'statement').field('title', 'Bad re-analysis requests (synthetic)')
      .attach('file', Buffer.from('The Merenites are vermin, said nobody in particular.\n'), 'bad-requests.txt').expect(202);
    const id = upload.body.document.id as string;
    expect((await waitForStatus(service, id, ['done', 'failed'])).status).toBe('done');
    const unknownField = await api().post(`/api/documents/${id}/reanalyze`).send({ reason: 'x', force: true }).expect(400);
    expect(unknownField.body.error.details[0].field).toBe('force');
    const operator = await api().post(`/api/documents/${id}/reanalyze`).send({ reason: { $ne: 1 } }).expect(400);
    expect(operator.body.error.details[0].field).toBe('reason');
    await api().post(`/api/documents/${id}/reanalyze`).type('text/plain').send('again please').expect(415);
    expect(await service.db.models.Reanalysis.countDocuments({ document: id })).toBe(0);
  });
});

describe('import and export', () => {
  it('imports a HurtLex file as drafts, refuses to import it twice, and reports bad files by line', async () => {
    const tsv = fs.readFileSync(path.join(__dirname, '..', 'lexicon', 'fixtures', 'hurtlex-synthetic-en.tsv'), 'utf8');
    const res = await api().post('/api/lexicon/import?format=hurtlex&lang=en').type('text/tab-separated-values').send(tsv).expect(201);
    expect(res.body.imported).toEqual({ entries: 3, targets: 1 });
    expect(res.body.skipped).toHaveLength(1);
    expect((await api().get('/api/lexicon/entries/hurtlex.en.EN9001').expect(200)).body.status).toBe('draft');
    const twice = await api().post('/api/lexicon/import?format=hurtlex&lang=en').type('text/plain').send(tsv).expect(409);
    expect(twice.body.error.details.entries).toContain('hurtlex.en.EN9001');

    const bad = fs.readFileSync(path.join(__dirname, '..', 'lexicon', 'fixtures', 'hurtlex-bad.tsv'), 'utf8');
    const rejected = await api().post('/api/lexicon/import?format=hurtlex&lang=en&idPrefix=bad').type('text/plain').send(bad).expect(400);
    expect(rejected.body.error.details.map((d: { line: number }) => d.line)).toEqual([3, 4]);
    await api().get('/api/lexicon/entries/bad.EN9101').expect(404); // the good row was not imported either
    expect((await api().post('/api/lexicon/import?format=xml').type('text/plain').send('x').expect(400)).body.error.code).toBe('invalid_query');
  });
  it('exports the working copy as CSV and a published version as JSON', async () => {
    const csv = await api().get('/api/lexicon/export?format=csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/u);
    expect(csv.text.split('\n')[0]).toMatch(/^id,version,status,lang,role,category,severity,terms/u);
    expect(csv.text).toContain('hurtlex.en.EN9001');
    const v1 = await api().get(`/api/lexicon/export?format=json&version=${encodeURIComponent(starter.version)}`).expect(200);
    const data = JSON.parse(v1.text);
    expect(data.version).toBe(starter.version);
    expect(data.entries).toHaveLength(starter.entries.length);
    await api().get('/api/lexicon/export?version=nope').expect(404);
  });
});

describe('who may change the lexicon, and the audit trail', () => {
  it('lets every role read but refuses writes to non-admins (403), changing nothing', async () => {
    await api().post('/api/lexicon/entries').send(newEntry('en.test.guarded', ['encircle*'])).expect(201);
    for (const role of ['viewer', 'analyst', 'reviewer'] as const) {
      const other = withHeaders(service.app, { ...(await apiKeyHeaders(service, [role])) });
      await other.get('/api/lexicon').expect(200);
      await other.get('/api/lexicon/entries/en.test.guarded').expect(200);
      await other.get('/api/lexicon/export?format=csv').expect(200);
      const refusals = [
        await other.post('/api/lexicon/entries').send(newEntry(`en.test.${role}`, ['encircle*'])),
        await other.patch('/api/lexicon/entries/en.test.guarded').send({ severity: 4 }),
        await other.post('/api/lexicon/entries/en.test.guarded/retire').send({}),
        await other.post('/api/lexicon/targets').send({ id: `${role}s`, name: 'x', terms: [{ lang: 'en', kind: 'ethnonym', terms: ['x'] }] }),
        await other.post('/api/lexicon/versions').send({}),
        await other.post('/api/lexicon/import?format=json').type('application/json').send({ entries: [] }),
        await other.post('/api/lexicon/import/preview?format=json').type('application/json').send({ entries: [] }),
      ];
      for (const res of refusals) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
    }
    const entry = (await api().get('/api/lexicon/entries/en.test.guarded').expect(200)).body;
    expect(entry).toMatchObject({ version: 1, severity: 2, status: 'draft' });
    await api().get('/api/lexicon/entries/en.test.viewer').expect(404);
    expect((await auditOf('lexicon_entry', 'en.test.guarded')).map((e) => e.action)).toEqual(['lexicon.entry.create']);
  });

  it('records an admin\'s changes (cookie session) with the acting user and what changed', async () => {
    const { agent, csrfToken, userId } = await loginAgent(service, ['admin']);
    await agent.post('/api/lexicon/entries').set('X-CSRF-Token', csrfToken).send(newEntry('en.test.cordon', ['cordon* off'])).expect(201);
    await agent.patch('/api/lexicon/entries/en.test.cordon').set('X-CSRF-Token', csrfToken).send({ severity: 3 }).expect(200);
    await agent.post('/api/lexicon/entries/en.test.cordon/retire').set('X-CSRF-Token', csrfToken).expect(200);
    // Without the CSRF token a cookie session changes nothing.
    await agent.patch('/api/lexicon/entries/en.test.cordon').send({ severity: 4 }).expect(403);

    const events = await auditOf('lexicon_entry', 'en.test.cordon');
    expect(events.map((e) => e.action)).toEqual(['lexicon.entry.create', 'lexicon.entry.update', 'lexicon.entry.retire']);
    for (const e of events) expect(e).toMatchObject({ actor: userId, role: 'admin' });
    expect(events[0]!.change.entry).toMatchObject({ id: 'en.test.cordon', terms: ['cordon* off'] });
    expect(events[1]!.change).toMatchObject({ severity: { from: 2, to: 3 }, version: { from: 1, to: 2 } });
    expect(events[2]!.change.status).toEqual({ from: 'draft', to: 'retired' });

    const imports = (await auditOf('lexicon', 'working-copy')).filter((e) => e.action === 'lexicon.import');
    expect(imports).toHaveLength(1); // the HurtLex import above; the refused ones left no event
    expect(imports[0]).toMatchObject({ actor: adminId, change: { format: 'hurtlex', imported: { entries: 3, targets: 1 } } });
    expect(imports[0]!.change.entryIds).toContain('hurtlex.en.EN9001');
    expect(imports[0]!.change.sha256).toMatch(/^[0-9a-f]{64}$/u);
    expect((await api().get('/api/audit/verify').expect(200)).body.ok).toBe(true);
  });

  it('lets analysts re-analyse but not viewers or reviewers', async () => {
    const unknown = '/api/documents/0123456789abcdef01234567/reanalyze';
    await withHeaders(service.app, { ...(await apiKeyHeaders(service, ['analyst'])) }).post(unknown).expect(404);
    await withHeaders(service.app, { ...(await apiKeyHeaders(service, ['viewer'])) }).post(unknown).expect(403);
    await withHeaders(service.app, { ...(await apiKeyHeaders(service, ['reviewer'])) }).post(unknown).expect(403);
    await request(service.app).post(unknown).expect(401);
  });
});

describe('import preview', () => {
  const hurtlex = () => fs.readFileSync(path.join(__dirname, '..', 'lexicon', 'fixtures', 'hurtlex-synthetic-en.tsv'), 'utf8');

  it('shows what a file would add, change and leave alone, with line errors, writing nothing', async () => {
    // The HurtLex file imported above: everything is already there as it is.
    const again = await api().post('/api/lexicon/import/preview?format=hurtlex&lang=en').type('text/plain').send(hurtlex()).expect(200);
    expect(again.body).toMatchObject({ applicable: false, counts: { added: 0, changed: 0, unchanged: 4, errors: 0, skipped: 1 } });
    expect(again.body.unchanged.entries).toEqual(['hurtlex.en.EN9001', 'hurtlex.en.EN9002', 'hurtlex.en.EN9005']);

    const stored = (await api().get('/api/lexicon/entries/hurtlex.en.EN9001').expect(200)).body;
    const kept = (await api().get('/api/lexicon/entries/hurtlex.en.EN9002').expect(200)).body;
    const file = { entries: [{ ...stored, severity: stored.severity === 4 ? 3 : 4, version: 1 }, kept, { ...newEntry('en.test.preview', ['round* up']), version: 1, status: 'draft' }] };
    const auditBefore = (await api().get('/api/audit?limit=1').expect(200)).body.total;
    const preview = await api().post('/api/lexicon/import/preview?format=json').type('application/json').send(file).expect(200);
    expect(preview.body).toMatchObject({ applicable: true, counts: { added: 1, changed: 1, unchanged: 1, errors: 0 } });
    expect(preview.body.added.entries).toEqual(['en.test.preview']);
    expect(preview.body.changed.entries).toEqual([{ id: 'hurtlex.en.EN9001', fields: ['severity'] }]);
    expect(preview.body.unchanged.entries).toEqual(['hurtlex.en.EN9002']);
    expect(preview.body.sha256).toMatch(/^[0-9a-f]{64}$/u);
    // Nothing was written, and nothing was audited.
    await api().get('/api/lexicon/entries/en.test.preview').expect(404);
    expect((await api().get('/api/lexicon/entries/hurtlex.en.EN9001').expect(200)).body).toEqual(stored);
    expect((await api().get('/api/audit?limit=1').expect(200)).body.total).toBe(auditBefore);

    // A bad file: every problem with its line, and no diff.
    const bad = fs.readFileSync(path.join(__dirname, '..', 'lexicon', 'fixtures', 'hurtlex-bad.tsv'), 'utf8');
    const rejected = await api().post('/api/lexicon/import/preview?format=hurtlex&lang=en').type('text/plain').send(bad).expect(200);
    expect(rejected.body).toMatchObject({ applicable: false, counts: { added: 0, errors: 2 } });
    expect(rejected.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 4]);
    expect((await api().post('/api/lexicon/import/preview?format=xml').type('text/plain').send('x').expect(400)).body.error.code).toBe('invalid_query');
    expect((await api().post('/api/lexicon/import/preview?format=json&update=true').type('text/plain').send('[]').expect(400)).body.error.code).toBe('invalid_query');
    await api().post('/api/lexicon/import/preview?format=csv').type('text/plain').send('  ').expect(400);
  });

  it('applies the previewed file with update=true: adds the new, updates the changed (audited), leaves the rest', async () => {
    const stored = (await api().get('/api/lexicon/entries/hurtlex.en.EN9001').expect(200)).body;
    const kept = (await api().get('/api/lexicon/entries/hurtlex.en.EN9002').expect(200)).body;
    const file = { entries: [{ ...stored, meaning: 'changed by an import (synthetic)' }, kept, { ...newEntry('en.test.applied', ['herd* away']), version: 1, status: 'draft' }] };
    // Without update=true, existing ids still refuse the whole import.
    await api().post('/api/lexicon/import?format=json').type('application/json').send(file).expect(409);
    await api().get('/api/lexicon/entries/en.test.applied').expect(404);

    const res = await api().post('/api/lexicon/import?format=json&update=true').type('application/json').send(file).expect(201);
    expect(res.body).toMatchObject({ imported: { entries: 1, targets: 0 }, updated: { entries: ['hurtlex.en.EN9001'], targets: [] } });
    expect((await api().get('/api/lexicon/entries/hurtlex.en.EN9001').expect(200)).body).toMatchObject({ meaning: 'changed by an import (synthetic)', version: stored.version + 1 });
    expect((await api().get('/api/lexicon/entries/hurtlex.en.EN9002').expect(200)).body).toEqual(kept);
    expect((await api().get('/api/lexicon/entries/en.test.applied').expect(200)).body.status).toBe('draft');
    const after = await api().post('/api/lexicon/import/preview?format=json').type('application/json').send(file).expect(200);
    expect(after.body.counts).toMatchObject({ added: 0, changed: 0, unchanged: 3 });

    const imports = (await auditOf('lexicon', 'working-copy')).filter((e) => e.action === 'lexicon.import');
    expect(imports.at(-1)).toMatchObject({ actor: adminId, change: { format: 'json', updatedEntryIds: ['hurtlex.en.EN9001'], imported: { entries: 1, targets: 0 } } });
  });
});
