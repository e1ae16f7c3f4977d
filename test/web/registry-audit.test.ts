/**
 * The speaker registry and the audit trail in Chromium: an analyst registers a speaker (a wrong
 * date is named under its field); everyone reads the registry; an admin reads the audit events,
 * filters them by entity, and checks the hash chain, which reports the event an edit in the
 * database broke. axe finds nothing serious or critical at 1280 and 390 px. Names are invented.
 */
import { createTestUser } from '../support/service';
import { signIn } from '../support/browser';
import { accessibilityAt, useWebRig } from '../support/web';

jest.setTimeout(240_000);

const rig = useWebRig({ runner: { enabled: false } });
type User = { id: string; username: string; password: string };
let admin: User;
let analyst: User;
let viewer: User;

beforeAll(async () => {
  [admin, analyst, viewer] = await Promise.all([createTestUser(rig.service, ['admin']), createTestUser(rig.service, ['analyst']), createTestUser(rig.service, ['viewer'])]);
});

describe('speaker registry', () => {
  it('an analyst registers a speaker; a wrong date is named under its field', async () => {
    rig.allowRefusals();
    const page = await rig.newPage();
    await signIn(page, rig.base, analyst.username, analyst.password, '/speakers');
    await page.getByText('No speaker is registered yet.').waitFor();
    await page.getByLabel('Name, in the original script').fill('Արդել Վոսյան');
    await page.getByLabel('Transliterations (one a line)').fill('Ardel Vosyan\nArdel Vossian');
    await page.getByLabel('Other names (one a line)').fill('Minister Voss');
    await page.getByLabel('Title', { exact: true }).fill('Minister of Harvests (fictional)');
    await page.getByLabel('Institution').fill('Republic of Ormund (fictional)');
    await page.getByLabel(/^From/).fill('May 2021');
    await page.getByRole('button', { name: 'Register the speaker' }).click();
    await page.locator('[id="positions.0.from-error"]', { hasText: 'ISO date' }).waitFor();
    expect(await rig.service.db.models.Speaker.countDocuments({})).toBe(0);

    await page.getByLabel(/^From/).fill('2021-05');
    await page.getByRole('button', { name: 'Register the speaker' }).click();
    const row = page.locator('#speakers-table tr', { hasText: 'Արդել Վոսյան' });
    await row.waitFor();
    expect(await row.innerText()).toContain('Ardel Vosyan; Ardel Vossian');
    expect(await row.innerText()).toContain('Minister of Harvests (fictional), Republic of Ormund (fictional), 2021-05 – …');
    const stored = (await rig.service.db.models.Speaker.findOne({}).lean())!;
    expect(stored).toMatchObject({ name: 'Արդել Վոսյան', transliterations: ['Ardel Vosyan', 'Ardel Vossian'], aliases: ['Minister Voss'] });
  });

  it('a viewer reads the registry without the form', async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, viewer.username, viewer.password, '/speakers');
    await page.locator('#speakers-table tr', { hasText: 'Ardel Vosyan' }).waitFor();
    expect(await page.locator('#speaker-form').count()).toBe(0);
  });
});

describe('audit trail (admins)', () => {
  it('lists events by entity and checks the chain', async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, admin.username, admin.password, '/audit');
    await page.locator('#audit-table tbody tr').first().waitFor();
    await page.getByLabel(/^Entity type/).fill('user');
    await page.getByLabel('Entity id').fill(analyst.id);
    await page.getByRole('button', { name: 'Show events' }).click();
    await page.waitForURL((url) => url.searchParams.get('entityId') === analyst.id);
    await page.locator('#audit-table tbody tr').first().waitFor();
    const actions = await page.locator('#audit-table tbody td:nth-child(3)').allInnerTexts();
    expect(actions[0]).toBe('user.create');
    expect(actions).toContain('auth.login');
    const events = await rig.service.db.models.AuditEvent.countDocuments({});
    await page.getByRole('button', { name: 'Check the chain' }).click();
    await page.locator('#chain-result .ok').waitFor();
    // Events keep coming (sign-ins are audited): the count is at least what was there before.
    const intact = await page.locator('#chain-result').innerText();
    expect(Number(/(\d+) events/.exec(intact)![1])).toBeGreaterThanOrEqual(events);
  });

  it('is refused to others, and not in their navigation', async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, analyst.username, analyst.password, '/audit');
    await page.locator('main [role="alert"]', { hasText: 'do not include this screen' }).waitFor();
    expect(await page.locator('#nav').innerText()).not.toContain('Audit');
  });

  it.each([1280, 390])('speakers and audit screens: nothing serious or critical at %i px, nothing wider than the window', async (width) => {
    const page = await rig.newPage({ width, height: 800 });
    await signIn(page, rig.base, admin.username, admin.password, '/speakers');
    await page.locator('#speakers-table').waitFor();
    expect(await accessibilityAt(page)).toEqual({ violations: [], overflow: 0 });
    await page.goto(`${rig.base}/audit`);
    await page.getByRole('button', { name: 'Check the chain' }).click();
    await page.locator('#chain-result .ok').waitFor();
    expect(await accessibilityAt(page)).toEqual({ violations: [], overflow: 0 });
  });

  it('names the event where an edit in the database broke the chain', async () => {
    const victim = (await rig.service.db.models.AuditEvent.findOne({ action: 'user.create', 'entity.id': viewer.id }).lean())!;
    await rig.service.db.models.AuditEvent.collection.updateOne({ _id: victim._id }, { $set: { action: 'user.update' } });
    const page = await rig.newPage();
    await signIn(page, rig.base, admin.username, admin.password, '/audit');
    await page.getByRole('button', { name: 'Check the chain' }).click();
    await page.locator('#chain-result .error', { hasText: `broken at event #${victim.seq}` }).waitFor();
  });
});
