/**
 * Browser sessions (cookie + CSRF token), API keys (shown once, hashed, revocable, expiring),
 * scrypt password hashes, login throttling, and the create-admin command.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Types } from 'mongoose';
import request from 'supertest';
import { clientKey } from '../../src/auth/rate-limit';
import { apiKeyHeaders, createTestUser, loginAgent, startTestService, TEST_PASSWORD, withHeaders, type TestService } from '../support/service';

const ROOT = path.resolve(__dirname, '..', '..');

let service: TestService;
beforeAll(async () => {
  // Delays long enough that no test waits through one by accident.
  service = await startTestService({ auth: { loginMaxFailures: 3, loginWindowMs: 60_000, loginBaseDelayMs: 10 * 60_000 } });
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

  it('must not be a common password nor contain the username, when created or reset', async () => {
    const admin = withHeaders(service.app, await apiKeyHeaders(service, ['admin']));
    const refused = async (body: Record<string, unknown>, message: RegExp) => {
      const res = await admin.post('/api/users').send({ roles: ['viewer'], ...body }).expect(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details).toEqual([{ field: 'password', message: expect.stringMatching(message) }]);
    };
    await refused({ username: 'common-one', password: 'aaaaaaaaaaaa' }, /100,000 most common/);
    await refused({ username: 'common-two', password: 'QwertyQwerty' }, /100,000 most common/); // any case
    await refused({ username: 'merenite-reader', password: 'my name is Merenite-Reader!' }, /username/);
    await refused({ username: 'repeat-one', password: 'abcabcabcabcabc' }, /repeated/);
    expect(await service.db.models.User.countDocuments({ username: { $in: ['common-one', 'common-two', 'merenite-reader', 'repeat-one'] } })).toBe(0);
    // No composition rules: a long phrase of plain lower-case words is fine.
    await admin.post('/api/users').send({ username: 'plain-words', password: 'rivers of the tarvani valley', roles: ['viewer'] }).expect(201);
    const user = await createTestUser(service, ['viewer']);
    const reset = await admin.patch(`/api/users/${user.id}`).send({ password: `${user.username}-2026-new` }).expect(400);
    expect(reset.body.error.details).toEqual([{ field: 'password', message: 'must not contain the username' }]);
    await admin.patch(`/api/users/${user.id}`).send({ password: '123456789012' }).expect(400);
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
      documents: undefined as never,
      documentFeed: behindProxy.documentFeed,
      speakers: undefined as never,
      flagExports: undefined as never,
      originalFiles: undefined as never,
      captures: undefined as never,
      originals: behindProxy.originals,
      maxUploadBytes: 1,
      lexicon: behindProxy.lexicon,
      log: () => {},
      auth: behindProxy.auth,
      setup: behindProxy.setup,
      review: behindProxy.review,
      search: undefined as never,
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

describe('login throttling', () => {
  it('refuses further attempts, even the right password, after too many failures', async () => {
    const user = await createTestUser(service, ['viewer']);
    for (let i = 0; i < 3; i += 1) await request(service.app).post('/api/auth/login').send({ username: user.username, password: `guess number ${i}` }).expect(401);
    const blocked = await request(service.app).post('/api/auth/login').send({ username: user.username, password: user.password }).expect(429);
    expect(blocked.body.error).toMatchObject({ code: 'too_many_requests' });
    expect(blocked.body.error.details.retryAfterSeconds).toBeGreaterThan(0);
    const failures = await service.db.models.AuditEvent.countDocuments({ action: 'auth.login_failed', 'entity.id': user.username });
    expect(failures).toBe(3);
  });

  describe('with the default limits and a clock the test moves', () => {
    let throttled: TestService;
    let now = Date.UTC(2026, 10, 28, 12);
    beforeAll(async () => {
      throttled = await startTestService({ runner: { enabled: false }, auth: { now: () => now } });
    });
    afterAll(async () => {
      await throttled.dispose();
    });
    const login = (username: string, password: string, client: string) =>
      throttled.auth.login(username, password, client).then(
        () => 'ok',
        (error: Error & { code?: string; retryAfterSeconds?: number }) => (error.code === 'too_many_requests' ? `wait ${error.retryAfterSeconds}` : error.code),
      );

    it('lets no more than the free attempts of 40 parallel logins through to the password check', async () => {
      const user = await createTestUser(throttled, ['viewer']);
      const results = await Promise.all(Array.from({ length: 40 }, (_, k) => request(throttled.app).post('/api/auth/login').send({ username: user.username, password: `parallel guess ${k}` })));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(35);
      expect(await throttled.db.models.AuditEvent.countDocuments({ action: 'auth.login_failed', 'entity.id': user.username })).toBe(5);
      const refused = results.find((r) => r.status === 429)!;
      expect(refused.headers['retry-after']).toBe(String(refused.body.error.details.retryAfterSeconds));
    });

    it('slows a guesser with growing delays, and never locks the real user out', async () => {
      const user = await createTestUser(throttled, ['viewer']);
      const guesser = '198.51.100.23';
      for (let k = 0; k < 5; k += 1) expect(await login(user.username, `guess ${k} of many`, guesser)).toBe('invalid_credentials');
      expect(await login(user.username, 'guess 5 of many', guesser)).toBe('wait 1');
      // Each wait is twice the last; one attempt gets through at each.
      for (const seconds of [1, 2, 4, 8]) {
        now += seconds * 1000;
        expect(await login(user.username, `guess after ${seconds} s`, guesser)).toBe('invalid_credentials');
        expect(await login(user.username, 'too soon', guesser)).toBe(`wait ${seconds * 2}`);
      }
      // Meanwhile the real user, from their own address, signs in at once.
      expect(await login(user.username, TEST_PASSWORD, '203.0.113.5')).toBe('ok');
      // The cap: never more than 15 minutes.
      now += 16_000;
      for (let k = 0; k < 12; k += 1) {
        expect(await login(user.username, `late guess ${k}`, guesser)).toBe('invalid_credentials');
        now += 16 * 60_000;
      }
      now -= 16 * 60_000;
      expect(await login(user.username, 'capped', guesser)).toBe(`wait ${15 * 60}`);
    });

    it('an admin lifts it at once, audited', async () => {
      const user = await createTestUser(throttled, ['viewer']);
      for (let k = 0; k < 5; k += 1) await request(throttled.app).post('/api/auth/login').send({ username: user.username, password: `wrong ${k} password` }).expect(401);
      await request(throttled.app).post('/api/auth/login').send({ username: user.username, password: TEST_PASSWORD }).expect(429);
      const admin = withHeaders(throttled.app, await apiKeyHeaders(throttled, ['admin']));
      const unlocked = await admin.post(`/api/users/${user.id}/unlock`).expect(200);
      expect(unlocked.body).toMatchObject({ user: { id: user.id }, cleared: 1 });
      await request(throttled.app).post('/api/auth/login').send({ username: user.username, password: TEST_PASSWORD }).expect(200);
      const event = await throttled.db.models.AuditEvent.findOne({ action: 'user.unlock', 'entity.id': user.id }).lean();
      expect(event!.change).toEqual({ cleared: 1 });
      await admin.post('/api/users/0123456789abcdef01234567/unlock').expect(404);
    });

    it('keys IPv6 clients by their /64 network, and IPv4-mapped addresses as IPv4', () => {
      expect(clientKey('2001:db8:a:b:1:2:3:4')).toBe('2001:db8:a:b::/64');
      expect(clientKey('2001:db8:a:b::99')).toBe('2001:db8:a:b::/64');
      expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
      expect(clientKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
      expect(clientKey('192.0.2.1')).toBe('192.0.2.1');
    });
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

  it('are revoked by a password reset, a role change or disabling; enabling the account again does not restore them', async () => {
    const admin = withHeaders(service.app, await apiKeyHeaders(service, ['admin']));
    const user = await createTestUser(service, ['analyst']);
    const newKey = async () => ({ Authorization: `Bearer ${(await service.auth.createApiKey(new Types.ObjectId(user.id), { name: 'script' }, { id: user.id, role: 'analyst' })).key}` });
    const works = async (headers: Record<string, string>) => (await request(service.app).get('/api/auth/me').set(headers)).status === 200;

    const beforeReset = await newKey();
    await admin.patch(`/api/users/${user.id}`).send({ displayName: 'Renamed' }).expect(200);
    await admin.patch(`/api/users/${user.id}`).send({ roles: ['analyst'] }).expect(200); // the same roles: no change
    expect(await works(beforeReset)).toBe(true);
    const reset = await admin.patch(`/api/users/${user.id}`).send({ password: 'a new long passphrase' }).expect(200);
    expect(reset.body.user.id).toBe(user.id);
    expect(await works(beforeReset)).toBe(false);

    const beforeRoles = await newKey();
    await admin.patch(`/api/users/${user.id}`).send({ roles: ['analyst', 'admin'] }).expect(200);
    expect(await works(beforeRoles)).toBe(false); // a key made for an analyst's script does not become an admin's

    const beforeDisable = await newKey();
    await admin.patch(`/api/users/${user.id}`).send({ disabled: true }).expect(200);
    await admin.patch(`/api/users/${user.id}`).send({ disabled: false }).expect(200);
    expect(await works(beforeDisable)).toBe(false);

    const revocations = await service.db.models.AuditEvent.find({ action: 'apikey.revoke', 'change.user': user.id }).sort({ seq: 1 }).lean();
    expect(revocations.map((e) => e.reason)).toEqual(['password reset', 'roles changed', 'account disabled']);
    const updates = await service.db.models.AuditEvent.find({ action: 'user.update', 'entity.id': user.id, 'change.apiKeysRevoked': { $exists: true } }).lean();
    expect(updates).toHaveLength(3);
  });

  it('of any user are listed and revoked by an admin, audited', async () => {
    const admin = await apiKeyHeaders(service, ['admin']);
    const owner = await createTestUser(service, ['viewer']);
    const { key, record } = await service.auth.createApiKey(new Types.ObjectId(owner.id), { name: 'field laptop' }, { id: owner.id, role: 'viewer' });
    const listed = await request(service.app).get(`/api/users/${owner.id}/keys`).set(admin).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: record._id, name: 'field laptop', revokedAt: null })]);
    expect(JSON.stringify(listed.body)).not.toContain(key.split('_').slice(2).join('_')); // the secret may hold "_" itself
    await request(service.app).get('/api/users/0123456789abcdef01234567/keys').set(admin).expect(404);
    await request(service.app).get(`/api/users/${owner.id}/keys`).set({ Authorization: `Bearer ${key}` }).expect(403);

    await request(service.app).post(`/api/auth/keys/${record._id}/revoke`).set(admin).expect(200);
    await request(service.app).get('/api/auth/me').set({ Authorization: `Bearer ${key}` }).expect(401);
    const event = await service.db.models.AuditEvent.findOne({ action: 'apikey.revoke', 'entity.id': record._id }).lean();
    expect(event!.actor).toBe(admin.userId);
    expect((await request(service.app).get(`/api/users/${owner.id}/keys`).set(admin).expect(200)).body.items[0].revokedAt).not.toBeNull();
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
