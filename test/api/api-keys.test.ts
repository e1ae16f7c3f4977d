/**
 * GET /api/keys: an admin sees every API key of every user with its owner, never a secret or its
 * hash, and revokes any of them; the owner's own list shows the revocation.
 */
import { Types } from 'mongoose';
import { apiKeyHeaders, createTestUser, startTestService, withHeaders, type TestService } from '../support/service';

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ runner: { enabled: false } });
});
afterAll(async () => {
  await service?.dispose();
});

it('lists every key with its owner and no secret; an admin revokes any of them', async () => {
  const [ana, rev] = await Promise.all([createTestUser(service, ['analyst']), createTestUser(service, ['reviewer'])]);
  const made = await service.auth.createApiKey(new Types.ObjectId(ana.id), { name: 'upload script' }, { id: ana.id, role: 'analyst' });
  await service.auth.createApiKey(new Types.ObjectId(rev.id), { name: 'queue export' }, { id: rev.id, role: 'reviewer' });
  const admin = withHeaders(service.app, await apiKeyHeaders(service, ['admin']));

  const { body } = await admin.get('/api/keys').expect(200);
  const byName = new Map((body.items as Array<{ name: string; user: { username: string }; id: string }>).map((k) => [k.name, k]));
  expect(byName.get('upload script')).toMatchObject({ id: made.record._id, user: { id: ana.id, username: ana.username }, revokedAt: null });
  expect(byName.get('queue export')).toMatchObject({ user: { id: rev.id, username: rev.username } });
  const text = JSON.stringify(body);
  expect(text).not.toContain(made.key.split('_')[2]);
  expect(text).not.toContain('secret');

  await admin.post(`/api/auth/keys/${made.record._id}/revoke`).expect(200);
  const owner = withHeaders(service.app, { Authorization: `Bearer ${made.key}` });
  await owner.get('/api/auth/me').expect(401);
  const after = (await admin.get('/api/keys').expect(200)).body.items.find((k: { id: string }) => k.id === made.record._id);
  expect(after.revokedAt).not.toBeNull();
  await withHeaders(service.app, await apiKeyHeaders(service, ['reviewer'])).get('/api/keys').expect(403);
});
