/**
 * Attacks, each a test that fails when its defence is removed: NoSQL operator injection,
 * mass assignment, one user reaching another's resources, stored XSS, CSRF, login brute
 * force, and the security headers.
 */
import path from 'node:path';
import request from 'supertest';
import { apiKeyHeaders, createTestUser, FIXTURES, loginAgent, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

type Client = ReturnType<typeof withHeaders>;

let service: TestService;
let admin: Client, analyst: Client, reviewer: Client, viewer: Client;
let documentId: string;
let flagId: string;
const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>';

beforeAll(async () => {
  service = await startTestService({ auth: { loginMaxFailures: 4, clientMaxFailures: 1000, loginBaseDelayMs: 10 * 60_000 } });
  admin = withHeaders(service.app, await apiKeyHeaders(service, ['admin']));
  analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst', 'viewer']));
  reviewer = withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']));
  viewer = withHeaders(service.app, await apiKeyHeaders(service, ['viewer']));
  const res = await analyst
    .post('/api/documents')
    .field('kind', 'textbook')
    .field('title', `History ${XSS}`)
    .field('publisher', XSS)
    .attach('file', path.join(FIXTURES, 'textbook-sample.pdf'))
    .expect(202);
  documentId = res.body.document.id;
  await waitForStatus(service, documentId, ['done']);
  flagId = (await viewer.get(`/api/documents/${documentId}/flags?limit=1`).expect(200)).body.items[0].id;
});
afterAll(async () => {
  await service.dispose();
});

describe('NoSQL operator injection', () => {
  it.each([
    '/api/flags?status[$ne]=new',
    '/api/flags?status=new&category[$gt]=',
    '/api/documents?kind[$regex]=.*',
    `/api/flags?document[$ne]=${'0'.repeat(24)}`,
    '/api/audit?entityId[$ne]=x',
    '/api/audit?entityType=document&entityId=%7B%22%24gt%22%3A%22%22%7D',
  ])('in query strings: %s → 400', async (url) => {
    const client = url.startsWith('/api/audit') ? admin : viewer;
    const res = await client.get(url).expect(400);
    expect(res.body.error.code).toBe('invalid_query');
  });

  it('in a login body: {"$gt": ""} never matches a user', async () => {
    await createTestUser(service, ['admin'], 'injection-target');
    const res = await request(service.app).post('/api/auth/login').send({ username: { $gt: '' }, password: { $gt: '' } });
    expect(res.status).toBe(400);
    expect(res.headers['set-cookie']).toBeUndefined();
    const res2 = await request(service.app).post('/api/auth/login').send({ username: 'injection-target', password: { $ne: 'x' } });
    expect(res2.status).toBe(400);
  });

  it('in bodies: $where, operator objects and keys with dots are refused', async () => {
    await reviewer.post(`/api/flags/${flagId}/reviews`).send({ decision: 'confirm', $where: 'sleep(1000)' }).expect(400);
    await reviewer.post(`/api/flags/${flagId}/reviews`).send({ decision: { $ne: 'reject' } }).expect(400);
    await reviewer.post(`/api/flags/${flagId}/reviews`).send({ decision: 'modify', modification: { 'severity.$gt': 1 } }).expect(400);
    await admin.post('/api/users').send({ username: 'dotted', password: 'long enough password', roles: ['viewer'], 'roles.0': 'admin' }).expect(400);
    await admin.patch(`/api/users/${(await createTestUser(service, ['viewer'])).id}`).send({ roles: { $set: ['admin'] } }).expect(400);
    await analyst.post(`/api/documents/${documentId}/withdraw`).send({ reason: { $gt: '' } }).expect(400);
    expect(await service.db.models.Review.countDocuments({ flag: flagId })).toBe(0);
  });

  it('in upload form fields', async () => {
    const res = await analyst.post('/api/documents').field('kind', 'textbook').field('title', 't').field('$where', '1').attach('file', Buffer.from('Kestrel Valley notes.\n'), 'notes.txt');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_metadata');
  });
});

describe('mass assignment', () => {
  it('an upload cannot set status, uploader or review fields', async () => {
    for (const field of ['status', 'uploadedBy', 'withdrawal', 'original.sha256']) {
      const res = await analyst.post('/api/documents').field('kind', 'textbook').field('title', 'mass').field(field, 'done').attach('file', Buffer.from(`Lake Vessa ${field}\n`), 'm.txt');
      expect(res.status).toBe(400);
    }
  });

  it('a review cannot choose its status, reviewer, round or version', async () => {
    const other = (await createTestUser(service, ['reviewer'])).id;
    for (const extra of [{ status: 'confirmed' }, { reviewer: other }, { round: 0 }, { flagVersion: 7 }]) {
      await reviewer.post(`/api/flags/${flagId}/reviews`).send({ decision: 'confirm', ...extra }).expect(400);
    }
    expect(await service.db.models.Review.countDocuments({ flag: flagId })).toBe(0);
  });

  it('creating a user or an API key cannot set ids, hashes, owners or flags', async () => {
    const refused = await admin.post('/api/users').send({ username: 'mass-user', password: 'long enough password', roles: ['viewer'], passwordHash: 'scrypt$1$1$1$x$y' }).expect(400);
    // A user is not document metadata: the code says what was wrong.
    expect(refused.body.error).toMatchObject({ code: 'invalid_request', details: [{ field: 'passwordHash' }] });
    await admin.post('/api/users').send({ username: 'mass-user', password: 'long enough password', roles: ['superuser'] }).expect(400);
    const victim = await createTestUser(service, ['viewer']);
    await viewer.post('/api/auth/keys').send({ name: 'k', user: victim.id }).expect(400);
    await viewer.post('/api/auth/keys').send({ name: 'k', revokedAt: null, expiresAt: '2999-01-01' }).expect(400);
  });

  it('nobody grants themself a role: only admins reach the user routes', async () => {
    const me = await loginAgent(service, ['reviewer']);
    await me.agent.patch(`/api/users/${me.userId}`).set('X-CSRF-Token', me.csrfToken).send({ roles: ['admin'] }).expect(403);
    expect((await service.db.models.User.findById(me.userId).lean())!.roles).toEqual(['reviewer']);
  });
});

describe("reaching another user's resources", () => {
  it("cannot list or revoke someone else's API keys", async () => {
    const alice = await loginAgent(service, ['analyst']);
    const bob = await loginAgent(service, ['analyst']);
    const key = (await alice.agent.post('/api/auth/keys').set('X-CSRF-Token', alice.csrfToken).send({ name: 'alice-script' }).expect(201)).body;
    expect((await bob.agent.get('/api/auth/keys').expect(200)).body.items).toEqual([]);
    await bob.agent.post(`/api/auth/keys/${key.apiKey.id}/revoke`).set('X-CSRF-Token', bob.csrfToken).expect(404);
    await request(service.app).get('/api/auth/me').set('Authorization', `Bearer ${key.key}`).expect(200);
  });

  it("cannot release another reviewer's lease or see their undecided review", async () => {
    const other = withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']));
    const held = (await reviewer.get('/api/review/next').expect(200)).body.flag.id;
    expect((await other.post(`/api/review/${held}/release`).expect(200)).body.released).toBe(false);
    expect(await service.db.models.ReviewLease.countDocuments({ _id: held })).toBe(1);
    await reviewer.post(`/api/flags/${held}/reviews`).send({ decision: 'reject', note: 'secret first opinion' }).expect(201);
    const seen = await other.get(`/api/flags/${held}/reviews`).expect(200);
    expect(JSON.stringify(seen.body)).not.toContain('secret first opinion');
    expect(JSON.stringify((await other.get(`/api/flags/${held}/history`).expect(200)).body)).not.toContain('secret first opinion');
  });

  it('path spelling does not get around the table (case, trailing slash)', async () => {
    await viewer.get('/API/USERS').expect(403);
    await viewer.get('/api/users/').expect(403);
    await request(service.app).get('/Api/Audit').expect(401);
    await request(service.app).get('/api/Documents').expect(401);
  });

  it('roles are enforced against the role, not the route guess: a viewer cannot upload, an analyst cannot review', async () => {
    await viewer.post('/api/documents').field('kind', 'textbook').field('title', 'x').attach('file', Buffer.from('x\n'), 'x.txt').expect(403);
    await analyst.post(`/api/flags/${flagId}/reviews`).send({ decision: 'confirm' }).expect(403);
    await reviewer.get('/api/audit').expect(403);
  });
});

describe('stored XSS', () => {
  it('comes back verbatim inside JSON, never as HTML, with nosniff', async () => {
    const res = await viewer.get(`/api/documents/${documentId}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body.document.title).toBe(`History ${XSS}`);
    expect(res.body.document.textbook.publisher).toBe(XSS);
    // JSON escapes nothing HTML-special, so the browser must never treat it as HTML: CSP too.
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
  });

  it('in review notes and translations', async () => {
    const id = (await viewer.get(`/api/documents/${documentId}/flags?limit=5`).expect(200)).body.items[3].id;
    await reviewer.post(`/api/flags/${id}/reviews`).send({ decision: 'confirm', note: XSS }).expect(201);
    await reviewer.post(`/api/flags/${id}/translations`).send({ text: XSS, language: 'en', translator: XSS }).expect(201);
    for (const url of [`/api/flags/${id}/reviews`, `/api/flags/${id}/translations`]) {
      const res = await reviewer.get(url).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.text).toContain(JSON.stringify(XSS).slice(1, -1));
    }
  });

  it('in error messages echoing the path', async () => {
    const res = await request(service.app).get('/api/%3Cscript%3Ealert(1)%3C%2Fscript%3E').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('in exports: attachments, never rendered inline', async () => {
    for (const format of ['csv', 'json']) {
      const res = await viewer.get(`/api/flags/export?format=${format}&document=${documentId}`).expect(200);
      expect(res.headers['content-disposition']).toMatch(/^attachment;/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-type']).not.toMatch(/html/);
    }
  });
});

describe('CSRF', () => {
  it('a cross-site form post riding on the session cookie is refused and changes nothing', async () => {
    const { agent } = await loginAgent(service, ['analyst']);
    const res = await agent.post(`/api/documents/${documentId}/withdraw`).type('form').send('reason=forged+by+another+site').expect(403);
    expect(res.body.error.code).toBe('csrf_failed');
    expect((await service.db.models.Document.findById(documentId).lean())!.withdrawal).toBeUndefined();
  });

  it('the same request with the session token works', async () => {
    const { agent, csrfToken } = await loginAgent(service, ['analyst']);
    const res = await agent.post(`/api/documents/${documentId}/withdraw`).set('X-CSRF-Token', csrfToken).send({ reason: 'wrong edition uploaded' }).expect(200);
    expect(res.body.document.withdrawal.reason).toBe('wrong edition uploaded');
    // Withdrawn, not deleted, and every reader sees that it is withdrawn.
    const shown = (await viewer.get(`/api/documents/${documentId}`).expect(200)).body.document;
    expect(shown.id).toBe(documentId);
    expect(shown.withdrawal).toMatchObject({ reason: 'wrong edition uploaded' });
  });

  it('the session cookie is SameSite=Strict and httpOnly', async () => {
    const user = await createTestUser(service, ['viewer']);
    const res = await request(service.app).post('/api/auth/login').send({ username: user.username, password: user.password }).expect(200);
    expect(res.headers['set-cookie']![0]).toMatch(/HttpOnly/);
    expect(res.headers['set-cookie']![0]).toMatch(/SameSite=Strict/);
  });
});

describe('login brute force', () => {
  it('is throttled per account, and per client across accounts', async () => {
    const user = await createTestUser(service, ['viewer']);
    const attempts: number[] = [];
    for (let i = 0; i < 6; i += 1) attempts.push((await request(service.app).post('/api/auth/login').send({ username: user.username, password: `guess ${i} guess` })).status);
    expect(attempts).toEqual([401, 401, 401, 401, 429, 429]);
    await request(service.app).post('/api/auth/login').send({ username: user.username, password: user.password }).expect(429);

    // The counts live in the database (shared by every process): a database of its own here.
    const strict = await startTestService({ runner: { enabled: false }, auth: { loginMaxFailures: 100, clientMaxFailures: 3, loginBaseDelayMs: 10 * 60_000 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await request(strict.app).post('/api/auth/login').send({ username: `sprayed-${i}`, password: 'Password123456' })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await strict.dispose();
    }
  });
});

describe('security headers (helmet)', () => {
  it('are set on every response, public or not', async () => {
    for (const res of [await request(service.app).get('/api/health'), await request(service.app).get('/api/documents')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });
});
