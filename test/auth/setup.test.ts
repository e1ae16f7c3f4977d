/**
 * First run: while no admin exists the service makes a one-time setup link; the token is random,
 * stored only as its SHA-256, usable once, and its use is audited.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { createTestUser, startTestService, type TestService } from '../support/service';

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ runner: { enabled: false } });
});
afterAll(async () => {
  await service.dispose();
});

const NEW_ADMIN = { username: 'first-admin', password: 'a long first-run passphrase' };

it('creates the first admin once with the printed token, which then dies', async () => {
  const token = (await service.setup.issueIfNoAdmin())!;
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  // Only the hash is stored.
  const stored = await service.db.models.SetupToken.find().lean();
  expect(stored).toHaveLength(1);
  expect(JSON.stringify(stored)).not.toContain(token);
  expect(stored[0]!.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));

  await request(service.app).post('/api/setup/check').send({ token }).expect(200, { valid: true });
  await request(service.app).post('/api/setup/check').send({ token: 'not-the-token' }).expect(200, { valid: false });
  const wrong = await request(service.app).post('/api/setup').send({ token: 'not-the-token', ...NEW_ADMIN }).expect(404);
  expect(wrong.body.error.message).toMatch(/setup link is not valid/);
  // A refused password does not spend the link.
  const weak = await request(service.app).post('/api/setup').send({ token, username: 'first-admin', password: 'short' }).expect(400);
  expect(weak.body.error.details).toEqual([expect.objectContaining({ field: 'password' })]);
  await request(service.app).post('/api/setup/check').send({ token }).expect(200, { valid: true });

  const created = await request(service.app).post('/api/setup').send({ token, ...NEW_ADMIN }).expect(201);
  expect(created.body.user).toMatchObject({ username: 'first-admin', roles: ['admin'] });
  const login = await request(service.app).post('/api/auth/login').send(NEW_ADMIN).expect(200);
  expect(login.body.user.roles).toEqual(['admin']);

  // Dead once used.
  await request(service.app).post('/api/setup/check').send({ token }).expect(200, { valid: false });
  await request(service.app).post('/api/setup').send({ token, username: 'second-admin', password: 'another long passphrase' }).expect(409);
  expect(await service.db.models.User.countDocuments({ username: 'second-admin' })).toBe(0);

  const event = await service.db.models.AuditEvent.findOne({ action: 'setup.first_admin' }).lean();
  expect(event).toMatchObject({ actor: 'setup', entity: { type: 'user', id: created.body.user.id }, change: { username: 'first-admin' } });
  // With an admin present no link is made.
  expect(await service.setup.issueIfNoAdmin()).toBeNull();
});

it('a token issued while no admin existed is refused once an admin was made otherwise', async () => {
  const other = await startTestService({ runner: { enabled: false }, dbName: `${service.dbName}-b` });
  try {
    const token = (await other.setup.issueIfNoAdmin())!;
    await createTestUser(other, ['admin']);
    await request(other.app).post('/api/setup/check').send({ token }).expect(200, { valid: false });
    const res = await request(other.app).post('/api/setup').send({ token, ...NEW_ADMIN }).expect(409);
    expect(res.body.error.message).toMatch(/admin exists already/);
  } finally {
    await other.dispose();
  }
});
