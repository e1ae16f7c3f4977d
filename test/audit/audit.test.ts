/**
 * The audit trail is a hash chain that nobody can rewrite silently: the verifier (API and
 * `npm run audit:verify`) recomputes it and names the first broken link after an event is
 * edited or deleted directly in the database.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { canonicalJson } from '../../src/audit/canonical';
import { AuditLog, eventHash, GENESIS_HASH } from '../../src/audit/log';
import { apiKeyHeaders, createTestUser, FIXTURES, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

const ROOT = path.resolve(__dirname, '..', '..');

let service: TestService;
let admin: ReturnType<typeof withHeaders>;
beforeAll(async () => {
  service = await startTestService();
  admin = withHeaders(service.app, await apiKeyHeaders(service, ['admin']));
});
afterAll(async () => {
  await service.dispose();
});

function cliVerify() {
  return spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/cli/admin.ts', 'audit-verify'], {
    cwd: ROOT,
    env: { ...process.env, MONGODB_URI: process.env.MONGODB_URI, MONGODB_DB: service.dbName },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops undefined, writes dates as ISO strings', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined, x: null }], c: new Date('2026-01-02T03:04:05.678Z') } })).toBe(
      '{"a":{"c":"2026-01-02T03:04:05.678Z","d":[2,{"x":null,"z":1}]},"b":1}',
    );
  });
});

describe('appending', () => {
  it('records uploads, analysis runs, user changes and failed logins, chained from the genesis hash', async () => {
    const analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
    const upload = await analyst.post('/api/documents').field('kind', 'statement').field('title', 'Audit sample (synthetic)').attach('file', path.join(FIXTURES, 'statement-sample.txt')).expect(202);
    const id = upload.body.document.id as string;
    await waitForStatus(service, id, ['done']);
    await request(service.app).post('/api/auth/login').send({ username: 'nobody-here', password: 'wrong password!' }).expect(401);
    const user = await createTestUser(service, ['viewer']);
    await admin.patch(`/api/users/${user.id}`).send({ roles: ['viewer', 'reviewer'] }).expect(200);
    const reader = withHeaders(service.app, await apiKeyHeaders(service, ['viewer']));
    await reader.get(`/api/flags/export?format=csv&document=${id}`).expect(200);

    const events = (await admin.get('/api/audit?limit=1000').expect(200)).body.items as Array<Record<string, any>>;
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['document.upload', 'analysis.run', 'auth.login_failed', 'user.create', 'user.update', 'flags.export', 'apikey.create']));
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    events.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      if (i > 0) expect(e.prevHash).toBe(events[i - 1]!.hash);
      expect(eventHash({ ...e, at: new Date(e.at) } as never)).toBe(e.hash);
    });
    const uploadEvent = events.find((e) => e.action === 'document.upload')!;
    expect(uploadEvent.entity).toEqual({ type: 'document', id });
    expect(uploadEvent.actor).toBe(String((await service.db.models.Document.findById(id).lean())!.uploadedBy));
    expect(uploadEvent.role).toBe('analyst');
    const roleChange = events.find((e) => e.action === 'user.update')!;
    expect(roleChange.change).toEqual({ roles: { from: ['viewer'], to: ['viewer', 'reviewer'] } });

    // Filter by entity.
    const forDoc = (await admin.get(`/api/audit?entityType=document&entityId=${id}`).expect(200)).body.items as Array<{ action: string }>;
    expect(forDoc.map((e) => e.action)).toEqual(['document.upload', 'analysis.run']);
  });

  it('gives concurrent appends distinct consecutive sequence numbers (in-process queue; unique index + retry across writers)', async () => {
    const before = await service.db.models.AuditEvent.countDocuments();
    // Four independent writers (as four processes would be), each appending in parallel.
    const writers = [service.audit, ...Array.from({ length: 3 }, () => new AuditLog(service.db.repos.audit))];
    await Promise.all(
      writers.flatMap((w, k) => Array.from({ length: 8 }, (_, i) => w.append({ actor: { id: 'test', role: 'test' }, action: 'flags.export', entity: { type: 'export', id: `${k}-${i}` }, change: { k, i } }))),
    );
    const seqs = (await service.db.models.AuditEvent.find({}, { seq: 1 }).sort({ seq: 1 }).lean()).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: before + 32 }, (_, i) => i + 1));
    expect((await service.audit.verify()).ok).toBe(true);
  });

  it('is for admins only', async () => {
    const viewer = withHeaders(service.app, await apiKeyHeaders(service, ['viewer', 'analyst', 'reviewer']));
    expect((await viewer.get('/api/audit').expect(403)).body.error.code).toBe('forbidden');
    await request(service.app).get('/api/audit').expect(401);
  });
});

describe('verifying', () => {
  it('passes on an intact chain (API and CLI)', async () => {
    const res = await admin.get('/api/audit/verify').expect(200);
    expect(res.body).toMatchObject({ ok: true });
    expect(res.body.events).toBeGreaterThan(5);
    const cli = cliVerify();
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/^audit chain OK: \d+ events; head seq \d+ hash [0-9a-f]{64}/);
  });

  it('catches an event edited directly in the database and names it', async () => {
    const { AuditEvent } = service.db.models;
    const target = await AuditEvent.findOne({ action: 'user.update' }).lean();
    const collection = service.db.connection.collection('auditevents');
    await collection.updateOne({ _id: target!._id }, { $set: { 'change.roles.to': ['viewer', 'reviewer', 'admin'] } });
    const api = (await admin.get('/api/audit/verify').expect(200)).body;
    expect(api.ok).toBe(false);
    expect(api.broken.seq).toBe(target!.seq);
    const cli = cliVerify();
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`BROKEN at event ${target!.seq}`);

    // Re-hashing the edited event does not help: the next event's prevHash no longer matches.
    const edited = await AuditEvent.findById(target!._id).lean();
    const { payloadHash } = await import('../../src/audit/log');
    const payloadSha256 = payloadHash(edited!.change, edited!.reason ?? null);
    await collection.updateOne({ _id: target!._id }, { $set: { payloadSha256, hash: eventHash({ ...edited!, payloadSha256 }) } });
    const rehashed = await service.audit.verify();
    expect(rehashed.ok).toBe(false);
    expect(rehashed.broken!.seq).toBe(target!.seq + 1);
    expect(rehashed.broken!.problem).toMatch(/prevHash/);

    await collection.replaceOne({ _id: target!._id }, target!);
    expect((await service.audit.verify()).ok).toBe(true);
  });

  it('catches an event deleted from the middle of the chain', async () => {
    const collection = service.db.connection.collection('auditevents');
    const victim = await collection.findOne({ seq: 3 });
    await collection.deleteOne({ seq: 3 });
    const result = (await admin.get('/api/audit/verify').expect(200)).body;
    expect(result.ok).toBe(false);
    expect(result.broken.problem).toMatch(/event 3 is missing/);
    const cli = cliVerify();
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain('event 3 is missing');
    await collection.insertOne(victim!);
    expect((await service.audit.verify()).ok).toBe(true);
  });
});
