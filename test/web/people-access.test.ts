/**
 * People and access in Chromium: an admin adds a person with roles, changes the roles, resets the
 * password, lifts the login throttle (sign-in slowed after failed attempts comes back at once),
 * disables the account, and revokes anyone's API key; everyone makes their own API keys (each
 * shown once) and revokes them. axe finds nothing serious or critical at 1280 and 390 px, and
 * nothing is wider than the window. Every check of the result reads the real service.
 */
import request from 'supertest';
import { createTestUser, TEST_PASSWORD } from '../support/service';
import { screenshot, signIn } from '../support/browser';
import { accessibilityAt, useWebRig } from '../support/web';

jest.setTimeout(240_000);

const rig = useWebRig({ runner: { enabled: false } });
type User = { id: string; username: string; password: string };
let admin: User;
let viewer: User;

beforeAll(async () => {
  [admin, viewer] = await Promise.all([createTestUser(rig.service, ['admin']), createTestUser(rig.service, ['viewer'])]);
});

const login = (username: string, password: string) => request(rig.service.app).post('/api/auth/login').send({ username, password });
const me = (key: string) => request(rig.service.app).get('/api/auth/me').set('Authorization', `Bearer ${key}`);

describe('people (admins)', () => {
  it('adds a person with roles, changes the roles, resets the password, unlocks and disables, each audited', async () => {
    rig.allowRefusals();
    const page = await rig.newPage();
    await signIn(page, rig.base, admin.username, admin.password, '/users');
    await page.getByRole('heading', { name: 'People and access' }).waitFor();

    // A refusal is named in plain words (a common password), and nothing is created.
    await page.getByLabel('Username').fill('mira.analyst');
    await page.getByLabel('Display name (optional)').fill('<img src=x onerror="window.__xss=1">Mira Ostrel (fictional)');
    await page.getByLabel('First password').fill('password1234');
    await page.locator('#new-role-analyst').check();
    await page.getByRole('button', { name: 'Add the person' }).click();
    await page.locator('#create-error', { hasText: /password/ }).waitFor();
    expect(await rig.service.db.models.User.countDocuments({ username: 'mira.analyst' })).toBe(0);

    await page.getByLabel('First password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Add the person' }).click();
    const row = page.locator('#users-table tr', { hasText: 'mira.analyst' });
    await row.waitFor();
    expect(await row.innerText()).toContain('<img src=x onerror="window.__xss=1">Mira Ostrel (fictional)');
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    const mira = (await rig.service.db.models.User.findOne({ username: 'mira.analyst' }).lean())!;
    expect(mira.roles).toEqual(['analyst']);
    await login('mira.analyst', TEST_PASSWORD).expect(200);

    // Roles: analyst → analyst + reviewer.
    await page.getByRole('button', { name: 'Manage mira.analyst' }).click();
    await page.locator('#manage-role-reviewer').check();
    await page.getByRole('button', { name: 'Save roles' }).click();
    await page.locator('#users-table tr', { hasText: 'analyst, reviewer' }).waitFor();
    expect((await rig.service.db.models.User.findById(mira._id).lean())!.roles.sort()).toEqual(['analyst', 'reviewer']);

    // Failed sign-ins slow this username down from this address; the real password is refused
    // too until the admin unlocks, then it works at once.
    for (let k = 0; k < 5; k += 1) await login('mira.analyst', `wrong guess number ${k}`).expect(401);
    await login('mira.analyst', TEST_PASSWORD).expect(429);
    await page.getByRole('button', { name: 'Unlock sign-in' }).click();
    await page.locator('#status', { hasText: 'can sign in again at once' }).waitFor();
    await login('mira.analyst', TEST_PASSWORD).expect(200);

    // A new password: the old one stops working.
    const fresh = 'a new long passphrase for Mira';
    await page.getByLabel('New password').fill(fresh);
    await page.getByRole('button', { name: 'Reset the password' }).click();
    await page.locator('#status', { hasText: 'password of mira.analyst is reset' }).waitFor();
    await login('mira.analyst', TEST_PASSWORD).expect(401);
    await login('mira.analyst', fresh).expect(200);

    // Disabled: no sign-in, and the table says so.
    await page.getByRole('button', { name: 'Disable the account' }).click();
    await page.locator('#users-table tr', { hasText: 'mira.analyst' }).locator('td:nth-child(4)', { hasText: 'disabled' }).waitFor();
    await login('mira.analyst', fresh).expect(401);
    await page.getByRole('button', { name: 'Enable the account' }).waitFor();

    const actions = (await rig.service.db.models.AuditEvent.find({ 'entity.id': String(mira._id) }).sort({ seq: 1 }).lean()).map((e) => e.action);
    expect(actions).toEqual(['user.create', 'auth.login', 'user.update', 'user.unlock', 'auth.login', 'user.update', 'auth.login', 'user.update']);
    await screenshot(page, 'people-manage');
  });

  it('refuses to disable the last active admin, and says why', async () => {
    expect(await rig.service.db.models.User.countDocuments({ roles: 'admin', disabled: false })).toBe(1);
    rig.allowRefusals();
    const page = await rig.newPage();
    await signIn(page, rig.base, admin.username, admin.password, '/users');
    await page.getByRole('button', { name: `Manage ${admin.username}` }).click();
    await page.getByRole('button', { name: 'Disable the account' }).click();
    await page.locator('#state-error', { hasText: 'last active admin' }).waitFor();
    expect((await rig.service.db.models.User.findById(admin.id).lean())!.disabled).toBe(false);
  });

  it('lists every API key with its owner and revokes anyone’s', async () => {
    const owner = await createTestUser(rig.service, ['reviewer']);
    const { key } = (await (async () => {
      const agent = request.agent(rig.service.app);
      const session = await agent.post('/api/auth/login').send({ username: owner.username, password: owner.password }).expect(200);
      return (await agent.post('/api/auth/keys').set('X-CSRF-Token', session.body.csrfToken).send({ name: 'nightly export script' }).expect(201)).body;
    })()) as { key: string };
    await me(key).expect(200);

    const page = await rig.newPage();
    await signIn(page, rig.base, admin.username, admin.password, '/users');
    const row = page.locator('#all-keys tr', { hasText: 'nightly export script' });
    await row.waitFor();
    expect(await row.locator('td').first().innerText()).toBe(owner.username);
    expect(await page.locator('main').innerText()).not.toContain(key.split('_')[2]!);
    await page.getByRole('button', { name: `Revoke the key "nightly export script" of ${owner.username}` }).click();
    await row.locator('td', { hasText: /^revoked/ }).waitFor();
    await me(key).expect(401);
  });

  it('is for admins only: others get no People link and a plain refusal', async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, viewer.username, viewer.password, '/users');
    await page.locator('main [role="alert"]', { hasText: 'do not include this screen' }).waitFor();
    expect(await page.locator('#nav').innerText()).not.toContain('People');
    expect(await page.locator('#nav').innerText()).toContain('API keys');
  });
});

