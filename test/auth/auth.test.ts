/**
 * Browser sessions (cookie + CSRF token), API keys (shown once, hashed, revocable, expiring),
 * scrypt password hashes, login throttling, and the create-admin command.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import { apiKeyHeaders, createTestUser, loginAgent, startTestService, TEST_PASSWORD, withHeaders, type TestService } from '../support/service';

const ROOT = path.resolve(__dirname, '..', '..');

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ auth: { loginMaxFailures: 3, loginWindowMs: 60_000 } });
});
afterAll(async () => {
  await service.dispose();
});

describe('passwords', () => {
  it('are stored as scrypt hashes with a per-user salt', async () => {
    const a = await createTestUser(service, ['viewer']);
    const b = await createTestUser(service, ['viewer']);
    const users = await service.db.models.User.find({ _id: { $in: [a.id, b.id] } }).lean();
    for (const u of users) {
      expect(u.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(u.passwordHash).not.toContain(TEST_PASSWORD);
    }
    expect(users[0]!.passwordHash).not.toBe(users[1]!.passwordHash);
  });

  it('must be long enough', async () => {
    const admin = withHeaders(service.app, await apiKeyHeaders(service, ['admin']));
    const res = await admin.post('/api/users').send({ username: 'shorty', password: 'short', roles: ['viewer'] }).expect(400);
    expect(res.body.error.message).toMatch(/password/);
  });
});

describe('browser sessions', () => {
  it('log in with an httpOnly, SameSite=Strict cookie and return a CSRF token', async () => {
    const user = await createTestUser(service, ['viewer']);
    const res = await request(service.app).post('/api/auth/login').send({ username: user.username, password: user.password }).expect(200);
    const cookie = res.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/^lw_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP in the test
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(res.body.user).toEqual(expect.objectContaining({ username: user.username, roles: ['viewer'] }));
    expect(JSON.stringify(res.body)).not.toContain('passwordHash');
    // The database holds only a hash of the cookie token.
    const token = /^lw_session=([^;]+)/.exec(cookie)![1]!;
    expect(await service.db.models.Session.countDocuments({ _id: token })).toBe(0);
    expect(await service.db.models.Session.countDocuments({ _id: createHash('sha256').update(token).digest('hex') })).toBe(1);
  });

  it('mark the cookie Secure behind a trusted TLS proxy', async () => {
    const behindProxy = await startTestService({ dbName: service.dbName, runner: { enabled: false } });
    // Same database, an app that trusts the proxy header.
    const { createApp } = await import('../../src/http/app');
    const app = createApp({
      models: behindProxy.db.models,
      ingest: undefined as never,
      originals: behindProxy.originals,
      maxUploadBytes: 1,
      lexicon: behindProxy.lexicon,
      log: () => {},
      auth: behindProxy.auth,
      review: behindProxy.review,
      audit: behindProxy.audit,
      dossiers: behindProxy.dossiers,
      trustProxy: 'loopback',
    });
    const user = await createTestUser(behindProxy, ['viewer']);
    const res = await request(app).post('/api/auth/login').set('X-Forwarded-Proto', 'https').send({ username: user.username, password: user.password }).expect(200);
    expect(res.headers['set-cookie']![0]).toMatch(/; Secure/);
    await behindProxy.dispose({ dropDatabase: false });
  });

  it('require the CSRF token on unsafe requests, not on safe ones', async () => {
    const { agent, csrfToken } = await loginAgent(service, ['viewer']);
    await agent.get('/api/auth/me').expect(200);
    const none = await agent.post('/api/auth/keys').send({ name: 'laptop' }).expect(403);
    expect(none.body.error.code).toBe('csrf_failed');
    await agent.post('/api/auth/keys').set('X-CSRF-Token', csrfToken.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))).send({ name: 'laptop' }).expect(403);
    await agent.post('/api/auth/keys').set('X-CSRF-Token', csrfToken).send({ name: 'laptop' }).expect(201);
    // The token belongs to the session: another session's token does not work.
    const other = await loginAgent(service, ['viewer']);
    await agent.post('/api/auth/keys').set('X-CSRF-Token', other.csrfToken).send({ name: 'x' }).expect(403);
  });

  it('expire in code (no TTL index) and end on logout', async () => {
    const { agent, csrfToken, userId } = await loginAgent(service, ['viewer']);
    await agent.get('/api/auth/me').expect(200);
    await service.db.models.Session.updateMany({ user: userId }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    await agent.get('/api/auth/me').expect(401);
    expect(await service.db.models.Session.countDocuments({ user: userId })).toBe(0);

    const second = await loginAgent(service, ['viewer']);
    await second.agent.post('/api/auth/logout').expect(403); // CSRF applies to logout too
    await second.agent.post('/api/auth/logout').set('X-CSRF-Token', second.csrfToken).expect(204);
    await second.agent.get('/api/auth/me').expect(401);
    expect(csrfToken).not.toBe(second.csrfToken);
  });

  it('end when an admin changes the roles or disables the user', async () => {
    const admin = withHeaders(service.app, await apiKeyHeaders(service, ['admin']));
    const { agent, userId, username } = await loginAgent(service, ['viewer']);
    await admin.patch(`/api/users/${userId}`).send({ roles: ['viewer', 'reviewer'] }).expect(200);
    await agent.get('/api/auth/me').expect(401);
    await admin.patch(`/api/users/${userId}`).send({ disabled: true }).expect(200);
    await request(service.app).post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(401);
  });

  it('never leave the service without an active admin', async () => {
    const solo = await startTestService({ runner: { enabled: false } });
    try {
      const admin = await createTestUser(solo, ['admin']);
      const key = (await solo.auth.createApiKey(new (await import('mongoose')).Types.ObjectId(admin.id), { name: 'k' }, { id: admin.id, role: 'admin' })).key;
      const client = withHeaders(solo.app, { Authorization: `Bearer ${key}` });
      expect((await client.patch(`/api/users/${admin.id}`).send({ roles: ['viewer'] }).expect(409)).body.error.message).toMatch(/last active admin/);
      await client.patch(`/api/users/${admin.id}`).send({ disabled: true }).expect(409);
      const second = await createTestUser(solo, ['admin']);
      await client.patch(`/api/users/${admin.id}`).send({ roles: ['viewer'] }).expect(200);
      expect(second.id).toBeTruthy();
    } finally {
      await solo.dispose();
    }
  });

  it('refuse wrong passwords and unknown users with the same answer', async () => {
    const user = await createTestUser(service, ['viewer']);
    const wrong = await request(service.app).post('/api/auth/login').send({ username: user.username, password: 'not the password' }).expect(401);
    const unknown = await request(service.app).post('/api/auth/login').send({ username: 'no-such-person', password: 'whatever it is' }).expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect((await request(service.app).post('/api/auth/login').send({ username: user.username }).expect(400)).body.error.code).toBe('invalid_request');
  });
});

describe('login throttling (in memory, per process)', () => {
  it('refuses further attempts, even the right password, after too many failures', async () => {
    const user = await createTestUser(service, ['viewer']);
    for (let i = 0; i < 3; i += 1) await request(service.app).post('/api/auth/login').send({ username: user.username, password: `guess number ${i}` }).expect(401);
    const blocked = await request(service.app).post('/api/auth/login').send({ username: user.username, password: user.password }).expect(429);
    expect(blocked.body.error).toMatchObject({ code: 'too_many_requests' });
    expect(blocked.body.error.details.retryAfterSeconds).toBeGreaterThan(0);
    const failures = await service.db.models.AuditEvent.countDocuments({ action: 'auth.login_failed', 'entity.id': user.username });
    expect(failures).toBe(3);
  });
});

describe('API keys', () => {
  it('are shown once, stored hashed, named, listed without the secret, and revocable', async () => {
    const { agent, csrfToken } = await loginAgent(service, ['analyst']);
    const created = await agent.post('/api/auth/keys').set('X-CSRF-Token', csrfToken).send({ name: 'ingest script', expiresInDays: 30 }).expect(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^lwk_[A-Za-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    const secret = key.split('_').slice(2).join('_');
    const stored = await service.db.models.ApiKey.findById(created.body.apiKey.id).lean();
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored!.secretSha256).toBe(createHash('sha256').update(secret).digest('hex'));
    const listed = await agent.get('/api/auth/keys').expect(200);
    expect(listed.body.items[0]).toMatchObject({ name: 'ingest script', revokedAt: null });
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const bearer = { Authorization: `Bearer ${key}` };
    // A key needs no CSRF token: it is not an ambient credential.
    const me = await request(service.app).get('/api/auth/me').set(bearer).expect(200);
    expect(me.body.via).toBe('apikey');
    await request(service.app).post('/api/auth/keys').set(bearer).send({ name: 'child' }).expect(201);

    const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    await request(service.app).get('/api/auth/me').set({ Authorization: `Bearer ${tampered}` }).expect(401);

    await agent.post(`/api/auth/keys/${created.body.apiKey.id}/revoke`).set('X-CSRF-Token', csrfToken).expect(200);
    await request(service.app).get('/api/auth/me').set(bearer).expect(401);
    expect(await service.db.models.ApiKey.countDocuments({ _id: created.body.apiKey.id })).toBe(1); // kept, revoked
  });

  it('expire', async () => {
    const headers = await apiKeyHeaders(service, ['viewer']);
    await request(service.app).get('/api/documents').set(headers).expect(200);
    const id = headers.Authorization.split('_')[1];
    await service.db.models.ApiKey.updateOne({ _id: id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await request(service.app).get('/api/documents').set(headers).expect(401);
    expect(res.body.error.message).toMatch(/expired|revoked|invalid/);
  });

  it('reject malformed Authorization headers instead of falling back to the cookie', async () => {
    const { agent } = await loginAgent(service, ['viewer']);
    await agent.get('/api/auth/me').set('Authorization', 'Basic Zm9vOmJhcg==').expect(401);
  });
});

describe('npm run create-admin', () => {
  const run = (args: string[], input: string) =>
    spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/cli/admin.ts', 'create-admin', ...args], {
      cwd: ROOT,
      env: { ...process.env, MONGODB_URI: process.env.MONGODB_URI, MONGODB_DB: service.dbName, LEXWATCH_ADMIN_PASSWORD: '' },
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('creates the first admin with the password from stdin, who can then log in', async () => {
    const result = run(['--username', 'first-admin'], 'a long admin passphrase\n');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/created admin "first-admin"/);
    const res = await request(service.app).post('/api/auth/login').send({ username: 'first-admin', password: 'a long admin passphrase' }).expect(200);
    expect(res.body.user.roles).toEqual(['admin']);
    const event = await service.db.models.AuditEvent.findOne({ action: 'user.create', actor: 'cli' }).lean();
    expect(event!.change).toEqual({ username: 'first-admin', roles: ['admin'] });
  });

  it('refuses a duplicate name, a short password, and a missing username', () => {
    expect(run(['--username', 'first-admin'], 'another long passphrase\n').status).toBe(2);
    const short = run(['--username', 'second-admin'], 'short\n');
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/password/);
    expect(run([], 'whatever long enough\n').status).toBe(2);
  });
});