describe('API keys (everyone)', () => {
  it('makes a key shown once, lists it, and revokes it', async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, viewer.username, viewer.password, '/keys');
    await page.getByLabel('Name (what the key is for)').fill('reading script');
    await page.getByRole('button', { name: 'Make the key' }).click();
    const secret = await page.locator('#new-key-secret').innerText();
    expect(secret).toMatch(/^lwk_[A-Za-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    expect((await me(secret).expect(200)).body.user.username).toBe(viewer.username);
    const row = page.locator('#my-keys tr', { hasText: 'reading script' });
    await row.waitFor();
    expect(await row.locator('td:nth-child(6)').innerText()).toBe('live');
    await screenshot(page, 'keys-new');

    // Shown once: after a reload the page has the key's id, never its secret.
    await page.reload();
    await row.waitFor();
    expect(await page.locator('main').innerText()).not.toContain(secret.split('_')[2]!);
    expect(await row.innerText()).toContain(secret.split('_')[1]!);

    await page.getByRole('button', { name: 'Revoke the key "reading script"' }).click();
    await row.locator('td', { hasText: /^revoked/ }).waitFor();
    await me(secret).expect(401);
  });

  it('names a wrong field under the field', async () => {
    rig.allowRefusals();
    const page = await rig.newPage();
    await signIn(page, rig.base, viewer.username, viewer.password, '/keys');
    await page.getByLabel('Name (what the key is for)').fill('too long lived');
    // The browser's own limits are lifted so the server's answer is what the person sees.
    await page.locator('#expiresInDays').evaluate((el) => { (el as unknown as { max: string }).max = '100000'; });
    await page.getByLabel(/Expires after/).fill('9999');
    await page.getByRole('button', { name: 'Make the key' }).click();
    await page.locator('#expiresInDays-error').waitFor();
    expect(await page.locator('#expiresInDays').getAttribute('aria-invalid')).toBe('true');
    expect(await rig.service.db.models.ApiKey.countDocuments({ name: 'too long lived' })).toBe(0);
  });
});

describe('accessibility and narrow screens', () => {
  it.each([1280, 390])('people and API keys screens: nothing serious or critical at %i px, nothing wider than the window', async (width) => {
    const page = await rig.newPage({ width, height: 800 });
    await signIn(page, rig.base, admin.username, admin.password, '/users');
    await page.getByRole('button', { name: `Manage ${viewer.username}` }).click();
    await page.locator('#manage').waitFor();
    expect(await accessibilityAt(page)).toEqual({ violations: [], overflow: 0 });
    await page.goto(`${rig.base}/keys`);
    await page.getByLabel('Name (what the key is for)').fill(`layout check ${width}`);
    await page.getByRole('button', { name: 'Make the key' }).click();
    await page.locator('#new-key-secret').waitFor();
    expect(await accessibilityAt(page)).toEqual({ violations: [], overflow: 0 });
  });
});
